"""What a person's own calendar feed holds (reads only)."""

from datetime import datetime

from django.db.models import Q

from events.caching import EventRow, SessionRow
from events.models import Event, Session

from ..models import Bookmark, Commitment, Registration, SessionSeat

SHOWN_EVENT_STATUSES = (Event.Status.PUBLISHED, Event.Status.CANCELLED)


def personal_items(
    *, user_id: int, now: datetime
) -> tuple[list[EventRow], list[SessionRow]]:
    """(event rows, session rows) of the person's feed.

    Events they are confirmed for; sessions they hold a confirmed seat in or have
    bookmarked. Cancelled sessions and events stay (STATUS:CANCELLED) until their
    event has ended. Two queries.
    """
    events = Event.objects.filter(
        status__in=SHOWN_EVENT_STATUSES,
        pk__in=Registration.objects.filter(
            attendee_id=user_id, status=Registration.Status.CONFIRMED
        ).values("event_id"),
    ).order_by("starts_at", "pk")
    seats = SessionSeat.objects.filter(
        registration__attendee_id=user_id,
        registration__status=Registration.Status.CONFIRMED,
        status=SessionSeat.Status.CONFIRMED,
    ).values("session_id")
    bookmarks = Bookmark.objects.filter(user_id=user_id).values("session_id")
    sessions = Session.objects.filter(
        Q(pk__in=seats) | Q(pk__in=bookmarks),
        event__status__in=SHOWN_EVENT_STATUSES,
        starts_at__isnull=False,
    ).order_by("starts_at", "pk")
    event_rows = [row for row in EventRow.read(events) if not row.is_dropped(now)]
    session_rows = [row for row in SessionRow.read(sessions) if not row.is_dropped(now)]
    return event_rows, session_rows


def personal_meetings(*, user_id: int, now: datetime) -> list[Commitment]:
    """The person's meetings (commitments of kind meeting, and network meetings
    they will come to), for their feed and schedule: cancelled ones stay until
    their event has ended. One query."""
    return list(
        Commitment.objects.filter(
            person_id=user_id,
            kind__in=(Commitment.Kind.MEETING, Commitment.Kind.NETWORK),
            event__status__in=SHOWN_EVENT_STATUSES,
        )
        .exclude(status=Commitment.Status.CANCELLED, event__ends_at__lte=now)
        .select_related("event")
        .order_by("starts_at", "pk")
    )
