"""The "who is told" panel: changes attendees have not been told of yet, and how
many people a digest would reach for each (seat holders and bookmarkers)."""

from dataclasses import dataclass

from events.models import Event, ScheduleChange
from notifications.services.digests import SESSION_KINDS
from registrations.selectors.schedule_people import (
    bookmarks_by_session,
    seats_taken_by_session,
)

SHOWN = 50


@dataclass(frozen=True)
class UntoldRow:
    change: ScheduleChange
    seat_holders: int
    bookmarkers: int


def untold_rows(event: Event) -> list[UntoldRow]:
    changes = list(
        ScheduleChange.objects.filter(
            event=event,
            composed_at__isnull=True,
            session__isnull=False,
            kind__in=SESSION_KINDS,
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")[:SHOWN]
    )
    ids = [c.session_id for c in changes]
    seats, marks = seats_taken_by_session(ids), bookmarks_by_session(ids)
    return [
        UntoldRow(c, seats.get(c.session_id, 0), marks.get(c.session_id, 0))
        for c in changes
    ]
