"""The timetable of one day as HTML, built in Python.

The schedule page shows up to thousands of cards; Django's template engine needs
~0.6 ms a card, plain string building a few microseconds. Every value from the
database goes through `escape`. Labels and the URL prefix are computed once per
page, not per card.

Layout: a CSS grid with the day's rooms as columns and five-minute rows. Each
item carries classes from static/css/timetable.css (no style attributes): `r-N`
the grid row it starts on, `s-N` how many rows it spans, `c-N` its column, and
`c-all` for sessions meant for everyone (no room, plenaries, breaks). On a phone
the same markup reads as an agenda: times as headings, the room on each card.

The output is shared by everyone (it is cached per schedule version, filters
and language): what differs per person or per minute is left as markers that
events/timetable_marks.py fills in on every request.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Session
from .times import clock_of, local_time, show_time

ROW = timedelta(minutes=5)
MAX_ROWS = 288  # a whole day of five-minute rows
MAX_COLUMNS = 40  # more rooms than this read as an agenda on every screen
HEADER_ROWS = 1
FOR_EVERYONE = frozenset({Session.Kind.PLENARY, Session.Kind.BREAK})
UUID_MARKER = "00000000-0000-0000-0000-000000000000"


def marker(kind: str, uuid) -> str:
    """A placeholder the per-request pass replaces. It starts with "<", which
    `escape` never lets through from user text, so no title can forge one."""
    return f"<!--tt:{kind}:{uuid}-->"


def slot_id(moment: datetime) -> str:
    """The anchor of a start time's heading, e.g. "t-0930"."""
    return "t-" + moment.strftime("%H%M")


@dataclass(frozen=True)
class DayGrid:
    html: SafeString
    rooms: list[str]
    slots: list[str]  # the slot anchors in time order, for the "Now" link


def spans_columns(row) -> bool:
    return row.room_id is None or row.kind in FOR_EVERYONE


def build_day(event, rows) -> DayGrid:
    """The grid of one day's sessions (`rows` from selectors.timetable_rows,
    in start order)."""
    if not rows:
        return DayGrid(mark_safe(""), [], [])  # noqa: S308 - nothing to escape
    rooms = sorted(
        {(row.room_name, row.room_id) for row in rows if not spans_columns(row)}
    )
    column = {room_id: n for n, (_name, room_id) in enumerate(rooms, start=2)}
    local: dict[datetime, datetime] = {}  # a day has few distinct times
    starts = [
        local.get(row.starts_at)
        or local.setdefault(row.starts_at, local_time(row.starts_at, event))
        for row in rows
    ]
    first = min(starts)
    origin = first.replace(minute=first.minute // 5 * 5, second=0, microsecond=0)
    card = card_builder(event)
    parts = [
        f'<div class="tt-room c-{column[room_id]}" aria-hidden="true">'
        f"{escape(name)}</div>"
        for name, room_id in rooms
    ]
    slots = []
    previous = None
    for row, start in zip(rows, starts, strict=True):
        first_row = HEADER_ROWS + 1 + int((start - origin) / ROW)
        first_row = min(first_row, HEADER_ROWS + MAX_ROWS)
        if start != previous:
            anchor = slot_id(start)
            slots.append(anchor)
            parts.append(
                f'<h3 class="tt-time r-{first_row}" id="{anchor}">'
                f'<time datetime="{start.isoformat()}">{clock_of(start)}</time></h3>'
            )
            previous = start
        length = -(-(row.ends_at - row.starts_at) // ROW)  # rounded up
        length = max(1, min(length, HEADER_ROWS + MAX_ROWS + 1 - first_row))
        place = "c-all" if spans_columns(row) else f"c-{column[row.room_id]}"
        parts.append(card(row, f"r-{first_row} s-{length} {place}"))
    width = len(rooms) if len(rooms) <= MAX_COLUMNS else "many"
    html = f'<div class="tt-grid cols-{width}">{"".join(parts)}</div>'
    return DayGrid(mark_safe(html), [name for name, _id in rooms], slots)  # noqa: S308


def track_stripe(colour: str) -> str:
    """The coloured edge of a session card, drawn by the stylesheet's .track-stripe."""
    return (
        '<svg class="track-stripe" aria-hidden="true" focusable="false"'
        ' viewBox="0 0 1 1" preserveAspectRatio="none">'
        f'<rect width="1" height="1" fill="{escape(colour)}"/></svg>'
    )


def card_builder(event):
    """A function (row, placement classes) -> SafeString for this event."""
    url_pattern = reverse(
        "events:session", kwargs={"slug": event.slug, "session_uuid": UUID_MARKER}
    )
    kinds = {value: escape(str(label)) for value, label in Session.Kind.choices}
    cancelled_tag = f'<span class="tag tag-cancelled">{escape(_("Cancelled"))}</span> '
    signup_tag = f' <span class="tag">{escape(_("Sign-up"))}</span>'
    stripes: dict[str, str] = {}

    def stripe(colour: str) -> str:
        shown = stripes.get(colour)
        if shown is None:
            shown = stripes[colour] = track_stripe(colour)
        return shown

    clock: dict[datetime, str] = {}  # thousands of cards, a few dozen times
    # Rooms, tracks and speakers repeat from card to card: escaped once each.
    escaped: dict[str, str] = {}

    def time_of(moment: datetime) -> str:
        shown = clock.get(moment)
        if shown is None:
            shown = clock[moment] = show_time(moment, event)
        return shown

    def text(value: str) -> str:
        shown = escaped.get(value)
        if shown is None:
            shown = escaped[value] = escape(value)
        return shown

    def card(row, placement: str) -> SafeString:
        """`row` is one of selectors.timetable_rows()."""
        cancelled = row.status == Session.Status.CANCELLED
        uuid = str(row.uuid)
        parts = [
            f'<article class="session-card {placement}',
            " session-cancelled" if cancelled else "",
            marker("c", uuid),
            f'" data-session="{uuid}" aria-labelledby="h-{uuid}">',
            stripe(row.track_colour) if row.track_name else "",
            f'<h4 id="h-{uuid}"><a href="',
            url_pattern.replace(UUID_MARKER, uuid),
            '">',
            escape(row.title),
            '</a></h4><p class="meta">',
            time_of(row.starts_at),
            "–",
            time_of(row.ends_at),
            f" · {text(row.room_name)}" if row.room_name else "",
            "</p><p>",
            cancelled_tag if cancelled else "",
            f'<span class="tag">{kinds.get(row.kind, "")}</span>',
            f' <span class="tag">{text(row.track_name)}</span>'
            if row.track_name
            else "",
            signup_tag if row.signup_required else "",
            "</p>",
        ]
        if row.speakers:
            parts.append(f'<p class="meta">{", ".join(map(text, row.speakers))}</p>')
        parts.append('<div class="card-actions">')
        if row.signup_required and not cancelled:
            parts.append(marker("n", uuid))
        parts.append(marker("m", uuid))
        parts.append(marker("s", uuid))
        parts.append("</div></article>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above

    return card
