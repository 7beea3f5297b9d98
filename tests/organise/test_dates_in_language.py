"""Organiser pages write dates and times in the page language's grammar (CLDR's
patterns through events/times.py), on the event's clocks, while the values
machines read (datetime attributes, form values) stay ISO 8601."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from events import services as schedule
from registrations.models import Registration
from tests.factories import (
    PersonalCalendarFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)

from .conftest import helsinki

pytestmark = pytest.mark.django_db

# Day and month names a Finnish or Swedish reader must never see.
ENGLISH_NAMES = re.compile(
    r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov"
    r"|Dec)[a-z]*\b"
)


def url(name, event, **kwargs):
    return reverse(f"organise:{name}", kwargs={"event": event.slug, **kwargs})


def in_language(client, path, language):
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def text_of(html: str) -> str:
    """What a reader sees: the tags (and their attributes) left out."""
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def opening(forum, kaleva):
    # Monday 6 May 2030, 09:30–10:15 in Helsinki (06:30 UTC).
    return SessionFactory(
        event=forum, title="Opening plenary", room=kaleva,
        starts_at=helsinki(2030, 5, 6, 9, 30), ends_at=helsinki(2030, 5, 6, 10, 15),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "Mon 6 May, 09:30–10:15"),
        ("fi", "ma 6.5. 9.30–10.15"),
        ("sv", "mån 6 maj 09:30–10:15"),
    ],
)
def test_session_list_writes_times_in_the_page_language(
    owner_client, forum, opening, language, shown
):
    html = in_language(owner_client, url("sessions", forum), language)

    assert shown in html
    if language != "en":
        assert not ENGLISH_NAMES.findall(text_of(html).replace("Opening plenary", ""))


@pytest.mark.parametrize(
    ("language", "registered", "seat"),
    [
        ("fi", "ke 1.5.2030 15.05", "ma 6.5. 9.30–10.15"),
        ("sv", "ons 1 maj 2030 15:05", "mån 6 maj 09:30–10:15"),
    ],
)
def test_registration_page_writes_times_in_the_page_language(
    owner_client, forum, opening, language, registered, seat
):
    registration = RegistrationFactory(event=forum)
    Registration.objects.filter(pk=registration.pk).update(
        created_at=datetime(2030, 5, 1, 12, 5, tzinfo=UTC)  # 15:05 in Helsinki
    )
    registration.seats.create(session=opening, status="seated")

    html = in_language(
        owner_client, url("registration", forum, registration=registration.pk), language
    )

    assert registered in html
    assert seat in html


@pytest.mark.parametrize(
    ("language", "old", "new"),
    [
        ("fi", "ma 6.5.2030 9.30", "ma 6.5.2030 11.00"),
        ("sv", "mån 6 maj 2030 09:30", "mån 6 maj 2030 11:00"),
    ],
)
def test_change_log_and_home_write_times_in_the_page_language(
    owner_client, owner, forum, opening, language, old, new
):
    schedule.move_session(
        session=opening,
        starts_at=helsinki(2030, 5, 6, 11, 0),
        ends_at=helsinki(2030, 5, 6, 11, 45),
        actor=owner,
    )

    changes = in_language(owner_client, url("changes", forum), language)
    home = in_language(owner_client, url("home", forum), language)

    assert old in changes and new in changes
    # The event's own dates at the head of its home page.
    assert old.replace("9.30", "9.00").replace("09:30", "09:00") in home


def test_schedule_editor_writes_days_and_hours_in_finnish_and_keeps_iso_values(
    owner_client, forum, opening
):
    html = in_language(owner_client, url("schedule", forum) + "?day=2030-05-06", "fi")

    assert ">ma 6.5.</a>" in html  # the day tabs
    assert "?day=2030-05-06" in html  # their links stay ISO
    assert 'name="day" value="2030-05-06"' in html
    assert "9.30–10.15" in html  # the block's time
    # the hour lines, each linking to a new session at that hour (ISO)
    assert re.search(r'class="ed-hour[^"]*"><a href="[^"]*starts=09:00">9\.00<', html)
    assert 'data-start="2030-05-06T09:30:00+03:00"' in html


def test_personal_calendar_shows_the_last_fetch_in_the_event_zone(client):
    ada = UserFactory()
    # 13:15 UTC is 16:15 in Helsinki.
    PersonalCalendarFactory(
        user=ada, last_fetched_at=datetime(2027, 5, 5, 13, 15, tzinfo=UTC)
    )
    client.force_login(ada)

    page = reverse("registrations:personal_calendar")
    english = in_language(client, page, "en")
    finnish = in_language(client, page, "fi")

    assert "Wed, 5 May 2027, 16:15 (Europe/Helsinki)" in english
    assert "ke 5.5.2027 16.15 (Europe/Helsinki)" in finnish
    assert "UTC" not in text_of(english)
