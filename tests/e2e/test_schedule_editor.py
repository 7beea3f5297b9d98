"""The timetable editor in a real browser: a move by drag and drop, a move by
keyboard alone, a refused move showing its reason, publishing a draft, and axe
and the CSP on the editor page."""

import pytest
from django.urls import reverse

from events.models import Session
from tests.e2e.browser import axe_violations, csp_violations, open_page
from tests.e2e.editor_helpers import (
    DESKTOP,
    at,
    editor,
    forum_with_rooms,
    row_height,
    sign_in,
)
from tests.factories import EventOrganiserFactory, SessionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world = forum_with_rooms()
    event, (_kaleva, lumi) = world["event"], world["rooms"]
    world["busy"] = SessionFactory(
        event=event, title="Busy workshop", room=lumi,
        starts_at=at(6, 13), ends_at=at(6, 14),
    )  # fmt: skip
    return world


def test_a_session_moves_by_drag_and_drop(live_server, world):
    with open_page(viewport=DESKTOP) as page:
        sign_in(page, live_server, world["owner"])
        editor(page, live_server, world)
        block = page.locator(f"#block-{world['talk'].pk}")
        box = block.bounding_box()
        target = page.locator(".ed-room", has_text="Lumituuli").bounding_box()
        step = row_height(page) * 12  # one hour down, into Lumituuli
        x, y = box["x"] + box["width"] / 2, box["y"] + 8
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(target["x"] + target["width"] / 2, y + step / 2, steps=5)
        page.mouse.move(target["x"] + target["width"] / 2, y + step, steps=5)
        page.mouse.up()
        page.locator("#ed-status", has_text="Saved.").wait_for()
        talk = Session.objects.get(pk=world["talk"].pk)
        assert (talk.starts_at, talk.room) == (at(6, 11), world["rooms"][1])
        assert csp_violations(page) == []


def test_a_session_moves_by_keyboard_alone(live_server, world):
    with open_page(viewport=DESKTOP) as page:
        sign_in(page, live_server, world["owner"])
        editor(page, live_server, world, snap=15)
        page.locator(f"#block-{world['talk'].pk}").focus()
        for key in ["ArrowDown", "ArrowDown", "ArrowRight"]:
            page.keyboard.press(key)
        page.locator("#ed-status", has_text="Free.").wait_for()
        page.keyboard.press("Enter")
        page.locator("#ed-status", has_text="Saved.").wait_for()
        talk = Session.objects.get(pk=world["talk"].pk)
        assert (talk.starts_at, talk.ends_at, talk.room) == (
            at(6, 10, 30),
            at(6, 11, 30),
            world["rooms"][1],
        )
        # Escape puts a block back where it was, and nothing is saved
        page.locator(f"#block-{world['talk'].pk}").focus()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Escape")
        page.locator("#ed-status", has_text="Move cancelled.").wait_for()
        assert Session.objects.get(pk=world["talk"].pk).starts_at == at(6, 10, 30)


def test_a_refused_move_shows_its_reason(live_server, world):
    with open_page(viewport=DESKTOP) as page:
        sign_in(page, live_server, world["owner"])
        editor(page, live_server, world, snap=15)
        page.locator(f"#block-{world['talk'].pk}").focus()
        for key in ["ArrowRight"] + ["ArrowDown"] * 12:  # Lumituuli at 13:00
            page.keyboard.press(key)
        status = page.locator("#ed-status", has_text="Not allowed here:")
        status.wait_for()
        assert "Lumituuli is already booked for “Busy workshop”" in status.inner_text()
        page.keyboard.press("Enter")
        page.locator("#ed-status", has_text="already booked").wait_for()
        talk = Session.objects.get(pk=world["talk"].pk)
        assert (talk.starts_at, talk.room) == (at(6, 10), world["rooms"][0])


def test_a_draft_is_published(live_server, world):
    with open_page(viewport=DESKTOP) as page:
        sign_in(page, live_server, world["owner"])
        editor(page, live_server, world)
        page.get_by_role("button", name="Start a draft").click()
        page.locator(".banner", has_text="A draft is open").wait_for()
        page.locator(f"#block-{world['talk'].pk}").focus()
        page.keyboard.press("ArrowDown")
        page.locator("#ed-status", has_text="Free.").wait_for()
        page.keyboard.press("Enter")
        page.locator("#ed-status", has_text="Saved.").wait_for()
        assert Session.objects.get(pk=world["talk"].pk).starts_at == at(6, 10)
        page.get_by_role("link", name="See the draft").click()
        assert "Opening plenary" in page.locator("table").inner_text()
        page.get_by_role("button", name="Publish the draft").click()
        page.get_by_role("heading", name="Timetable", exact=True).wait_for()
        talk = Session.objects.get(pk=world["talk"].pk)
        assert (talk.starts_at, talk.sequence) == (at(6, 10, 15), 1)


def test_the_editor_passes_axe(live_server, world):
    with open_page(viewport=DESKTOP) as page:
        sign_in(page, live_server, world["owner"])
        editor(page, live_server, world)
        found = axe_violations(
            page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        )
        assert found["critical"] == [] and found["serious"] == []
        assert csp_violations(page) == []


def test_a_block_dropped_on_the_tray_leaves_the_timetable(live_server, world):
    with open_page(viewport=DESKTOP) as page:
        sign_in(page, live_server, world["owner"])
        editor(page, live_server, world)
        block = page.locator(f"#block-{world['talk'].pk}").bounding_box()
        tray = page.locator("#ed-tray").bounding_box()
        page.mouse.move(block["x"] + 20, block["y"] + 8)
        page.mouse.down()
        page.mouse.move(tray["x"] + 20, tray["y"] + 20, steps=8)
        page.mouse.up()
        page.locator("#ed-status", has_text="Taken to the tray.").wait_for()
        talk = Session.objects.get(pk=world["talk"].pk)
        assert (talk.in_tray, talk.status) == (True, "cancelled")
        page.locator("#ed-tray", has_text="Opening plenary").wait_for()
        assert page.locator(f"#block-{world['talk'].pk}").count() == 0


def test_the_demo_forum_in_the_editor_with_a_screenshot(live_server, monkeypatch):
    """The demo's Spring Forum, its first day, as the README shows it."""
    import os
    from pathlib import Path

    from events import demo as events_demo
    from registrations import demo as registrations_demo

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    root = Path(__file__).resolve().parents[2]
    shots = [root / "var" / "screenshots" / "organise-timetable.png"]
    readme = root / "docs" / "screenshots" / "organise-timetable.png"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1" or not readme.exists():
        shots.append(readme)
    forum, n5t = events_demo.load()
    registrations_demo.load(forum=forum, n5t=n5t)
    owner = EventOrganiserFactory(event=forum, role="owner").user
    with open_page(viewport={"width": 1400, "height": 1000}) as page:
        sign_in(page, live_server, owner)
        for day in forum.local_days():
            path = reverse("organise:schedule", args=[forum.slug])
            page.goto(f"{live_server.url}{path}?day={day}")
            assert page.locator(".ed-block").count() > 0
            if day == forum.local_days()[0]:
                for shot in shots:
                    shot.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(shot), full_page=False)
        assert csp_violations(page) == []
