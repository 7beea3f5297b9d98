"""The site through a Redis outage: the cache and the task queue share a real
redis-server (as REDIS_URL alone configures them), which the test stops and starts.

While it is stopped, people sign up, confirm, sign in, register and read every page;
/healthz names the cache; nothing they did is lost once it is back."""

import re
from datetime import timedelta

import pytest
import redis
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config import cache as cache_module
from notifications.models import Message
from notifications.services.sweeps import compose_pending
from registrations.models import Activity, Registration
from tests.factories import EventFactory, SessionFactory, UserFactory
from tests.notifications.brokers import celery_broker
from tests.notifications.infra import RedisServer

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
SESSION_KEYS = "kokous-test:1:django.contrib.sessions.cached_db*"


def cache_settings(url: str) -> dict:
    # As config/settings.py builds them from REDIS_URL.
    return {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "kokous-test",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def shared_redis(monkeypatch):
    monkeypatch.setattr(cache_module, "_health", {})
    server = RedisServer().start()
    with (
        override_settings(CACHES=cache_settings(server.url)),
        celery_broker(server.url),
    ):
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def event():
    event = EventFactory(slug="spring-forum", title="Spring Forum", capacity=10)
    SessionFactory(event=event, title="Opening plenary")
    return event


def page(client, url) -> tuple[int, str]:
    response = client.get(url, follow=True)
    return response.status_code, response.content.decode()


def signed_in_pages(client, event) -> dict[str, int]:
    urls = {
        "events": reverse("events:list"),
        "event": reverse("events:detail", args=[event.slug]),
        "schedule": reverse("events:schedule", args=[event.slug]),
        "register": reverse("registrations:register", args=[event.slug]),
        "mine": reverse("registrations:mine"),
        "calendar": reverse("registrations:personal_calendar"),
        "profile": reverse("accounts:profile"),
    }
    return {name: page(client, url)[0] for name, url in urls.items()}


def test_people_sign_up_register_and_browse_while_redis_is_down(
    client, shared_redis, event
):
    shared_redis.stop()

    signup = client.post(
        reverse("account_signup"),
        {"email": "ada@example.org", "name": "Ada Lovelace",
         "password1": PASSWORD, "password2": PASSWORD},
    )  # fmt: skip
    link = re.search(r"/accounts/confirm-email/\S+/", mail.outbox[-1].body)[0]
    confirm = client.post(link)
    login = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD}
    )
    register = client.post(
        reverse("registrations:register", args=[event.slug]), follow=True
    )
    pages = signed_in_pages(client, event)

    assert (signup.status_code, confirm.status_code, login.status_code) == (
        302,
        302,
        302,
    )
    assert register.status_code == 200
    assert "Your place is confirmed." in register.content.decode()
    assert pages == dict.fromkeys(pages, 200)
    ada = User.objects.get(email="ada@example.org")
    assert EmailAddress.objects.get(user=ada).verified is True
    assert Registration.objects.get(event=event).attendee == ada
    # The confirmation waits as an uncomposed fact: its queue was down too.
    assert Activity.objects.filter(composed_at__isnull=True).count() == 1


def test_healthz_names_the_cache_while_pages_work(client, shared_redis, event):
    client.force_login(UserFactory())
    shared_redis.stop()

    health = client.get("/healthz")
    schedule = client.get(reverse("events:schedule", args=[event.slug]))

    assert health.status_code == 503
    assert health.json()["checks"]["cache"] == {
        "status": "error",
        "error": "ConnectionError",
    }
    assert health.json()["checks"]["database"] == {"status": "ok"}
    assert schedule.status_code == 200
    assert "Opening plenary" in schedule.content.decode()


def test_sessions_come_from_the_database_and_return_to_redis(
    client, shared_redis, event
):
    person = UserFactory(email="bo@example.org")
    client.force_login(person)
    assert len(redis.Redis.from_url(shared_redis.url).keys(SESSION_KEYS)) == 1
    shared_redis.stop()

    status, body = page(client, reverse("registrations:mine"))
    assert status == 200
    assert "Sign out" in body  # still signed in

    shared_redis.start()  # empty: no persistence
    health = client.get("/healthz")
    after = page(client, reverse("registrations:mine"))[0]

    assert (health.status_code, after) == (200, 200)
    # Read from the database once more, and cached again.
    assert len(redis.Redis.from_url(shared_redis.url).keys(SESSION_KEYS)) == 1


def test_nothing_registered_during_the_outage_is_lost(client, shared_redis, event):
    people = [UserFactory(email=f"p{n}@example.org") for n in range(3)]
    shared_redis.stop()

    for person in people:
        client.force_login(person)
        response = client.post(reverse("registrations:register", args=[event.slug]))
        assert response.status_code == 302

    shared_redis.start()
    # The sweep composes what the queue could not take (past its grace period).
    compose_pending(now=timezone.now() + timedelta(hours=1))

    assert Registration.objects.filter(event=event, status="confirmed").count() == 3
    assert sorted(
        Message.objects.filter(kind="confirmed").values_list("to_email", flat=True)
    ) == ["p0@example.org", "p1@example.org", "p2@example.org"]


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"})
def test_rate_limits_keep_counting_while_redis_is_down(client, shared_redis):
    person = UserFactory(email="cy@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=True)
    shared_redis.stop()

    def sign_in(password: str) -> bool:
        response = client.post(
            reverse("account_login"), {"login": person.email, "password": password}
        )
        return "Too many failed login attempts" in response.content.decode()

    refused = [sign_in("wrong") for _ in range(4)]

    assert refused == [False, False, False, True]
    assert sign_in(PASSWORD) is True  # counted in this process, not failed open
    assert "_auth_user_id" not in client.session
