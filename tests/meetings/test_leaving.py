"""A participant who leaves: their meetings and requests end, the other is told."""

from datetime import timedelta

import pytest

from events.services import cancel_session, move_session, restore_session
from meetings.models import Meeting, MeetingFact, MeetingRequest
from meetings.services.accepting import accept
from meetings.services.requests import request_meeting
from notifications.models import Message
from registrations.models import Commitment
from registrations.services.registering import cancel_registration
from registrations.services.seats import take_seat
from tests.factories import SessionFactory

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


def ask(block, a, b, index=0):
    return request_meeting(
        requester=a, recipient=b, block=block, slot_start=slot(block, index)
    )


def test_cancelled_registration_cancels_meetings_and_requests_and_tells_the_other(
    django_capture_on_commit_callbacks,
):
    event, block = meeting_event(slots=3)
    aino, bo, cai = person(event, "Aino"), person(event, "Bo"), person(event, "Cai")
    meeting = accept(request=ask(block, aino, bo, 0))
    ask(block, cai, aino, 1)
    others = ask(block, bo, cai, 2)
    Message.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=aino.registration)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.sequence == 1
    assert (
        Commitment.objects.filter(
            source_uuid=meeting.uuid, status=Commitment.Status.ACTIVE
        ).count()
        == 0
    )
    assert list(
        MeetingRequest.objects.order_by("pk").values_list("status", flat=True)
    ) == ["cancelled", "cancelled", "pending"]
    assert others.pk == MeetingRequest.objects.get(status="pending").pk
    facts = MeetingFact.objects.filter(verb="cancelled").order_by("pk")
    assert [(f.details["reason"], f.details["left"]) for f in facts] == [
        ("registration_ended", aino.pk),
        ("registration_ended", aino.pk),
    ]
    told = Message.objects.filter(kind="meeting_news").order_by("to_email")
    assert sorted(m.recipient_id for m in told) == sorted(
        [bo.registration.attendee_id, cai.registration.attendee_id]
    )
    assert all("no longer taking part" in m.body_text for m in told)
    assert all(m.subject == f"Meeting cancelled: {event.title}" for m in told)


def test_meeting_facts_are_told_exactly_once(django_capture_on_commit_callbacks):
    event, block = meeting_event(slots=2)
    aino, bo = person(event, "Aino"), person(event, "Bo")

    with django_capture_on_commit_callbacks(execute=True):
        request = ask(block, aino, bo, 0)
    with django_capture_on_commit_callbacks(execute=True):
        accept(request=request, actor=bo.registration.attendee)

    from notifications.services.meeting_news import compose_meeting_facts

    compose_meeting_facts(MeetingFact.objects.values_list("pk", flat=True))
    told = Message.objects.filter(kind="meeting_news").order_by("pk")
    assert [(m.recipient_id, m.subject) for m in told] == [
        (bo.registration.attendee_id, f"Meeting request from Aino: {event.title}"),
        (aino.registration.attendee_id, f"Bo accepted your meeting: {event.title}"),
    ]
    assert "table T01" in told[1].body_text


def test_moved_session_moves_its_seat_commitments_with_the_sequence():
    event, block = meeting_event(slots=3)
    aino = person(event, "Aino")
    start = slot(block, 0) - timedelta(hours=2)
    session = SessionFactory(
        event=event,
        signup_required=True,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
    )
    take_seat(registration=aino.registration, session=session)

    moved = move_session(
        session=session,
        starts_at=start + timedelta(hours=1),
        ends_at=start + timedelta(hours=1, minutes=45),
    )

    row = Commitment.objects.get(kind="seat", source_uuid=session.uuid)
    assert (row.status, row.starts_at, row.ends_at, row.sequence) == (
        "active",
        start + timedelta(hours=1),
        start + timedelta(hours=1, minutes=45),
        moved.sequence,
    )
    assert moved.sequence == 1


def test_session_moved_onto_a_meeting_keeps_the_meeting_and_releases_the_seat_hold():
    event, block = meeting_event(slots=3)
    aino, bo = person(event, "Aino"), person(event, "Bo")
    meeting = accept(request=ask(block, aino, bo, 1))
    start = slot(block, 0) - timedelta(hours=2)
    session = SessionFactory(
        event=event,
        signup_required=True,
        starts_at=start,
        ends_at=start + timedelta(minutes=20),
    )
    take_seat(registration=aino.registration, session=session)

    moved = move_session(
        session=session, starts_at=slot(block, 1), ends_at=meeting.ends_at
    )

    seat = Commitment.objects.get(kind="seat", source_uuid=session.uuid)
    assert (seat.status, seat.sequence) == ("cancelled", moved.sequence)
    assert (
        Commitment.objects.filter(source_uuid=meeting.uuid, status="active").count()
        == 2
    )


def test_seat_holds_its_time_again_when_the_session_moves_off_the_meeting():
    event, block = meeting_event(slots=3)
    aino, bo = person(event, "Aino"), person(event, "Bo")
    meeting = accept(request=ask(block, aino, bo, 1))
    start = slot(block, 0) - timedelta(hours=2)
    session = SessionFactory(
        event=event,
        signup_required=True,
        starts_at=start,
        ends_at=start + timedelta(minutes=20),
    )
    take_seat(registration=aino.registration, session=session)
    move_session(session=session, starts_at=slot(block, 1), ends_at=meeting.ends_at)

    back = move_session(session=session, starts_at=start, ends_at=slot(block, 0))

    held = Commitment.objects.filter(
        kind="seat", source_uuid=session.uuid, status="active"
    )
    assert [(c.starts_at, c.ends_at, c.sequence) for c in held] == [
        (start, slot(block, 0), back.sequence)
    ]


def test_restored_session_holds_its_seats_time_again():
    event, block = meeting_event(slots=3)
    aino = person(event, "Aino")
    start = slot(block, 0) - timedelta(hours=2)
    session = SessionFactory(
        event=event,
        signup_required=True,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
    )
    take_seat(registration=aino.registration, session=session)
    cancel_session(session=session)

    restored = restore_session(session=session)

    held = Commitment.objects.filter(
        kind="seat", source_uuid=session.uuid, status="active"
    )
    assert [(c.starts_at, c.sequence) for c in held] == [(start, restored.sequence)]
