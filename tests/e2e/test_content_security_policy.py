"""Under the site's Content-Security-Policy, a real browser reports no violation on
any page: public pages, account pages (MFA set-up with its QR code included), the
admin and the organiser area. The recorder itself is shown to catch violations."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from playwright.sync_api import expect

from events.models import Event
from registrations.models import PersonalCalendar
from tests.conftest import MfaVerifiedClient
from tests.e2e.browser import axe_violations, csp_violations, settle
from tests.factories import (
    EventFactory,
    InvitationFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    TrackFactory,
    UserFactory,
)
from tests.totp import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long and unusual passphrase"  # noqa: S105


def visit(page, url: str) -> None:
    """Open `url`; the answer must be a page under the policy, not an error."""
    response = page.goto(url)
    assert response.status < 400, f"{url}: {response.status}"
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]


def sign_in_with_session_of(page, base: str, user) -> None:
    """Give the browser a session in which `user` passed both sign-in steps."""
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


def test_no_page_violates_the_policy(live_server, page):
    base = live_server.url
    event = EventFactory(
        title="Spring Forum", slug="spring-forum", participant_list_public=True
    )
    track = TrackFactory(event=event, name="Policy", colour="#a0522d")
    session = SessionFactory(event=event, track=track, title="Opening keynote")
    SessionFactory(
        event=event,
        title="Workshop",
        signup_required=True,
        capacity=30,
        starts_at=event.starts_at + timedelta(hours=3),
    )
    ada = UserFactory(email="ada@example.org", name="Ada Lovelace", password=PASSWORD)
    EmailAddress.objects.create(user=ada, email=ada.email, verified=True, primary=True)
    registration = RegistrationFactory(
        event=event,
        attendee=ada,
        registration_type=RegistrationTypeFactory(event=event),
    )
    PersonalCalendar.objects.create(user=ada)
    EventFactory(title="Autumn School", slug="autumn-school")  # a form to fill in
    invitation = InvitationFactory(
        event=EventFactory(visibility=Event.Visibility.INVITATION_ONLY)
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    # Public pages, anonymously.
    for path in [
        "/",
        "/events/spring-forum/",
        f"/events/spring-forum/sessions/{session.uuid}/",
        "/events/spring-forum/register/",
        "/events/spring-forum/participants/",
        f"/registrations/{registration.manage_token}/",
        f"/registrations/{registration.manage_token}/answers/",
        f"/registrations/{registration.manage_token}/sessions/",
        f"/invitations/{invitation.token}/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]:
        visit(page, base + path)
    page.locator("input[name=email]").fill("ada@example.org")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/done/$"))

    # The schedule: its copy button is an external script with the page's nonce,
    # and a track's colour is an SVG fill.
    visit(page, base + "/events/spring-forum/schedule/")
    page.get_by_role("button", name="Copy").first.click()
    expect(page.locator("[data-copy-status]").first).to_have_text("Copied.")
    card = page.locator(".session-card", has_text="Opening keynote")
    stripe = card.locator(".track-stripe").bounding_box()
    box = card.bounding_box()
    # Drawn along the card's left edge, inside its border.
    assert stripe["width"] == 6
    assert box["x"] <= stripe["x"] <= box["x"] + 2
    assert box["height"] - 2 <= stripe["height"] <= box["height"]
    assert card.locator(".track-stripe rect").get_attribute("fill") == "#a0522d"

    # Account pages: sign in through the form, set up an authenticator app.
    visit(page, base + "/accounts/login/")
    page.locator("input[name=login]").fill("ada@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/")
    for path in [
        "/events/autumn-school/register/",
        "/registrations/",
        "/calendar/",
        "/accounts/profile/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",  # asks for the password again first
    ]:
        visit(page, base + path)
    assert page.url.startswith(f"{base}/accounts/reauthenticate/")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/accounts/2fa/totp/activate/")
    qr_code = page.locator("img[src^='data:image/svg+xml']")
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/accounts/2fa/recovery-codes/")  # shown once, now
    assert ada.authenticator_set.filter(type="totp").count() == 1

    # The admin and the organiser area, as a superuser past both steps.
    superuser = UserFactory(is_staff=True, is_superuser=True)
    sign_in_with_session_of(page, base, superuser)
    for path in [
        "/admin/",
        "/admin/events/event/",
        f"/admin/events/event/{event.pk}/change/",
        "/admin/events/session/add/",
        "/admin/registrations/registration/",
        f"/admin/registrations/registration/{registration.pk}/change/",
        "/admin/accounts/user/",
        "/organise/",
        "/organise/spring-forum/",
    ]:
        visit(page, base + path)

    assert csp_violations(page) == []


def test_recorder_keeps_each_pages_violations_across_navigations(live_server, page):
    """Inline code added to a page is refused and reported: the policy is in force,
    the recorder hears it, and what one page reported stays after the next loads."""
    EventFactory(slug="spring-forum")
    inject = """() => {
        const script = document.createElement("script");
        script.textContent = "window.ran = true";
        document.body.append(script);
        document.body.setAttribute("style", "color: red");
    }"""
    page.goto(live_server.url + "/")
    page.evaluate(inject)
    settle(page)
    page.goto(live_server.url + "/events/spring-forum/")
    page.evaluate(inject)

    found = [(v["directive"], v["page"]) for v in csp_violations(page)]
    assert found == [
        ("script-src-elem", live_server.url + "/"),
        ("style-src-attr", live_server.url + "/"),
        ("script-src-elem", live_server.url + "/events/spring-forum/"),
        ("style-src-attr", live_server.url + "/events/spring-forum/"),
    ]
    assert page.evaluate("() => window.ran") is None


def test_axe_runs_under_the_policy_and_sorts_by_impact(live_server, page):
    EventFactory(slug="spring-forum")
    page.goto(live_server.url + "/events/spring-forum/")
    page.evaluate(
        """(src) => document.querySelector("main").append(
            Object.assign(document.createElement("img"), {src}))""",
        "data:image/gif;base64,R0lGODlhAQABAAAAACw=",  # an image without alt text
    )

    found = axe_violations(page)

    assert list(found) == ["critical", "serious", "moderate", "minor"]
    assert [item.split(":")[0] for item in found["critical"]] == ["image-alt"]
    assert csp_violations(page) == []


def test_htmx_is_configured_to_need_no_inline_code(live_server, page):
    """htmx would add an inline <style> for its indicators and run hx-on code; the
    layout's htmx-config turns both off for any page that loads it."""
    page.goto(live_server.url + "/")
    page.add_script_tag(url="/static/vendor/htmx/htmx.min.js")

    config = page.evaluate(
        """() => [htmx.config.includeIndicatorStyles, htmx.config.allowEval,
                  htmx.config.allowScriptTags]"""
    )

    assert config == [False, False, False]
    assert csp_violations(page) == []
