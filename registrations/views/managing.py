"""Managing one registration from its secret link, no sign-in needed.

The page the link opens (where registering lands) shows the registration and
links to a page of its own for each change: answers, sessions, cancelling
(views/cancelling.py). The page takes the actions it always took as POSTs with
an `action`; those that edit answers or sessions answer, when the form has
errors, with their own page.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from ..forms import AnswersForm, SessionChoiceForm
from ..models import Registration
from ..qr import checkin_qr_svg
from ..selectors import places
from ..selectors.landing import (
    EventFacts,
    event_facts,
    live_seats,
    with_event_versions,
)
from ..selectors.questions import questions_of
from ..services import (
    RegistrationError,
    answers,
    changes,
    registering,
    seats,
    waitlists,
)

# Every page here is its secret link and may show health and dietary answers: no
# shared or browser cache may keep a copy.
private = cache_control(private=True, no_store=True)


def _by_token(token) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event", "attendee", "registration_type"),
        manage_token=token,
    )


def _for_page(request, token) -> tuple[Registration, EventFacts]:
    """The registration with its event, type and person, and what the page
    shows of the event (from the cache: selectors.landing)."""
    registration = get_object_or_404(
        with_event_versions(Registration.objects.only(*_PAGE_FIELDS)),
        manage_token=token,
    )
    facts = event_facts(registration)
    registration.event = facts.event
    if registration.registration_type_id in facts.types:
        registration.registration_type = facts.types[registration.registration_type_id]
    user = request.user
    if user.is_authenticated and user.pk == registration.attendee_id:  # read already
        registration.attendee = user
    return registration, facts


# What the page (and the waitlist position) reads of the registration's row.
_PAGE_FIELDS = (
    "status",
    "manage_token",
    "checkin_code",
    "waitlisted_at",
    "offer_expires_at",
    "event",
    "attendee",
    "registration_type",
)


@private
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """One registration: status, check-in code, sessions, links to change them."""
    if request.method == "POST":
        return _act(request, _by_token(token))
    registration, facts = _for_page(request, token)
    event = registration.event
    confirmed = registration.status == Registration.Status.CONFIRMED
    can_change = changes.changes_allowed(event)
    live = registration.is_live
    context = {
        "registration": registration,
        "event": event,
        "position": places.waitlist_position(registration),
        "seats": live_seats(registration, facts) if live else [],
        "qr_svg": checkin_qr_svg(registration.checkin_code) if confirmed else "",
        "can_change": can_change,
        "asks_questions": live and facts.asks_questions,
        "offers_sessions": confirmed and can_change and facts.has_seat_sessions,
    }
    return render(request, "registrations/registration_manage.html", context)


def _act(request, registration):
    action = request.POST.get("action")
    if action in EDITS:
        return EDITS[action](request, registration)
    handler = MANAGE_ACTIONS.get(action)
    if handler is None:
        raise Http404("unknown action")
    try:
        return redirect(handler(request, registration))
    except RegistrationError as refused:
        messages.error(request, str(refused))
        return redirect(registration.manage_path())


@private
@require_http_methods(["GET", "POST"])
def change_answers(request, token):
    return _answers_page(request, _by_token(token))


@private
@require_http_methods(["GET", "POST"])
def change_sessions(request, token):
    return _sessions_page(request, _by_token(token))


def _edit(request, registration, form, save, template):
    """An edit page: show the form; a valid POST saves and goes back."""
    if not registration.is_live:
        return redirect(registration.manage_path())
    if request.method == "POST" and form.is_valid():
        try:
            message = save(form)
        except RegistrationError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, message)
        return redirect(registration.manage_path())
    context = {
        "registration": registration,
        "event": registration.event,
        "form": form,
        "can_change": changes.changes_allowed(registration.event),
    }
    return render(request, template, context)


def _answers_page(request, registration):
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        registration=registration,
        questions=questions_of(registration.event),
    )

    def save(form):
        answers.update_answers(
            registration=registration,
            answers=form.answers(registration.registration_type),
            actor=registration.attendee,
        )
        return _("Your answers are saved.")

    return _edit(request, registration, form, save, "registrations/manage_answers.html")


def _sessions_page(request, registration):
    event = registration.event
    form = SessionChoiceForm(
        request.POST if request.method == "POST" else None,
        event=event,
        sessions=places.seat_sessions(event),
        chosen=[s.session_id for s in registration.seats.live()],
    )

    def save(form):
        seats.set_sessions(
            registration=registration,
            session_ids=[s.pk for s in form.cleaned_data["sessions"]],
            actor=registration.attendee,
        )
        return _("Your sessions are updated.")

    return _edit(
        request, registration, form, save, "registrations/manage_sessions.html"
    )


# The edits the page itself used to hold: their POSTs are still taken here.
EDITS = {"answers": _answers_page, "sessions": _sessions_page}


# Each action runs one service, says what it did, and returns where to go next.


def _done(request, registration, message) -> str:
    messages.success(request, message)
    return registration.manage_path()


def _cancel(request, registration):
    registering.cancel_registration(
        registration=registration, actor=registration.attendee
    )
    return _done(request, registration, _("Your registration is cancelled."))


def _regenerate(request, registration):
    # The new token is in `registration` now: _done sends the person there.
    registering.regenerate_manage_token(registration=registration)
    return _done(
        request,
        registration,
        _("This page has a new address: bookmark it. The old link is gone."),
    )


def _leave_waitlist(request, registration):
    waitlists.leave_waitlist(registration=registration, actor=registration.attendee)
    return _done(request, registration, _("You have left the waitlist."))


def _accept_offer(request, registration):
    waitlists.accept_offer(registration=registration, actor=registration.attendee)
    return _done(request, registration, _("Your place is confirmed."))


def _decline_offer(request, registration):
    waitlists.decline_offer(registration=registration, actor=registration.attendee)
    return _done(request, registration, _("You have declined the offered place."))


MANAGE_ACTIONS = {
    "cancel": _cancel,
    "regenerate": _regenerate,
    "leave": _leave_waitlist,
    "accept": _accept_offer,
    "decline": _decline_offer,
}
