"""The invitee's pages in a real browser, phone-sized, in three languages:
accepting without a password in one step, declining with confirmation, and
changing the answer; no CSP violation and no axe finding of any impact."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from events.models import Event
from registrations.models import Invitation, Registration
from registrations.services.invitations import invite
from tests.e2e.browser import IMPACTS, axe_violations, csp_violations
from tests.factories import EventFactory, RegistrationTypeFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]
HELSINKI = ZoneInfo("Europe/Helsinki")
LONG_DATES = {
    "en": "Wednesday 5 May 2027",
    "fi": "keskiviikkona 5. toukokuuta 2027",
    "sv": "onsdag 5 maj 2027",
}


def _invitation(email: str, language: str) -> Invitation:
    event = EventFactory(
        title="Rectors' Meeting",
        visibility=Event.Visibility.INVITATION_ONLY,
        starts_at=datetime(2027, 5, 5, 9, tzinfo=HELSINKI),
        ends_at=datetime(2027, 5, 6, 15, tzinfo=HELSINKI),
    )
    return invite(
        event=event,
        email=email,
        name="Sigrid Berg",
        registration_type=RegistrationTypeFactory(event=event, name="Rector"),
        reserves_seat=True,
        rsvp_deadline=timezone.now() + timedelta(days=7),
        message="We hope to see you.",
        language=language,
    )


def _findings(page) -> list[str]:
    found = axe_violations(page)
    return [item for impact in IMPACTS for item in found[impact]]


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_accept_decline_and_change_the_answer_in_a_browser(live_server, page, language):
    invitation = _invitation(f"sigrid-{language}@kth.se", language)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    link = f"{live_server.url}{invitation.answer_path()}"

    page.goto(link)
    assert LONG_DATES[language] in page.content()
    assert _findings(page) == []

    page.goto(f"{link}?answer=decline")
    assert page.locator("textarea[name=reason]").count() == 1
    assert _findings(page) == []

    page.goto(f"{link}?answer=accept")
    assert page.locator("input[type=password]").count() == 0
    assert _findings(page) == []
    page.locator("form:has(input[name=action][value=signup]) button").click()
    page.wait_for_url(f"{live_server.url}/registrations/**")
    assert Registration.objects.get(attendee__email=invitation.email).is_live

    page.goto(link)  # accepted: the change is a decline with its reason
    assert _findings(page) == []
    page.locator("textarea[name=reason]").fill("Ill.")
    page.locator("form:has(input[name=action][value=decline]) button").click()
    page.wait_for_load_state("load")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert page.locator("form:has(input[name=action][value=signup])").count() == 1
    assert _findings(page) == []
    assert csp_violations(page) == []
