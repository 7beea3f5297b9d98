"""Attendee pages: register, my registrations, and manage one registration by link.

Thin: each view authenticates, parses with a form, calls one service, and turns
RegistrationError into a message. The manage link's token is a bearer secret.
"""

from typing import NamedTuple

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from events.languages import use_event
from events.models import Event, Session

from ..forms import AnswersForm, RegistrationForm, SessionChoiceForm
from ..models import Registration, SessionSeat
from ..selectors import places
from ..selectors.questions import questions_of
from ..selectors.registrations import live_registration
from ..services import (
    RegistrationError,
    answers,
    changes,
    registering,
    seats,
    waitlists,
)
from .my_schedule import personal_subscribe_links


def _published_event(slug, *prefetch) -> Event:
    event = get_object_or_404(
        Event.objects.published().prefetch_related(*prefetch), slug=slug
    )
    use_event(event)  # its texts fall back through its languages
    return event


def _seat_sessions(event):
    """Sessions with limited seats, as a lazy queryset: a POST that chooses none
    never runs it (the registration path is the busiest one)."""
    return (
        event.sessions.filter(signup_required=True, status=Session.Status.SCHEDULED)
        .select_related("room")
        .order_by("starts_at", "title")
    )


def _open_types(event):
    # From the event's prefetched types: the service reads the same list.
    return [
        t
        for t in event.registration_types.all()
        if not t.invitation_only and t.is_on_sale()
    ]


@login_required
def register(request, slug):
    event = _published_event(slug, "registration_types")
    # On POST the service answers a repeat with the live registration (idempotent).
    existing = request.method == "GET" and live_registration(event, request.user)
    if existing:
        messages.info(request, _("You are already registered for this event."))
        return redirect(existing.manage_path())
    context = {"event": event}
    if not event.is_open_for_registration():
        context["closed"] = True
        return render(request, "registrations/register.html", context)
    if event.is_invitation_only:
        context["invitation_only"] = True
        return render(request, "registrations/register.html", context)
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        event=event,
        types=_open_types(event),
        questions=questions_of(event),
        sessions=_seat_sessions(event),
    )
    if request.method == "POST" and form.is_valid():
        registration_type = form.chosen_type()
        try:
            registration = registering.register_attendee(
                event=event,
                attendee=request.user,
                registration_type=registration_type,
                answers=form.answers(registration_type),
                session_ids=form.session_ids(),
                privacy_accepted=form.cleaned_data.get("privacy", False),
            )
        except RegistrationError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _outcome_message(registration))
            return redirect(registration.manage_path())
    context["form"] = form
    return render(request, "registrations/register.html", context)


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


def _by_token(token) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event", "attendee", "registration_type"),
        manage_token=token,
    )


class ManageForms(NamedTuple):
    """The manage page's two forms, bound only for the action that posted them."""

    answers: AnswersForm
    sessions: SessionChoiceForm


# The page is its secret link and shows health and dietary answers: no shared or
# browser cache may keep a copy.
@cache_control(private=True, no_store=True)
def manage(request, token):
    """One registration, from an email link, with no sign-in needed."""
    registration = _by_token(token)
    event = registration.event  # read before refresh_from_db() forgets it
    forms = _manage_forms(request, registration)
    if request.method == "POST":
        handler = MANAGE_ACTIONS.get(request.POST.get("action"))
        if handler is None:
            raise Http404("unknown action")
        try:
            redirect_to = handler(request, registration, forms)
        except RegistrationError as refused:
            messages.error(request, str(refused))
            redirect_to = reverse("registrations:manage", kwargs={"token": token})
        if redirect_to:
            return redirect(redirect_to)
    registration.refresh_from_db()
    context = {
        "registration": registration,
        "event": event,
        "position": places.waitlist_position(registration),
        "seats": registration.seats.live().select_related("session__room"),
        "answers": registration.answers.select_related("question"),
        "answers_form": forms.answers,
        "sessions_form": forms.sessions,
        "qr_svg": segno.make(registration.checkin_code, error="m").svg_inline(scale=5),
        "can_change": changes.changes_allowed(event),
    }
    return render(request, "registrations/registration_manage.html", context)


def _manage_forms(request, registration) -> ManageForms:
    event = registration.event
    action = request.POST.get("action")
    questions = questions_of(event)
    chosen = [s.session_id for s in registration.seats.live()]
    return ManageForms(
        answers=AnswersForm(
            request.POST if action == "answers" else None,
            registration=registration,
            questions=questions,
        ),
        sessions=SessionChoiceForm(
            request.POST if action == "sessions" else None,
            event=event,
            sessions=_seat_sessions(event),
            chosen=chosen,
        ),
    )


# Each manage action runs one service and returns where to go next, or None to
# show the page again with the form's errors.


def _done(request, registration, message) -> str:
    messages.success(request, message)
    return registration.manage_path()


def _cancel(request, registration, forms):
    registering.cancel_registration(
        registration=registration, actor=registration.attendee
    )
    return _done(request, registration, _("Your registration is cancelled."))


def _save_answers(request, registration, forms):
    if not forms.answers.is_valid():
        return None
    answers.update_answers(
        registration=registration,
        answers=forms.answers.answers(registration.registration_type),
        actor=registration.attendee,
    )
    return _done(request, registration, _("Your answers are saved."))


def _choose_sessions(request, registration, forms):
    if not forms.sessions.is_valid():
        return None
    seats.set_sessions(
        registration=registration,
        session_ids=[s.pk for s in forms.sessions.cleaned_data["sessions"]],
        actor=registration.attendee,
    )
    return _done(request, registration, _("Your sessions are updated."))


def _regenerate(request, registration, forms):
    # The new token is in `registration` now: _done sends the person there.
    registering.regenerate_manage_token(registration=registration)
    return _done(
        request,
        registration,
        _("This page has a new address: bookmark it. The old link is gone."),
    )


def _leave_waitlist(request, registration, forms):
    waitlists.leave_waitlist(registration=registration, actor=registration.attendee)
    return _done(request, registration, _("You have left the waitlist."))


def _accept_offer(request, registration, forms):
    waitlists.accept_offer(registration=registration, actor=registration.attendee)
    return _done(request, registration, _("Your place is confirmed."))


def _decline_offer(request, registration, forms):
    waitlists.decline_offer(registration=registration, actor=registration.attendee)
    return _done(request, registration, _("You have declined the offered place."))


MANAGE_ACTIONS = {
    "cancel": _cancel,
    "answers": _save_answers,
    "sessions": _choose_sessions,
    "regenerate": _regenerate,
    "leave": _leave_waitlist,
    "accept": _accept_offer,
    "decline": _decline_offer,
}
