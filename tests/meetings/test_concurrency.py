"""Real parallel accepts on PostgreSQL: no person or table is booked twice.

Each thread has its own database connection; a gate releases them together so
the accepts really race (at most 16 at a time: the server is shared).
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from meetings.models import Meeting, MeetingRequest
from meetings.services import MeetingError
from meetings.services.accepting import accept
from meetings.services.requests import request_meeting
from registrations.models import Commitment

from .helpers import meeting_event, person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REFUSALS = ("No table is free at ", " now holds a seat or meeting at ")


def race(calls, workers=16):
    """Run every call, `workers` at once, each thread with its own connection."""
    gate = threading.Event()
    outcomes = []

    def run(call):
        gate.wait()
        try:
            outcomes.append(("accepted", call()))
        except MeetingError as refusal:
            outcomes.append(("refused", str(refusal)))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run, call) for call in calls]
        gate.set()
        for future in futures:
            future.result()  # anything but a MeetingError fails the test here
    return outcomes


def test_fifty_parallel_accepts_sharing_people_and_slots_with_too_few_tables():
    event, block = meeting_event(tables=4, slots=3)
    people = [person(event, f"P{n:02d}") for n in range(24)]
    starts = block.slot_starts()
    requests = []
    for index, start in enumerate(starts):
        # Twelve disjoint pairs per slot, paired differently in each slot.
        order = people[index:] + people[:index]
        pairs = [(order[2 * i], order[2 * i + 1]) for i in range(12)]
        requests += [
            request_meeting(requester=a, recipient=b, block=block, slot_start=start)
            for a, b in pairs
        ]
        # Rows the services would refuse (a slot is held for both), written
        # directly: the database alone must keep these people single-booked.
        extra = 5 if index < 2 else 4
        requests += [
            MeetingRequest.objects.create(
                requester=pairs[i][0],
                recipient=pairs[i + 1][1],
                block=block,
                slot_start=start,
                expires_at=timezone.now() + timedelta(days=1),
            )
            for i in range(extra)
        ]
    assert len(requests) == 50

    outcomes = race([lambda r=r: accept(request=r) for r in requests])

    assert len(outcomes) == 50
    refusals = [text for kind, text in outcomes if kind == "refused"]
    assert all(any(part in text for part in REFUSALS) for text in refusals), refusals
    meetings = list(Meeting.objects.filter(status="active"))
    # Four tables in each of three slots, every one filled: a free pair is
    # refused only for want of a table.
    assert len(meetings) == 12 == 50 - len(refusals)
    assert max(Counter((m.table_id, m.starts_at) for m in meetings).values()) == 1
    booked = Counter()
    for meeting in meetings:
        request = meeting.request
        for profile in (request.requester, request.recipient):
            booked[(profile.pk, meeting.starts_at)] += 1
    assert max(booked.values()) == 1
    held = Commitment.objects.filter(status="active", kind="meeting")
    assert held.count() == 24
    assert Counter(held.values_list("person_id", "starts_at")).most_common(1)[0][1] == 1
