"""Attendee pages: register, seats and bookmarks, my registrations, manage by link.

Thin: each view authenticates, parses with a form, calls one service, and turns
RegistrationError into a message. The manage link's token is a bearer secret.
"""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

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


def _published_event(slug, *prefetch) -> Event:
    return get_object_or_404(
        Event.objects.published().prefetch_related(*prefetch), slug=slug
    )


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
        return redirect(existing)
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
            return redirect(registration)
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
    return render(request, "registrations/registration_list.html", {"rows": rows})


def _by_token(token) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event", "attendee", "registration_type"),
        manage_token=token,
    )


MANAGE_ACTIONS = {
    "cancel",
    "answers",
    "sessions",
    "regenerate",
    "leave",
    "accept",
    "decline",
}


def manage(request, token):
    """One registration, from an email link, with no sign-in needed."""
    registration = _by_token(token)
    event = registration.event
    questions = questions_of(event)
    chosen = [s.session_id for s in registration.seats.live()]
    answers_form = AnswersForm(
        request.POST if request.POST.get("action") == "answers" else None,
        registration=registration,
        questions=questions,
    )
    sessions_form = SessionChoiceForm(
        request.POST if request.POST.get("action") == "sessions" else None,
        event=event,
        sessions=_seat_sessions(event),
        chosen=chosen,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in MANAGE_ACTIONS:
            raise Http404("unknown action")
        try:
            redirect_to = _manage_action(
                request, registration, action, answers_form, sessions_form
            )
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
        "answers_form": answers_form,
        "sessions_form": sessions_form,
        "qr_svg": segno.make(registration.checkin_code, error="m").svg_inline(scale=5),
        "can_change": changes.changes_allowed(event),
        "confirm_cancel": request.GET.get("confirm") == "cancel",
    }
    return render(request, "registrations/registration_manage.html", context)


def _manage_action(request, registration, action, answers_form, sessions_form):
    """Run one POSTed action; returns where to go next, or None to re-show errors."""
    here = reverse("registrations:manage", kwargs={"token": registration.manage_token})
    if action == "cancel":
        registering.cancel_registration(
            registration=registration, actor=registration.attendee
        )
        messages.success(request, _("Your registration is cancelled."))
        return here
    if action == "answers":
        if not answers_form.is_valid():
            return None
        answers.update_answers(
            registration=registration,
            answers=answers_form.answers(registration.registration_type),
            actor=registration.attendee,
        )
        messages.success(request, _("Your answers are saved."))
        return here
    if action == "sessions":
        if not sessions_form.is_valid():
            return None
        seats.set_sessions(
            registration=registration,
            session_ids=[s.pk for s in sessions_form.cleaned_data["sessions"]],
            actor=registration.attendee,
        )
        messages.success(request, _("Your sessions are updated."))
        return here
    if action == "regenerate":
        registering.regenerate_manage_token(registration=registration)
        messages.success(
            request,
            _("This page has a new address: bookmark it. The old link is gone."),
        )
        return reverse(
            "registrations:manage", kwargs={"token": registration.manage_token}
        )
    if action == "leave":
        waitlists.leave_waitlist(registration=registration, actor=registration.attendee)
        messages.success(request, _("You have left the waitlist."))
        return here
    if action == "accept":
        waitlists.accept_offer(registration=registration, actor=registration.attendee)
        messages.success(request, _("Your place is confirmed."))
        return here
    waitlists.decline_offer(registration=registration, actor=registration.attendee)
    messages.success(request, _("You have declined the offered place."))
    return here
