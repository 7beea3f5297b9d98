"""The people behind sessions, for the timetable editor's warnings and diffs:
seats taken per session, bookmarkers, and seat holders who would be double-booked
by a move. Counts only; the editor never needs names."""

from datetime import datetime

from django.db.models import Count, Q

from events.models import Session

from ..models import Bookmark, Registration, SessionSeat


def _held_seats():
    return SessionSeat.objects.filter(
        status__in=SessionSeat.PLACE_HOLDING_STATUSES,
        registration__status=Registration.Status.CONFIRMED,
    )


def seats_taken_by_session(session_ids: list[int]) -> dict[int, int]:
    """session id -> seats held; one query for a whole day."""
    rows = (
        _held_seats()
        .filter(session_id__in=session_ids)
        .values("session_id")
        .annotate(n=Count("pk"))
    )
    return {row["session_id"]: row["n"] for row in rows}


def bookmarks_by_session(session_ids: list[int]) -> dict[int, int]:
    rows = (
        Bookmark.objects.filter(session_id__in=session_ids)
        .values("session_id")
        .annotate(n=Count("pk"))
    )
    return {row["session_id"]: row["n"] for row in rows}


def seat_holders_elsewhere(
    session: Session, starts_at: datetime, ends_at: datetime
) -> int:
    """How many of the session's seat holders hold a seat in another live session
    of the event that overlaps the new time."""
    holders = _held_seats().filter(session=session).values("registration__attendee_id")
    clashing = (
        _held_seats()
        .filter(
            registration__attendee_id__in=holders,
            session__event_id=session.event_id,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__lt=ends_at,
            session__ends_at__gt=starts_at,
        )
        .exclude(session_id=session.pk)
        .exclude(Q(registration__attendee_id__isnull=True))
    )
    return clashing.values("registration__attendee_id").distinct().count()
