"""Every state change of a meeting request, and its refusals."""

import pytest
from django.utils import timezone

from meetings.models import Meeting, MeetingFact, MeetingRequest
from meetings.services import MeetingError
from meetings.services.accepting import accept, cancel_meeting
from meetings.services.requests import (
    counter_propose,
    decline,
    expire_requests,
    request_meeting,
    withdraw,
)
from registrations.models import Commitment

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    event, block = meeting_event()
    return event, block, person(event, "Aino"), person(event, "Bo")


def ask(block, a, b, index=0, message="Shall we talk about exchanges?"):
    return request_meeting(
        requester=a,
        recipient=b,
        block=block,
        slot_start=slot(block, index),
        message=message,
    )


def facts(request):
    return list(
        MeetingFact.objects.filter(request=request).values_list("verb", flat=True)
    )


def test_sent_request_is_pending_and_expires_by_the_event_setting(setup):
    _event, block, a, b = setup
    before = timezone.now()

    request = ask(block, a, b)

    assert request.status == "pending"
    assert request.message == "Shall we talk about exchanges?"
    # Default expiry two days; the slot is a month away.
    assert (request.expires_at - before).days == 2
    assert facts(request) == ["requested"]


def test_accepted_request_becomes_a_meeting_at_a_table_held_by_both(setup):
    _event, block, a, b = setup
    request = ask(block, a, b)

    meeting = accept(request=request, actor=b.registration.attendee)

    request.refresh_from_db()
    assert request.status == "accepted"
    assert meeting.table.name == "T01"
    assert (meeting.starts_at, meeting.ends_at) == (
        request.slot_start,
        request.slot_end,
    )
    held = Commitment.objects.filter(source_uuid=meeting.uuid, status="active")
    assert sorted(c.person_id for c in held) == sorted(
        [a.registration.attendee_id, b.registration.attendee_id]
    )
    assert {c.kind for c in held} == {"meeting"}
    assert facts(request) == ["requested", "accepted"]


def test_declined_request_keeps_its_reason_and_frees_the_slot(setup):
    _event, block, a, b = setup
    request = ask(block, a, b)

    decline(request=request, reason="Not my field", actor=b.registration.attendee)

    request.refresh_from_db()
    assert (request.status, request.reason) == ("declined", "Not my field")
    assert ask(block, a, b).status == "pending"  # the same slot again
    assert facts(request) == ["requested", "declined"]


def test_counter_proposal_is_a_new_request_the_other_way_for_another_slot(setup):
    _event, block, a, b = setup
    request = ask(block, a, b, 0)

    proposal = counter_propose(
        request=request,
        slot_start=slot(block, 2),
        message="Later?",
        actor=b.registration.attendee,
    )

    request.refresh_from_db()
    assert request.status == "countered"
    assert (proposal.requester, proposal.recipient) == (b, a)
    assert (proposal.slot_start, proposal.status) == (slot(block, 2), "pending")
    assert proposal.replaces == request
    assert facts(request) == ["requested", "countered"]
    assert accept(request=proposal, actor=a.registration.attendee).starts_at == slot(
        block, 2
    )


def test_expired_request_frees_both_slots(setup):
    event, block, a, b = setup
    c = person(event, "Cai")
    request = ask(block, a, b)
    with pytest.raises(MeetingError, match="Bo already has a meeting or request"):
        ask(block, c, b)
    with pytest.raises(MeetingError, match="Aino already has a meeting or request"):
        ask(block, c, a)

    assert expire_requests(now=request.expires_at) == 1

    request.refresh_from_db()
    assert request.status == "expired"
    assert facts(request) == ["requested", "expired"]
    assert ask(block, c, b).status == "pending"
    assert ask(block, a, person(event, "Dan")).status == "pending"
    assert expire_requests(now=request.expires_at) == 0  # nothing twice


def test_an_expired_request_cannot_be_accepted(setup):
    _event, block, a, b = setup
    request = ask(block, a, b)
    MeetingRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now())

    with pytest.raises(MeetingError, match="This request has expired."):
        accept(request=request)


def test_withdrawn_request_is_cancelled(setup):
    _event, block, a, b = setup
    request = ask(block, a, b)

    withdraw(request=request, actor=a.registration.attendee)

    request.refresh_from_db()
    assert request.status == "cancelled"
    assert facts(request) == ["requested", "cancelled"]


def test_cancelled_meeting_frees_the_slot_and_its_commitments(setup):
    event, block, a, b = setup
    meeting = accept(request=ask(block, a, b))

    cancel_meeting(
        meeting=meeting, reason="Flight moved", actor=a.registration.attendee
    )

    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)
    assert meeting.request.status == "cancelled"
    assert meeting.request.reason == "Flight moved"
    assert not Commitment.objects.filter(source_uuid=meeting.uuid, status="active")
    assert facts(meeting.request) == ["requested", "accepted", "cancelled"]
    again = accept(request=ask(block, person(event, "Cai"), b))
    assert again.table.name == "T01"  # the table is free again too


def test_only_the_recipient_answers(setup):
    event, block, a, b = setup
    request = ask(block, a, b)

    with pytest.raises(MeetingError, match="This request is not yours to answer."):
        accept(request=request, actor=a.registration.attendee)
    with pytest.raises(MeetingError, match="This request is not yours to answer."):
        decline(request=request, actor=person(event, "Cai").registration.attendee)
    request.refresh_from_db()
    assert request.status == "pending"
    assert Meeting.objects.count() == 0


def test_answering_twice_is_refused_clearly(setup):
    _event, block, a, b = setup
    request = ask(block, a, b)
    accept(request=request)

    with pytest.raises(
        MeetingError, match=r"no longer waiting for an answer \(Accepted\)"
    ):
        decline(request=request)
