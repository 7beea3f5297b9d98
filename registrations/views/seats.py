"""Seats and bookmarks: take or leave a seat in a session, star it.

Thin: each view authenticates, calls one service, and turns RegistrationError
into a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Event, Session

from ..models import Bookmark, SessionSeat
from ..selectors import places
from ..selectors.registrations import live_registration
from ..services import RegistrationError, seats


def _session_for(slug, session_uuid) -> Session:
    return get_object_or_404(
        Session.objects.select_related("event", "room").filter(
            event__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED]
        ),
        event__slug=slug,
        uuid=session_uuid,
    )


@login_required
def session_seat(request, slug, session_uuid):
    """GET: the person's seat and bookmark for a session. POST: change them."""
    session = _session_for(slug, session_uuid)
    registration = live_registration(session.event, request.user)
    if request.method == "POST":
        return _change_seat(request, session, registration)
    return _seat_page(request, session, registration)


def _seat_page(request, session, registration, *, error=None, status=200):
    seat = (
        registration.seats.live().filter(session=session).first()
        if registration
        else None
    )
    context = {
        "session": session,
        "event": session.event,
        "registration": registration,
        "seat": seat,
        "position": places.session_waitlist_position(seat) if seat else None,
        "seats_left": places.seats_left(session) if session.signup_required else None,
        "bookmarked": Bookmark.objects.filter(
            user=request.user, session=session
        ).exists(),
        "error": error,
    }
    return render(request, "registrations/session_seat.html", context, status=status)


def _change_seat(request, session, registration):
    handler = SEAT_ACTIONS.get(request.POST.get("action"))
    if handler is None:
        error = _("Unknown action.")
        return _seat_page(request, session, registration, error=error, status=400)
    try:
        if not registration:
            raise RegistrationError(_("Register for the event first."))
        handler(request, registration, session)
    except RegistrationError as refused:
        messages.error(request, str(refused))
    return redirect(
        "registrations:seat", slug=session.event.slug, session_uuid=session.uuid
    )


def _take_seat(request, registration, session):
    seat = seats.take_seat(registration=registration, session=session)
    messages.success(request, _seat_message(seat))


def _leave_seat(request, registration, session):
    seats.leave_seat(registration=registration, session=session)
    messages.success(
        request, _("You have left “%(title)s”.") % {"title": session.title}
    )


SEAT_ACTIONS = {"take": _take_seat, "leave": _leave_seat}


def _seat_message(seat) -> str:
    if seat.status == SessionSeat.Status.WAITLISTED:
        return _(
            "The session is full: you are number %(position)s on its waitlist."
        ) % {"position": places.session_waitlist_position(seat)}
    return _("Your seat in “%(title)s” is confirmed.") % {"title": seat.session.title}


@login_required
@require_POST
def bookmark(request, slug, session_uuid):
    session = _session_for(slug, session_uuid)
    try:
        if request.POST.get("action") == "remove":
            seats.remove_bookmark(user=request.user, session=session)
            messages.success(request, _("Bookmark removed."))
        else:
            seats.add_bookmark(user=request.user, session=session)
            messages.success(request, _("Bookmarked: it is in your personal calendar."))
    except RegistrationError as refused:
        messages.error(request, str(refused))
    return redirect("registrations:seat", slug=slug, session_uuid=session_uuid)
