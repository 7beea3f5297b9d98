"""An organiser composes a message with a placeholder, watches the count follow
the filters, previews it as one recipient, sends a test to themselves, confirms
and sees the progress, under the Content-Security-Policy and axe."""

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from events.models import EventOrganiser
from notifications.models import Broadcast
from tests.conftest import MfaVerifiedClient
from tests.e2e.browser import axe_violations, csp_violations
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, user) -> None:
    client = MfaVerifiedClient()
    client.force_login(user)
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


def test_compose_preview_test_send_and_send(live_server, page):
    base = live_server.url
    event = EventFactory(title="Spring Forum", slug="spring-forum")
    owner = EventOrganiserFactory(
        event=event, role=EventOrganiser.Role.OWNER, user__email="office@example.org"
    ).user
    speakers = RegistrationTypeFactory(event=event, name="Speaker")
    RegistrationFactory(
        event=event,
        registration_type=speakers,
        attendee__email="ada@example.org",
        attendee__name="Ada Lovelace",
    )
    RegistrationFactory(event=event, attendee__email="bo@example.org")
    sign_in(page, base, owner)
    mail.outbox = []

    page.goto(f"{base}/organise/spring-forum/messages/")
    page.get_by_role("link", name="Write a message").click()
    count = page.locator("#recipient-count")
    page.get_by_label("Speaker").check()
    expect(count).to_have_text("1 person receives this message.")
    page.get_by_label("Speaker").uncheck()
    expect(count).to_have_text("2 people receive this message.")
    assert serious(page) == []

    english = page.get_by_role("group", name="English")
    english.get_by_label("Subject").fill("Bus times for {name}")
    english.get_by_label("Message").fill("The bus leaves at 9.\n{{ not a template }}")
    page.get_by_role("button", name="Save and preview").click()

    page.get_by_label("Show it as received by").select_option(
        label="Ada Lovelace <ada@example.org>"
    )
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#preview-subject")).to_have_text("Bus times for Ada Lovelace")
    expect(page.locator("#preview-text")).to_contain_text(
        "The bus leaves at 9.\n{{ not a template }}"
    )
    frame = page.frame_locator("iframe.message-html")
    expect(frame.locator("main")).to_contain_text("{{ not a template }}")
    assert serious(page) == []

    page.get_by_role("button", name="Send a test to me").click()
    expect(page.get_by_role("status").first).to_contain_text("office@example.org")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["office@example.org"], "[Test] Bus times for Ada Lovelace")
    ]

    page.get_by_role("link", name="Send to everyone…").click()
    expect(page.locator(".confirm-count")).to_contain_text("2 people")
    assert serious(page) == []
    page.get_by_role("button", name="Send to 2 people").click()

    progress = page.locator("#message-progress")
    expect(progress.locator(".count-sent dd")).to_have_text("2")
    expect(progress.locator(".count-failed dd")).to_have_text("0")
    expect(progress).to_contain_text("Done.")
    assert sorted(m.to[0] for m in mail.outbox[1:]) == [
        "ada@example.org",
        "bo@example.org",
    ]
    assert Broadcast.objects.get().sent_by == owner
    assert serious(page) == []
    assert csp_violations(page) == []
