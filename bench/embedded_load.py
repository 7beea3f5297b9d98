"""Benchmark: the embedded server (`make run`) under 50 people at once (not a test).

    .venv/bin/python bench/embedded_load.py [--people 300] [--concurrency 50]

Starts the embedded site as `make run` does (its own var/ directory under /tmp:
migrate, load_demo, then the shell lines `make -n run` prints: the periodic jobs
beside the server), on a free port. Signed-in people (sessions written to the
database before the timed part) each make the registration journey for the demo's
Spring Forum, one new connection per request as a browser without keep-alive:

  GET the event page, GET the registration form, POST it (a registration type, the
  five questions, the privacy notice and a workshop seat), GET the page the POST
  redirects to.

Counts connections reset or refused, requests that failed otherwise (timeouts,
unexpected statuses) and reports journeys per second and latency per step. The
whole run is bounded (--deadline seconds). Target: 0 dropped connections and 0
errors at 50 concurrent people.
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SLUG = "spring-forum"
# Every variable the settings read is dropped (as `make run` drops the deploy ones).
SETTINGS_VARIABLES = (
    "DATABASE_URL", "REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL", "EMAIL_URL",
    "SECRET_KEY", "SITE_URL", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE",
)  # fmt: skip
DROPPED = (ConnectionResetError, ConnectionRefusedError, BrokenPipeError)
SEED = """
import json
from urllib.parse import urlencode
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from accounts.models import User
from events.models import Event
from registrations.selectors.questions import questions_of
event = Event.objects.get(slug="spring-forum")
answers = {"organisation": "Aalto University", "country": "FI",
           "participant_list_consent": "yes"}
body = [("registration_type", event.registration_types.order_by("pk").first().pk),
        ("privacy", "on")]
body += [(f"q_{q.pk}", answers[q.key]) for q in questions_of(event) if q.key in answers]
seat = event.sessions.filter(signup_required=True).order_by("starts_at", "pk").first()
body.append(("sessions", seat.pk))
users = User.objects.bulk_create(
    User(email=f"bench{n}@example.org", name=f"Person {n}", password="!")
    for n in range(PEOPLE)
)
keys = []
for user in users:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    keys.append(store.session_key)
print(json.dumps({"body": urlencode(body), "sessions": keys}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def embedded_env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return env | {"KOKOUS_VAR_DIR": str(var), "DEBUG": "1"}


def make_run_script(port: int) -> str:
    """The last shell lines of `make run` (periodic jobs + server), as make prints
    them, with this interpreter's virtualenv for `.venv/`."""
    printed = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    script = printed[printed.rindex("trap ") :].replace("\\\n", " ")
    return script.replace(".venv/bin/", f"{BIN}/")


def prepare(var: Path, people: int) -> dict:
    env = embedded_env(var)
    for args in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
    seeded = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c",
         SEED.replace("PEOPLE", str(people))],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(seeded.stdout.splitlines()[-1])


def start_server(var: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["bash", "-c", make_run_script(port)],
        cwd=ROOT,
        env=embedded_env(var),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), 1):
                return process
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise SystemExit("the embedded server did not start")


class Journeys:
    def __init__(self, port: int, body: str, timeout: float):
        self.port, self.body, self.timeout = port, body, timeout
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.dropped: list[str] = []
        self.errors: list[str] = []
        self.completed = 0
        self.connections = 0

    def request(self, step, method, path, session_key, csrf, expect, body=""):
        headers = {"Host": "127.0.0.1", "Cookie": f"sessionid={session_key}; "
                   f"csrftoken={csrf}"}  # fmt: skip
        if method == "POST":
            headers |= {
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            }
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, self.timeout)
        with self.lock:
            self.connections += 1
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (*DROPPED, http.client.RemoteDisconnected) as error:
            with self.lock:
                self.dropped.append(f"{step}: {type(error).__name__}")
            return None
        except OSError as error:  # a timeout
            with self.lock:
                self.errors.append(f"{step}: {type(error).__name__}")
            return None
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latency.setdefault(step, []).append(elapsed)
            if response.status != expect:
                self.errors.append(f"{step}: HTTP {response.status}")
                return None
        return response

    def journey(self, session_key: str) -> None:
        csrf = secrets.token_hex(16)
        form = f"/events/{SLUG}/register/"
        steps = [
            ("event page", "GET", f"/events/{SLUG}/", 200, ""),
            ("form page", "GET", form, 200, ""),
            ("submit", "POST", form, 302, self.body),
        ]
        for step, method, path, expect, body in steps:
            response = self.request(step, method, path, session_key, csrf, expect, body)
            if response is None:
                return
        landing = urlsplit(response.getheader("Location")).path
        if self.request("landing page", "GET", landing, session_key, csrf, 200):
            with self.lock:
                self.completed += 1


def cpu_seconds(group: int) -> float:
    """CPU time (user + system) used so far by the processes of a process group."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def counts(var: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(var / "kokous.sqlite3") as db:
        rows = db.execute(
            "SELECT r.status, count(*) FROM registrations_registration r "
            "JOIN accounts_user u ON u.id = r.attendee_id "
            "WHERE u.email LIKE 'bench%' GROUP BY r.status"
        ).fetchall()
    return dict(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=30, help="per request")
    parser.add_argument("--deadline", type=float, default=300, help="whole run")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="kokous-embedded-bench-"))
    try:
        seeded = prepare(var, args.people)
        port = free_port()
        server = start_server(var, port)
        try:
            journeys = Journeys(port, seeded["body"], args.timeout)
            cpu_before = cpu_seconds(server.pid)
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                futures = [pool.submit(journeys.journey, s) for s in seeded["sessions"]]
                _done, late = wait(futures, timeout=args.deadline)
                for future in late:
                    future.cancel()
            wall = time.perf_counter() - started
            cpu = cpu_seconds(server.pid) - cpu_before
        finally:
            os.killpg(server.pid, signal.SIGINT)  # as Ctrl-C in `make run`
            server.wait(30)
        registered = counts(var)
    finally:
        shutil.rmtree(var, ignore_errors=True)

    print(
        f"embedded server (make run): {args.people} people, {args.concurrency} at "
        f"once, {journeys.connections} connections in {wall:.1f} s"
    )
    print(
        f"journeys completed {journeys.completed} ({journeys.completed / wall:.1f}/s), "
        f"dropped connections {len(journeys.dropped)}, other errors "
        f"{len(journeys.errors)}, unfinished {len(late)}"
    )
    for step, values in journeys.latency.items():
        values.sort()
        p95 = values[max(int(len(values) * 0.95) - 1, 0)]
        print(
            f"  {step:<13} median {statistics.median(values) * 1000:5.0f} ms, "
            f"p95 {p95 * 1000:5.0f} ms, max {values[-1] * 1000:5.0f} ms"
        )
    print(
        f"server CPU {cpu:.1f} s ({cpu / max(journeys.completed, 1) * 1000:.0f} ms "
        f"per journey; one process: at most one core)"
    )
    print(f"registrations: {registered}")
    for problem in (journeys.dropped + journeys.errors)[:10]:
        print(f"  {problem}")


if __name__ == "__main__":
    main()
