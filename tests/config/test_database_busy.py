"""A stuck lock on PostgreSQL: gunicorn as deployed, the event's row locked from a
second connection for longer than the lock timeout while people register.

Each waits DB_LOCK_TIMEOUT at most, then gets a "busy" page (503, Retry-After) with
nothing written; /healthz keeps answering at once; after the release, registering
works again."""

import contextlib
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.urls import ResolverMatch, reverse

from config.database import LongRunningViewsMiddleware, trouble_of
from registrations.models import Registration
from tests.factories import EventFactory, UserFactory
from tests.notifications.infra import wait_for

from .servers import WebServer, signed_in, text_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PEOPLE = 6


def conninfo() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def server_env(**timeouts: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions this test writes
        "DATABASE_URL": conninfo(),
        **timeouts,
    }


@contextlib.contextmanager
def holding_row_lock(event):
    """The event's row locked FOR UPDATE by another connection until the block ends."""
    with psycopg.connect(conninfo()) as other:
        other.execute(
            "SELECT id FROM events_event WHERE id = %s FOR UPDATE", [event.pk]
        )
        try:
            yield
        finally:
            other.rollback()


def waiting_for_locks() -> int:
    with psycopg.connect(conninfo(), autocommit=True) as probe:
        return probe.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()[0]


@pytest.fixture
def server_factory():
    servers = []

    def start(**timeouts: str) -> WebServer:
        servers.append(WebServer.gunicorn(env=server_env(**timeouts)).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def test_a_held_event_lock_gives_busy_pages_and_healthz_stays_fast(server_factory):
    event = EventFactory(capacity=10)
    sessions = [signed_in(UserFactory()) for _ in range(PEOPLE)]
    url = reverse("registrations:register", args=[event.slug])
    server = server_factory(DB_LOCK_TIMEOUT="2")

    with holding_row_lock(event), ThreadPoolExecutor(PEOPLE) as pool:
        posts = [
            pool.submit(server.request, "POST", url, session_key=s) for s in sessions
        ]
        wait_for(lambda: waiting_for_locks() == PEOPLE, 10, "the registrations to wait")
        health = server.request("GET", "/healthz")
        answers = [post.result() for post in posts]
        written_meanwhile = Registration.objects.count()
    after = server.request("POST", url, session_key=sessions[0])

    assert [a.status for a in answers] == [503] * PEOPLE
    assert {a.headers["Retry-After"] for a in answers} == {"10"}
    # Answered while the lock is still held: by the lock timeout (slow on a loaded VM).
    assert all(a.seconds < 30 for a in answers)
    page = text_of(answers[0].body)
    assert "Busy, please try again" in page
    assert "please check your email before you try again" in page
    assert '<a class="site-name" href="/">Kokous</a>' in answers[0].body
    assert written_meanwhile == 0
    assert (health.status, health.seconds < 1) == (200, True)
    assert after.status == 302
    assert Registration.objects.get(event=event).status == "confirmed"


def test_web_requests_stop_at_the_statement_timeout(server_factory):
    # A lock timeout longer than the statement timeout: the statement timeout ends
    # the wait, as it ends any statement of a web request that runs too long.
    event = EventFactory()
    session = signed_in(UserFactory())
    url = reverse("registrations:register", args=[event.slug])
    server = server_factory(DB_LOCK_TIMEOUT="60", DB_STATEMENT_TIMEOUT="1")

    with holding_row_lock(event):
        answer = server.request("POST", url, session_key=session)

    assert (answer.status, answer.headers["Retry-After"]) == (503, "10")
    assert "Busy, please try again" in text_of(answer.body)
    assert Registration.objects.count() == 0


def test_lock_and_statement_timeouts_are_told_apart_from_other_errors():
    event = EventFactory()
    errors = {}
    with holding_row_lock(event), connection.cursor() as cursor:
        for name, setting in [
            ("lock", "lock_timeout"),
            ("statement", "statement_timeout"),
        ]:
            cursor.execute(f"SET {setting} = 100")
            try:
                cursor.execute(
                    "SELECT 1 FROM events_event WHERE id = %s FOR UPDATE", [event.pk]
                )
            except OperationalError as error:
                errors[name] = error
            cursor.execute(f"RESET {setting}")
    with pytest.raises(Exception) as other, connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")

    assert {name: trouble_of(error) for name, error in errors.items()} == {
        "lock": "busy",
        "statement": "busy",
    }
    assert trouble_of(other.value) is None


def test_an_export_lifts_the_statement_timeout_for_its_own_transaction(rf):
    def slow_export(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.3)")
            cursor.execute("SHOW statement_timeout")
            return cursor.fetchone()[0]

    request = rf.get("/")
    request.resolver_match = ResolverMatch(
        slow_export, (), {}, url_name="registrations_registration_export",
        app_names=["admin"], namespaces=["admin"],
    )  # fmt: skip
    middleware = LongRunningViewsMiddleware(lambda request: None)

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 100")
        try:
            shown = middleware.process_view(request, slow_export, (), {})
            cursor.execute("SHOW statement_timeout")
            after = cursor.fetchone()[0]
        finally:
            cursor.execute("RESET statement_timeout")

    assert (shown, after) == ("0", "100ms")
