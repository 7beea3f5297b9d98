"""Limits, seats against meetings, tables, and commitments written by seats."""

from datetime import timedelta

import pytest

from events.services import cancel_session
from meetings.models import Meeting, Unavailability
from meetings.services import MeetingError
from meetings.services.accepting import accept, move_meeting
from meetings.services.requests import request_meeting
from registrations.models import Commitment
from registrations.services import RegistrationError
from registrations.services.seats import leave_seat, take_seat
from tests.factories import SessionFactory

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


def ask(block, a, b, index=0, message=""):
    return request_meeting(
        requester=a,
        recipient=b,
        block=block,
        slot_start=slot(block, index),
        message=message,
    )


def workshop_over(block, index, title="Data workshop"):
    start = slot(block, index)
    return SessionFactory(
        event=block.event,
        title=title,
        signup_required=True,
        starts_at=start,
        ends_at=start + timedelta(minutes=20),
    )


def test_open_requests_limit_refuses_with_the_count():
    event, block = meeting_event(slots=3, open_requests_limit=2)
    a = person(event, "Aino")
    ask(block, a, person(event), 0)
    ask(block, a, person(event), 1)

    with pytest.raises(
        MeetingError,
        match="You already have 2 open requests; the limit is 2 open requests per "
        "person. Wait for an answer or withdraw one.",
    ):
        ask(block, a, person(event), 2)


def test_meetings_per_block_limit_refuses_requests_and_accepts():
    event, block = meeting_event(slots=3, meetings_per_block_limit=1)
    a, b, c = person(event, "Aino"), person(event, "Bo"), person(event, "Cai")
    pending = ask(block, c, a, 1)
    accept(request=ask(block, a, b, 0))
    message = (
        "Aino already has 1 meeting in this block; the limit is 1 meetings per "
        "person per block."
    )

    with pytest.raises(MeetingError, match=message):
        ask(block, a, c, 2)
    with pytest.raises(MeetingError, match=message):
        accept(request=pending)


def test_message_longer_than_300_characters_is_refused():
    event, block = meeting_event()
    with pytest.raises(MeetingError, match=r"at most 300 characters \(it has 301\)"):
        ask(block, person(event), person(event), message="x" * 301)


def test_requests_only_between_opted_in_people_at_a_grid_slot():
    event, block = meeting_event()
    a, shy = person(event, "Aino"), person(event, "Shy", opted_in=False)
    with pytest.raises(MeetingError, match="Shy is not open to meetings."):
        ask(block, a, shy)
    with pytest.raises(MeetingError, match="not a slot of the meeting block"):
        request_meeting(
            requester=a,
            recipient=person(event),
            block=block,
            slot_start=slot(block, 0) + timedelta(minutes=5),
        )
    with pytest.raises(MeetingError, match="with yourself"):
        ask(block, a, a)
    other_event, _block = meeting_event()
    with pytest.raises(MeetingError, match="not at this event"):
        ask(block, a, person(other_event))


def test_unavailable_slot_is_refused():
    event, block = meeting_event()
    a, b = person(event, "Aino"), person(event, "Bo")
    Unavailability.objects.create(profile=b, slot_start=slot(block, 0))
    with pytest.raises(MeetingError, match="Bo is not available at"):
        ask(block, a, b)


def test_meetings_off_is_refused():
    event, block = meeting_event()
    event.meeting_settings.enabled = False
    event.meeting_settings.save()
    with pytest.raises(MeetingError, match="Meetings are not open at this event."):
        ask(block, person(event), person(event))


@pytest.mark.parametrize("who", ["requester", "recipient"])
def test_meeting_refused_when_either_person_took_a_seat_at_that_time(who):
    event, block = meeting_event()
    a, b = person(event, "Aino"), person(event, "Bo")
    request = ask(block, a, b)
    seated = a if who == "requester" else b
    # A pending request does not stop a seat.
    take_seat(registration=seated.registration, session=workshop_over(block, 0))

    with pytest.raises(
        MeetingError,
        match=f"{seated.registration.attendee.name} now holds a seat or meeting at",
    ):
        accept(request=request)
    request.refresh_from_db()
    assert request.status == "pending"
    assert Meeting.objects.count() == 0
    assert Commitment.objects.filter(kind="meeting").count() == 0


def test_request_refused_over_a_held_seat_and_seat_refused_over_a_meeting():
    event, block = meeting_event()
    a, b, c = person(event, "Aino"), person(event, "Bo"), person(event, "Cai")
    take_seat(registration=a.registration, session=workshop_over(block, 0))
    with pytest.raises(MeetingError, match="Aino holds a seat or meeting at"):
        ask(block, b, a, 0)

    accept(request=ask(block, b, c, 1))
    with pytest.raises(RegistrationError, match="overlaps a meeting you have at"):
        take_seat(
            registration=b.registration,
            session=workshop_over(block, 1, title="Mobility clinic"),
        )
    assert not b.registration.seats.exists()


def test_seats_write_and_release_commitments():
    event, block = meeting_event()
    a = person(event, "Aino")
    session = workshop_over(block, 0)

    take_seat(registration=a.registration, session=session)
    row = Commitment.objects.get(person=a.registration.attendee)
    assert (row.kind, row.source_uuid, row.status) == ("seat", session.uuid, "active")
    assert (row.starts_at, row.ends_at) == (session.starts_at, session.ends_at)

    leave_seat(registration=a.registration, session=session)
    row.refresh_from_db()
    assert row.status == "cancelled"


def test_full_session_line_writes_no_commitment():
    event, block = meeting_event()
    session = workshop_over(block, 0)
    session.capacity = 1
    session.save()
    a, b = person(event), person(event)
    take_seat(registration=a.registration, session=session)
    take_seat(registration=b.registration, session=session)
    assert not Commitment.objects.filter(person=b.registration.attendee).exists()

    leave_seat(registration=a.registration, session=session)  # b promoted
    assert Commitment.objects.get(person=b.registration.attendee).status == "active"


def test_no_free_table_refuses_naming_it_and_a_table_is_never_double_booked():
    event, block = meeting_event(tables=1)
    people = [person(event, f"P{n}") for n in range(4)]
    first = ask(block, people[0], people[1])
    second = ask(block, people[2], people[3])
    accept(request=first)

    with pytest.raises(
        MeetingError,
        match="No table is free at .*: this request cannot be accepted for that slot.",
    ):
        accept(request=second)
    assert Meeting.objects.filter(status="active").count() == 1


def test_move_raises_sequence_and_refuses_a_taken_table():
    event, block = meeting_event(tables=2)
    people = [person(event, f"P{n}") for n in range(4)]
    one = accept(request=ask(block, people[0], people[1], 0))
    two = accept(request=ask(block, people[2], people[3], 0))
    assert (one.table.name, two.table.name) == ("T01", "T02")

    with pytest.raises(MeetingError, match="Table T02 is already taken at"):
        move_meeting(meeting=one, table=two.table)

    moved = move_meeting(meeting=one, slot_start=slot(block, 2))
    assert (moved.starts_at, moved.sequence) == (slot(block, 2), 1)
    held = Commitment.objects.filter(source_uuid=one.uuid, status="active")
    assert {(c.starts_at, c.sequence) for c in held} == {(slot(block, 2), 1)}
    assert held.count() == 2
    assert one.request.facts.last().verb == "moved"


def test_cancelled_session_frees_its_seats_time_for_a_meeting():
    event, block = meeting_event()
    a, b = person(event, "Aino"), person(event, "Bo")
    session = workshop_over(block, 0)
    take_seat(registration=a.registration, session=session)

    cancel_session(session=session)

    row = Commitment.objects.get(person=a.registration.attendee)
    assert row.status == "cancelled"
    assert accept(request=ask(block, a, b)).starts_at == slot(block, 0)
