"""Parsing helpers for feed tests: icalendar plus vobject as an independent parser."""

import re
from datetime import UTC

import icalendar
import vobject

CALENDAR_PROPERTIES = (
    "VERSION", "PRODID", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME",
    "DESCRIPTION", "REFRESH-INTERVAL", "X-PUBLISHED-TTL",
)  # fmt: skip
ENTRY_PROPERTIES = (
    "UID", "DTSTAMP", "LAST-MODIFIED", "DTSTART", "DTEND", "SEQUENCE", "STATUS",
    "SUMMARY", "DESCRIPTION", "URL",
)  # fmt: skip


def parse(data: bytes) -> icalendar.Calendar:
    """Parse with both libraries and check what every feed must have; return the
    icalendar object. vobject's view of each entry must agree with icalendar's."""
    calendar = icalendar.Calendar.from_ical(data)
    for name in CALENDAR_PROPERTIES:
        assert name in calendar, name
    for name in ("NAME", "X-WR-CALNAME"):
        assert len([k for k, _v in calendar.property_items() if k == name]) == 1
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in data
    # At least one component even when empty (RFC 5545).
    assert calendar.subcomponents

    entries = calendar.walk("VEVENT")
    uids = [str(e["UID"]) for e in entries]
    assert len(uids) == len(set(uids))
    tzids = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert len(tzids) == len(set(tzids))
    used = {e["DTSTART"].params["TZID"] for e in entries}
    assert used <= set(tzids)
    for entry in entries:
        for name in ENTRY_PROPERTIES:
            assert name in entry, name
        assert "ATTENDEE" not in entry
        assert "ORGANIZER" not in entry
        assert entry["STATUS"] in ("CONFIRMED", "CANCELLED")

    independent = vobject.readOne(data.decode("utf-8"))
    other = {str(e.uid.value): e for e in getattr(independent, "vevent_list", [])}
    assert set(other) == set(uids)
    for entry in entries:
        twin = other[str(entry["UID"])]
        assert twin.dtstart.value.astimezone(UTC) == entry.decoded(
            "DTSTART"
        ).astimezone(UTC)
        assert twin.dtend.value.astimezone(UTC) == entry.decoded("DTEND").astimezone(
            UTC
        )
        assert twin.summary.value == str(entry["SUMMARY"])
        assert twin.description.value == str(entry["DESCRIPTION"])
        assert int(twin.sequence.value) == int(entry["SEQUENCE"])
    return calendar


def entries_by_uid(calendar) -> dict:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def utc(entry, name: str):
    return entry.decoded(name).astimezone(UTC)


def calendar_names(data: bytes) -> tuple[str, str, str]:
    """NAME and X-WR-CALNAME via icalendar, and NAME via vobject, all unescaped.

    icalendar 7 parses NAME and X-WR-CALNAME as unknown (escaped) values, so they
    are unescaped here as TEXT; vobject does it itself.
    """
    calendar = icalendar.Calendar.from_ical(data)
    independent = vobject.readOne(data.decode("utf-8"))
    return (
        unescape_text(str(calendar["NAME"])),
        unescape_text(str(calendar["X-WR-CALNAME"])),
        independent.contents["name"][0].value,
    )


_ESCAPED = re.compile(r"\\([\\;,nN])")


def unescape_text(value: str) -> str:
    """RFC 5545 TEXT unescaping: \\\\ \\; \\, and \\n (or \\N)."""
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
