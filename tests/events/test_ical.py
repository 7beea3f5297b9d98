"""events.ical: the builders, parsed back with icalendar and vobject."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from events import ical, times
from events.caching import load_events, load_sessions
from events.models import Event, Session, Speaker
from tests.events.icalcheck import calendar_names, entries_by_uid, parse, utc
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    VenueFactory,
)


def build(sessions=(), events=(), default_tzid="Europe/Helsinki") -> bytes:
    loaded = load_sessions([s.pk for s in sessions])
    loaded_events = load_events([e.pk for e in events])
    return ical.build_calendar(
        name="Test feed",
        description="About the test feed",
        sessions=[loaded[s.pk] for s in sessions],
        events=[loaded_events[e.pk] for e in events],
        default_tzid=default_tzid,
    )


@pytest.mark.django_db
def test_session_entry_has_every_property_from_the_session():
    venue = VenueFactory(
        name="Dipoli",
        address="Otakaari 24",
        city="Espoo",
        country="Finland",
        latitude=Decimal("60.185000"),
        longitude=Decimal("24.832000"),
    )
    event = EventFactory(venue=venue, slug="spring-forum")
    room = RoomFactory(venue=venue, name="Lumituuli")
    track = TrackFactory(event=event, name="Mobility")
    speakers = [
        SpeakerFactory(event=event, name="Ada Lovelace", affiliation="KTH"),
        SpeakerFactory(
            event=event, name="Bo Ek", affiliation="", email="bo@secret.example"
        ),
    ]
    session = SessionFactory(
        event=event,
        title="Erasmus, today; tomorrow",
        abstract="What changes.\nAnd why.",
        room=room,
        track=track,
        kind=Session.Kind.PANEL,
        sequence=3,
    )
    session.speakers.set(speakers)

    data = build([session])
    calendar = parse(data)

    entry = entries_by_uid(calendar)[f"{session.uuid}@{settings.CALENDAR_UID_DOMAIN}"]
    url = f"{settings.SITE_URL}/events/spring-forum/sessions/{session.uuid}/"
    assert str(entry["SUMMARY"]) == "Erasmus, today; tomorrow"
    assert str(entry["DESCRIPTION"]) == (
        "What changes.\nAnd why.\n\n"
        "Speakers: Ada Lovelace (KTH), Bo Ek\n"
        "Track: Mobility\n" + url
    )
    assert str(entry["LOCATION"]) == ("Lumituuli, Dipoli, Otakaari 24, Espoo, Finland")
    assert (entry["GEO"].latitude, entry["GEO"].longitude) == (60.185, 24.832)
    assert str(entry["URL"]) == url
    assert [str(c) for c in entry["CATEGORIES"].cats] == ["Panel", "Mobility"]
    # iCalendar has whole seconds.
    changed = session.changed_at.replace(microsecond=0)
    assert entry.decoded("DTSTAMP") == changed
    assert entry.decoded("LAST-MODIFIED") == changed
    assert int(entry["SEQUENCE"]) == 3
    assert entry["STATUS"] == "CONFIRMED"
    assert entry["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert utc(entry, "DTSTART") == session.starts_at
    assert utc(entry, "DTEND") == session.ends_at
    assert b"secret.example" not in data
    assert str(calendar["PRODID"]) == ical.PRODID
    assert calendar_names(data) == ("Test feed", "Test feed", "Test feed")


@pytest.mark.django_db
def test_the_same_data_gives_the_same_bytes():
    session = SessionFactory()

    assert build([session]) == build([session])


@pytest.mark.django_db
def test_cancelled_session_and_sessions_of_a_cancelled_event_say_cancelled():
    cancelled = SessionFactory(status=Session.Status.CANCELLED)
    of_cancelled_event = SessionFactory(
        event=EventFactory(status=Event.Status.CANCELLED)
    )

    entries = entries_by_uid(parse(build([cancelled, of_cancelled_event])))

    assert {uid: e["STATUS"] for uid, e in entries.items()} == {
        ical.session_uid(cancelled): "CANCELLED",
        ical.session_uid(of_cancelled_event): "CANCELLED",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "local_start", "local_end"),
    [
        # Helsinki springs forward at 01:00 UTC on the last Sunday of March...
        (
            datetime(2027, 3, 28, 0, 30, tzinfo=UTC),
            datetime(2027, 3, 28, 2, 0, tzinfo=UTC),
            b"20270328T023000",
            b"20270328T050000",
        ),
        # ... and falls back at 01:00 UTC on the last Sunday of October.
        (
            datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
            datetime(2027, 10, 31, 2, 0, tzinfo=UTC),
            b"20271031T033000",
            b"20271031T040000",
        ),
    ],
)
def test_times_are_right_across_dst_changes(start, end, local_start, local_end):
    event = EventFactory(
        starts_at=start - timedelta(days=1), ends_at=end + timedelta(days=1)
    )
    session = SessionFactory(event=event, starts_at=start, ends_at=end)

    calendar = parse(build([session]))

    entry = entries_by_uid(calendar)[ical.session_uid(session)]
    assert entry["DTSTART"].to_ical() == local_start
    assert entry["DTEND"].to_ical() == local_end
    assert (utc(entry, "DTSTART"), utc(entry, "DTEND")) == (start, end)


@pytest.mark.django_db
def test_one_vtimezone_per_tzid_across_events():
    helsinki = EventFactory(timezone="Europe/Helsinki")
    stockholm = EventFactory(timezone="Europe/Stockholm")
    sessions = [
        SessionFactory(event=helsinki),
        SessionFactory(event=helsinki),
        SessionFactory(event=stockholm),
    ]

    calendar = parse(build(sessions, events=[helsinki, stockholm]))

    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == [
        "Europe/Helsinki",
        "Europe/Stockholm",
    ]
    assert {
        uid: e["DTSTART"].params["TZID"] for uid, e in entries_by_uid(calendar).items()
    } == {
        ical.event_uid(helsinki): "Europe/Helsinki",
        ical.event_uid(stockholm): "Europe/Stockholm",
        ical.session_uid(sessions[0]): "Europe/Helsinki",
        ical.session_uid(sessions[1]): "Europe/Helsinki",
        ical.session_uid(sessions[2]): "Europe/Stockholm",
    }


@pytest.mark.django_db
def test_event_entry_uses_the_events_uuid_and_sequence():
    event = EventFactory(sequence=4, summary="Three days", description="Otaniemi")

    calendar = parse(build(events=[event]))

    (entry,) = calendar.walk("VEVENT")
    assert str(entry["UID"]) == f"event-{event.uuid}@{settings.CALENDAR_UID_DOMAIN}"
    assert int(entry["SEQUENCE"]) == 4
    assert str(entry["DESCRIPTION"]) == (
        "Three days\nOtaniemi\n\n"
        f"{times.show_long_datetime(event.starts_at, event)} – "
        f"{times.show_long_datetime(event.ends_at, event)}\n"
        f"{settings.SITE_URL}/events/{event.slug}/"
    )
    assert (utc(entry, "DTSTART"), utc(entry, "DTEND")) == (
        event.starts_at,
        event.ends_at,
    )


def test_an_empty_feed_is_valid():
    data = ical.build_calendar(
        name="Nothing", description="Empty", default_tzid="Europe/Helsinki"
    )

    calendar = parse(data)

    assert calendar.walk("VEVENT") == []
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]


def test_clean_text_keeps_tabs_and_newlines_and_drops_other_controls():
    assert ical.clean_text("a\r\nb\rc\td\x00e\x1bf\x7fg\x85h") == "a\nb\nc\tdefgh"


# --- property-based: any text survives the round trip ------------------------------

# The documented rule, written independently of the builder: CR and CRLF become
# LF; every other C0/C1 control (except TAB and LF) is dropped. Lone surrogates
# cannot occur (not encodable), so the strategy leaves them out.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def expected(text: str) -> str:
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
long_text = st.one_of(
    any_text,
    st.text(st.characters(exclude_categories=("Cs",)), min_size=500, max_size=1500),
    st.just('a,b;c\\d\\n:e\n"f"\r\ng' * 50),
)


def in_memory_session(title, abstract, speaker_names):
    event = Event(
        pk=1,
        uuid=uuid.UUID(int=1),
        slug="forum",
        title="Forum",
        starts_at=datetime(2027, 5, 3, 6, tzinfo=UTC),
        ends_at=datetime(2027, 5, 5, 16, tzinfo=UTC),
        changed_at=datetime(2027, 1, 1, tzinfo=UTC),
        timezone="Europe/Helsinki",
        status=Event.Status.PUBLISHED,
    )
    session = Session(
        pk=1,
        uuid=uuid.UUID(int=2),
        event=event,
        title=title,
        abstract=abstract,
        starts_at=datetime(2027, 5, 3, 7, tzinfo=UTC),
        ends_at=datetime(2027, 5, 3, 8, tzinfo=UTC),
        changed_at=datetime(2027, 1, 2, tzinfo=UTC),
    )
    # Speakers as if prefetched: the builder reads only what is loaded.
    session._prefetched_objects_cache = {
        "speakers": [
            Speaker(pk=n + 1, name=name) for n, name in enumerate(speaker_names)
        ]
    }
    return session


@example(title="C:\\New\\nope\\N", abstract="a\\N\\,;", speaker_names=["\\N"])
@given(
    title=long_text,
    abstract=long_text,
    speaker_names=st.lists(any_text, max_size=4),
)
@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
def test_any_text_round_trips_exactly(title, abstract, speaker_names):
    session = in_memory_session(title, abstract, speaker_names)
    data = ical.build_calendar(name=title, description=abstract, sessions=[session])

    calendar = parse(data)

    (entry,) = calendar.walk("VEVENT")
    lines = []
    if expected(abstract):
        lines += [expected(abstract), ""]
    if speaker_names:
        lines.append("Speakers: " + ", ".join(expected(n) for n in speaker_names))
    lines.append(f"{settings.SITE_URL}/events/forum/sessions/{session.uuid}/")
    assert str(entry["SUMMARY"]) == expected(title)
    assert str(entry["DESCRIPTION"]) == "\n".join(lines)
    # The calendar's name is one line.
    name = expected(title).replace("\n", " ")
    assert calendar_names(data) == (name, name, name)
    assert str(calendar["DESCRIPTION"]) == expected(abstract)
