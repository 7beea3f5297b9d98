"""The timetable editor's day: rooms as columns, five-minute rows, one block per
session sized by its length, built as HTML in Python (a day may hold hundreds of
blocks; the template engine would take most of the time budget).

A fixed number of queries per day whatever its size: the rooms, the day's
sessions with tracks and speakers, seats taken, and the event's conflicts.
Every value from the database goes through `escape`. Placement is by classes
from static/css/schedule-editor.css (`r-N` start row, `s-N` rows spanned, `c-N`
column): the strict CSP allows no style attributes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html import escape

from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from events.conflicts import find_conflicts
from events.models import DraftMove, Event, Room, ScheduleDraft, Session
from events.selectors import event_rooms
from events.times import clock_of, local_time
from registrations.selectors.schedule_people import seats_taken_by_session

ROW_MINUTES = 5
SNAPS = (5, 10, 15)
HEADER_ROWS = 1


@dataclass
class DayView:
    day: date
    days: list[date]
    rooms: list[Room]
    grid: SafeString
    first: datetime  # the time of the first row
    rows: int
    conflicts: list[str] = field(default_factory=list)
    tray: list[Session] = field(default_factory=list)
    # (row, the clock shown, HH:MM for the new-session link)
    hours: list[tuple[int, str, str]] = field(default_factory=list)


def day_bounds(event: Event, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=event.tzinfo)
    return start, start + timedelta(days=1)


def _window(event, day, sessions) -> tuple[datetime, int]:
    """The first row's time (a whole hour) and how many rows the day needs."""
    start, end = day_bounds(event, day)
    first = start.replace(hour=8)
    last = start.replace(hour=18)
    for s in sessions:
        first = min(first, local_time(s.starts_at, event).replace(minute=0))
        last = max(last, local_time(s.ends_at, event))
    first, last = max(first, start), min(last, end)
    rows = -(-int((last - first).total_seconds()) // (ROW_MINUTES * 60))
    return first, max(rows, 1)


def _overlay(sessions: list[Session], moves: list[DraftMove]) -> None:
    """Put sessions where the open draft puts them (marked `in_draft`)."""
    by_session = {m.session_id: m for m in moves}
    for s in sessions:
        move = by_session.get(s.pk)
        s.in_draft = move is not None
        if move:
            s.starts_at, s.ends_at = move.starts_at, move.ends_at
            s.room_id = move.room_id


def _on(item, start: datetime, end: datetime) -> bool:
    return item.starts_at < end and item.ends_at > start


def speaker_names(session_ids: list[int]) -> dict[int, dict[int, str]]:
    """session id -> {speaker id: name}, in one query without model instances."""
    names: dict[int, dict[int, str]] = {pk: {} for pk in session_ids}
    rows = (
        Session.speakers.through.objects.filter(session_id__in=session_ids)
        .order_by("speaker__name")
        .values_list("session_id", "speaker_id", "speaker__name")
    )
    for session_id, speaker_id, name in rows:
        names[session_id][speaker_id] = name
    return names


def build_day(
    event: Event, day: date, *, draft: ScheduleDraft | None = None
) -> DayView:
    start, end = day_bounds(event, day)
    rooms = list(event_rooms(event).order_by("venue__name", "name"))
    moves = list(DraftMove.objects.filter(draft=draft)) if draft else []
    wanted = Q(starts_at__lt=end, ends_at__gt=start)
    wanted |= Q(
        pk__in=[m.session_id for m in moves if m.starts_at < end and m.ends_at > start]
    )
    sessions = list(
        Session.objects.filter(wanted, event=event, in_tray=False)
        .select_related("track")
        .defer("abstract")
        .order_by("starts_at", "pk")
    )
    by_pk = {room.pk: room for room in rooms}
    for s in sessions:  # the rooms and the event are loaded once, not per row
        s.event = event
        if s.room_id:
            s.room = by_pk[s.room_id]
    speakers = speaker_names([s.pk for s in sessions])
    published = [
        s
        for s in sessions
        if s.status == Session.Status.SCHEDULED and _on(s, start, end)
    ]
    conflicts = [
        c.message for c in find_conflicts(event, sessions=published, speakers=speakers)
    ]
    _overlay(sessions, moves)
    sessions = [s for s in sessions if _on(s, start, end)]
    first, rows = _window(event, day, sessions)
    seats = seats_taken_by_session([s.pk for s in sessions])
    columns = {room.pk: i + 2 for i, room in enumerate(rooms)}
    no_room = len(rooms) + 2
    labels = _Labels(event)
    parts = [
        _block(event, s, first, rows, columns.get(s.room_id, no_room),
               seats.get(s.pk, 0), labels, speakers[s.pk])
        for s in sessions
    ]  # fmt: skip
    hours = [
        (HEADER_ROWS + 1 + i * 12, clock_of(moment), moment.strftime("%H:%M"))
        for i in range(-(-rows // 12))
        for moment in [first + timedelta(hours=i)]
    ]
    return DayView(
        day=day,
        days=event.local_days(),
        rooms=rooms,
        grid=mark_safe("".join(parts)),  # noqa: S308 - every value escaped above
        first=first,
        rows=rows,
        conflicts=conflicts,
        tray=list(
            Session.objects.filter(event=event, in_tray=True)
            .defer("abstract")
            .order_by("title")[:200]
        ),
        hours=hours,
    )


class _Labels:
    """What every block shows the same: computed once a page, not once a block."""

    def __init__(self, event: Event):
        self.kinds = {
            value: escape(str(label)) for value, label in Session.Kind.choices
        }
        self.seats = escape(_("Seats taken"))
        self.url = reverse("organise:schedule_session", args=[event.slug, 0])
        self.url = self.url.replace("/0/", "/{}/")


def _block(event, s: Session, first, rows, column, taken, labels, names) -> str:
    start, end = local_time(s.starts_at, event), local_time(s.ends_at, event)
    row = max(int((start - first).total_seconds() // 60) // ROW_MINUTES, 0)
    span = max(-(-int((end - start).total_seconds() // 60) // ROW_MINUTES), 1)
    span = min(span, rows - row)
    url = labels.url.format(s.pk)
    speakers = ", ".join(names.values())
    seats = f"{taken}/{s.capacity}" if s.capacity else str(taken)
    classes = f"ed-block r-{row + HEADER_ROWS + 1} s-{max(span, 1)} c-{column}"
    if s.is_cancelled:
        classes += " is-cancelled"
    if getattr(s, "in_draft", False):
        classes += " in-draft"
    track = (
        f'<span class="ed-track">{escape(s.track.name)}</span>' if s.track_id else ""
    )
    return (
        f'<a class="{classes}" href="{url}" id="block-{s.pk}" data-id="{s.pk}" '
        f'data-edit="{s.edit_count}" data-start="{start.isoformat()}" '
        f'data-end="{end.isoformat()}" data-room="{s.room_id or ""}" '
        'aria-describedby="ed-keys">'
        f'<span class="ed-time">{clock_of(start)}–{clock_of(end)}</span> '
        f'<strong class="ed-title">{escape(s.title)}</strong> '
        f'<span class="ed-kind">{labels.kinds.get(s.kind, "")}</span>{track}'
        f'<span class="ed-speakers">{escape(speakers)}</span>'
        f'<span class="ed-seats">{labels.seats}: {seats}</span>'
        '<span class="ed-resize" aria-hidden="true"></span></a>'
    )
