"""A person's meetings (their meeting commitments) as VEVENTs of their own feed.

One-to-one meetings and the network meetings a member will come to. The UID is
the meeting's (or network's) UUID, the same in every member's feed and for ever;
SEQUENCE is the meeting's, raised when it moves or is cancelled; a cancelled
meeting stays, as STATUS:CANCELLED, until its event has ended.
"""

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

from events import ical

from .models import Commitment


def meeting_uid(row: Commitment) -> str:
    # Prefixed: a meeting's entry is never mistaken for a session's.
    return f"{row.kind}-{row.source_uuid}@{settings.CALENDAR_UID_DOMAIN}"


def is_network(row: Commitment) -> bool:
    return row.kind == Commitment.Kind.NETWORK


def meeting_title(row: Commitment) -> str:
    if is_network(row):
        return _("Network meeting: %(name)s") % {"name": row.title}
    return _("Meeting with %(name)s") % {"name": row.title}


def meeting_place(row: Commitment) -> str:
    if is_network(row):
        return row.location
    return _("Table %(table)s") % {"table": row.location} if row.location else ""


def meeting_path(row: Commitment) -> str:
    page = "networks/" if is_network(row) else ""
    return f"/events/{row.event.slug}/meetings/{page}"


def meeting_entry(row: Commitment) -> icalendar.Event:
    """`row.event` must be loaded."""
    tzinfo = row.event.tzinfo
    entry = icalendar.Event()
    entry.add("uid", meeting_uid(row))
    # From the row's last change, never now(): stable bytes and ETags.
    entry.add("dtstamp", row.updated_at)
    entry.add("last-modified", row.updated_at)
    entry.add("dtstart", row.starts_at.astimezone(tzinfo))
    entry.add("dtend", row.ends_at.astimezone(tzinfo))
    entry.add("sequence", row.sequence)
    cancelled = row.status == Commitment.Status.CANCELLED
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    entry.add("summary", ical.text(meeting_title(row)))
    place = meeting_place(row)
    if place:
        entry.add("location", ical.text(place))
    url = ical.absolute_url(meeting_path(row))
    lines = [meeting_title(row), place, row.event.title, url]
    entry.add(
        "description", ical.Text("\n".join(ical.clean_text(x) for x in lines if x))
    )
    entry.add("url", url)
    return entry
