"""The public participant list: confirmed attendees who agreed to be listed."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from events.models import Event

from ..models import Answer, Registration
from ..services.questions import ORGANISATION, PARTICIPANT_LIST_CONSENT


def listed_participants(event) -> list[dict]:
    """Name and affiliation of each confirmed attendee who said yes to the list.

    Consent is the answer to the built-in consent question (by its key): no answer
    or no question means not listed.
    """
    registrations = (
        Registration.objects.filter(
            event=event,
            status=Registration.Status.CONFIRMED,
            answers__question__key=PARTICIPANT_LIST_CONSENT,
            answers__value=True,
        )
        .select_related("attendee")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.filter(question__key=ORGANISATION),
                to_attr="organisation_answers",
            )
        )
    )
    people = []
    for registration in registrations:
        person = registration.attendee
        organisation = next(
            (str(a.value) for a in registration.organisation_answers if a.value), ""
        )
        people.append(
            {
                "name": person.name or _("(name not given)"),
                "affiliation": organisation or person.affiliation,
            }
        )
    return sorted(people, key=lambda p: (p["name"].casefold(), p["affiliation"]))


def participant_list(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if not event.participant_list_public:
        raise Http404(_("This event has no public participant list."))
    context = {"event": event, "participants": listed_participants(event)}
    return TemplateResponse(request, "registrations/participant_list.html", context)
