"""A person in a real browser: sign up, verify their email, register, take a seat.

Runs Debian's Chromium through Playwright against pytest-django's live server
(tests/e2e/browser.py), under the site's Content-Security-Policy.
"""

import os
import re
from datetime import timedelta

import pytest
from django.core import mail

from registrations.models import Registration, SessionSeat
from tests.e2e.browser import csp_violations
from tests.factories import EventFactory, SessionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_register_and_take_a_workshop_seat(live_server, page):
    event = EventFactory(title="Spring Forum", slug="spring-forum", capacity=450)
    workshop = SessionFactory(
        event=event,
        title="Workshop: Joint degrees in practice",
        signup_required=True,
        capacity=30,
        starts_at=event.starts_at + timedelta(hours=3),
    )
    base = live_server.url

    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email").fill("ada@example.org")
    page.locator("input[name=password1]").fill("a long and unusual passphrase")
    page.locator("input[name=password2]").fill("a long and unusual passphrase")
    page.locator("form button[type=submit]").last.click()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert link is not None
    page.goto(link.group(0).replace("http://testserver", base))
    page.locator("form button[type=submit]").last.click()

    page.goto(f"{base}/accounts/login/")
    if page.locator("input[name=login]").count():
        page.locator("input[name=login]").fill("ada@example.org")
        page.locator("input[name=password]").fill("a long and unusual passphrase")
        page.locator("form button[type=submit]").last.click()

    page.goto(f"{base}/events/spring-forum/register/")
    page.get_by_label(re.compile("Workshop: Joint degrees in practice")).check()
    page.get_by_role("button", name="Register").click()

    page.wait_for_url(re.compile(r"/registrations/[\w-]+/$"))
    body = page.locator("body").inner_text()
    assert "Your place is confirmed." in body
    assert "Workshop: Joint degrees in practice" in body
    registration = Registration.objects.get(attendee__email="ada@example.org")
    assert registration.status == "confirmed"
    assert registration.attendee.name == "Ada Lovelace"
    assert list(SessionSeat.objects.values_list("session", "status")) == [
        (workshop.pk, "confirmed")
    ]
    os.makedirs("var/screenshots", exist_ok=True)
    page.screenshot(path="var/screenshots/registered-390.png", full_page=True)
    assert csp_violations(page) == []
