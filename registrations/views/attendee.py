"""Attendee pages: register and my registrations (managing one registration by
its link is in views/managing.py).

Thin: each view authenticates, parses with a form, calls one service, and turns
RegistrationError into a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from events.languages import use_event
from events.models import Event

from ..form_fragments import registration_fields
from ..forms import RegistrationForm
from ..models import Registration, SessionSeat
from ..models.types import open_on_the_form
from ..selectors import places
from ..selectors.questions import questions_of
from ..selectors.registrations import live_registration_token
from ..services import (
    RegistrationError,
    registering,
)
from .my_schedule import personal_subscribe_links


def _published_event(slug, *prefetch, **annotations) -> Event:
    event = get_object_or_404(
        Event.objects.published().prefetch_related(*prefetch).annotate(**annotations),
        slug=slug,
    )
    use_event(event)  # its texts fall back through its languages
    return event


def _open_types(event):
    # From the event's prefetched types: the service reads the same list.
    types = event.registration_types.all()
    open_ids = open_on_the_form(t.sale_window() for t in types)
    return [t for t in types if t.pk in open_ids]


@login_required
def register(request, slug):
    if request.method != "POST":
        return _form_page(request, slug)
    event = _published_event(slug, "registration_types")
    context = {"event": event, **(refusal := _refusal(event))}
    if not refusal:
        types, questions = _open_types(event), questions_of(event)
        form = context["form"] = _form(request.POST, event, types, questions)
        # A repeat is answered with the live registration (the service is idempotent).
        if registration := _registered(request, event, form):
            messages.success(request, _outcome_message(registration))
            return redirect(registration.manage_path())
    return render(request, "registrations/register.html", context)


def _form_page(request, slug):
    """The form, or the person's registration if they have one. The page's
    fields come from the cache (form_fragments): on a visit, the event's row
    (with the person's live registration) is the page's one query."""
    event = _published_event(slug, live_token=live_registration_token(request.user))
    if event.live_token:
        messages.info(request, _("You are already registered for this event."))
        return redirect("registrations:manage", token=event.live_token)
    context = {"event": event, **(refusal := _refusal(event))}
    if not refusal:
        context["fields"] = registration_fields(
            event, lambda types: _form(None, event, types, questions_of(event))
        )
    return render(request, "registrations/register.html", context)


def _refusal(event) -> dict:
    """Why the event takes no registrations here, for the page; {} when it does."""
    if not event.is_open_for_registration():
        return {"closed": True}
    if event.is_invitation_only:
        return {"invitation_only": True}
    return {}


def _form(data, event, types, questions) -> RegistrationForm:
    return RegistrationForm(
        data,
        event=event,
        types=types,
        questions=questions,
        sessions=places.seat_sessions(event),
    )


def _registered(request, event, form) -> Registration | None:
    """The registration the valid `form` asks for, or None (errors on the form)."""
    if not form.is_valid():
        return None
    registration_type = form.chosen_type()
    try:
        return registering.register_attendee(
            event=event,
            attendee=request.user,
            registration_type=registration_type,
            answers=form.answers(registration_type),
            session_ids=form.session_ids(),
            privacy_accepted=form.cleaned_data.get("privacy", False),
        )
    except RegistrationError as refused:
        form.add_error(None, str(refused))
        return None


def _outcome_message(registration) -> str:
    if registration.status == Registration.Status.CONFIRMED:
        return _("You are registered. Your place is confirmed.")
    if registration.status == Registration.Status.WAITLISTED:
        return _("The event is full: you are number %(position)s on the waitlist.") % {
            "position": places.waitlist_position(registration)
        }
    return _("Thank you. The organisers will review your registration.")


@login_required
@cache_control(private=True, no_store=True)  # it shows the secret feed link
def my_registrations(request):
    registrations = (
        Registration.objects.filter(attendee=request.user)
        .select_related("event", "registration_type")
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=SessionSeat.objects.live().select_related("session__room"),
            )
        )
        .order_by("-event__starts_at")
    )
    rows = [(r, places.waitlist_position(r)) for r in registrations]
    return render(
        request,
        "registrations/registration_list.html",
        {"rows": rows, "links": personal_subscribe_links(request.user)},
    )
