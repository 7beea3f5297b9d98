"""An organiser on a phone filters the registrations to the speakers, follows the
list's Badges link, chooses A6 sheets and downloads the PDF: it holds the
speakers' badges only. The badges page and the registration's badge section
have no accessibility violation nor a CSP one."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from registrations.services.questions import create_default_questions
from tests.conftest import MfaVerifiedClient
from tests.e2e.browser import axe_violations, csp_violations
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
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


def found(page) -> list[str]:
    return [item for items in axe_violations(page).values() for item in items]


def test_an_organiser_prints_the_speakers_badges(live_server, page):
    event = EventFactory(title="Spring Forum", slug="spring-forum")
    create_default_questions(event)
    speaker = RegistrationTypeFactory(event=event, name="Speaker")
    guest = RegistrationTypeFactory(event=event, name="Guest")
    for name, kind in [
        ("Åsa Ångström", speaker),
        ("Γιώργος Αλεξίου", speaker),
        ("Bob Guest", guest),
    ]:
        registration = RegistrationFactory(
            event=event, registration_type=kind, attendee=UserFactory(name=name)
        )
    sign_in(page, live_server.url, EventOrganiserFactory(event=event).user)

    page.goto(f"{live_server.url}/organise/spring-forum/registrations/")
    page.get_by_label("Type").select_option(label="Speaker")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Badges", exact=True).click()
    badges_page = found(page)
    page.get_by_label("A6, 105 × 148 mm, 4 a sheet (2 × 2)").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Make the PDF").click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(sheet.extract_text() for sheet in pdf.pages)
    page.goto(
        f"{live_server.url}/organise/spring-forum/registrations/{registration.pk}/"
    )
    registration_page = found(page)

    assert badges_page == []
    assert registration_page == []
    assert len(pdf.pages) == 1
    assert [
        n for n in ("Åsa Ångström", "Γιώργος Αλεξίου", "Bob Guest") if n in text
    ] == [
        "Åsa Ångström",
        "Γιώργος Αλεξίου",
    ]
    assert csp_violations(page) == []
