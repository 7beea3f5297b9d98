"""What the HTTP benchmarks share: a production-like setup of their own.

- ``configure(db_name, redis_url, **extra)``: the production-like environment
  (DEBUG off, PostgreSQL database ``db_name``, Redis ``redis_url`` as cache) put
  into ``os.environ``, the project root on ``sys.path``; returns the environment.
- ``recreate_database(name)``: drops and creates that PostgreSQL database.
- ``prepare()``: ``migrate`` and ``collectstatic``, then ``django.setup()``.
- ``free_port()``, ``start_gunicorn(port, workers)`` (waits for /healthz) and
  ``stop(server)``.
- ``signed_in_session(user, mfa=...)``: a stored session key for a signed-in user.
- ``cpu_seconds(master_pid)``: CPU used so far by gunicorn's workers;
  ``cpu(pids)``, ``used(before, after)`` and ``worker_pids(master_pid)`` for
  other processes' (PostgreSQL backends', say).
- ``p95(times)`` and ``summary(times)``: percentiles of request times.
- ``wsgi_environ(...)`` and ``call(application, environ)``: one request straight
  into the WSGI application, in this process, as gunicorn makes it (the in-process
  profiles).

Every benchmark names its own database (kokous_bench_*) and Redis db; none
flushes more than its own Redis db.
"""

import http.client
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(db_name: str, redis_url: str, **extra: str) -> dict[str, str]:
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}",
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret-" + "z" * 40,
        "SITE_URL": "http://127.0.0.1:8000",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_URL": "smtp://127.0.0.1:2525",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **extra,
    }
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return env


def recreate_database(name: str, *, force: bool = False) -> None:
    """Drop and create the database ``name`` (with ``force``, even while
    connections to it are left over from a run that was stopped)."""
    import psycopg

    with psycopg.connect(
        "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
    ) as conn:
        drop = f"DROP DATABASE IF EXISTS {name}"
        conn.execute(drop + " WITH (FORCE)" if force else drop)
        conn.execute(f"CREATE DATABASE {name}")


def prepare() -> None:
    """Migrate the configured database, collect static files, set Django up."""
    for command in (["migrate", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, check=True)
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    port: int, workers: int, *options: str, stdout: int | None = None
) -> subprocess.Popen:
    """gunicorn serving the project on ``port`` with ``workers`` workers (and
    further command-line ``options``); returns once /healthz answers."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), *options, "--log-level", "warning"],
        cwd=ROOT, env=os.environ | {"SITE_URL": f"http://127.0.0.1:{port}"},
        stdout=stdout,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            conn.getresponse().read()
            conn.close()
            return server
        except OSError:
            if time.monotonic() > deadline:
                stop(server)
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait()


def signed_in_session(user, *, mfa: bool = True) -> str:
    """The key of a stored session signed in as ``user`` (with a second factor,
    as a sign-in with TOTP records it, unless ``mfa`` is false)."""
    from allauth.account.internal.flows.login import record_authentication
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.session[SESSION_KEY] = str(user.pk)
    request.session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    request.session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    request.user = user
    if mfa:
        record_authentication(request, user, "mfa", type="totp")
    request.session.save()
    return request.session.session_key


def cpu_seconds(master_pid: int) -> float:
    """User and system CPU of gunicorn's workers so far, from /proc: the web
    tier's own cost, which the shared machine's load does not inflate as it
    does wall time."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
    total = 0
    for pid in children.split():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def cpu(pids: list[int]) -> dict[int, float]:
    """Each process's user and system CPU seconds so far (Linux /proc)."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two readings, by processes alive at the second one."""
    return sum(now - before.get(pid, 0.0) for pid, now in after.items())


def worker_pids(master: int) -> list[int]:
    return [
        int(pid)
        for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ]


def p95(times: list[float]) -> float:
    """The 95th percentile (nearest rank, rounded down) of ``times``."""
    ordered = sorted(times)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def summary(times: list[float]) -> str:
    """min, median and p95 of request times in seconds, shown in ms."""
    import statistics

    ordered = sorted(times)
    return (
        f"min {ordered[0] * 1000:.0f} ms, "
        f"median {statistics.median(ordered) * 1000:.0f} ms, "
        f"p95 {p95(ordered) * 1000:.0f} ms"
    )


def wsgi_environ(
    method: str, path: str, cookies: str, csrf: str, body: bytes, content_type: str
) -> dict:
    """The WSGI environ of one request from 127.0.0.1 with these cookies, the CSRF
    header and `body`."""
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookies,
        "HTTP_X_CSRFTOKEN": csrf,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(application, environ: dict) -> tuple[str, list, bytes]:
    """One request into the WSGI application: status, headers and body."""
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, list(headers)

    response = application(environ, start_response)
    content = b"".join(response)
    if hasattr(response, "close"):
        response.close()
    return answer["status"], answer["headers"], content
