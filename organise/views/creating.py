"""Creating an event: from nothing, or as a copy of an earlier one (last year's)
with its settings, venue, tracks, registration types and questions, the dates
moved. Whoever may create events somewhere (owners) may; the creator owns it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events import access
from events.access import Capability
from events.languages import languages_starting_with
from registrations.services import setup

from ..forms.creating import NewEventForm
from ..forms.fields import add_service_errors
from ..pages import page


def _create(request, form):
    data = form.cleaned_data
    source = data["copy_from"]
    if source is not None:
        return setup.copy_event(
            source=source,
            starts_at=data["starts_at"],
            slug=data["slug"],
            title=data["title"],
            actor=request.user,
        )
    return setup.start_event(
        actor=request.user,
        slug=data["slug"],
        title=data["title"],
        timezone=data["timezone"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        venue=data["venue"],
        # The title is written in the organiser's language: the event's first.
        languages=languages_starting_with(get_language()),
    )


@login_required
def new_event(request):
    """The form for a new event; ?from=<slug> starts it as a copy of that one."""
    if not access.may_somewhere(request, Capability.CREATE_EVENTS):
        raise PermissionDenied(_("Only owners of an event may create events."))
    sources = access.events(request, Capability.MANAGE_SETTINGS).order_by("-starts_at")
    initial = {}
    if request.GET.get("from"):
        initial["copy_from"] = sources.filter(slug=request.GET["from"]).first()
    form = NewEventForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        sources=sources,
        venues=access.visible_venues(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = _create(request, form)
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("Created “%(title)s”.") % {"title": event})
            return redirect("organise:home", event=event.slug)
    return page(
        request,
        None,
        "organise/event_new.html",
        crumbs=[(_("New event"), None)],
        form=form,
    )
