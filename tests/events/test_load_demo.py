import io
import re
from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from events.demo import next_occurrence
from events.models import Event, Room, ScheduleChange, Session, Speaker, Venue
from meetings.management.commands.load_demo import ORGANISER_EMAIL
from registrations.models import Invitation, Registration
from tests.factories import UserFactory
from tests.totp import totp_code

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
    # The forum in Finnish and Swedish: its title, tracks and some sessions.
    assert forum.title_fi == "Korkeakoulujen kansainvälisten asioiden kevätpäivät"
    assert forum.title_sv == "Vårforum för högskolornas internationella frågor"
    assert forum.tracks.get(slug="mobility").name_sv == "Mobilitet och studerande"
    opening = forum.sessions.get(title_en="Opening of the Spring Forum")
    assert (opening.title_fi, opening.title_sv) == (
        "Kevätpäivien avaus",
        "Öppningen av vårforumet",
    )


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


def sign_in_with_second_step(client, code):
    """The demo organiser's sign-in, as `make run` prints it: password, then code."""
    cache.clear()  # allauth remembers used codes there, by user id (reused by tests)
    response = client.post(
        reverse("account_login") + "?next=/organise/",
        {"login": ORGANISER_EMAIL, "password": "kokous-demo"},
    )
    assert response["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": code})


@override_settings(DEBUG=True)
def test_load_demo_prints_an_authenticator_secret_that_signs_the_organiser_in(
    password_only_client,
):
    call_command("load_demo")  # twice: still the one printed secret
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    secret = re.search(r"add the secret (\w+) to one", output.getvalue())[1]

    response = sign_in_with_second_step(password_only_client, totp_code(secret))

    assert "run `make demo-code`" in output.getvalue()
    assert Authenticator.objects.filter(user__email=ORGANISER_EMAIL).count() == 1
    assert response["Location"] == "/organise/"
    assert password_only_client.get("/organise/").status_code == 200


@override_settings(DEBUG=True)
def test_demo_totp_prints_a_code_that_signs_the_organiser_in(password_only_client):
    call_command("load_demo")
    output = io.StringIO()
    call_command("demo_totp", stdout=output)
    match = re.fullmatch(
        r"(\d{6})  \(the code for organiser@kokous.example; it changes in (\d+) s\)\n",
        output.getvalue(),
    )

    response = sign_in_with_second_step(password_only_client, match[1])

    assert 1 <= int(match[2]) <= 30
    assert response["Location"] == "/organise/"


def test_demo_totp_needs_the_demo_and_prints_no_other_accounts_code():
    with pytest.raises(CommandError, match="run manage.py load_demo first"):
        call_command("demo_totp")
    Authenticator.objects.create(
        user=UserFactory(email=ORGANISER_EMAIL),
        type=Authenticator.Type.TOTP,
        data={"secret": encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")},
    )
    with pytest.raises(CommandError, match="has an authenticator of its own"):
        call_command("demo_totp")
