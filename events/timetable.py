"""The timetable's session cards as HTML, built in Python.

The schedule page shows up to thousands of cards; Django's template engine needs
~0.6 ms a card, plain string building a few microseconds. Every value from the
database goes through `escape`; the markup uses templates/events/schedule_body.html's
classes. Labels and the URL prefix are computed once per page, not per card.
The markup holds no style attribute (the Content-Security-Policy allows none): a
track's colour, which is data, is an SVG fill.
"""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Session
from .times import show_time


def track_stripe(colour: str) -> str:
    """The coloured edge of a session card, drawn by the stylesheet's .track-stripe."""
    return (
        '<svg class="track-stripe" aria-hidden="true" focusable="false"'
        ' viewBox="0 0 1 1" preserveAspectRatio="none">'
        f'<rect width="1" height="1" fill="{escape(colour)}"/></svg>'
    )


def card_builder(event):
    """A function session -> SafeString for this event's timetable."""
    marker = "00000000-0000-0000-0000-000000000000"
    url_pattern = reverse(
        "events:session", kwargs={"slug": event.slug, "session_uuid": marker}
    )
    kinds = {value: escape(str(label)) for value, label in Session.Kind.choices}
    cancelled_tag = f'<span class="tag tag-cancelled">{escape(_("Cancelled"))}</span> '
    signup_tag = f' <span class="tag">{escape(_("Sign-up"))}</span>'

    def card(row) -> SafeString:
        """`row` is one of selectors.timetable_rows()."""
        cancelled = row.status == Session.Status.CANCELLED
        session = row
        parts = [
            '<li class="session-card',
            " session-cancelled" if cancelled else "",
            '">',
            track_stripe(row.track_colour) if row.track_name else "",
            '<h3><a href="',
            url_pattern.replace(marker, str(session.uuid)),
            '">',
            escape(session.title),
            '</a></h3><p class="meta">',
            show_time(session.starts_at, event),
            "–",
            show_time(session.ends_at, event),
            f" · {escape(row.room_name)}" if row.room_name else "",
            "</p><p>",
            cancelled_tag if cancelled else "",
            f'<span class="tag">{kinds.get(session.kind, "")}</span>',
            f' <span class="tag">{escape(row.track_name)}</span>'
            if row.track_name
            else "",
            signup_tag if session.signup_required else "",
            "</p>",
        ]
        speakers = [escape(name) for name in row.speakers]
        if speakers:
            parts.append(f'<p class="meta">{", ".join(speakers)}</p>')
        parts.append("</li>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above

    return card
