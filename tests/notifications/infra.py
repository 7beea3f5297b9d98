"""Real outside services for end-to-end and fault tests, each on a free port and
stopped by the test that started it (never the machine's shared ones)."""

import asyncio
import contextlib
import email
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), 0.2):
            return True
    except OSError:
        return False


class RedisServer:
    """A throwaway redis-server: no persistence, so a restart starts empty."""

    def __init__(self, port: int | None = None):
        if shutil.which("redis-server") is None:
            pytest.skip("needs redis-server on PATH")
        self.port = port or free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _listening(self.port), 10, "redis-server")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


class Inbox:
    """An aiosmtpd handler: collects what it accepts; can refuse or stall first."""

    def __init__(self):
        self.received: list[email.message.Message] = []
        self.refuse = 0  # answer this many DATA commands with a 451
        self.stall_before_data = threading.Event()  # while set, RCPT waits
        self.stall = threading.Event()  # while set, the reply to DATA waits
        self.stalled = threading.Event()  # set once a DATA is waiting
        # {"EHLO" | "MAIL" | "RCPT" | "DATA": reply}: answer that command so.
        self.replies: dict[str, str] = {}
        # (lines, seconds): EHLO answered with that many extra lines, one at a time.
        self.slow_ehlo = (0, 0.0)
        self.stall_quit = threading.Event()  # while set, QUIT gets no answer
        self.sessions = 0  # conversations begun (EHLO or HELO)
        self.auth_reply = None  # with a password: the reply to a wrong one

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        lines, gap = self.slow_ehlo
        for n in range(lines):  # each line in time; the whole reply slow
            await server.push(f"250-X-SLOW-{n}")
            await asyncio.sleep(gap)
        if reply := self.replies.get("EHLO"):
            return [reply]
        session.host_name = hostname
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        if reply := self.replies.get("EHLO"):
            return reply
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if reply := self.replies.get("MAIL"):
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # Stalling here (before DATA) models a worker dying before the server has
        # the message: nothing is delivered until the retry.
        while self.stall_before_data.is_set():
            self.stalled.set()
            await asyncio.sleep(0.05)
        if reply := self.replies.get("RCPT"):
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        while self.stall_quit.is_set():
            await asyncio.sleep(0.05)
        return "221 Bye"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if auth_data.password == self.password.encode():
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False, message=self.auth_reply)

    async def handle_DATA(self, server, session, envelope):
        if reply := self.replies.get("DATA"):
            return reply
        if self.refuse:
            self.refuse -= 1
            return "451 Try again later"
        # Like a real server, keep the message first and reply after: stalling here
        # models a client (worker) that dies before it sees the "250".
        self.received.append(email.message_from_bytes(envelope.content))
        while self.stall.is_set():
            self.stalled.set()
            await asyncio.sleep(0.05)
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.received]


@contextlib.contextmanager
def smtp_server(*, password: str | None = None):
    """An aiosmtpd server; with `password`, it asks for AUTH (any user name)."""
    inbox = Inbox()
    auth = {}
    if password is not None:
        inbox.password = password
        auth = {
            "authenticator": inbox.authenticate,
            "auth_required": False,  # offered; Django logs in when it has a password
            "auth_require_tls": False,  # a local test server: no TLS to offer
        }
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **auth)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@contextlib.contextmanager
def greeting_server(greeting: str):
    """A mail server that greets every client with `greeting` and hangs up."""

    class Greet(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.sendall(greeting.encode() + b"\r\n")

    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Greet) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()


class Worker:
    """`celery -A config worker` on the test's PostgreSQL database."""

    def __init__(
        self,
        *,
        broker_url: str,
        smtp_port: int,
        queues="default,bulk",
        processes=0,
        email_timeout=5,
    ):
        # processes=0: the solo pool (one process, deterministic for fault tests);
        # otherwise the prefork pool with that many processes, as deployed.
        self.pool = (
            ["--pool", "solo"]
            if not processes
            else ["--pool", "prefork", "--concurrency", str(processes)]
        )
        db = connection.settings_dict
        self.env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "DEBUG": "1",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": broker_url,
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": str(email_timeout),
            "PYTHONPATH": str(ROOT),
        }
        self.queues = queues
        self.process = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept for the report)
            prefix="kokous-worker-", suffix=".log", delete=False
        )

    def start(self):
        self.process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "config",
                "worker",
                *self.pool,
                "-Q",
                self.queues,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                os.environ.get("KOKOUS_TEST_WORKER_LOGLEVEL", "WARNING"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self):
        """SIGKILL: the worker gets no chance to tidy up."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()
        if not os.environ.get("KOKOUS_TEST_KEEP_WORKER_LOG"):
            with contextlib.suppress(OSError):
                os.unlink(self.log.name)
