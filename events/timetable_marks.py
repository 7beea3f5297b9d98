"""What the shared, cached timetable leaves open: filled in on every request.

events/timetable.py writes markers where a card shows something per person or
per minute: its classes (`c`), seats left (`n`), the person's seat (`m`) and
the bookmark star (`s`). One regular-expression pass replaces them all, so a
signed-in person's page costs a scan of the cached HTML, never a new rendering.

What to fill in comes from the apps above events (registrations counts seats
and knows bookmarks) through the `timetable_marks` signal: events does not
import them.
"""

import re
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .signals import timetable_marks
from .timetable import UUID_MARKER

MARKER = re.compile(r"<!--tt:([cmns]):([0-9a-f-]{36})-->")


@dataclass
class TimetableMarks:
    """Keys are session UUIDs as text."""

    seats_left: dict[str, int | None] = field(default_factory=dict)  # None: no limit
    starred: set[str] = field(default_factory=set)
    seats: dict[str, str] = field(default_factory=dict)  # confirmed/offered/waitlisted

    def update(self, other: "TimetableMarks") -> None:
        self.seats_left.update(other.seats_left)
        self.starred |= other.starred
        self.seats.update(other.seats)


def collect_marks(*, event, user, session_uuids=None) -> TimetableMarks:
    """Ask the apps above for their marks; a fixed number of queries each."""
    marks = TimetableMarks()
    for _receiver, answer in timetable_marks.send(
        sender=TimetableMarks, event=event, user=user, session_uuids=session_uuids
    ):
        if isinstance(answer, TimetableMarks):
            marks.update(answer)
    return marks


class Stars:
    """The bookmark star of a session: a POST form that works without
    JavaScript; htmx swaps in the view's answer (the new form) when it can."""

    def __init__(self, *, event, csrf_token: str, next_url: str, signed_in: bool):
        self.action = reverse(
            "registrations:bookmark",
            kwargs={"slug": event.slug, "session_uuid": UUID_MARKER},
        )
        self.hidden = (
            f'<input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{escape(csrf_token)}">'
            f'<input type="hidden" name="next" value="{escape(next_url)}">'
        )
        self.signed_in = signed_in
        self.login = (
            f"{reverse('account_login')}?next={escape(quote(next_url, safe='/'))}"
        )
        self.label = escape(_("Bookmark"))

    def html(self, uuid: str, starred: bool, *, described_by: str = "") -> str:
        described_by = described_by or f"h-{uuid}"
        if not self.signed_in:
            return (
                f'<a class="star" href="{self.login}" '
                f'aria-describedby="{described_by}">'
                f'<span aria-hidden="true">☆</span> '
                f'<span class="visually-hidden">{self.label}</span></a>'
            )
        action = self.action.replace(UUID_MARKER, uuid)
        return (
            f'<form class="star-form" method="post" action="{action}" '
            f'data-hx-post="{action}" data-hx-target="this" data-hx-select="form" '
            f'data-hx-swap="outerHTML">{self.hidden}'
            f'<input type="hidden" name="action" '
            f'value="{"remove" if starred else "add"}">'
            f'<input type="hidden" name="described_by" value="{described_by}">'
            f'<button type="submit" class="star" '
            f'aria-pressed="{"true" if starred else "false"}" '
            f'aria-describedby="{described_by}">'
            f'<span aria-hidden="true">{"★" if starred else "☆"}</span> '
            f'<span class="visually-hidden">{self.label}</span></button></form>'
        )


def apply_marks(body: str, marks: TimetableMarks, stars: Stars) -> str:
    """The cached `body` with every marker filled in for this person and now."""
    seat_texts = {
        "confirmed": _badge("seat", _("Your seat")),
        "offered": _badge("seat", _("Seat offered to you")),
        "waitlisted": _badge("waitlist", _("You are on the waitlist")),
    }
    left_texts = {}

    def seats_left(uuid: str) -> str:
        left = marks.seats_left.get(uuid)
        if left is None:
            return ""
        if left not in left_texts:
            text = (
                ngettext("%(n)s seat left", "%(n)s seats left", left) % {"n": left}
                if left
                else _("Full: join the waitlist")
            )
            kind = "seats-full" if left == 0 else "seats-left"
            left_texts[left] = f'<span class="{kind}">{escape(text)}</span> '
        return left_texts[left]

    def fill(match) -> str:
        kind, uuid = match.groups()
        if kind == "s":
            return stars.html(uuid, uuid in marks.starred)
        if kind == "c":
            classes = " is-starred" if uuid in marks.starred else ""
            return classes + (" is-seated" if uuid in marks.seats else "")
        if kind == "m":
            return seat_texts.get(marks.seats.get(uuid), "")
        return seats_left(uuid)

    return MARKER.sub(fill, body)


def _badge(kind: str, text: str) -> str:
    return f'<span class="badge badge-{kind}">{escape(text)}</span> '
