"""Two participants in a real browser: one asks to meet, the other accepts, and
both find the meeting with its table in their schedule."""

import re

import pytest
from django.conf import settings

from tests.conftest import MfaVerifiedClient
from tests.e2e.browser import axe_violations, csp_violations
from tests.meetings.helpers import meeting_event, person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in_as(page, base: str, user) -> None:
    client = MfaVerifiedClient()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )


def serious(page) -> list[str]:
    found = axe_violations(page)
    return found["critical"] + found["serious"]


def test_request_accept_and_both_see_the_meeting_with_its_table(live_server, page):
    event, _block = meeting_event(slots=3, tables=2)
    aino = person(event, "Aino Virtanen", organisation="University of Helsinki")
    bo = person(event, "Bo Svensson", organisation="Uppsala University")
    base = f"{live_server.url}/events/{event.slug}/meetings"

    sign_in_as(page, live_server.url, aino.registration.attendee)
    page.goto(f"{base}/people/")
    assert serious(page) == []
    page.get_by_role("link", name=re.compile("Ask to meet")).click()
    page.get_by_label("Message").fill("Shall we talk about blended programmes?")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(f"{base}/")
    assert "Your request is sent." in page.locator("body").inner_text()

    sign_in_as(page, live_server.url, bo.registration.attendee)
    page.goto(f"{base}/")
    assert "Shall we talk about blended programmes?" in page.content()
    assert serious(page) == []
    page.get_by_role("button", name="Accept").click()
    page.wait_for_url(f"{base}/")
    assert "Meeting confirmed at table T01." in page.locator("body").inner_text()

    for profile, other in ((bo, "Aino Virtanen"), (aino, "Bo Svensson")):
        sign_in_as(page, live_server.url, profile.registration.attendee)
        page.goto(f"{live_server.url}/registrations/schedule/")
        agenda = page.locator("main").inner_text()
        assert f"Meeting with {other}" in agenda
        assert "Table T01" in agenda
    assert csp_violations(page) == []
