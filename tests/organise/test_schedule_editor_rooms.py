"""The editor's check and move: which rooms they accept, and what they cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Session
from tests.factories import (
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSeatFactory,
    SpeakerFactory,
    VenueFactory,
)

from .conftest import helsinki

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk(forum, kaleva):
    session = SessionFactory(
        event=forum,
        title="Opening",
        room=kaleva,
        starts_at=helsinki(2030, 5, 6, 10, 0),
        ends_at=helsinki(2030, 5, 6, 11, 0),
        capacity=30,
    )
    session.speakers.add(SpeakerFactory(event=forum), SpeakerFactory(event=forum))
    return session


def fields(session, room, hour=12):
    return {
        "starts_at": f"2030-05-06T{hour}:00",
        "ends_at": f"2030-05-06T{hour}:45",
        "room": room if isinstance(room, str) else room.pk,
        "edit_count": session.edit_count,
    }


def post(client, name, session, data):
    url = reverse(f"organise:schedule_{name}", args=[session.event.slug, session.pk])
    return client.post(url, data)


def test_a_room_of_a_venue_the_event_does_not_use_is_refused(owner_client, talk):
    foreign = RoomFactory(venue=VenueFactory(name="Elsewhere"), name="Foreign")

    checked = post(owner_client, "check", talk, fields(talk, foreign)).json()
    moved = post(owner_client, "move", talk, fields(talk, foreign))

    assert checked["allowed"] is False
    assert "is not one of the available choices" in checked["hard"][0]
    assert moved.status_code == 422
    talk.refresh_from_db()
    assert talk.edit_count == 0


def test_a_room_of_another_venue_the_event_uses_is_allowed(owner_client, forum, talk):
    annex = RoomFactory(venue=VenueFactory(name="Annex"), name="Annex 1")
    SessionFactory(
        event=forum,
        room=RoomFactory(venue=annex.venue),
        starts_at=helsinki(2030, 5, 7, 10, 0),
        ends_at=helsinki(2030, 5, 7, 11, 0),
    )

    checked = post(owner_client, "check", talk, fields(talk, annex)).json()
    moved = post(owner_client, "move", talk, fields(talk, annex))

    assert checked == {"allowed": True, "hard": [], "soft": []}
    assert moved.status_code == 200
    talk.refresh_from_db()
    assert talk.room == annex


@pytest.mark.parametrize("room", ["", "abc", "999999"])
def test_no_room_or_a_bad_one_is_answered_without_an_error(owner_client, talk, room):
    checked = post(owner_client, "check", talk, fields(talk, room))

    assert checked.status_code == 200
    assert checked.json()["allowed"] is (room == "")


def _costs(client, session, room, hour):
    session.refresh_from_db()
    with CaptureQueriesContext(connection) as check:
        answer = post(client, "check", session, fields(session, room, hour))
        assert answer.json()["allowed"] is True
    with CaptureQueriesContext(connection) as move:
        assert (
            post(client, "move", session, fields(session, room, hour)).status_code
            == 200
        )
    return len(check), len(move)


def _fill_the_day(forum):
    """Four more rooms with a session every hour, each with a speaker and a seat
    holder."""
    for room in [RoomFactory(venue=forum.venue) for _ in range(4)]:
        for hour in range(8, 18):
            other = SessionFactory(
                event=forum,
                room=room,
                starts_at=helsinki(2030, 5, 6, hour, 0),
                ends_at=helsinki(2030, 5, 6, hour, 50),
            )
            other.speakers.add(SpeakerFactory(event=forum))
            SessionSeatFactory(
                session=other, registration=RegistrationFactory(event=forum)
            )


def test_check_and_move_cost_the_same_queries_however_full_the_day(
    owner_client, forum, kaleva, talk
):
    SessionSeatFactory(session=talk, registration=RegistrationFactory(event=forum))
    quiet = _costs(owner_client, talk, RoomFactory(venue=forum.venue), hour=12)
    _fill_the_day(forum)

    full = _costs(owner_client, talk, kaleva, hour=14)

    assert full == quiet
    assert Session.objects.filter(event=forum).count() == 41
