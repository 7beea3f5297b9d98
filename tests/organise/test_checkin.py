"""The door in the organiser area: checking in by code and by name; check-in codes
are short, so unknown codes are limited per account and per address."""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts import ratelimits
from events.models import EventOrganiser
from organise.views import checkin as checkin_page
from tests.factories import EventFactory, EventOrganiserFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
LIMIT = 5
TOO_MANY = (
    "Too many unknown codes from this account or network in the last minute. "
    "Wait a minute, then try again, or find the person by name."
)


class Clock:
    now = 1_800_000_010.0  # ten seconds into a minute

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(ratelimits, "time", clock)
    monkeypatch.setattr(checkin_page, "UNKNOWN_CODES_PER_MINUTE", LIMIT)
    cache.clear()
    yield clock
    cache.clear()


@pytest.fixture
def door():
    event = EventFactory()
    staff = [
        EventOrganiserFactory(event=event, role=EventOrganiser.Role.CHECKIN).user
        for _ in range(2)
    ]
    return event, staff, RegistrationFactory(event=event)


def post(client, event, code, address="192.0.2.1"):
    return client.post(
        reverse("organise:checkin", kwargs={"event": event.slug}),
        {"code": code},
        REMOTE_ADDR=address,
    )


def test_unknown_codes_past_the_limit_get_429_even_for_a_real_code(client, clock, door):
    event, [staff, _other], ada = door
    client.force_login(staff)

    guesses = [post(client, event, f"GUESS{n}").status_code for n in range(LIMIT)]
    over = post(client, event, ada.checkin_code)

    assert guesses == [400] * LIMIT
    assert over.status_code == 429
    assert over["Retry-After"] == "50"
    assert TOO_MANY in over.content.decode()
    ada.refresh_from_db()
    assert ada.checked_in_at is None


def test_the_limit_holds_per_account_and_per_address(client, clock, door):
    event, [staff, other], ada = door
    client.force_login(staff)
    for n in range(LIMIT):
        post(client, event, f"GUESS{n}")

    same_account_elsewhere = post(client, event, "GUESS", address="198.51.100.7")
    client.force_login(other)
    other_account_same_address = post(client, event, "GUESS")
    other_account_elsewhere = post(client, event, ada.checkin_code, "198.51.100.8")

    assert same_account_elsewhere.status_code == 429
    assert other_account_same_address.status_code == 429
    assert other_account_elsewhere.status_code == 200
    ada.refresh_from_db()
    assert ada.checked_in_by == other


def test_real_codes_never_count_and_the_next_minute_starts_afresh(client, clock, door):
    event, [staff, _other], ada = door
    client.force_login(staff)

    scans = [post(client, event, ada.checkin_code).status_code for _ in range(8)]
    guesses = [post(client, event, f"GUESS{n}").status_code for n in range(LIMIT + 1)]
    clock.now += 50  # the next minute
    later = post(client, event, "GUESS").status_code

    assert scans == [200] * 8
    assert guesses == [400] * LIMIT + [429]
    assert later == 400


def test_a_failing_cache_lets_the_door_work_and_says_so(
    client, clock, door, monkeypatch, caplog
):
    event, [staff, _other], ada = door
    client.force_login(staff)

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", unreachable)
    monkeypatch.setattr(cache, "add", unreachable)
    with caplog.at_level(logging.WARNING, logger="accounts.ratelimits"):
        guess = post(client, event, "GUESS")
        scan = post(client, event, ada.checkin_code)

    assert (guess.status_code, scan.status_code) == (400, 200)
    assert [
        r.getMessage() for r in caplog.records if r.name == "accounts.ratelimits"
    ] == [
        "Rate limit checkin-code not checked: the cache failed.",
        "Rate limit checkin-code not counted: the cache failed.",
        "Rate limit checkin-code not checked: the cache failed.",
    ]


def test_the_door_checks_in_by_code_then_says_already_checked_in(client, door):
    event, [staff, _other], ada = door
    client.force_login(staff)

    first = client.post(
        reverse("organise:checkin", kwargs={"event": event.slug}),
        {"code": ada.checkin_code},
    )
    again = client.post(
        reverse("organise:checkin", kwargs={"event": event.slug}),
        {"code": ada.checkin_code.lower()},
    )

    assert first.status_code == 200
    assert first.context["verdict"].registration == ada
    assert "Checked in:" in first.content.decode()
    assert again.status_code == 200
    assert "Already checked in:" in again.content.decode()
    ada.refresh_from_db()
    assert ada.checked_in_at is not None


def test_the_door_finds_people_by_name_and_checks_them_in(client, door):
    event, [staff, _other], ada = door
    client.force_login(staff)
    url = reverse("organise:checkin", kwargs={"event": event.slug})
    name = ada.attendee.name

    found = client.get(url, {"q": name[:4]})
    checked = client.post(url, {"registration": str(ada.pk)})

    assert ada in found.context["matches"]
    assert checked.status_code == 200
    assert checked.context["verdict"].registration == ada


def test_another_events_registration_cannot_be_checked_in_here(client, door):
    event, [staff, _other], _ada = door
    stranger = RegistrationFactory()
    client.force_login(staff)

    response = client.post(
        reverse("organise:checkin", kwargs={"event": event.slug}),
        {"registration": str(stranger.pk)},
    )

    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None
