"""Seats and bookmarks: take or leave a seat in a session, star it.

Thin: each view authenticates, calls one service, and turns RegistrationError
into a message.
"""

import re
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Event, Session
from events.timetable_marks import Stars

from ..models import Bookmark, SessionSeat
from ..selectors import places
from ..selectors.registrations import live_registration
from ..services import RegistrationError, seats

_SAFE_ID = re.compile(r"[a-z][a-z0-9-]{0,60}")


def _session_for(slug, session_uuid) -> Session:
    return get_object_or_404(
        Session.objects.select_related("event", "room").filter(
            event__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
            starts_at__isnull=False,  # never placed: not public
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
    """Star or unstar a session. From htmx (HX-Request) the answer is the new
    star button alone; otherwise back to `next` (this site's only), else to the
    session's seat page."""
    session = _session_for(slug, session_uuid)
    from_htmx = request.headers.get("HX-Request") == "true"
    removing = request.POST.get("action") == "remove"
    error = None
    try:
        if removing:
            seats.remove_bookmark(user=request.user, session=session)
        else:
            seats.add_bookmark(user=request.user, session=session)
    except RegistrationError as refused:
        error = str(refused)
    if from_htmx:
        return _star_fragment(request, session, error)
    if error:
        messages.error(request, error)
    elif removing:
        messages.success(request, _("Bookmark removed."))
    else:
        messages.success(request, _("Bookmarked: it is in your personal calendar."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("registrations:seat", slug=slug, session_uuid=session_uuid)


def _star_fragment(request, session, error) -> HttpResponse:
    starred = Bookmark.objects.filter(user=request.user, session=session).exists()
    stars = Stars(
        event=session.event,
        csrf_token=get_token(request),
        next_url=request.POST.get("next", ""),
        signed_in=True,
    )
    # The same button the page had, so it keeps pointing at the same heading.
    described_by = request.POST.get("described_by", "")
    html = stars.html(
        str(session.uuid),
        starred,
        described_by=described_by if _SAFE_ID.fullmatch(described_by) else "",
    )
    if error:
        alert = f'<span class="form-error" role="alert">{escape(error)}</span>'
        html = html.replace("</form>", alert + "</form>")
    return HttpResponse(html, status=200)
