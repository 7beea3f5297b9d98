"""The timetable, the star and "My schedule" in a real browser, phone and desktop.

Runs Debian's Chromium through Playwright against pytest-django's live server.
Screenshots go to $SCREENSHOT_DIR (default var/screenshots).
"""

import os
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client

from events.models import Session
from registrations.models import Bookmark
from tests.conftest import require
from tests.factories import (
    BookmarkFactory,
    EventFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSeatFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    require(
        bool(shutil.which(CHROMIUM)), "needs Debian's chromium at /usr/bin/chromium"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-gpu",
                  "--disable-background-networking"],
        )  # fmt: skip
        yield browser
        connections.close_all()
        browser.close()


def signed_in_page(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def screenshot(page, name):
    folder = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=False)


def forum():
    """A two-day forum: four halls, an opening plenary, parallel talks, a
    workshop with seats, lunch for everyone."""
    event = EventFactory(title="Nordic Mobility Forum", slug="nordic-forum")
    halls = [
        RoomFactory(venue=event.venue, name=name)
        for name in ("Aalto Hall", "Birch Room", "Cedar Room", "Dune Studio")
    ]
    tracks = [
        TrackFactory(event=event, slug="policy", name="Policy", colour="#0b5cad"),
        TrackFactory(event=event, slug="practice", name="Practice", colour="#1a7f37"),
    ]
    speakers = [
        SpeakerFactory(event=event, name=name)
        for name in ("Anna Kivelä", "Lars Berg", "Maija Salo", "Oskar Lind")
    ]
    day_start = event.starts_at + timedelta(hours=1)
    opening = SessionFactory(
        event=event, title="Opening plenary: open doors", room=halls[0],
        kind=Session.Kind.PLENARY, starts_at=day_start,
        ends_at=day_start + timedelta(minutes=45),
    )  # fmt: skip
    opening.speakers.add(speakers[0])
    titles = [
        ("Joint degrees in practice", "Recognition without borders"),
        ("Funding mobility fairly", "Green travel for exchanges"),
    ]
    talks = []
    for slot, pair in enumerate(titles):
        start = day_start + timedelta(minutes=60 + 75 * slot)
        for n, title in enumerate(pair):
            talk = SessionFactory(
                event=event, title=title, room=halls[n + 1], track=tracks[n],
                starts_at=start, ends_at=start + timedelta(minutes=60),
            )  # fmt: skip
            talk.speakers.add(speakers[(slot + n + 1) % 4])
            talks.append(talk)
    workshop = SessionFactory(
        event=event, title="Workshop: writing learning agreements", room=halls[3],
        kind=Session.Kind.WORKSHOP, signup_required=True, capacity=12,
        starts_at=day_start + timedelta(minutes=60),
        ends_at=day_start + timedelta(minutes=180),
    )  # fmt: skip
    SessionFactory(
        event=event, title="Lunch", room=None, kind=Session.Kind.BREAK,
        starts_at=day_start + timedelta(minutes=210),
        ends_at=day_start + timedelta(minutes=270),
    )  # fmt: skip
    SessionFactory(
        event=event, title="Day two keynote", room=halls[0],
        kind=Session.Kind.KEYNOTE, starts_at=day_start + timedelta(days=1),
        ends_at=day_start + timedelta(days=1, hours=1),
    )  # fmt: skip
    return event, talks, workshop


def check_timetable(page, live_server, event, talks, person):
    page.goto(f"{live_server.url}/events/{event.slug}/schedule/")
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.notReloaded = true")
    assert page.get_by_role("heading", name="Joint degrees in practice").is_visible()

    # Starring: no reload, the button shows it, the bookmark is stored.
    card = page.locator(f'article[data-session="{talks[0].uuid}"]')
    star = card.get_by_role("button", name="Bookmark")
    assert star.get_attribute("aria-pressed") == "false"
    star.click()
    page.wait_for_selector(
        f'article[data-session="{talks[0].uuid}"] button[aria-pressed="true"]'
    )
    assert Bookmark.objects.filter(user=person, session=talks[0]).count() == 1
    assert page.evaluate("window.notReloaded") is True

    # Day tabs: the second day without a reload, and the URL keeps it.
    page.get_by_role("link", name=re.compile(r"^\w+ \d+ \w+$")).nth(1).click()
    page.wait_for_selector("text=Day two keynote")
    assert "?day=" in page.url
    assert page.evaluate("window.notReloaded") is True
    assert not page.get_by_text("Joint degrees in practice").count()
    page.go_back()
    page.wait_for_selector("text=Joint degrees in practice")


def test_timetable_on_a_desktop(browser, live_server):
    event, talks, workshop = forum()
    person = UserFactory(name="Ada Lovelace")
    registration = RegistrationFactory(event=event, attendee=person)
    SessionSeatFactory(registration=registration, session=workshop)
    page = signed_in_page(browser, live_server, person, DESKTOP)

    check_timetable(page, live_server, event, talks, person)

    rooms = page.locator(".tt-room")
    assert rooms.all_inner_texts() == ["Birch Room", "Cedar Room", "Dune Studio"]
    assert rooms.first.is_visible()
    first, second = (
        page.locator(f'article[data-session="{t.uuid}"]').bounding_box()
        for t in talks[:2]
    )
    assert first["y"] == second["y"]  # side by side in their rooms' columns
    assert first["x"] < second["x"]
    workshop_card = page.locator(f'article[data-session="{workshop.uuid}"]')
    assert "11 seats left" in workshop_card.inner_text()
    assert "Your seat" in workshop_card.inner_text()
    page.reload()
    screenshot(page, "timetable-desktop.png")


def test_timetable_on_a_phone(browser, live_server):
    event, talks, _workshop = forum()
    person = UserFactory()
    page = signed_in_page(browser, live_server, person, PHONE)

    check_timetable(page, live_server, event, talks, person)

    assert not page.locator(".tt-room").first.is_visible()  # the room is on cards
    first, second = (
        page.locator(f'article[data-session="{t.uuid}"]').bounding_box()
        for t in talks[:2]
    )
    assert first["y"] < second["y"]  # one under the other: an agenda
    assert first["width"] > 300
    page.mouse.wheel(0, 900)
    bar = page.locator(".tt-bar").bounding_box()
    assert bar["y"] == 0  # the day tabs stay at hand
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "timetable-phone.png")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_my_schedule(browser, live_server, viewport):
    event, talks, workshop = forum()
    person = UserFactory()
    registration = RegistrationFactory(event=event, attendee=person)
    SessionSeatFactory(registration=registration, session=workshop)
    # Both overlap the workshop (the second talk also follows the first).
    BookmarkFactory(user=person, session=talks[0])
    BookmarkFactory(user=person, session=talks[3])
    page = signed_in_page(browser, live_server, person, viewport)

    page.goto(f"{live_server.url}/registrations/schedule/")

    assert page.get_by_role("heading", name="My schedule").is_visible()
    assert page.locator(".has-clash").count() == 3
    assert "3 sessions overlap others you chose." in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Subscribe in your calendar app").count()
    page.emulate_media(media="print")
    assert not page.locator(".subscribe-box").is_visible()
    page.emulate_media(media="screen")
    if viewport == DESKTOP:
        screenshot(page, "my-schedule.png")
