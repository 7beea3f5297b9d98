"""The timetable editor's tray and empty cells in a real browser: a session
without a time dragged onto the grid, or put there by keys alone, is placed
(and published); a click on an empty cell opens the new-session form there."""

import pytest
from django.urls import reverse

from events import services as schedule
from events.models import Session
from tests.e2e.browser import csp_violations, open_page
from tests.e2e.editor_helpers import (
    DESKTOP,
    at,
    editor,
    forum_with_rooms,
    row_height,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world = forum_with_rooms()
    world["waiting"] = schedule.create_unplaced_session(
        event=world["event"], title="Unplaced workshop", length=30
    )
    return world


def test_a_tray_session_dragged_onto_the_grid_is_placed(live_server, world):
    with open_page(viewport=DESKTOP) as page:
        sign_in(page, live_server, world["owner"])
        editor(page, live_server, world)
        item = page.locator(f"#tray-{world['waiting'].pk}").bounding_box()
        room = page.locator(".ed-room", has_text="Lumituuli").bounding_box()
        hour = page.locator(".ed-hour").nth(4).bounding_box()  # 12:00
        x, y = room["x"] + room["width"] / 2, hour["y"] + row_height(page) / 2
        page.mouse.move(item["x"] + 10, item["y"] + 5)
        page.mouse.down()
        page.mouse.move((item["x"] + x) / 2, (item["y"] + y) / 2, steps=5)
        page.mouse.move(x, y, steps=8)
        page.locator("#ed-status", has_text="Free.").wait_for()
        page.mouse.up()
        page.locator("#ed-status", has_text="Saved.").wait_for()
        waiting = Session.objects.get(pk=world["waiting"].pk)
        assert (waiting.starts_at, waiting.ends_at, waiting.room) == (
            at(6, 12), at(6, 12, 30), world["rooms"][1],
        )  # fmt: skip
        assert (waiting.in_tray, waiting.sequence) == (False, 0)
        page.locator(f"#block-{waiting.pk}").wait_for()
        assert page.locator(f"#tray-{waiting.pk}").count() == 0
        assert csp_violations(page) == []


def test_a_tray_session_is_placed_by_keys_alone(live_server, world):
    with open_page(viewport=DESKTOP) as page:
        sign_in(page, live_server, world["owner"])
        editor(page, live_server, world, snap=15)
        page.locator(f"#tray-{world['waiting'].pk}").focus()
        page.keyboard.press("ArrowDown")  # onto the grid: 09:00, first room
        page.locator("#ed-status", has_text="Free.").wait_for()
        for key in ["ArrowDown", "ArrowDown", "ArrowRight"]:
            page.keyboard.press(key)
        page.keyboard.press("Escape")  # nothing saved, back to the tray
        page.locator("#ed-status", has_text="Move cancelled.").wait_for()
        assert Session.objects.get(pk=world["waiting"].pk).starts_at is None
        assert page.evaluate("document.activeElement.id") == (
            f"tray-{world['waiting'].pk}"
        )
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowRight")
        page.locator("#ed-status", has_text="Free.").wait_for()
        page.keyboard.press("Enter")
        page.locator("#ed-status", has_text="Saved.").wait_for()
        waiting = Session.objects.get(pk=world["waiting"].pk)
        assert (waiting.starts_at, waiting.room) == (at(6, 9), world["rooms"][1])


def test_an_empty_cell_opens_the_new_session_form_there(live_server, world):
    with open_page(viewport=DESKTOP) as page:
        sign_in(page, live_server, world["owner"])
        editor(page, live_server, world)
        room = page.locator(".ed-room", has_text="Lumituuli").bounding_box()
        hour = page.locator(".ed-hour").nth(3).bounding_box()  # 11:00
        page.mouse.click(room["x"] + room["width"] / 2, hour["y"] + 2)
        page.get_by_role("heading", name="New session").wait_for()
        assert page.locator("#id_day").input_value() == "2030-05-06"
        assert page.locator("#id_starts").input_value() == "11:00"
        assert page.locator("#id_ends").input_value() == "12:00"
        assert page.locator("#id_room").input_value() == str(world["rooms"][1].pk)
        page.locator("#id_title_en").fill("From the grid")
        page.get_by_role("button", name="Save the session").click()
        page.get_by_role("heading", name="Sessions").wait_for()
        made = Session.objects.get(title="From the grid")
        assert (made.starts_at, made.room, made.in_tray) == (
            at(6, 11), world["rooms"][1], False,
        )  # fmt: skip
        path = reverse("organise:schedule", args=[world["event"].slug])
        page.goto(f"{live_server.url}{path}?day=2030-05-06")
        page.locator(f"#block-{made.pk}").wait_for()
