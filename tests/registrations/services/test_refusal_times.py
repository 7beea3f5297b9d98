"""Refusals name days and months in the language of the person refused."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from registrations.services import RegistrationError
from registrations.services.registering import register_attendee
from registrations.services.seats import take_seat
from tests.events.test_times import ENGLISH_NAMES
from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
# 13:15 UTC is 16:15 in Helsinki, on Wednesday 5 May 2027.
MOMENT = datetime(2027, 5, 5, 13, 15, tzinfo=UTC)


def may_event(**fields):
    return EventFactory(
        timezone="Europe/Helsinki",
        starts_at=datetime(2027, 5, 5, 9, tzinfo=HELSINKI),
        ends_at=datetime(2027, 5, 7, 14, tzinfo=HELSINKI),
        **fields,
    )


@pytest.mark.parametrize(
    ("language", "opens"),
    [
        ("en", "Wed, 5 May 2027, 16:15"),
        ("fi", "ke 5.5.2027 16.15"),
        ("sv", "ons 5 maj 2027 16:15"),
    ],
)
def test_not_open_yet_names_the_opening_in_the_active_language(language, opens):
    event = may_event(registration_opens_at=MOMENT)

    with translation.override(language), pytest.raises(RegistrationError) as refused:
        register_attendee(event=event, attendee=UserFactory())

    assert opens in str(refused.value)
    if language != "en":
        assert ENGLISH_NAMES.findall(str(refused.value)) == []


@pytest.mark.parametrize(
    ("language", "when"),
    [
        ("en", "Wed 5 May, 16:15"),
        ("fi", "ke 5.5. 16.15"),
        ("sv", "ons 5 maj 16:15"),
    ],
)
def test_a_seat_clash_names_the_other_sessions_time_in_the_active_language(
    language, when
):
    event = may_event()
    first = SessionFactory(
        event=event,
        title="Data workshop",
        signup_required=True,
        starts_at=MOMENT,
        ends_at=MOMENT + timedelta(hours=1),
    )
    overlapping = SessionFactory(
        event=event,
        title="Mobility clinic",
        signup_required=True,
        starts_at=MOMENT + timedelta(minutes=30),
        ends_at=MOMENT + timedelta(hours=2),
    )
    registration = register_attendee(event=event, attendee=UserFactory())
    take_seat(registration=registration, session=first)

    with translation.override(language), pytest.raises(RegistrationError) as refused:
        take_seat(registration=registration, session=overlapping)

    assert f"({when})" in str(refused.value)
    if language != "en":
        assert ENGLISH_NAMES.findall(str(refused.value)) == []
