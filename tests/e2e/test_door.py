"""The door in a real browser on a phone: check in by camera (Chromium's fake
camera plays a video of a QR code made here), by typed code and by name; then
offline, three typed codes are judged against the downloaded list and queued,
and back online they are sent and recorded once each."""

import shutil
from pathlib import Path

import pytest
import segno
from django.db import connections

from registrations.models import CheckIn
from registrations.services import door
from tests.conftest import MfaVerifiedClient, require
from tests.e2e.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    axe_violations,
    csp_violations,
    record_csp_violations,
)
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTH, HEIGHT = 320, 240


def qr_video(code: str, path: Path, frames: int = 10) -> Path:
    """A YUV4MPEG2 video whose every frame shows the code's QR code, black on
    white (grey levels in the Y plane, no colour)."""
    matrix = [list(row) for row in segno.make(code, error="m").matrix]
    border, scale = 4, 6
    size = (len(matrix) + 2 * border) * scale
    assert size <= HEIGHT
    left, top = (WIDTH - size) // 2, (HEIGHT - size) // 2
    luma = bytearray([235]) * (WIDTH * HEIGHT)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if not dark:
                continue
            for dy in range(scale):
                start = (top + (y + border) * scale + dy) * WIDTH
                start += left + (x + border) * scale
                luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


@pytest.fixture
def people():
    event = EventFactory(title="Spring Forum", slug="spring-forum")
    names = ["Ada Camera", "Bo Typed", "Cy Byname", "Di One", "Ed Two", "Fi Three"]
    registrations = [
        RegistrationFactory(event=event, attendee=UserFactory(name=name))
        for name in names
    ]
    staff = EventOrganiserFactory(event=event, role="checkin").user
    return event, registrations, staff


def test_camera_typed_code_name_and_an_offline_queue(
    live_server, people, tmp_path, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    require(
        bool(shutil.which(CHROMIUM)), "needs Debian's chromium at /usr/bin/chromium"
    )
    from playwright.sync_api import expect, sync_playwright

    event, (ada, bo, cy, *offline), staff = people
    video = qr_video(ada.checkin_code, tmp_path / "qr.y4m")
    client = MfaVerifiedClient()
    client.force_login(staff)
    camera = [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS + camera
        )
        try:
            context = browser.new_context(viewport=PHONE)
            record_csp_violations(context)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "url": live_server.url,
                        "value": client.cookies["sessionid"].value,
                    }
                ]
            )
            page = context.new_page()
            page.goto(f"{live_server.url}/organise/spring-forum/check-in/")
            verdict = page.locator("#door-verdict")
            assert axe_violations(page)["serious"] == []
            assert axe_violations(page)["critical"] == []

            # By camera.
            page.get_by_role("button", name="Scan with the camera").click()
            expect(verdict).to_contain_text("Checked in: Ada Camera", timeout=20_000)
            page.get_by_role("button", name="Stop the camera").click()

            # By typed code (or a wedge scanner, which types it).
            field = page.get_by_label("Check-in code")
            field.fill(bo.checkin_code)
            field.press("Enter")
            expect(verdict).to_contain_text("Checked in: Bo Typed")
            field.fill(bo.checkin_code)
            field.press("Enter")
            expect(verdict).to_contain_text("Already checked in: Bo Typed")
            expect(verdict).to_have_class("verdict verdict-amber")

            # By name, one tap.
            page.get_by_label("Name, email or affiliation").fill("Byname")
            page.get_by_role("button", name="Search").click()
            page.get_by_role("button", name="Check in Cy Byname").click()
            expect(verdict).to_contain_text("Checked in: Cy Byname")
            expect(page.locator("#door-count")).to_contain_text("Checked in: 3 of 6")

            # Offline: the downloaded list decides, the scans wait in a queue.
            roster_key = f"kokous-door-roster-{door.main_list(event).pk}"
            page.wait_for_function(f"() => localStorage.getItem({roster_key!r})")
            context.set_offline(True)
            expect(page.locator("#door-offline")).to_be_visible()
            for registration in offline:
                field.fill(registration.checkin_code)
                field.press("Enter")
                name = registration.attendee.name
                expect(verdict).to_contain_text(f"Checked in: {name}")
            expect(page.locator("#door-queue")).to_contain_text(
                "Scans waiting to be sent: 3"
            )
            assert CheckIn.objects.filter(registration__in=offline).count() == 0

            context.set_offline(False)
            expect(page.locator("#door-queue")).to_contain_text("Queued scans sent: 3")
            expect(page.locator("#door-offline")).to_be_hidden()
            expect(page.locator("#door-count")).to_contain_text("Checked in: 6 of 6")
            assert csp_violations(page) == []
        finally:
            connections.close_all()
            browser.close()

    main = door.main_list(event)
    admitted = CheckIn.objects.filter(checkin_list=main, outcome="admitted")
    assert sorted(
        admitted.values_list("registration__attendee__name", flat=True)
    ) == sorted(r.attendee.name for r in (ada, bo, cy, *offline))
    assert admitted.filter(offline=True).count() == 3


def test_the_door_reopens_offline_finds_a_name_and_syncs_its_tap_once(
    live_server, people, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    require(
        bool(shutil.which(CHROMIUM)), "needs Debian's chromium at /usr/bin/chromium"
    )
    from playwright.sync_api import expect, sync_playwright

    event, (ada, _bo, _cy, di, *_rest), staff = people
    client = MfaVerifiedClient()
    client.force_login(staff)
    main = door.main_list(event)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport=PHONE)
            record_csp_violations(context)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "url": live_server.url,
                        "value": client.cookies["sessionid"].value,
                    }
                ]
            )
            page = context.new_page()
            page.goto(f"{live_server.url}/organise/spring-forum/check-in/")
            page.wait_for_function("() => navigator.serviceWorker.controller")
            page.wait_for_function(
                f"() => localStorage.getItem('kokous-door-roster-{main.pk}')"
            )
            page.reload()  # the worker keeps the page as the server gave it now
            expect(page.locator("#door-count")).to_contain_text("Checked in: 0 of 6")
            # Meanwhile another device admits Ada: the network's page would say 1.
            door.scan(checkin_list=main, code=ada.checkin_code)

            context.set_offline(True)
            page.reload()
            expect(page.locator("h1")).to_have_text("Check-in: Main entrance")
            expect(page.locator("#door-count")).to_contain_text("Checked in: 0 of 6")
            expect(page.locator("#door-offline")).to_be_visible()
            page.get_by_label("Name, email or affiliation").fill("one di")
            page.get_by_role("button", name="Search").click()
            page.get_by_role("button", name="Check in Di One").click()
            expect(page.locator("#door-verdict")).to_contain_text("Checked in: Di One")
            expect(page.locator("#door-queue")).to_contain_text(
                "Scans waiting to be sent: 1"
            )
            assert not CheckIn.objects.filter(registration=di).exists()

            context.set_offline(False)
            expect(page.locator("#door-queue")).to_contain_text("Queued scans sent: 1")
            expect(page.locator("#door-count")).to_contain_text("Checked in: 2 of 6")
            page.reload()  # online again: a sync does not send the tap twice
            expect(page.locator("#door-count")).to_contain_text("Checked in: 2 of 6")
            assert csp_violations(page) == []
        finally:
            connections.close_all()
            browser.close()

    assert CheckIn.objects.filter(registration=di, offline=True).count() == 1
