"""A person's own schedule: their events, seats, bookmarks and meetings, day by
day, with the items that overlap flagged. Four queries whatever they hold."""

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from events.models import Event, Session
from events.times import local_time

from ..commitment_ical import meeting_path, meeting_place, meeting_title
from ..models import Bookmark, Commitment, Registration, SessionSeat
from .calendar import personal_meetings

SHOWN_EVENT_STATUSES = (Event.Status.PUBLISHED, Event.Status.CANCELLED)


@dataclass
class ScheduleItem:
    """One line of "My schedule": a session (seat and/or bookmark) or one day
    of an event the person is registered for."""

    kind: str  # "session", "meeting" or "event"
    title: str
    url: str
    event: Event
    starts_at: datetime
    ends_at: datetime
    day: date
    room: str = ""
    seat_status: str = ""  # a live seat's status, "" for none
    starred: bool = False
    cancelled: bool = False
    registration_status: str = ""  # event lines: the registration's status
    day_number: int = 0  # event lines: which of the event's days
    day_count: int = 0
    clashes_with: list[str] = field(default_factory=list)


def my_schedule(*, user, now: datetime) -> list[tuple[date, list[ScheduleItem]]]:
    """[(day, items)] from today on; each day's event lines come first."""
    registrations = (
        Registration.objects.live()
        .filter(attendee=user, event__status__in=SHOWN_EVENT_STATUSES)
        .filter(event__ends_at__gt=now)
        .select_related("event")
    )
    items = [
        item
        for registration in registrations
        for item in _event_days(registration)
        if item.day >= local_time(now, registration.event).date()
    ]
    sessions: dict[int, ScheduleItem] = {}
    seats = (
        SessionSeat.objects.live()
        .exclude(registration__status__in=Registration.DEAD_STATUSES)
        .filter(
            registration__attendee=user,
            session__ends_at__gt=now,
            session__event__status__in=SHOWN_EVENT_STATUSES,
        )
        .select_related("session__event", "session__room")
    )
    for seat in seats:
        item = sessions.setdefault(seat.session_id, _session_item(seat.session))
        item.seat_status = seat.status
    bookmarks = Bookmark.objects.filter(
        user=user,
        session__ends_at__gt=now,
        session__event__status__in=SHOWN_EVENT_STATUSES,
    ).select_related("session__event", "session__room")
    for bookmark in bookmarks:
        item = sessions.setdefault(bookmark.session_id, _session_item(bookmark.session))
        item.starred = True
    meetings = [
        _meeting_item(row)
        for row in personal_meetings(user_id=user.pk, now=now)
        if row.status == Commitment.Status.ACTIVE and row.ends_at > now
    ]
    flag_clashes([*sessions.values(), *meetings])
    items += [*sessions.values(), *meetings]
    items.sort(key=lambda i: (i.day, i.kind != "event", i.starts_at, i.title))
    return [(day, list(group)) for day, group in groupby(items, key=lambda i: i.day)]


def flag_clashes(items: list[ScheduleItem]) -> None:
    """Note on each live session the titles of the others it overlaps."""
    live = sorted(
        (i for i in items if not i.cancelled),
        key=lambda i: i.starts_at,
    )
    for n, item in enumerate(live):
        for other in live[n + 1 :]:
            if other.starts_at >= item.ends_at:
                break
            item.clashes_with.append(other.title)
            other.clashes_with.append(item.title)


def _meeting_item(row: Commitment) -> ScheduleItem:
    return ScheduleItem(
        kind="meeting",
        title=meeting_title(row),
        url=meeting_path(row),
        event=row.event,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        day=local_time(row.starts_at, row.event).date(),
        room=meeting_place(row),
    )


def _session_item(session: Session) -> ScheduleItem:
    # seats and bookmarks are only ever taken in placed sessions
    assert session.starts_at and session.ends_at
    return ScheduleItem(
        kind="session",
        title=session.title,
        url=session.get_absolute_url(),
        event=session.event,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        day=local_time(session.starts_at, session.event).date(),
        room=session.room.name if session.room else "",
        cancelled=session.is_cancelled or session.event.is_cancelled,
    )


def _event_days(registration: Registration) -> list[ScheduleItem]:
    event = registration.event
    days = event.local_days()
    return [
        ScheduleItem(
            kind="event",
            title=event.title,
            url=event.get_absolute_url(),
            event=event,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            day=day,
            cancelled=event.is_cancelled,
            registration_status=registration.get_status_display(),
            day_number=number,
            day_count=len(days),
        )
        for number, day in enumerate(days, start=1)
    ]
