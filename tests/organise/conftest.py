"""The organiser pages' shared world: an event in Helsinki with its owner."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from events.models import EventOrganiser
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RoomFactory,
    VenueFactory,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
Role = EventOrganiser.Role


def helsinki(*args) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


@pytest.fixture
def forum(db):
    """Spring Forum, 6–8 May 2030 in Helsinki (UTC+3), at Dipoli."""
    return EventFactory(
        slug="spring-forum",
        title="Spring Forum",
        starts_at=helsinki(2030, 5, 6, 9, 0),
        ends_at=helsinki(2030, 5, 8, 17, 0),
        venue=VenueFactory(name="Dipoli"),
    )


@pytest.fixture
def kaleva(forum):
    return RoomFactory(venue=forum.venue, name="Kaleva", capacity=450)


@pytest.fixture
def owner(forum):
    return EventOrganiserFactory(event=forum, role=Role.OWNER).user


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def signed_in(client, event, role):
    client.force_login(EventOrganiserFactory(event=event, role=role).user)
    return client
