"""Meetings in the personal feed and in "My schedule", through commitments."""

import pytest
from django.core.cache import cache

from meetings.models import Table
from meetings.services.accepting import accept, cancel_meeting, move_meeting
from meetings.services.requests import request_meeting
from registrations.models import PersonalCalendar
from tests.events.icalcheck import entries_by_uid, parse

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def booked():
    event, block = meeting_event(slots=3, tables=2)
    aino, bo = person(event, "Aino"), person(event, "Bo")
    meeting = accept(
        request=request_meeting(
            requester=aino, recipient=bo, block=block, slot_start=slot(block, 0)
        )
    )
    return event, block, aino, bo, meeting


def feed_entry(client, profile, meeting):
    user = profile.registration.attendee
    calendar, _created = PersonalCalendar.objects.get_or_create(user=user)
    response = client.get(f"/calendar/{calendar.token}.ics")
    assert response.status_code == 200
    uid = f"meeting-{meeting.uuid}@testserver"
    return entries_by_uid(parse(response.content)).get(uid)


def test_meeting_in_both_feeds_with_one_uid_and_its_table(client, settings, booked):
    settings.CALENDAR_UID_DOMAIN = "testserver"
    _event, block, aino, bo, meeting = booked

    for profile, other in ((aino, "Bo"), (bo, "Aino")):
        entry = feed_entry(client, profile, meeting)
        assert (
            str(entry["summary"]),
            str(entry["location"]),
            int(entry["sequence"]),
            str(entry["status"]),
            entry.decoded("dtstart"),
        ) == (f"Meeting with {other}", "Table T01", 0, "CONFIRMED", slot(block, 0))


def test_moved_meeting_keeps_its_uid_and_raises_sequence(client, settings, booked):
    settings.CALENDAR_UID_DOMAIN = "testserver"
    _event, block, aino, _bo, meeting = booked
    feed_entry(client, aino, meeting)

    move_meeting(
        meeting=meeting,
        table=Table.objects.get(name="T02"),
        slot_start=slot(block, 2),
    )
    entry = feed_entry(client, aino, meeting)

    assert (
        str(entry["location"]),
        int(entry["sequence"]),
        entry.decoded("dtstart"),
    ) == ("Table T02", 1, slot(block, 2))


def test_cancelled_meeting_stays_in_the_feed_as_cancelled(client, settings, booked):
    settings.CALENDAR_UID_DOMAIN = "testserver"
    _event, _block, aino, bo, meeting = booked

    cancel_meeting(meeting=meeting, actor=bo.registration.attendee)
    entry = feed_entry(client, aino, meeting)

    assert (str(entry["status"]), int(entry["sequence"])) == ("CANCELLED", 1)


def test_my_schedule_lists_the_meeting_with_its_table(client, booked):
    _event, block, aino, _bo, meeting = booked
    client.force_login(aino.registration.attendee)

    response = client.get("/registrations/schedule/")

    meetings = [
        (item.title, item.room, item.starts_at)
        for _day, items in response.context["days"]
        for item in items
        if item.kind == "meeting"
    ]
    assert meetings == [("Meeting with Bo", "Table T01", slot(block, 0))]
    assert b"Table T01" in response.content
