"""Times as people read them: the event's zone, the active language."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from events import times
from events.conflicts import check_session
from events.models import Session
from tests.factories import EventFactory, RoomFactory, SessionFactory

HELSINKI = ZoneInfo("Europe/Helsinki")
# Day and month names a Finnish or Swedish reader must never see.
ENGLISH_NAMES = re.compile(
    r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov"
    r"|Dec)[a-z]*\b"
)
# 13:15 UTC is 16:15 in Helsinki, a Wednesday in May.
MOMENT = datetime(2027, 5, 5, 13, 15, tzinfo=UTC)


@pytest.fixture
def event():
    return EventFactory.build(
        timezone="Europe/Helsinki",
        starts_at=datetime(2027, 5, 5, 9, tzinfo=HELSINKI),
        ends_at=datetime(2027, 5, 7, 14, tzinfo=HELSINKI),
    )


@pytest.mark.parametrize(
    ("language", "date_time", "day_time", "span", "clock"),
    [
        ("en", "Wed, 5 May 2027, 16:15", "Wed 5 May, 16:15", "Wed 5 May, 16:15–17:30",
         "16:15"),
        ("fi", "ke 5.5.2027 16.15", "ke 5.5. 16.15", "ke 5.5. 16.15–17.30", "16.15"),
        ("sv", "ons 5 maj 2027 16:15", "ons 5 maj 16:15", "ons 5 maj 16:15–17:30",
         "16:15"),
    ],
)  # fmt: skip
def test_shown_times_are_in_the_events_zone_and_the_active_language(
    event, language, date_time, day_time, span, clock
):
    with translation.override(language):
        assert times.show_datetime(MOMENT, event) == date_time
        assert times.show_day_time(MOMENT, event) == day_time
        assert times.show_span(MOMENT, MOMENT + timedelta(minutes=75), event) == span
        assert times.show_time(MOMENT, event) == clock


@pytest.mark.parametrize(
    ("language", "long_date", "long_datetime", "day_tab", "early"),
    [
        ("fi", "keskiviikkona 5. toukokuuta 2027",
         "keskiviikkona 5. toukokuuta 2027 klo 16.15", "ke 5.5.", "8.05"),
        ("sv", "onsdag 5 maj 2027", "onsdag 5 maj 2027 kl. 16:15", "ons 5 maj",
         "08:05"),
        ("en", "Wednesday 5 May 2027", "Wednesday 5 May 2027 at 16:15", "Wed 5 May",
         "08:05"),
    ],
)  # fmt: skip
def test_long_dates_follow_the_languages_grammar(
    event, language, long_date, long_datetime, day_tab, early
):
    with translation.override(language):
        assert times.show_long_date(MOMENT, event) == long_date
        assert times.long_day(date(2027, 5, 5)) == long_date
        assert times.show_long_datetime(MOMENT, event) == long_datetime
        assert times.short_day(date(2027, 5, 5)) == day_tab
        assert times.show_time(datetime(2027, 5, 5, 5, 5, tzinfo=UTC), event) == early


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_machine_times_are_the_same_in_every_language(event, language):
    with translation.override(language):
        assert times.machine_time(MOMENT, event) == "2027-05-05 16:15"
        assert times.file_stamp(MOMENT, event) == "20270505-1615"
        assert times.local_time(MOMENT, event) == datetime(
            2027, 5, 5, 16, 15, tzinfo=HELSINKI
        )


def test_a_missing_time_is_a_dash_to_people_and_empty_to_machines(event):
    assert times.show_datetime(None, event) == "–"
    assert times.show_day_time(None, event) == "–"
    assert times.show_time(None, event) == "–"
    assert times.machine_time(None, event) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "day_time"), [("fi", "ke 5.5. 16.15"), ("sv", "ons 5 maj 16:15")]
)
def test_a_conflict_names_the_day_and_month_in_the_active_language(language, day_time):
    event = EventFactory(
        timezone="Europe/Helsinki",
        starts_at=datetime(2027, 5, 5, 9, tzinfo=HELSINKI),
        ends_at=datetime(2027, 5, 7, 14, tzinfo=HELSINKI),
    )
    room = RoomFactory(venue=event.venue, name="Hall A")
    SessionFactory(
        event=event,
        room=room,
        title="Opening",
        starts_at=MOMENT,
        ends_at=MOMENT + timedelta(hours=1),
    )
    clash = Session(
        event=event,
        room=room,
        title="Clash",
        starts_at=MOMENT + timedelta(minutes=30),
        ends_at=MOMENT + timedelta(hours=2),
    )
    outside = Session(
        event=event,
        title="Late",
        starts_at=datetime(2027, 5, 8, 10, tzinfo=HELSINKI),
        ends_at=datetime(2027, 5, 8, 11, tzinfo=HELSINKI),
    )

    with translation.override(language):
        [room_conflict] = check_session(clash, speaker_ids=[])
        [outside_conflict] = check_session(outside, speaker_ids=[])

    assert day_time in room_conflict.message
    assert ENGLISH_NAMES.findall(room_conflict.message) == []
    assert ENGLISH_NAMES.findall(outside_conflict.message) == []


@pytest.mark.parametrize(
    ("language", "short_date", "day_month", "seconds", "hour_line"),
    [
        ("en", "Wed, 5 May 2027", "5 May", "Wed 5 May, 16:15:30", "09:00"),
        ("fi", "ke 5.5.2027", "5.5.", "ke 5.5. 16.15.30", "9.00"),
        ("sv", "ons 5 maj 2027", "5 maj", "ons 5 maj 16:15:30", "09:00"),
    ],
)  # fmt: skip
def test_dates_with_the_year_day_months_and_seconds_follow_the_language(
    event, language, short_date, day_month, seconds, hour_line
):
    with translation.override(language):
        assert times.short_date(date(2027, 5, 5)) == short_date
        assert times.show_date(MOMENT, event) == short_date
        assert times.day_month(date(2027, 5, 5)) == day_month
        assert (
            times.show_day_time_seconds(MOMENT + timedelta(seconds=30), event)
            == seconds
        )
        assert times.clock_of(datetime(2027, 5, 5, 9, tzinfo=HELSINKI)) == hour_line


def test_a_time_of_no_event_is_shown_in_the_default_event_zone(settings):
    settings.DEFAULT_EVENT_TIMEZONE = "Europe/Stockholm"  # 13:15 UTC is 15:15

    with translation.override("sv"):
        assert str(times.home_zone()) == "Europe/Stockholm"
        assert times.show_home_datetime(MOMENT) == "ons 5 maj 2027 15:15"
        assert times.show_home_datetime(None) == "–"


def test_a_time_of_no_event_follows_an_activated_zone():
    new_york = ZoneInfo("America/New_York")  # 09:15 there
    with timezone.override(new_york), translation.override("en"):
        assert times.show_home_datetime(MOMENT) == "Wed, 5 May 2027, 09:15"
