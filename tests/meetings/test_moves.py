"""The organiser moves a meeting to another table or slot: the same guarantees
as booking, the feed's SEQUENCE goes up, and both people get one message."""

import pytest
from django.urls import reverse

from events.models import EventOrganiser
from meetings.forms import slot_value
from meetings.models import Meeting, MeetingFact, Table
from meetings.services import MeetingError
from meetings.services.accepting import accept, move_meeting
from meetings.services.requests import request_meeting
from notifications.models import Message
from notifications.services.meeting_news import compose_meeting_facts
from registrations.models import Commitment
from tests.factories import EventOrganiserFactory

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


def ask(block, a, b, index=0):
    return request_meeting(
        requester=a, recipient=b, block=block, slot_start=slot(block, index)
    )


@pytest.fixture
def booked():
    event, block = meeting_event(tables=2, slots=3)
    aino, bo, cai, dan = (person(event, n) for n in ("Aino", "Bo", "Cai", "Dan"))
    meeting = accept(request=ask(block, aino, bo, 0))
    other = accept(request=ask(block, cai, dan, 0))
    MeetingFact.objects.update(composed_at="2026-01-01T00:00Z")
    Message.objects.all().delete()
    return event, block, meeting, other, (aino, bo, cai, dan)


def move_url(event, meeting):
    return reverse(
        "organise:meetings_move",
        kwargs={"event": event.slug, "meeting_uuid": meeting.uuid},
    )


def compose():
    ids = MeetingFact.objects.filter(composed_at__isnull=True).values_list(
        "pk", flat=True
    )
    compose_meeting_facts(list(ids))
    compose_meeting_facts(list(ids))  # a second run stores nothing more


def test_the_organiser_moves_a_meeting_by_the_plain_form(client, booked):
    event, block, meeting, other, (aino, bo, *_rest) = booked
    editor = EventOrganiserFactory(event=event, role=EventOrganiser.Role.EDITOR).user
    client.force_login(editor)
    t02 = Table.objects.get(name="T02")

    page = client.get(move_url(event, meeting))
    assert page.status_code == 200
    assert "Move the meeting of Aino and Bo" in page.text
    response = client.post(
        move_url(event, meeting),
        {"slot": slot_value(block, slot(block, 2)), "table": str(t02.pk)},
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.table, meeting.starts_at, meeting.sequence) == (
        t02,
        slot(block, 2),
        1,
    )
    held = Commitment.objects.filter(source_uuid=meeting.uuid, status="active")
    assert {(c.person_id, c.starts_at, c.sequence, c.location) for c in held} == {
        (aino.registration.attendee_id, slot(block, 2), 1, "T02"),
        (bo.registration.attendee_id, slot(block, 2), 1, "T02"),
    }
    compose()
    told = Message.objects.filter(kind="meeting_news")
    assert sorted(m.recipient_id for m in told) == sorted(
        [aino.registration.attendee_id, bo.registration.attendee_id]
    )
    assert all(m.subject == f"Meeting moved: {event.title}" for m in told)
    assert all("table T02" in m.body_text for m in told)


def test_the_grid_links_each_meeting_to_its_move_form(client, booked):
    event, block, meeting, other, people = booked
    owner = EventOrganiserFactory(event=event, role=EventOrganiser.Role.OWNER).user
    client.force_login(owner)

    grid = client.get(reverse("organise:meetings", kwargs={"event": event.slug}))

    assert move_url(event, meeting) in grid.text
    assert move_url(event, other) in grid.text


def test_a_move_onto_a_taken_table_is_a_form_error_and_tells_nobody(client, booked):
    event, block, meeting, other, people = booked
    client.force_login(EventOrganiserFactory(event=event, role="editor").user)

    response = client.post(
        move_url(event, meeting),
        {"slot": slot_value(block, slot(block, 0)), "table": str(other.table_id)},
    )

    assert response.status_code == 200
    assert "Table T02 is already taken at" in response.text
    meeting.refresh_from_db()
    assert (meeting.table_id, meeting.sequence) != (other.table_id, 1)
    compose()
    assert not Message.objects.exists()


def test_a_move_onto_a_persons_other_meeting_or_request_is_refused(booked):
    event, block, meeting, other, (aino, bo, cai, dan) = booked
    ask(block, cai, aino, 1)  # pending: holds slot 1 for Aino
    with pytest.raises(MeetingError, match="Aino already has a meeting or request at"):
        move_meeting(meeting=meeting, slot_start=slot(block, 1))
    with pytest.raises(MeetingError, match="already at that table and time"):
        move_meeting(meeting=meeting, table=meeting.table)
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_the_database_refuses_a_moved_double_booking_of_a_person(booked):
    event, block, meeting, other, (aino, bo, cai, dan) = booked
    # A meeting of Aino's at slot 2 written past the services' checks: only the
    # commitments' constraint (or the locked check on SQLite) stands in the way.
    later = accept(request=ask(block, aino, cai, 2))
    later.request.slot_start = slot(block, 1)
    later.request.save()

    with pytest.raises(MeetingError, match="Aino now holds a seat or meeting at"):
        move_meeting(meeting=meeting, slot_start=slot(block, 2), table=other.table)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == (slot(block, 0), 0)
    assert Meeting.objects.filter(status="active").count() == 3


def test_check_in_staff_cannot_move_meetings(client, booked):
    event, block, meeting, other, people = booked
    client.force_login(EventOrganiserFactory(event=event, role="checkin").user)

    assert client.get(move_url(event, meeting)).status_code == 403
    response = client.post(
        move_url(event, meeting),
        {"slot": slot_value(block, slot(block, 2)), "table": str(meeting.table_id)},
    )
    assert response.status_code == 403
