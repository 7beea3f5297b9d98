from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from events.demo import next_occurrence
from events.models import Event, Room, ScheduleChange, Session, Speaker, Venue
from registrations.models import Invitation, Registration

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (
            Event,
            Venue,
            Room,
            Session,
            Speaker,
            ScheduleChange,
            Registration,
            Invitation,
        )
    ]


@override_settings(DEBUG=True)
def test_load_demo_creates_both_events_and_is_idempotent():
    call_command("load_demo", stdout=None)
    first = counts()
    call_command("load_demo")

    assert counts() == first
    forum = Event.objects.get(slug="spring-forum")
    n5t = Event.objects.get(slug="n5t-annual-meeting")
    assert forum.capacity == 450
    assert [d.strftime("%a") for d in forum.local_days()] == ["Wed", "Thu", "Fri"]
    assert [d.strftime("%a") for d in n5t.local_days()] == ["Tue", "Wed"]
    assert n5t.visibility == Event.Visibility.INVITATION_ONLY
    assert forum.is_open_for_registration()
    assert forum.sessions.filter(signup_required=True).count() >= 5
    assert forum.sessions.count() >= 40
    assert Invitation.objects.filter(event=n5t).count() == 5


@override_settings(DEBUG=True)
def test_load_demo_as_held_uses_the_2023_dates_in_helsinki():
    call_command("load_demo", "--as-held")

    forum = Event.objects.get(slug="spring-forum")
    n5t = Event.objects.get(slug="n5t-annual-meeting")
    assert forum.local_days() == [date(2023, 5, 3), date(2023, 5, 4), date(2023, 5, 5)]
    assert n5t.local_days() == [date(2023, 5, 23), date(2023, 5, 24)]
    assert forum.starts_at.astimezone(forum.tzinfo).hour == 9


@override_settings(DEBUG=False)
def test_load_demo_refuses_without_debug():
    with pytest.raises(CommandError, match="known password"):
        call_command("load_demo")
    assert Event.objects.count() == 0


def test_next_occurrence_keeps_the_weekday():
    assert next_occurrence(date(2023, 5, 3), today=date(2026, 11, 28)) == date(
        2027, 5, 5
    )
    assert next_occurrence(date(2023, 5, 23), today=date(2026, 11, 28)) == date(
        2027, 5, 25
    )
    assert next_occurrence(date(2023, 5, 3), today=date(2027, 2, 1)) == date(2027, 5, 5)
