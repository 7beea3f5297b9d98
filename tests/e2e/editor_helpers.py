"""What the timetable editor's browser tests share: the Spring Forum with two
rooms and its opening plenary, signing in, opening the editor on the first day."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from tests.conftest import MfaVerifiedClient
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RoomFactory,
    SessionFactory,
    VenueFactory,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
DESKTOP = {"width": 1280, "height": 900}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 5, day, hour, minute, tzinfo=HELSINKI)


def forum_with_rooms() -> dict:
    """The event, its owner, the rooms Kaleva and Lumituuli, and the opening
    plenary in Kaleva at 10:00 on the first day ("talk")."""
    event = EventFactory(
        slug="spring-forum", title="Spring Forum", starts_at=at(6, 9),
        ends_at=at(8, 17), venue=VenueFactory(name="Dipoli"),
    )  # fmt: skip
    owner = EventOrganiserFactory(event=event, role="owner").user
    kaleva = RoomFactory(venue=event.venue, name="Kaleva", capacity=450)
    lumi = RoomFactory(venue=event.venue, name="Lumituuli", capacity=40)
    talk = SessionFactory(
        event=event, title="Opening plenary", room=kaleva,
        starts_at=at(6, 10), ends_at=at(6, 11),
    )  # fmt: skip
    return {"event": event, "owner": owner, "talk": talk, "rooms": (kaleva, lumi)}


def sign_in(page, live_server, user):
    client = MfaVerifiedClient()
    client.force_login(user)
    page.context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME,
         "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
         "url": live_server.url},
    ])  # fmt: skip


def editor(page, live_server, world, snap=15):
    path = reverse("organise:schedule", args=[world["event"].slug])
    page.goto(f"{live_server.url}{path}?day=2030-05-06&snap={snap}")


def row_height(page) -> float:
    return page.evaluate(
        """() => { const g = document.getElementById('ed-grid');
        const head = g.querySelector('.ed-room').getBoundingClientRect();
        return (g.scrollHeight - (head.bottom - g.getBoundingClientRect().top))
               / parseInt(g.dataset.rows, 10); }"""
    )
