"""The organiser area's programme, settings and team pages in a real browser, in
English, Finnish and Swedish, checked by axe-core (WCAG 2.1 AA): no serious or
critical violation on any of them, and none of lower impact that docs/organise.md
does not list with its reason.

Runs Debian's Chromium through Playwright against pytest-django's live server.
The owner's session is made by the test client (a completed sign-in with its
second factor) and handed to the browser as its session cookie.
"""

import json
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from events import services as schedule
from registrations.services.questions import create_default_questions
from tests.conftest import MfaVerifiedClient, require
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RegistrationTypeFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    VenueFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
HELSINKI = ZoneInfo("Europe/Helsinki")
LANGUAGES = ["en", "fi", "sv"]
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
  });
  return result.violations
    .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target)}));
}"""
# Findings of lower impact that are accepted, each with its reason in
# docs/organise.md ("Accessibility"). None today.
ACCEPTED_LOWER_IMPACT: set[str] = set()


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made
    # here between browser steps are ordinary blocking calls.
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
        # The ORM calls made while Playwright's loop runs got a connection of
        # their own: close it, or the test database cannot be dropped at the end.
        connections.close_all()
        browser.close()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 5, day, hour, minute, tzinfo=HELSINKI)


def spring_forum():
    """An event with a row of every kind the pages list; its owner."""
    event = EventFactory(
        slug="spring-forum",
        title="Spring Forum",
        starts_at=at(6, 9),
        ends_at=at(8, 17),
        venue=VenueFactory(name="Dipoli"),
    )
    owner = EventOrganiserFactory(event=event, role="owner").user
    EventOrganiserFactory(event=event, role="checkin")
    kaleva = RoomFactory(venue=event.venue, name="Kaleva", capacity=450)
    track = TrackFactory(event=event, name="Strategy", colour="#8250df")
    speaker = SpeakerFactory(event=event, name="Helena Laaksonen")
    session = SessionFactory(
        event=event, title="Opening plenary", room=kaleva, track=track,
        starts_at=at(6, 9, 30), ends_at=at(6, 10, 15),
    )  # fmt: skip
    session.speakers.set([speaker])
    workshop = SessionFactory(
        event=event, title="Joint degrees workshop", room=kaleva,
        starts_at=at(7, 13), ends_at=at(7, 15), capacity=30, signup_required=True,
    )  # fmt: skip
    schedule.cancel_session(session=workshop, actor=owner)
    delegate = RegistrationTypeFactory(event=event, name="Delegate", quota=300)
    RegistrationTypeFactory(event=event, name="Student")
    create_default_questions(event)
    question = event.questions.first()
    return {
        "event": event,
        "owner": owner,
        "args": {
            "session_id": session.pk,
            "room_id": kaleva.pk,
            "venue_id": event.venue_id,
            "track_id": track.pk,
            "speaker_id": speaker.pk,
            "type_id": delegate.pk,
            "question_id": question.pk,
            "organiser_id": event.organisers.get(role="checkin").pk,
        },
    }


def organiser_pages(world) -> list[str]:
    slug = world["event"].slug
    ids = world["args"]

    def at_event(name, **kwargs):
        return reverse(f"organise:{name}", kwargs={"event": slug, **kwargs})

    pages = [reverse("organise:index"), reverse("organise:new_event")]
    pages += [
        at_event(name)
        for name in [
            "sessions", "sessions_new", "rooms", "rooms_new", "rooms_venue_new",
            "tracks", "tracks_new", "speakers", "speakers_new", "changes", "team",
            "settings_preview", "settings_types_new", "settings_questions_new",
            "schedule", "schedule_draft",
        ]
    ]  # fmt: skip
    pages += [
        at_event("settings_step", step=step)
        for step in ["basics", "time-and-place", "registration", "questions", "privacy"]
    ]
    pages += [
        at_event("sessions_edit", session_id=ids["session_id"]),
        at_event("sessions_status", session_id=ids["session_id"]),
        at_event("schedule_session", session_id=ids["session_id"]),
        at_event("rooms_edit", room_id=ids["room_id"]),
        at_event("rooms_venue_edit", venue_id=ids["venue_id"]),
        at_event("tracks_edit", track_id=ids["track_id"]),
        at_event("tracks_delete", track_id=ids["track_id"]),
        at_event("speakers_edit", speaker_id=ids["speaker_id"]),
        at_event("speakers_delete", speaker_id=ids["speaker_id"]),
        at_event("settings_types_edit", type_id=ids["type_id"]),
        at_event("settings_types_delete", type_id=ids["type_id"]),
        at_event("settings_questions_edit", question_id=ids["question_id"]),
        at_event("settings_questions_delete", question_id=ids["question_id"]),
        at_event("team_role", organiser_id=ids["organiser_id"]),
        at_event("team_remove", organiser_id=ids["organiser_id"]),
    ]
    return pages


def signed_in_context(browser, live_server, user, language: str):
    client = MfaVerifiedClient()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": live_server.url,
            },
        ]
    )
    return context


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_programme_page_passes_axe(live_server, browser, language):
    world = spring_forum()
    context = signed_in_context(browser, live_server, world["owner"], language)
    page = context.new_page()
    axe = AXE.read_text()
    failures = {}

    for path in organiser_pages(world):
        response = page.goto(f"{live_server.url}{path}")
        assert (path, response.status) == (path, 200)
        assert page.locator("html").get_attribute("lang") == language
        page.evaluate(axe)
        violations = [
            v
            for v in page.evaluate(RUN_AXE)
            if v["impact"] in {"serious", "critical"}
            or v["id"] not in ACCEPTED_LOWER_IMPACT
        ]
        if violations:
            failures[path] = violations

    assert failures == {}, json.dumps(failures, indent=1)
    context.close()


def test_a_session_is_placed_without_javascript_and_listed(live_server, browser):
    world = spring_forum()
    context = signed_in_context(browser, live_server, world["owner"], "en")
    context.set_extra_http_headers({})
    page = context.new_page()
    slug = world["event"].slug

    page.goto(f"{live_server.url}{reverse('organise:sessions_new', args=[slug])}")
    title = page.get_by_role("group", name="Title")  # a field per language
    title.get_by_label("English").fill("Closing panel")
    page.get_by_label("Kind").select_option("panel")
    page.get_by_label("Day").select_option("2030-05-08")
    page.get_by_label("Starts").fill("15:00")
    page.get_by_label("Ends").fill("16:00")
    page.get_by_label("Room").select_option(label="Kaleva (450 seats)")
    page.get_by_label("Helena Laaksonen").check()
    page.get_by_role("button", name="Save the session").click()

    page.wait_for_url(f"{live_server.url}{reverse('organise:sessions', args=[slug])}")
    row = page.get_by_role("row", name="Closing panel")
    assert "Wed 8 May, 15:00–16:00" in row.inner_text()
    assert "Helena Laaksonen" in row.inner_text()
    Path("var/screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path="var/screenshots/organise-sessions.png", full_page=True)
    context.close()
