"""Shared fixtures.

Tests that need a real PostgreSQL or Redis are marked `postgres` / `redis`. When
they are unreachable such a test skips with the reason, except under CI (CI=true),
where it fails: CI must prove them.

`client.force_login(user)` stands for a completed sign-in, both steps: the session
also records a passed second factor, which organiser pages require of superusers,
owners and editors. Tests of that requirement sign in with `password_only_client`.
"""

import os
import socket
from urllib.parse import urlsplit

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import translation

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)


def pass_second_factor(client: Client, user) -> None:
    """Record in the client's session that `user` passed a second factor (TOTP)."""
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


class MfaVerifiedClient(Client):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        pass_second_factor(self, user)


@pytest.fixture
def client():
    return MfaVerifiedClient()


@pytest.fixture
def admin_client(db, admin_user):
    client = MfaVerifiedClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def password_only_client():
    """A client whose `force_login` is a sign-in without a second factor."""
    return Client()


@pytest.fixture
def require_postgres():
    require(
        connection.vendor == "postgresql", "needs DATABASE_URL pointing at PostgreSQL"
    )


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL") or settings.REDIS_URL
    require(
        bool(url) and _reachable(url, 6379),
        "needs REDIS_URL pointing at a running Redis",
    )
    return url


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres"):
            item.fixturenames.insert(0, "require_postgres")
        if item.get_closest_marker("redis"):
            item.fixturenames.insert(0, "redis_url")


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's default language. A request through the
    test client leaves its language active in the thread, and translated
    fields written outside a request (factories) go to the active language's
    column."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one test kept under a user's or
    event's id must not meet another test's rows (SQLite gives ids out again
    after a rollback)."""
    cache.clear()
    yield
    cache.clear()
