"""The draft's difference from the published schedule, with the people each
moved session affects (seat holders, bookmarkers, speakers), put together from
the events and registrations selectors."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from events import services as schedule
from events.models import Event, Room, ScheduleDraft, Session
from registrations.selectors.schedule_people import (
    bookmarks_by_session,
    seats_taken_by_session,
)


@dataclass(frozen=True)
class DiffRow:
    session: Session
    old_start: datetime
    old_end: datetime
    old_room: Room | None
    new_start: datetime
    new_end: datetime
    new_room: Room | None
    stale: bool
    seat_holders: int
    bookmarkers: int
    speakers: int


def draft_diff(event: Event, draft: ScheduleDraft) -> list[DiffRow]:
    rows = schedule.draft_rows(draft)
    ids = [r.session.pk for r in rows]
    seats, marks = seats_taken_by_session(ids), bookmarks_by_session(ids)
    speakers = dict(
        Session.objects.filter(pk__in=ids)
        .annotate(n=Count("speakers"))
        .values_list("pk", "n")
    )
    return [
        DiffRow(
            session=r.session,
            old_start=r.session.starts_at,
            old_end=r.session.ends_at,
            old_room=r.session.room,
            new_start=r.move.starts_at,
            new_end=r.move.ends_at,
            new_room=r.move.room,
            stale=r.stale,
            seat_holders=seats.get(r.session.pk, 0),
            bookmarkers=marks.get(r.session.pk, 0),
            speakers=speakers.get(r.session.pk, 0),
        )
        for r in rows
    ]
