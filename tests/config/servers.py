"""Real web servers for fault tests: gunicorn with the deployed settings
(config/gunicorn.conf.py), or the embedded server exactly as `make run` starts it;
each on a free port and stopped by the test that started it."""

import contextlib
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.notifications.infra import free_port, wait_for

from .conftest import ROOT, env_names_read_by_settings

BIN = Path(sys.executable).parent


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


def make_run_server_script(port: int) -> str:
    """The shell lines `make run` ends with (periodic jobs beside the server), from
    `make -n run`, with this interpreter's virtualenv for `.venv/`."""
    printed = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    script = printed[printed.rindex("trap ") :].replace("\\\n", " ")
    return script.replace(".venv/bin/", f"{BIN}/")


def clean_environment(**env: str) -> dict[str, str]:
    """This process's environment without any variable the settings read, plus env."""
    names = env_names_read_by_settings() | {"DJANGO_SETTINGS_MODULE"}
    base = {k: v for k, v in os.environ.items() if k not in names}
    return {**base, "PYTHONPATH": str(ROOT), **env}


class WebServer:
    def __init__(self, command: list[str], *, env: dict[str, str], port: int):
        self.command, self.env, self.port = command, env, port
        self.process = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept for the report)
            prefix="kokous-web-", suffix=".log", delete=False
        )

    @classmethod
    def gunicorn(cls, *, env: dict[str, str], workers: int = 2) -> "WebServer":
        """gunicorn as docker-compose runs it, with `workers` processes."""
        port = free_port()
        command = [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "-c",
            "config/gunicorn.conf.py",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
        ]
        env = env | {"SITE_URL": f"http://127.0.0.1:{port}"}
        return cls(command, env=clean_environment(**env), port=port)

    @classmethod
    def make_run(cls, *, env: dict[str, str]) -> "WebServer":
        port = free_port()
        command = ["bash", "-c", make_run_server_script(port)]
        return cls(command, env=clean_environment(**env), port=port)

    def start(self) -> "WebServer":
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self._answers, 60, f"the web server (log: {self.log.name})", 0.2)
        return self

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(
                f"the server exited: {Path(self.log.name).read_text()}"
            )
        try:
            self.request("GET", "/healthz", timeout=5)
        except OSError:
            return False
        return True

    def request(
        self,
        method: str,
        path: str,
        *,
        session_key: str = "",
        body: str = "",
        language: str = "en",
        timeout: float = 30,
    ) -> Answer:
        csrf = secrets.token_hex(16)
        headers = {
            "Host": "127.0.0.1",
            "Accept-Language": language,
            "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
        }
        if method == "POST":
            headers |= {
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            }
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
        finally:
            connection.close()
        return Answer(
            response.status,
            dict(response.getheaders()),
            content,
            time.monotonic() - started,
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)  # quick shutdown
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.log.close()
        if not os.environ.get("KOKOUS_TEST_KEEP_WEB_LOG"):
            with contextlib.suppress(OSError):
                os.unlink(self.log.name)


def text_of(html: str) -> str:
    """The page's words, without tags and runs of white space."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def signed_in(user) -> str:
    """A session key for `user`, written as a sign-in writes it (database first)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
