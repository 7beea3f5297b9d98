"""Seat commitments follow a moved session for every seat holder at once."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from events.services import move_session
from meetings.services.accepting import accept
from meetings.services.requests import request_meeting
from registrations.models import Commitment
from registrations.services import commitments
from registrations.services.seats import take_seat
from tests.factories import SessionFactory

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


def _seated(count: int):
    """A meeting event, `count` people with a seat in one session before the
    block, and a meeting of the first two in the block's second slot."""
    event, block = meeting_event(slots=3)
    people = [person(event, f"P{n}") for n in range(count)]
    meeting = accept(
        request=request_meeting(
            requester=people[0],
            recipient=people[1],
            block=block,
            slot_start=slot(block, 1),
        )
    )
    start = slot(block, 0) - timedelta(hours=2)
    session = SessionFactory(
        event=event,
        signup_required=True,
        starts_at=start,
        ends_at=start + timedelta(minutes=20),
    )
    for one in people:
        take_seat(registration=one.registration, session=session)
    return people, meeting, session


def _seat_rows(session) -> dict:
    rows = Commitment.objects.filter(kind="seat", source_uuid=session.uuid)
    return {
        (row.person_id, row.status): (row.starts_at, row.ends_at, row.sequence)
        for row in rows
    }


def _expected(people, moved, before) -> dict:
    """The two in the meeting give up their seat's time (their rows cancelled,
    with the new sequence); the others hold the new time, the last one in a
    new row."""
    expected = {}
    for n, one in enumerate(people):
        if n < 2:
            expected[one.registration.attendee_id, "cancelled"] = (
                *before,
                moved.sequence,
            )
        else:
            expected[one.registration.attendee_id, "active"] = (
                moved.starts_at,
                moved.ends_at,
                moved.sequence,
            )
    return expected


def _move_onto_meeting(people, meeting, session):
    """Move the session onto the meeting; one holder has no commitment row yet
    (a seat from before commitments). Returns the moved session and its time
    before."""
    Commitment.objects.filter(
        source_uuid=session.uuid, person=people[-1].registration.attendee
    ).delete()
    before = (session.starts_at, session.ends_at)
    moved = move_session(
        session=session, starts_at=meeting.starts_at, ends_at=meeting.ends_at
    )
    return moved, before


def test_each_holder_follows_the_move_or_gives_way_to_their_meeting():
    people, meeting, session = _seated(4)

    moved, before = _move_onto_meeting(people, meeting, session)

    assert _seat_rows(session) == _expected(people, moved, before)


def test_a_clash_met_while_writing_falls_back_to_one_holder_at_a_time(monkeypatch):
    people, meeting, session = _seated(4)

    def refused(session, free):
        raise IntegrityError("conflicting key value violates exclusion constraint")

    monkeypatch.setattr(commitments, "_hold_seats", refused)
    moved, before = _move_onto_meeting(people, meeting, session)

    assert _seat_rows(session) == _expected(people, moved, before)


@pytest.mark.parametrize("count", [3, 8])
def test_following_a_move_costs_the_same_queries_for_any_number_of_seats(count):
    people, meeting, session = _seated(count)
    session.starts_at += timedelta(minutes=5)
    session.ends_at += timedelta(minutes=5)

    with CaptureQueriesContext(connection) as queries:
        held = commitments.follow_session(session)

    assert held == count
    # holders, busy ones, savepoint, held rows, update, savepoint released
    assert len(queries) == 6
