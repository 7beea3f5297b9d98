"""The database's own guarantees, whatever a service checked before writing."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from meetings.models import Meeting
from meetings.services.accepting import accept
from meetings.services.requests import request_meeting
from registrations.models import Commitment
from tests.factories import UserFactory

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


def commitment(user, event, starts_at, minutes=20, **fields):
    return Commitment.objects.create(
        person=user,
        event=event,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        kind="meeting",
        source_uuid=uuid.uuid4(),
        **fields,
    )


def test_same_slot_table_refused_by_the_slot_grid_constraint():
    event, block = meeting_event(tables=1)
    people = [person(event) for _ in range(4)]
    meeting = accept(
        request=request_meeting(
            requester=people[0],
            recipient=people[1],
            block=block,
            slot_start=slot(block, 0),
        )
    )
    other = request_meeting(
        requester=people[2],
        recipient=people[3],
        block=block,
        slot_start=slot(block, 0),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            request=other,
            table=meeting.table,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
        )


@pytest.mark.postgres
def test_postgres_refuses_overlapping_commitments_of_one_person():
    event, block = meeting_event()
    user = UserFactory()
    start = slot(block, 0)
    commitment(user, event, start)
    commitment(user, event, start + timedelta(minutes=20))  # back to back: fine
    commitment(UserFactory(), event, start)  # another person: fine
    commitment(user, event, start, status="cancelled")  # cancelled: fine

    with (
        pytest.raises(IntegrityError, match="commitment_no_overlap"),
        transaction.atomic(),
    ):
        commitment(user, event, start + timedelta(minutes=10))


@pytest.mark.postgres
def test_postgres_refuses_overlapping_meetings_at_one_table():
    event, block = meeting_event(tables=1)
    people = [person(event) for _ in range(4)]
    meeting = accept(
        request=request_meeting(
            requester=people[0],
            recipient=people[1],
            block=block,
            slot_start=slot(block, 0),
        )
    )
    other = request_meeting(
        requester=people[2],
        recipient=people[3],
        block=block,
        slot_start=slot(block, 1),
    )
    with (
        pytest.raises(IntegrityError, match="meeting_table_no_overlap"),
        transaction.atomic(),
    ):
        Meeting.objects.create(
            request=other,
            table=meeting.table,
            starts_at=meeting.starts_at + timedelta(minutes=10),
            ends_at=meeting.ends_at + timedelta(minutes=10),
        )
