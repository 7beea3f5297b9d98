"""Dates as each language writes them, on a page, in an email and in a feed:
"keskiviikkona 5. toukokuuta 2027", "onsdag 5 maj 2027", "Wednesday 5 May 2027";
and the invitation email with everything the invitee needs."""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings

from events.models import Event
from registrations.services.invitations import invite, remind_invitation
from tests.factories import (
    EventFactory,
    RegistrationTypeFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")

LONG_DATES = [
    ("fi", "keskiviikkona 5. toukokuuta 2027", "perjantaina 7. toukokuuta 2027"),
    ("sv", "onsdag 5 maj 2027", "fredag 7 maj 2027"),
    ("en", "Wednesday 5 May 2027", "Friday 7 May 2027"),
]


@pytest.fixture
def event():
    return EventFactory(
        title="Spring Forum",
        timezone="Europe/Helsinki",
        starts_at=datetime(2027, 5, 5, 9, tzinfo=HELSINKI),
        ends_at=datetime(2027, 5, 7, 14, tzinfo=HELSINKI),
        venue=VenueFactory(name="Dipoli", address="Otakaari 24", city="Espoo"),
        visibility=Event.Visibility.PUBLIC,
    )


@pytest.mark.parametrize(("language", "first", "last"), LONG_DATES)
def test_the_event_page_writes_long_dates_in_the_pages_language(
    client, event, language, first, last
):
    page = client.get(
        event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    assert first in page
    assert last in page


@pytest.mark.parametrize(("language", "first", "last"), LONG_DATES)
def test_the_feed_description_writes_the_dates_in_the_feeds_language(
    client, event, language, first, last
):
    response = client.get("/events.ics", {"lang": language})

    calendar = icalendar.Calendar.from_ical(response.content)
    [entry] = [e for e in calendar.walk("VEVENT") if e["SUMMARY"] == "Spring Forum"]
    description = str(entry["DESCRIPTION"])
    assert f"{first} " in description
    assert f"– {last} " in description


@pytest.mark.parametrize(
    ("language", "first", "last", "deadline"),
    [
        ("fi", *LONG_DATES[0][1:], "torstaina 15. huhtikuuta 2027 klo 12.00"),
        ("sv", *LONG_DATES[1][1:], "torsdag 15 april 2027 kl. 12:00"),
        ("en", *LONG_DATES[2][1:], "Thursday 15 April 2027 at 12:00"),
    ],
)
def test_the_invitation_email_names_the_invitee_and_gives_dates_venue_and_links(
    event, language, first, last, deadline, django_capture_on_commit_callbacks,
    mailoutbox,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(
            event=event,
            email="sigrid@kth.se",
            name="Sigrid Berg",
            registration_type=RegistrationTypeFactory(event=event),
            rsvp_deadline=datetime(2027, 4, 15, 12, tzinfo=HELSINKI),
            message="We hope to see you & your team.",
            language=language,
            actor=UserFactory(),
        )

    (email,) = mailoutbox
    html = email.alternatives[0][0]
    link = f"{settings.SITE_URL}{invitation.answer_path()}"
    for part in (email.body, html):
        assert "Sigrid Berg," in part
        assert "Spring Forum" in part
        assert first in part and last in part
        assert "Dipoli, Otakaari 24" in part
        assert deadline in part
    assert "We hope to see you & your team." in email.body
    assert "We hope to see you &amp; your team." in html
    for step in ("accept", "decline"):
        assert f"{link}?answer={step}" in email.body
        assert f'href="{link}?answer={step}"' in html


def test_the_reminder_repeats_the_details_and_the_one_step_links(
    event, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(
            event=event,
            email="ola@ntnu.no",
            name="Ola Nordmann",
            registration_type=RegistrationTypeFactory(event=event),
            language="sv",
        )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        remind_invitation(invitation=invitation, actor=UserFactory())

    (email,) = mailoutbox
    link = f"{settings.SITE_URL}{invitation.answer_path()}"
    assert email.body.startswith("Hej Ola Nordmann,")
    assert "onsdag 5 maj 2027 kl. 09:00 – fredag 7 maj 2027 kl. 14:00" in email.body
    assert f"{link}?answer=accept" in email.body
    assert f"{link}?answer=decline" in email.body
