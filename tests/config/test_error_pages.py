"""Error pages in the site's look and language, rendered without the database:
the 500 page, and 503 when the database is busy or cannot be reached."""

import sqlite3

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.test import override_settings
from django.urls import path

from config import urls as site_urls
from config.database import trouble_of
from config.errors import server_error
from tests.notifications.infra import free_port

from .servers import WebServer, text_of

HINT = (
    "If you were registering or changing a registration, please check your email "
    "before you try again: if a confirmation has arrived, it went through."
)


def broken_view(request):
    raise RuntimeError("a bug")


def locked_database_view(request):
    raise sqlite_locked_error()


def sqlite_locked_error() -> OperationalError:
    """Django's error for SQLite's own "database is locked", as Django wraps it."""
    try:
        raise sqlite3.OperationalError("database is locked")
    except sqlite3.OperationalError as cause:
        error = OperationalError(*cause.args)
        error.__cause__ = cause
        return error


urlpatterns = [
    *site_urls.urlpatterns,
    path("broken/", broken_view),
    path("locked/", locked_database_view),
]
handler500 = site_urls.handler500


@pytest.fixture
def client_seeing_errors(client):
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__):
        yield client


@pytest.mark.django_db
def test_500_page_renders_without_any_context_or_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()

    assert '<a class="site-name" href="/">Kokous</a>' in html
    assert "Something went wrong" in text_of(html)
    assert HINT not in text_of(html)
    assert "Sign in" not in html  # no navigation: it would read the session


@pytest.mark.django_db
def test_a_bug_shows_the_500_page_in_the_sites_language(client_seeing_errors):
    response = client_seeing_errors.get("/broken/", HTTP_ACCEPT_LANGUAGE="fi")

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fi">' in html
    assert "Siirry sisältöön" in html  # the layout's Finnish skip link
    assert "Jokin meni vikaan" in text_of(html)
    assert "Server Error (500)" not in html


@pytest.mark.django_db
def test_after_a_failed_post_the_500_page_asks_to_check_email(client_seeing_errors):
    response = client_seeing_errors.post("/broken/")

    assert response.status_code == 500
    assert HINT in text_of(response.content.decode())


@pytest.mark.django_db
def test_a_locked_sqlite_database_answers_busy_with_retry_after(client_seeing_errors):
    response = client_seeing_errors.post("/locked/")

    assert (response.status_code, response["Retry-After"]) == (503, "10")
    page = text_of(response.content.decode())
    assert "Busy, please try again" in page
    assert HINT in page


def test_the_handler_answers_busy_for_errors_outside_views(rf):
    # A session saved by middleware meets the lock: no view, the handler sees it.
    try:
        raise sqlite_locked_error()
    except OperationalError:
        response = server_error(rf.get("/"))

    assert (response.status_code, response["Retry-After"]) == (503, "10")
    assert isinstance(response, HttpResponse)


def test_only_waiting_and_reaching_are_database_trouble():
    assert trouble_of(sqlite_locked_error()) == "busy"
    assert trouble_of(InterfaceError("connection already closed")) == "unavailable"
    assert trouble_of(OperationalError("no such table: events_event")) is None
    assert trouble_of(RuntimeError("a bug")) is None
    assert trouble_of(None) is None


def test_a_database_outage_shows_503_pages_in_the_sites_look():
    # Nothing listens on the database's port: every page meets the outage.
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DEBUG": "0",
        "SECRET_KEY": "test-only-" + "x" * 40,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/kokous",
    }
    server = WebServer.gunicorn(env=env, workers=1).start()
    try:
        page = server.request("GET", "/", language="sv")
        post = server.request(
            "POST", "/events/spring-forum/register/", session_key="k" * 32
        )
        health = server.request("GET", "/healthz")
    finally:
        server.stop()

    assert (page.status, page.headers["Retry-After"]) == (503, "10")
    assert '<html lang="sv">' in page.body
    assert "Tillfälligt otillgänglig" in text_of(page.body)
    assert HINT not in text_of(page.body)
    assert post.status == 503
    assert HINT in text_of(post.body)
    assert health.status == 503
    assert '"database": {"status": "error", "error": "OperationalError"}' in health.body
