"""Session seats (with their own waitlists) and bookmarks.

Only a confirmed attendee holds seats, in sessions that need sign-up. A seat in
a session overlapping one where the person already holds a seat is refused with
a message naming the clash. Seat rows keep their status when a session is
cancelled, so personal feeds still show it as cancelled.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Event, Session
from events.times import show_day_time

from ..models import Activity, Bookmark, Commitment, Registration, SessionSeat
from ..selectors import places
from . import RegistrationError
from .activity import announce, record_activity
from .commitments import clash, hold, release
from .locks import lock_event_and_registration, lock_seat_line, lock_sessions


def _check_bookable(registration, session) -> None:
    if session.event_id != registration.event_id:
        raise RegistrationError(_("That session belongs to another event."))
    if not session.signup_required:
        raise RegistrationError(
            _("“%(title)s” needs no sign-up.") % {"title": session.title}
        )
    if session.status == Session.Status.CANCELLED:
        raise RegistrationError(
            _("“%(title)s” has been cancelled.") % {"title": session.title}
        )
    if not session.is_placed:
        raise RegistrationError(_("There is no such session in this event."))


def _clash(registration, session, ignore_ids=()) -> SessionSeat | None:
    return (
        registration.seats.filter(
            status__in=SessionSeat.PLACE_HOLDING_STATUSES,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__lt=session.ends_at,
            session__ends_at__gt=session.starts_at,
        )
        .exclude(session=session)
        .exclude(session_id__in=ignore_ids)
        .select_related("session")
        .first()
    )


def commit_seat(seat: SessionSeat) -> None:
    """The person's commitment for a seat that holds a place: in the same
    transaction as the seat, refused (CommitmentClash) over a meeting."""
    session = seat.session
    # a seat is only ever taken in a placed session (_check_bookable)
    assert session.starts_at and session.ends_at
    hold(
        person=seat.registration.attendee,
        event=seat.registration.event,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        kind=Commitment.Kind.SEAT,
        source_uuid=session.uuid,
        sequence=session.sequence,
        message=_("“%(title)s” overlaps a meeting you have at %(time)s.")
        % {
            "title": session.title,
            "time": show_day_time(session.starts_at, seat.registration.event),
        },
    )


def seat_in(
    registration,
    session,
    *,
    actor: User | None = None,
    ignore_ids=(),
    record=True,
    new_registration=False,
) -> tuple:
    """Take or queue for a seat. Caller holds the registration's and session's locks.

    Returns (seat, activity); an existing live seat is returned with no activity.
    A `new_registration`, made in the caller's transaction, holds no seat yet:
    there is none to find or clash with (the caller checked that the sessions
    it books together do not overlap).
    """
    _check_bookable(registration, session)
    existing = (
        not new_registration
        and registration.seats.live().filter(session=session).first()
    )
    if existing:
        return existing, None
    clash = not new_registration and _clash(registration, session, ignore_ids)
    if clash:
        raise RegistrationError(
            _(
                "“%(title)s” overlaps “%(other)s” (%(time)s), where you already "
                "have a seat."
            )
            % {
                "title": session.title,
                "other": clash.session.title,
                "time": show_day_time(clash.session.starts_at, registration.event),
            }
        )
    now = timezone.now()
    if places.seats_left(session) != 0:  # None: no limit
        seat = SessionSeat.objects.create(
            registration=registration,
            session=session,
            status=SessionSeat.Status.CONFIRMED,
        )
        commit_seat(seat)
        verb, details = Activity.Verb.SEAT_TAKEN, {}
    else:
        seat = SessionSeat.objects.create(
            registration=registration,
            session=session,
            status=SessionSeat.Status.WAITLISTED,
            waitlisted_at=now,
        )
        verb = Activity.Verb.SEAT_WAITLISTED
        details = {"position": places.session_waitlist_position(seat)}
    if not record:  # booked with the registration: its own activity lists seats
        return seat, None
    activity = record_activity(
        verb=verb,
        event=registration.event,
        registration=registration,
        session=session,
        actor=actor,
        details=details,
    )
    return seat, activity


def promote_seats(session, *, actor: User | None = None) -> list[Activity]:
    """Fill free seats of `session` from its line. Caller holds the session's lock."""
    if session.status != Session.Status.SCHEDULED:
        return []
    free = places.seats_left(session)  # None: no limit
    if free == 0:
        return []
    activities = []
    for seat in lock_seat_line(session):
        if free is not None and free <= 0:
            break
        if _clash(seat.registration, session) or clash(
            person=seat.registration.attendee,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            ignore_uuid=session.uuid,
        ):
            continue  # took an overlapping seat or meeting meanwhile: keeps their place
        seat.status = SessionSeat.Status.CONFIRMED
        seat.save(update_fields=["status", "updated_at"])
        commit_seat(seat)
        activities.append(
            record_activity(
                verb=Activity.Verb.SEAT_PROMOTED,
                event=seat.registration.event,
                registration=seat.registration,
                session=session,
                actor=actor,
            )
        )
        if free is not None:
            free -= 1
    return activities


def vacate(seat, *, actor: User | None = None, record=True) -> list[Activity]:
    """Give up a seat (or a place in its line) and let the line move up.

    Caller holds the session's lock.
    """
    held = seat.status in SessionSeat.PLACE_HOLDING_STATUSES
    seat.status = SessionSeat.Status.LEFT
    seat.save(update_fields=["status", "updated_at"])
    release(
        kind=Commitment.Kind.SEAT,
        source_uuid=seat.session.uuid,
        person=seat.registration.attendee,
    )
    activities = []
    if record:
        activities.append(
            record_activity(
                verb=Activity.Verb.SEAT_LEFT,
                event=seat.registration.event,
                registration=seat.registration,
                session=seat.session,
                actor=actor,
            )
        )
    if held:
        activities += promote_seats(seat.session)
    return activities


def vacate_all_seats(registration, *, actor: User | None = None) -> list[Activity]:
    """Give up every seat (and place in a line) of a registration that ends.

    Caller holds the event's and the registration's locks; the sessions are
    locked here, by pk. The registration's own fact covers the seats.
    """
    seats = list(registration.seats.live().order_by("session_id"))
    locked = lock_sessions(seat.session_id for seat in seats)
    activities = []
    for seat in seats:
        seat.session = locked[seat.session_id]
        seat.registration = registration
        activities += vacate(seat, actor=actor, record=False)
    return activities


def _lock(registration, sessions):
    _event, registration = lock_event_and_registration(registration)
    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationError(_("Seats are for confirmed registrations only."))
    locked = lock_sessions(s.pk for s in sessions)
    return registration, [locked[pk] for pk in sorted(locked)]


def take_seat(*, registration, session, actor: User | None = None) -> SessionSeat:
    """A seat in `session`, or a place in its line when it is full."""
    try:
        with transaction.atomic():
            registration, (session,) = _lock(registration, [session])
            seat, activity = seat_in(registration, session, actor=actor)
            announce([activity])
    except IntegrityError:
        # A double submit raced us to the same seat: the live one stands.
        seat = registration.seats.live().get(session=session)
    return seat


def leave_seat(*, registration, session, actor: User | None = None) -> None:
    with transaction.atomic():
        registration, (session,) = _lock(registration, [session])
        seat = registration.seats.live().filter(session=session).first()
        if seat is None:
            raise RegistrationError(_("You have no seat in this session."))
        announce(vacate(seat, actor=actor))


def set_sessions(
    *, registration, session_ids, actor: User | None = None
) -> list[SessionSeat]:
    """Make the person's chosen sessions exactly `session_ids`, as one change."""
    wanted = {int(pk) for pk in session_ids}
    sessions = list(
        Session.objects.filter(
            pk__in=wanted, event_id=registration.event_id, starts_at__isnull=False
        )
    )
    if len(sessions) != len(wanted):
        raise RegistrationError(
            _("Some of the chosen sessions do not belong to this event.")
        )
    current = {s.session_id for s in registration.seats.live()}
    touched = [s for s in sessions if s.pk not in current]
    touched += list(Session.objects.filter(pk__in=current - wanted))
    with transaction.atomic():
        registration, locked = _lock(registration, touched)
        by_id = {s.pk: s for s in locked}
        activities = []
        for seat in registration.seats.live().filter(session_id__in=current - wanted):
            seat.session = by_id[seat.session_id]
            activities += vacate(seat, actor=actor)
        new = sorted((by_id[pk] for pk in wanted - current), key=lambda s: s.starts_at)
        _refuse_overlaps(new)
        for session in new:
            _seat, activity = seat_in(registration, session, actor=actor)
            activities.append(activity)
        announce(activities)
    return list(registration.seats.live().select_related("session"))


def _refuse_overlaps(sessions) -> None:
    for a, b in zip(sessions, sessions[1:], strict=False):
        if a.overlaps(b):
            raise RegistrationError(
                _("“%(a)s” and “%(b)s” overlap: choose one of them.")
                % {"a": a.title, "b": b.title}
            )


def add_bookmark(*, user, session) -> Bookmark:
    """Bookmark any session of a published event (idempotent)."""
    if session.event.status == Event.Status.DRAFT:
        raise RegistrationError(_("This event is not published."))
    if not session.is_placed:
        raise RegistrationError(_("There is no such session in this event."))
    bookmark, _created = Bookmark.objects.get_or_create(user=user, session=session)
    return bookmark


def remove_bookmark(*, user, session) -> None:
    Bookmark.objects.filter(user=user, session=session).delete()
