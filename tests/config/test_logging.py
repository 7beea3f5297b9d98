"""Secret links never reach a log: Django's own, runserver's or gunicorn's.

The flows that carry a secret in their URL (a registration's manage link, an
invitation link, a personal calendar feed, allauth's password-reset and email
confirmation links, an OAuth callback's code) run through the test client and
through real servers; no part of any secret may show in what they log.
"""

import io
import logging
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from config.logging import redact
from registrations.services.calendar import get_personal_calendar
from registrations.services.registering import register_attendee
from tests.factories import EventFactory, InvitationFactory, UserFactory

from .conftest import ROOT

PASSWORD = "correct horse battery staple"
TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdE"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f"GET /registrations/{TOKEN}/ HTTP/1.1",
            "GET /registrations/[redacted]/ HTTP/1.1",
        ),
        # A link cut short by a mail program still holds most of the secret.
        ("Not Found: /invitations/AbCdEf/", "Not Found: /invitations/[redacted]/"),
        (
            f"GET /calendar/{TOKEN}.ics HTTP/1.1",
            "GET /calendar/[redacted].ics HTTP/1.1",
        ),
        (
            f"POST /organise/pair/{TOKEN}/ HTTP/1.1",
            "POST /organise/pair/[redacted]/ HTTP/1.1",
        ),
        (
            f"/kokous/organise/pair/{TOKEN}/",
            "/kokous/organise/pair/[redacted]/",
        ),
        (
            f'"https://events.example.org/registrations/{TOKEN}/?confirm=cancel"',
            '"https://events.example.org/registrations/[redacted]/?confirm=cancel"',
        ),
        (
            "GET /accounts/password/reset/key/2-c4w1p9-0123456789abcdef/ HTTP/1.1",
            "GET /accounts/password/reset/key/[redacted]/ HTTP/1.1",
        ),
        (
            "GET /accounts/confirm-email/MQ:1u2v3w:AbC-dEf_GhI/ HTTP/1.1",
            "GET /accounts/confirm-email/[redacted]/ HTTP/1.1",
        ),
        (
            "GET /accounts/oidc/uni/callback/?code=4%2F0AbC&state=xYz&scope=email",
            "GET /accounts/oidc/uni/callback/?code=[redacted]&state=[redacted]"
            "&scope=email",
        ),
        (
            "GET /accounts/login/?next=%2Finvitations%2FAbCdEf%2F HTTP/1.1",
            "GET /accounts/login/?next=[redacted] HTTP/1.1",
        ),
        (
            "GET /x/?token=abc&key=def&page=2",
            "GET /x/?token=[redacted]&key=[redacted]&page=2",
        ),
        (
            f"GET /kokous/registrations/{TOKEN}/",
            "GET /kokous/registrations/[redacted]/",
        ),
        # Pages that are no secret stay readable.
        ("GET /registrations/ HTTP/1.1", "GET /registrations/ HTTP/1.1"),
        (
            "GET /registrations/schedule/ HTTP/1.1",
            "GET /registrations/schedule/ HTTP/1.1",
        ),
        ("GET /calendar/ HTTP/1.1", "GET /calendar/ HTTP/1.1"),
        (
            "GET /admin/registrations/registration/5/change/ HTTP/1.1",
            "GET /admin/registrations/registration/5/change/ HTTP/1.1",
        ),
        (
            "GET /accounts/password/reset/key/done/ HTTP/1.1",
            "GET /accounts/password/reset/key/done/ HTTP/1.1",
        ),
        (
            "GET /events/forum/schedule.ics?track=ai&room=3 HTTP/1.1",
            "GET /events/forum/schedule.ics?track=ai&room=3 HTTP/1.1",
        ),
    ],
)
def test_redact_hides_every_secret_shape_and_keeps_the_rest(line, expected):
    assert redact(line) == expected


def test_a_record_is_redacted_for_every_handler_and_its_traceback_too(caplog):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("kokous.test")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError(f"no such link /invitations/{TOKEN}/")
        except ValueError:
            logger.exception("Failed: %s", f"/registrations/{TOKEN}/")
    finally:
        logger.removeHandler(handler)

    assert TOKEN not in stream.getvalue()
    assert TOKEN not in caplog.text
    assert stream.getvalue().splitlines()[0] == "Failed: /registrations/[redacted]/"
    assert stream.getvalue().splitlines()[-1] == (
        "ValueError: no such link /invitations/[redacted]/"
    )


# --- The flows ------------------------------------------------------------------


def _link(message) -> str:
    return urlsplit(re.search(r"https?://\S+", message.body)[0]).path


def _probes(secret: str) -> list[str]:
    """The secret and a piece of its middle, so that a partial leak shows too."""
    return [secret, secret[len(secret) // 3 :][:12]]


class Secrets:
    """Every secret link of one person, made as the product makes them."""

    def __init__(self, client):
        event = EventFactory()
        person = UserFactory(email="ada@example.org", name="Ada Lovelace")
        EmailAddress.objects.create(
            user=person, email=person.email, verified=True, primary=True
        )
        self.registration = register_attendee(event=event, attendee=person)
        self.invitation = InvitationFactory(email="bo@example.org")
        self.calendar = get_personal_calendar(user=person)

        mail.outbox.clear()
        client.post(reverse("account_reset_password"), {"email": person.email})
        self.reset_link = _link(mail.outbox[-1])
        client.post(
            reverse("account_signup"),
            {"email": "cy@example.org", "name": "Cy Young",
             "password1": PASSWORD, "password2": PASSWORD},
        )  # fmt: skip
        self.confirm_link = _link(mail.outbox[-1])
        client.logout()
        self.oauth = {"code": "4/0AeanS0aTHEcode", "state": "Zq8vTHEstate"}

    @property
    def manage_link(self) -> str:
        return self.registration.manage_path()

    def values(self) -> list[str]:
        return [
            self.registration.manage_token,
            self.invitation.token,
            self.calendar.token,
            self.reset_link.rstrip("/").rsplit("/", 1)[1].split("-", 1)[1],
            self.confirm_link.rstrip("/").rsplit("/", 1)[1],
            *self.oauth.values(),
        ]


def leaked(secrets: list[str], text: str) -> list[str]:
    return [probe for s in secrets for probe in _probes(s) if probe in text]


@pytest.fixture
def configured_output():
    """What the handlers the settings configure write, in one buffer."""
    buffer = io.StringIO()
    handlers = {
        handler
        for name in ["", "django", "django.request", "django.server"]
        for handler in logging.getLogger(name).handlers
        if type(handler) is logging.StreamHandler
    }
    streams = {handler: handler.setStream(buffer) for handler in handlers}
    yield buffer
    for handler, stream in streams.items():
        handler.setStream(stream)


@pytest.mark.django_db
def test_the_flows_leave_no_secret_in_djangos_logs(client, caplog, configured_output):
    secrets = Secrets(client)
    strict = Client(enforce_csrf_checks=True)  # cookies blocked: a 403 is logged
    old_manage_token = secrets.registration.manage_token
    old_calendar_token = secrets.calendar.token
    answer = secrets.invitation.answer_path()

    statuses = {
        "reset link": client.get(secrets.reset_link),
        "reset form": client.get(
            re.sub(r"-[^/]+/$", "-set-password/", secrets.reset_link)
        ),
        "new password": client.post(
            re.sub(r"-[^/]+/$", "-set-password/", secrets.reset_link),
            {"password1": "a new horse staple", "password2": "a new horse staple"},
        ),
        "confirm, no cookie": strict.post(secrets.confirm_link),
        "confirm page": client.get(secrets.confirm_link),
        "confirm": client.post(secrets.confirm_link),
        "manage": client.get(secrets.manage_link),
        "manage, no cookie": strict.post(secrets.manage_link, {"action": "cancel"}),
        "new manage link": client.post(secrets.manage_link, {"action": "regenerate"}),
        "old manage link": client.get(f"/registrations/{old_manage_token}/"),
        "invitation": client.get(answer),
        "cut invitation link": client.get(answer[:-5] + "/"),
        "sign in, then answer": client.get(
            reverse("account_login") + "?next=" + quote(answer, safe="")
        ),
        "feed": client.get(secrets.calendar.feed_path()),
        "oauth callback": client.get(
            "/", secrets.oauth, HTTP_REFERER=secrets.manage_link
        ),
    }
    secrets.registration.attendee.refresh_from_db()  # its password is new
    client.force_login(secrets.registration.attendee)
    statuses |= {
        "calendar page": client.get(reverse("registrations:personal_calendar")),
        "new feed link": client.post(reverse("registrations:personal_calendar")),
        "old feed link": client.get(f"/calendar/{old_calendar_token}.ics"),
    }
    secrets.registration.refresh_from_db()
    secrets.calendar.refresh_from_db()

    assert {name: response.status_code for name, response in statuses.items()} == {
        "reset link": 302,
        "reset form": 200,
        "new password": 302,
        "confirm, no cookie": 403,
        "confirm page": 200,
        "confirm": 302,
        "manage": 200,
        "manage, no cookie": 403,
        "new manage link": 302,
        "old manage link": 404,
        "invitation": 200,
        "cut invitation link": 404,
        "sign in, then answer": 200,
        "feed": 200,
        "oauth callback": 200,
        "calendar page": 200,
        "new feed link": 302,
        "old feed link": 404,
    }
    all_secrets = [old_manage_token, old_calendar_token, *secrets.values()]
    assert leaked(all_secrets, caplog.text) == []
    assert leaked(all_secrets, configured_output.getvalue()) == []
    assert caplog.messages == [
        "Forbidden (CSRF cookie not set.): /accounts/confirm-email/[redacted]/",
        "Forbidden (CSRF cookie not set.): /registrations/[redacted]/",
        "Not Found: /registrations/[redacted]/",
        "Not Found: /invitations/[redacted]/",
        "Not Found: /calendar/[redacted].ics",
    ]
    assert configured_output.getvalue().count("[redacted]") == 5


# --- Real servers -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url(tmp_path: Path) -> str:
    """The test database, as a server process can open it."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _wait_until(ready, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            pytest.fail("gave up waiting for the server")
        time.sleep(0.1)


def _listening(port: int, server: subprocess.Popen, log: Path) -> bool:
    if server.poll() is not None:
        pytest.fail(f"the server stopped: {log.read_text()}")
    try:
        with socket.create_connection(("127.0.0.1", port), 0.5):
            return True
    except OSError:
        return False


def _requests(logged: str) -> list[tuple[str, str]]:
    """(request line without the protocol, status) of each logged request."""
    return re.findall(r'"(GET \S+) HTTP/1\.[01]" (\d{3})', logged)


def _get(base: str, path: str, **headers) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


SERVERS = {
    # As the Dockerfile and docker-compose.yml run it, with the access log in a file.
    "gunicorn": lambda port, log: [
        sys.executable, "-m", "gunicorn", "config.wsgi",
        "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
        "--workers", "1", "--access-logfile", str(log), "--error-logfile", str(log),
    ],
    "runserver": lambda port, log: [
        sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks",
        f"127.0.0.1:{port}",
    ],
}  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("server_name", sorted(SERVERS))
def test_a_real_server_logs_no_secret(
    client, tmp_path, settings_env_names, server_name
):
    secrets = Secrets(client)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in settings_env_names and key != "DJANGO_SETTINGS_MODULE"
    }
    env |= {
        "DATABASE_URL": _database_url(tmp_path),
        "DEBUG": "1",
        "SECRET_KEY": settings.SECRET_KEY,
        "SITE_URL": base,
        "KOKOUS_VAR_DIR": str(tmp_path / "var"),
    }
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603
            SERVERS[server_name](port, log),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until(lambda: _listening(port, server, log))
        statuses = [
            _get(base, secrets.manage_link),
            _get(base, secrets.invitation.answer_path()),
            _get(base, secrets.invitation.answer_path()[:-5] + "/"),
            _get(base, secrets.calendar.feed_path()),
            _get(base, secrets.reset_link),
            _get(base, secrets.confirm_link),
            _get(base, "/accounts/login/?next=" + quote(secrets.manage_link, safe="")),
            _get(base, "/?code={code}&state={state}".format(**secrets.oauth)),
            _get(base, "/", Referer=base + secrets.manage_link),
        ]
        # A server logs a request once it has answered it: wait for the last line.
        _wait_until(lambda: len(_requests(log.read_text())) >= len(statuses))
    finally:
        server.terminate()
        server.wait(timeout=30)
    logged = log.read_text()

    assert statuses == [200, 200, 404, 200, 302, 200, 200, 200, 200]
    assert leaked(secrets.values(), logged) == []
    assert _requests(logged) == [
        ("GET /registrations/[redacted]/", "200"),
        ("GET /invitations/[redacted]/", "200"),
        ("GET /invitations/[redacted]/", "404"),
        ("GET /calendar/[redacted].ics", "200"),
        ("GET /accounts/password/reset/key/[redacted]/", "302"),
        ("GET /accounts/confirm-email/[redacted]/", "200"),
        ("GET /accounts/login/?next=[redacted]", "200"),
        ("GET /?code=[redacted]&state=[redacted]", "200"),
        ("GET /", "200"),
    ]
    if server_name == "gunicorn":  # the combined format names the Referer
        assert f'"{base}/registrations/[redacted]/"' in logged


# --- Every gunicorn the project ships redacts ------------------------------------


def _gunicorn_commands() -> list[str]:
    """Each command line that starts gunicorn: Dockerfile, docker-compose, Makefile."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    lines = [
        " ".join(s["command"]) if isinstance(s["command"], list) else s["command"]
        for s in services.values()
        if "command" in s
    ]
    lines += (ROOT / "Dockerfile").read_text().splitlines()
    lines += (ROOT / "Makefile").read_text().splitlines()
    commands = [line for line in lines if not line.lstrip("\t @").startswith("#")]
    return [line for line in commands if re.search(r"\bgunicorn\b[\"',]* ", line)]


def test_every_gunicorn_command_loads_the_redacting_settings():
    commands = _gunicorn_commands()

    assert len(commands) >= 2  # the Dockerfile's and docker-compose's web
    assert [
        bool(re.search(r"(-c|--config)[\"', =]+config/gunicorn\.conf\.py", command))
        for command in commands
    ] == [True] * len(commands)
