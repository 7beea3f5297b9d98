"""An organiser in a real browser, on a phone: finds people, ticks two, chooses to
cancel them, reads the confirmation, confirms, and sees it done. axe finds no
accessibility violations on the list or the confirmation page."""

import shutil
from pathlib import Path

import pytest
from django.db import connections

from registrations.models import Registration
from registrations.services.questions import create_default_questions
from tests.conftest import MfaVerifiedClient, require
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture
def browser_context(monkeypatch):
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
        yield browser.new_context(viewport={"width": 390, "height": 844})
        connections.close_all()
        browser.close()


def axe_violations(page) -> list[str]:
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run()")
    return [f"{v['id']}: {v['help']}" for v in result["violations"]]


def test_an_organiser_cancels_two_people_after_confirming(live_server, browser_context):
    event = EventFactory(title="Spring Forum", slug="spring-forum")
    create_default_questions(event)
    for name in ("Ada Lovelace", "Bob Berg", "Cy Clark"):
        RegistrationFactory(event=event, attendee=UserFactory(name=name))
    owner = EventOrganiserFactory(event=event).user
    client = MfaVerifiedClient()
    client.force_login(owner)
    browser_context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = browser_context.new_page()

    page.goto(f"{live_server.url}/organise/spring-forum/registrations/")
    list_violations = axe_violations(page)
    page.get_by_role("checkbox", name="Ada Lovelace").check()
    page.get_by_role("checkbox", name="Bob Berg").check()
    page.get_by_label("Action").select_option("cancel")
    page.get_by_role("button", name="Continue…").click()

    confirmation = page.locator("main").inner_text()
    confirm_violations = axe_violations(page)
    page.get_by_label("Email them about it").uncheck()
    page.get_by_role("button", name="Cancel: 2 people").click()
    page.wait_for_url("**/registrations/actions/*/")

    assert (list_violations, confirm_violations) == ([], [])
    assert "2 registrations will be cancelled." in confirmation
    assert "Ada Lovelace" in confirmation and "Bob Berg" in confirmation
    assert "Cy Clark" not in confirmation
    assert "Done: 2 of 2 changed." in page.locator("main").inner_text()
    assert dict(Registration.objects.values_list("attendee__name", "status")) == {
        "Ada Lovelace": "cancelled",
        "Bob Berg": "cancelled",
        "Cy Clark": "confirmed",
    }
