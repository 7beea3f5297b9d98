# ruff: noqa: E501 - benchmark output lines
"""Benchmark: one day of 2,000 sessions for a signed-in person (not a test).

    .venv/bin/python bench/timetable_personal.py [--sessions 2000] [--requests 30]

PostgreSQL database of its own (kokous_bench_timetable, recreated), DEBUG off,
gunicorn with 2 sync workers, Redis db 5 as cache. All sessions sit on one day in
40 rooms (the largest page the timetable can show); every third needs sign-up.
The person holds 50 bookmarks and 50 seats. Reports the page unchanged (the
cached day plus the personal pass) and the first request after a schedule change
(the day rendered anew), min/median/p95.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_DB", "kokous_bench_timetable")
ENV = {
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-secret-" + "t" * 40,
    "SITE_URL": "http://127.0.0.1:8000",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "EMAIL_URL": "smtp://127.0.0.1:2525",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(
        "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
    ) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def seed(count: int) -> tuple[str, str]:
    """(event slug, the person's session key)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from events.models import Event, Room, Session, Speaker, Track, Venue
    from registrations.models import Bookmark, Registration, SessionSeat

    start = datetime(2027, 5, 5, 5, tzinfo=UTC)  # 08:00 in Helsinki
    venue = Venue.objects.create(name="Dipoli", city="Espoo", country="Finland")
    event = Event.objects.create(
        slug="big-forum", title="Big Forum", starts_at=start,
        ends_at=start + timedelta(hours=14), venue=venue,
        status=Event.Status.PUBLISHED,
    )  # fmt: skip
    rooms = [Room.objects.create(venue=venue, name=f"Hall {n:02}") for n in range(40)]
    tracks = [
        Track.objects.create(event=event, slug=f"t{n}", name=f"Track {n}")
        for n in range(8)
    ]
    speakers = [
        Speaker.objects.create(event=event, name=f"Speaker {n}", affiliation="Aalto")
        for n in range(400)
    ]
    sessions = Session.objects.bulk_create(
        Session(
            event=event, title=f"Session {n}: internationalisation in practice",
            room=rooms[n % 40], track=tracks[n % 8],
            starts_at=start + timedelta(minutes=15 * (n // 40)),
            ends_at=start + timedelta(minutes=15 * (n // 40) + 30),
            signup_required=n % 3 == 0, capacity=20 if n % 3 == 0 else None,
        )
        for n in range(count)
    )  # fmt: skip
    Session.speakers.through.objects.bulk_create(
        Session.speakers.through(session_id=s.pk, speaker_id=speakers[i % 400].pk)
        for i, s in enumerate(sessions)
    )
    person = get_user_model().objects.create_user(
        email="ada@example.org", password=None, name="Ada"
    )
    registration = Registration.objects.create(
        event=event, attendee=person, status=Registration.Status.CONFIRMED
    )
    signup = [s for s in sessions if s.signup_required]
    others = [s for s in sessions if not s.signup_required]
    SessionSeat.objects.bulk_create(
        SessionSeat(registration=registration, session=s) for s in signup[:50]
    )
    Bookmark.objects.bulk_create(Bookmark(user=person, session=s) for s in others[:50])
    client = Client()
    client.force_login(person)
    return event.slug, client.cookies["sessionid"].value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, cookie="") -> tuple[float, int, bytes]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return time.perf_counter() - started, response.status, body


def workers_cpu(master: int) -> float:
    """CPU seconds used so far by gunicorn's workers (user + system), from /proc:
    on a shared machine a steadier measure of the page's cost than wall time."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def summary(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    return (
        f"min {times[0] * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    recreate_database()
    for command in (["migrate", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, check=True)
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()  # this benchmark's own Redis db
    slug, cookie = seed(args.sessions)
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=os.environ | {"SITE_URL": f"http://127.0.0.1:{port}"},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(port, "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        path = f"/events/{slug}/schedule/"
        for _ in range(3):  # warm both workers
            get(port, path, cookie)
        cpu_before = workers_cpu(server.pid)
        results = [get(port, path, cookie) for _ in range(args.requests)]
        cpu_unchanged = (workers_cpu(server.pid) - cpu_before) / args.requests
        body = results[-1][2].decode()
        statuses = {status for _t, status, _b in results}
        assert body.count('aria-pressed="true"') == 50, "the stars are not marked"
        assert body.count("badge-seat") == 50, "the seats are not marked"
        print(
            f"{path} ({args.sessions} sessions on one day, signed in, 50 stars, 50 seats), "
            f"unchanged: status {statuses}, {len(body):,} bytes, "
            + summary([t for t, _s, _b in results])
            + f"; server CPU {cpu_unchanged * 1000:.0f} ms a request"
        )
        from events.models import Event
        from events.services import bump_schedule_version

        changed, cpu = [], 0.0
        for _ in range(10):  # the first request after a change renders the day anew
            bump_schedule_version(Event.objects.get(slug=slug).pk)
            before = workers_cpu(server.pid)
            changed.append(get(port, path, cookie)[0])
            cpu += workers_cpu(server.pid) - before
        print(
            f"{path}: first request after a change: "
            + summary(changed)
            + f"; server CPU {cpu / 10 * 1000:.0f} ms a request"
        )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
