"""iCalendar builders: plain functions from our models to icalendar objects and bytes.

No HTTP, no cache, no queries beyond the related rows already loaded (callers
select_related room__venue, track, event__venue and prefetch speakers). The output
depends only on the data passed in and on settings, never on the clock, so the same
schedule always gives the same bytes (and the same ETag).

Entries are serialised one by one (`entry_bytes`) and spliced into a calendar
(`assemble`), so callers can cache each entry's bytes and rebuild a feed of
thousands of sessions after one change without re-serialising the others.
"""

import calendar as calendar_module
import re
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import cache

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

from . import times

# Stable: clients use it (with UID) to recognise their own entries.
PRODID = "-//Kokous//Kokous calendar feeds//EN"
REFRESH = timedelta(hours=1)
# Raise when what the builders write changes: cache keys and ETags include it.
FORMAT_VERSION = "2"
TZ_FIRST_YEAR, TZ_LAST_YEAR = 2020, 2040

# RFC 5545 text cannot carry control characters other than TAB and LF (written
# as \n); lone surrogates cannot be encoded at all. CR and CRLF become LF first, the
# rest is dropped. The tests strip with this same function in their expectations.
_UNCARRIABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """`value` as a calendar can carry it: CR/CRLF -> LF, other control chars out."""
    return _UNCARRIABLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


class Text(icalendar.vText):
    """TEXT escaped exactly as RFC 5545 says.

    icalendar's own escaper first turns a literal backslash-N into a line break,
    so an abstract mentioning "C:\\New" would not survive; this one escapes the
    backslash first and nothing else is rewritten. Input is clean_text()'s.
    """

    def to_ical(self) -> bytes:
        return (
            str(self)
            .replace("\\", "\\\\")
            .replace(";", "\\;")
            .replace(",", "\\,")
            .replace("\n", "\\n")
            .encode("utf-8")
        )


def text(value: str) -> Text:
    return Text(clean_text(value))


def session_uid(session) -> str:
    return f"{session.uuid}@{settings.CALENDAR_UID_DOMAIN}"


def event_uid(event) -> str:
    # Prefixed: an event's entry must never be mistaken for one of its sessions'.
    return f"event-{event.uuid}@{settings.CALENDAR_UID_DOMAIN}"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _duration(calendar, name: str, value: timedelta, **parameters) -> None:
    # icalendar writes a plain timedelta in an X- property as "1:00:00" and leaves
    # VALUE=DURATION off REFRESH-INTERVAL, which RFC 7986 requires: be explicit.
    calendar.add(name, icalendar.vDuration(value), parameters=parameters or None)


def new_calendar(
    *,
    name: str,
    description: str,
    tzids: Iterable[str],
    span: tuple[date, date],
    default_tzid: str | None = None,
) -> icalendar.Calendar:
    """A VCALENDAR with the feed properties and one VTIMEZONE per TZID, no entries.

    `span` (first and last day of the entries) bounds the VTIMEZONE rules. A feed
    without entries still gets the VTIMEZONE of `default_tzid`: RFC 5545 wants at
    least one component in a calendar.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # A name is one line (icalendar does not escape newlines in NAME either).
    name = clean_text(name).replace("\n", " ")
    calendar.add("name", Text(name))
    calendar.add("x-wr-calname", Text(name))
    calendar.add("description", text(description))
    if default_tzid:
        calendar.add("x-wr-timezone", default_tzid)
    _duration(calendar, "refresh-interval", REFRESH, VALUE="DURATION")
    _duration(calendar, "x-published-ttl", REFRESH)
    tzids = sorted(set(tzids)) or ([default_tzid] if default_tzid else [])
    first, last = span
    # A fixed, generous range (widened only by data outside it): clients such as
    # vobject keep the first definition they saw per TZID, so a definition cut to
    # one feed's dates could later be applied to another feed's dates.
    first_date = date(min(first.year, TZ_FIRST_YEAR), 1, 1)
    last_date = date(max(last.year + 2, TZ_LAST_YEAR), 1, 1)
    for tzid in tzids:
        calendar.add_component(vtimezone(tzid, first_date.year, last_date.year))
    return calendar


@cache
def _transitions(tzid: str, first_year: int, last_year: int) -> tuple:
    """(UTC instant, offset before, offset after) of each change in the years."""
    tz = zoneinfo.ZoneInfo(tzid)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year, 1, 1, tzinfo=UTC)
    found = []
    offset = moment.astimezone(tz).utcoffset()
    while moment < end:
        following = moment + timedelta(days=1)
        if following.astimezone(tz).utcoffset() != offset:
            low, high = 0, 24 * 60  # bisect to the minute (changes are on one)
            while high - low > 1:
                middle = (low + high) // 2
                probe = moment + timedelta(minutes=middle)
                if probe.astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            high = moment + timedelta(minutes=high)
            after = high.astimezone(tz).utcoffset()
            found.append((high, offset, after))
            offset = after
        moment = following
    return tuple(found)


def _yearly_rule(onsets: list[datetime]) -> str | None:
    """An RRULE matching every onset (local wall time), or None if none does."""
    keys = set()
    for onset in onsets:
        days_in_month = calendar_module.monthrange(onset.year, onset.month)[1]
        position = -1 if onset.day + 7 > days_in_month else (onset.day - 1) // 7 + 1
        keys.add((onset.month, onset.weekday(), position, onset.time()))
    if len(keys) != 1:
        return None
    month, weekday, position, _time = keys.pop()
    day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[weekday]
    return f"FREQ=YEARLY;BYMONTH={month};BYDAY={position}{day}"


def _offset(value: timedelta) -> icalendar.vUTCOffset:
    return icalendar.vUTCOffset(value)


def vtimezone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """A VTIMEZONE for an IANA zone, valid from `first_year` to `last_year`.

    Written with yearly RRULEs (as most producers do) when the zone's changes
    follow one rule each way over the range: parsers built on dateutil ignore
    the RDATE lists that icalendar's Timezone.from_tzid writes. Zones whose rules
    change within the range get icalendar's RDATE form.
    """
    tz = zoneinfo.ZoneInfo(tzid)
    changes = _transitions(tzid, first_year, last_year)
    start = datetime(first_year, 1, 1)
    if not changes:
        offset = start.replace(tzinfo=tz).utcoffset()
        sample = start.replace(tzinfo=tz)
        return _vtimezone(tzid, [("STANDARD", start, offset, offset, None, sample)])
    parts = []
    for forward in (True, False):
        mine = [c for c in changes if (c[2] > c[1]) == forward]
        if not mine:
            continue
        # Onset: the wall time just before the change, in the old offset.
        onsets = [
            (instant + before).replace(tzinfo=None) for instant, before, _a in mine
        ]
        if (
            len({(b, a) for _i, b, a in mine}) != 1
            or (rule := _yearly_rule(onsets)) is None
        ):
            return icalendar.Timezone.from_tzid(
                tzid,
                first_date=date(first_year, 1, 1),
                last_date=date(last_year, 1, 1),
            )
        instant, before, after = mine[0]
        kind = "DAYLIGHT" if forward else "STANDARD"
        parts.append((kind, onsets[0], before, after, rule, instant.astimezone(tz)))
    return _vtimezone(tzid, parts)


def _vtimezone(tzid: str, parts) -> icalendar.Timezone:
    timezone = icalendar.Timezone()
    timezone.add("tzid", tzid)
    for kind, onset, before, after, rule, sample in parts:
        part = (
            icalendar.TimezoneDaylight()
            if kind == "DAYLIGHT"
            else icalendar.TimezoneStandard()
        )
        part.add("dtstart", onset)
        if rule:
            part.add("rrule", icalendar.vRecur.from_ical(rule))
        part.add("tzoffsetfrom", _offset(before))
        part.add("tzoffsetto", _offset(after))
        part.add("tzname", sample.tzname())
        timezone.add_component(part)
    return timezone


def assemble(calendar: icalendar.Calendar, entries: Iterable[bytes]) -> bytes:
    """The calendar's bytes with the serialised entries spliced in before its end."""
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    return b"".join([head[: -len(end)], *entries, end])


def entry_bytes(entry: icalendar.Event) -> bytes:
    return entry.to_ical()


def _local(moment: datetime, tzinfo) -> datetime:
    return moment.astimezone(tzinfo)


def _add_place(entry: icalendar.Event, room, venue) -> None:
    venue = room.venue if room is not None else venue
    parts = [room.name] if room is not None else []
    if venue is not None:
        parts.append(venue.one_line_address)
    if parts:
        entry.add("location", text(", ".join(parts)))
    if venue is not None and venue.latitude is not None:
        entry.add("geo", (float(venue.latitude), float(venue.longitude)))


def session_description(session, speakers, url: str) -> str:
    """Abstract, speakers (name and affiliation, never email), track and a link."""
    lines = []
    if abstract := clean_text(session.abstract):
        lines += [abstract, ""]
    if speakers:
        names = ", ".join(clean_text(str(speaker)) for speaker in speakers)
        lines.append(_("Speakers: %(names)s") % {"names": names})
    if session.track is not None:
        lines.append(_("Track: %(name)s") % {"name": clean_text(session.track.name)})
    lines.append(url)
    return "\n".join(lines)


def session_entry(session) -> icalendar.Event:
    """One session as a VEVENT, in its event's time zone.

    `session.event` (with its venue), `room.venue` and `track` must be loaded, and
    the speakers prefetched. A session of a cancelled event is cancelled too.
    """
    event = session.event
    speakers = list(session.speakers.all())
    cancelled = session.is_cancelled or event.is_cancelled
    entry = icalendar.Event()
    entry.add("uid", session_uid(session))
    # From the entry's last change, never now(): stable bytes and ETags.
    entry.add("dtstamp", session.changed_at)
    entry.add("last-modified", session.changed_at)
    entry.add("dtstart", _local(session.starts_at, event.tzinfo))
    entry.add("dtend", _local(session.ends_at, event.tzinfo))
    entry.add("sequence", session.sequence)
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    entry.add("summary", text(session.title))
    url = absolute_url(session.get_absolute_url())  # reverse() is slow: once
    entry.add("description", Text(session_description(session, speakers, url)))
    _add_place(entry, session.room, event.venue)
    entry.add("url", url)
    categories = [str(session.get_kind_display())]
    if session.track is not None:
        categories.append(clean_text(session.track.name))
    entry.add("categories", categories)
    return entry


def event_description(event) -> str:
    """Summary, description, the dates in words (in the feed's language) and a link."""
    parts = (clean_text(event.summary), clean_text(event.description))
    lines = [part for part in parts if part]
    if lines:
        lines.append("")
    starts = times.show_long_datetime(event.starts_at, event)
    ends = times.show_long_datetime(event.ends_at, event)
    lines.append(f"{starts} – {ends}")
    lines.append(absolute_url(event.get_absolute_url()))
    return "\n".join(lines)


def event_entry(event) -> icalendar.Event:
    """The whole event as one VEVENT (in /events.ics and personal feeds)."""
    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", event.changed_at)
    entry.add("last-modified", event.changed_at)
    entry.add("dtstart", _local(event.starts_at, event.tzinfo))
    entry.add("dtend", _local(event.ends_at, event.tzinfo))
    entry.add("sequence", event.sequence)
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    entry.add("summary", text(event.title))
    entry.add("description", Text(event_description(event)))
    _add_place(entry, None, event.venue)
    entry.add("url", absolute_url(event.get_absolute_url()))
    return entry


def span_of(times: Iterable[tuple[datetime, datetime]]) -> tuple[date, date]:
    """First and last UTC day of (starts_at, ends_at) pairs, for VTIMEZONE bounds."""
    times = list(times)
    if not times:
        # Any fixed year works for the empty feed's lone VTIMEZONE; keep it stable.
        return date(2000, 1, 1), date(2000, 1, 1)
    return min(s for s, _e in times).date(), max(e for _s, e in times).date()


def build_calendar(
    *, name: str, description: str, events=(), sessions=(), default_tzid=None
) -> bytes:
    """A whole feed, uncached: the reference the cached assembly must equal."""
    events, sessions = list(events), list(sessions)
    calendar = new_calendar(
        name=name,
        description=description,
        tzids={e.timezone for e in events} | {s.event.timezone for s in sessions},
        span=span_of((x.starts_at, x.ends_at) for x in events + sessions),
        default_tzid=default_tzid,
    )
    entries = [entry_bytes(event_entry(e)) for e in events]
    entries += [entry_bytes(session_entry(s)) for s in sessions]
    return assemble(calendar, entries)
