"""The event home in a real browser: the owner opens it in English, Finnish and
Swedish, axe-core finds no WCAG problem (nor a best-practice one), and a desktop
screenshot is taken for the README (docs/screenshots/organise-home.png).

Runs Debian's Chromium through Playwright against pytest-django's live server.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from events import demo as events_demo
from events.models import EventOrganiser
from notifications.models import Message
from registrations import demo as registrations_demo
from registrations.models import Answer, Registration, SessionSeat
from tests.conftest import MfaVerifiedClient
from tests.e2e.browser import IMPACTS, axe_violations, csp_violations, open_page
from tests.factories import (
    EventOrganiserFactory,
    InvitationFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
# Every run leaves its screenshot under var/; the README's copy in docs/ is
# replaced only when asked (UPDATE_SCREENSHOTS=1) or missing, so that a test run
# leaves the working tree as it was.
SCREENSHOTS = [ROOT / "var" / "screenshots" / "organise-home.png"]
README_SCREENSHOT = ROOT / "docs" / "screenshots" / "organise-home.png"
if os.environ.get("UPDATE_SCREENSHOTS") == "1" or not README_SCREENSHOT.exists():
    SCREENSHOTS.append(README_SCREENSHOT)
# A heading of the home, in each language (from the catalogues under locale/).
HEADINGS = {"en": "Registrations", "fi": "Ilmoittautumiset", "sv": "Anmälningar"}
ORGANISATIONS = [
    ("University of Helsinki", "FI"), ("Aalto University", "FI"),
    ("Tampere University", "FI"), ("University of Oulu", "FI"),
    ("Uppsala University", "SE"), ("KTH Royal Institute of Technology", "SE"),
    ("University of Bergen", "NO"), ("University of Tartu", "EE"),
    ("Metropolia University of Applied Sciences", "FI"), ("LUT University", "FI"),
    ("University of Porto", "PT"), ("Åbo Akademi University", "FI"),
]  # fmt: skip


def spring_forum_three_weeks_in():
    """The demo's Spring Forum, with three weeks of registrations besides the
    demo's own: some waiting, some in workshops, invitations and messages."""
    forum, _n5t = events_demo.load()
    registrations_demo.load(forum=forum, n5t=_n5t)
    questions = {q.key: q for q in forum.questions.exclude(key="")}
    types = list(forum.registration_types.all())
    workshops = list(forum.sessions.filter(signup_required=True))
    now = timezone.now()
    for n in range(150):
        organisation, country = ORGANISATIONS[(n * 7) % len(ORGANISATIONS)]
        status = Registration.Status.WAITLISTED if n % 29 == 0 else "confirmed"
        registration = RegistrationFactory(
            event=forum, status=status, registration_type=types[n % 4 % 3],
            attendee=UserFactory(email=f"forum{n}@example.org"),
        )  # fmt: skip
        Registration.objects.filter(pk=registration.pk).update(
            created_at=now - timedelta(days=21 - (n * n) % 22, hours=n % 9)
        )
        Answer.objects.bulk_create(
            [
                Answer(registration=registration, question=questions["organisation"],
                       value=organisation),
                Answer(registration=registration, question=questions["country"],
                       value=country),
            ]
        )  # fmt: skip
        if status == "confirmed" and n % 2 == 0:  # the first two workshops
            workshop = workshops[n // 2 % 2]
            full = workshop.seats.count() >= workshop.capacity
            SessionSeat.objects.create(
                registration=registration, session=workshop,
                status="waitlisted" if full else "confirmed",
                waitlisted_at=now if full else None,
            )  # fmt: skip
    for n in range(12):
        InvitationFactory(
            event=forum, registration_type=types[1],
            status=["pending", "accepted", "declined"][n % 3],
            rsvp_deadline=now + timedelta(days=3 + n % 2),
        )  # fmt: skip
    Message.objects.create(
        key="failed:1", kind="confirmed", to_email="bounce@example.org",
        subject="Welcome", body_text="Welcome", event=forum, status="failed",
    )  # fmt: skip
    return forum


def sign_in(page, live_server, user, language="en") -> None:
    """The browser carries a session that passed both sign-in steps."""
    client = MfaVerifiedClient()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value,
             "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )  # fmt: skip


def axe_findings(page) -> list[str]:
    """Every axe-core violation on the page, of any impact (best practices too):
    the home has none, so none is listed as accepted in docs/organise.md."""
    found = axe_violations(page)
    return [item for impact in IMPACTS for item in found[impact]]


def test_the_owner_opens_the_home_in_three_languages_without_axe_violations(
    live_server, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    forum = spring_forum_three_weeks_in()
    owner = EventOrganiserFactory(event=forum, role=EventOrganiser.Role.OWNER).user
    url = f"{live_server.url}/organise/{forum.slug}/"

    with open_page(viewport={"width": 1280, "height": 900}) as page:
        for language, heading in HEADINGS.items():
            sign_in(page, live_server, owner, language)
            page.goto(url)

            assert page.locator("html").get_attribute("lang") == language
            assert page.get_by_role("heading", name=heading, exact=True).count() == 1
            assert page.locator("svg.chart[role=img]").count() == 4
            if language == "en":
                for path in SCREENSHOTS:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(path), full_page=True)
            # The numbers behind each chart are checked too.
            page.evaluate(
                "document.querySelectorAll('details').forEach(d => d.open = true)"
            )
            assert axe_findings(page) == []
        assert csp_violations(page) == []


def test_the_home_works_on_a_phone(live_server, page):
    forum = spring_forum_three_weeks_in()
    owner = EventOrganiserFactory(event=forum, role=EventOrganiser.Role.OWNER).user
    sign_in(page, live_server, owner)

    page.goto(f"{live_server.url}/organise/{forum.slug}/")

    # Nothing but the wide tables (which scroll in their own region) overflows.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0
    assert axe_findings(page) == []
    assert csp_violations(page) == []
