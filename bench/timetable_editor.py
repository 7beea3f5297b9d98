# ruff: noqa: E501 - benchmark output lines
"""Benchmark: the timetable editor at 2,000 sessions in 40 rooms over 3 days, over HTTP (not a test).

    .venv/bin/python bench/timetable_editor.py [--requests 30] [--moves 100] [--redis-db 13]

PostgreSQL database of its own (kokous_bench_editor, recreated), DEBUG off, gunicorn
with 2 workers and config/gunicorn.conf.py, Redis (db 13 by default) as the cache.
Each session has two speakers, a track, and every fifth one 30 seats, 20 of them
taken. The owner is signed in with a second factor, as after a real sign-in.

Reports:
- the day view (`/organise/<event>/schedule/?day=…`): min/median/p95 over HTTP for
  each day, and the SQL queries of a request for each day (they must not depend on
  how many sessions the day holds);
- a move checked and saved: the editor's `check` then `move` POSTs for one session,
  timed together, for `--moves` sessions (each shifted by five minutes within its
  slot, so every move is allowed and saved). The digest is not sent in the request:
  a move only pushes the digest's due time back.
"""

import argparse
import http.client
import os
import re
import subprocess
import time
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import harness
from harness import cpu, used, worker_pids

DB_NAME = "kokous_bench_editor"
DAY_TARGET_MS, MOVE_TARGET_MS = 300, 100
HELSINKI = ZoneInfo("Europe/Helsinki")
# sessions per day: unequal on purpose, so that a constant query count shows
PER_DAY = (760, 720, 520)
ROOMS = 40


def seed():
    from accounts.models import User
    from events.models import (
        Event,
        EventOrganiser,
        Room,
        Session,
        Speaker,
        Track,
        Venue,
    )  # fmt: skip
    from registrations.models import Registration, RegistrationType, SessionSeat

    start = datetime(2030, 5, 6, 8, 0, tzinfo=HELSINKI)
    venue = Venue.objects.create(name="Dipoli", city="Espoo", country="Finland")
    event = Event.objects.create(
        slug="big-forum", title="Big Forum", status=Event.Status.PUBLISHED, venue=venue,
        starts_at=start, ends_at=start + timedelta(days=2, hours=10), timezone="Europe/Helsinki",
    )  # fmt: skip
    owner = User.objects.create(email="owner@bench.example", name="Owner", password="!")  # noqa: S106 - unusable on purpose
    EventOrganiser.objects.create(
        event=event, user=owner, role=EventOrganiser.Role.OWNER
    )
    rooms = Room.objects.bulk_create(
        Room(venue=venue, name=f"Room {n:02}", capacity=40 + n * 10)
        for n in range(ROOMS)
    )
    tracks = Track.objects.bulk_create(
        Track(event=event, slug=f"t{n}", name=f"Track {n}") for n in range(8)
    )
    speakers = Speaker.objects.bulk_create(
        Speaker(event=event, name=f"Speaker {n}") for n in range(1500)
    )
    rows = []
    for day, count in enumerate(PER_DAY):
        for n in range(count):
            slot = start + timedelta(days=day, minutes=30 * (n // ROOMS))
            rows.append(Session(
                event=event, title=f"Session {day}-{n}", room=rooms[n % ROOMS],
                track=tracks[n % 8], starts_at=slot, ends_at=slot + timedelta(minutes=25),
                capacity=30 if n % 5 == 0 else None, signup_required=n % 5 == 0,
            ))  # fmt: skip
    sessions = Session.objects.bulk_create(rows)
    through = Session.speakers.through
    through.objects.bulk_create(
        through(session_id=s.pk, speaker_id=speakers[(i * 2 + k) % 1500].pk)
        for i, s in enumerate(sessions)
        for k in range(2)
    )
    kind = RegistrationType.objects.create(event=event, name="Participant")
    people = User.objects.bulk_create(
        User(email=f"p{n}@bench.example", name=f"P {n}", password="!")  # noqa: S106
        for n in range(600)
    )
    registrations = Registration.objects.bulk_create(
        Registration(
            event=event, attendee=u, registration_type=kind, status="confirmed"
        )
        for u in people
    )
    seated = [s for s in sessions if s.capacity]
    SessionSeat.objects.bulk_create(
        SessionSeat(
            registration=registrations[(i * 20 + k) % 600],
            session=s,
            status="confirmed",
        )
        for i, s in enumerate(seated)
        for k in range(20)
    )
    return event, owner, sessions


class Browser:
    """One signed-in organiser over HTTP: a new connection per request."""

    def __init__(self, port, session_key):
        self.port, self.cookies = port, {"sessionid": session_key}

    def request(self, method, path, body=None, headers=None):
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body,
                     headers={"Host": "127.0.0.1", "Cookie": cookie, **(headers or {})})  # fmt: skip
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        conn.close()
        return time.perf_counter() - started, response.status, data

    def post(self, path, fields, token):
        return self.request("POST", path, urlencode(fields), {
            "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": token,
            "Origin": f"http://127.0.0.1:{self.port}", "Referer": f"http://127.0.0.1:{self.port}/",
        })  # fmt: skip


def queries_of(path, session_key) -> int:
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session_key
    count = {"n": 0}

    def counted(execute, sql, params, many, context):
        count["n"] += 1
        return execute(sql, params, many, context)

    client.get(path)  # warm the session cache
    with connection.execute_wrapper(counted):
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return count["n"]


def p95_ms(times) -> float:
    return harness.p95(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--moves", type=int, default=100)
    parser.add_argument("--redis-db", type=int, default=13)
    args = parser.parse_args()
    harness.configure(DB_NAME, f"redis://127.0.0.1:6379/{args.redis_db}")
    harness.recreate_database(DB_NAME)
    harness.prepare()
    started = time.perf_counter()
    event, owner, sessions = seed()
    print(
        f"seeded {len(sessions):,} sessions in {ROOMS} rooms over 3 days in {time.perf_counter() - started:.0f} s"
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    session_key = harness.signed_in_session(owner)
    days = [d.isoformat() for d in event.local_days()]
    paths = {day: f"/organise/{event.slug}/schedule/?day={day}" for day in days}
    queries = {day: queries_of(path, session_key) for day, path in paths.items()}
    port = harness.free_port()
    server = harness.start_gunicorn(
        port, 2, "-c", "config/gunicorn.conf.py", stdout=subprocess.DEVNULL
    )
    failed = False
    try:
        browser = Browser(port, session_key)
        for day, path in paths.items():
            for _ in range(5):
                _t, status, body = browser.request("GET", path)
                assert status == 200 and b"ed-grid" in body, status
            before = cpu(worker_pids(server.pid))
            times = [browser.request("GET", path)[0] for _ in range(args.requests)]
            spent = used(before, cpu(worker_pids(server.pid))) / len(times) * 1000
            blocks = body.count(b'class="ed-block')
            print(f"day view {day}: {blocks} blocks, {len(body):,} bytes, {queries[day]} queries; "
                  f"{harness.summary(times)} (target < {DAY_TARGET_MS} ms); gunicorn CPU {spent:.0f} ms a request")  # fmt: skip
            failed |= p95_ms(times) >= DAY_TARGET_MS
        token = (
            re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
            .group(1)
            .decode()
        )
        tz = event.tzinfo
        moves, statuses = [], set()
        before = cpu(worker_pids(server.pid))
        for i, session in enumerate(sessions[: args.moves]):
            s, e = session.starts_at.astimezone(tz), session.ends_at.astimezone(tz)
            fields = {"starts_at": (s + timedelta(minutes=5)).isoformat(),
                      "ends_at": (e + timedelta(minutes=5)).isoformat(),
                      "room": session.room_id, "edit_count": 0}  # fmt: skip
            base = f"/organise/{event.slug}/schedule/sessions/{session.pk}/"
            t1, st1, _ = browser.post(base + "check/", fields, token)
            t2, st2, answer = browser.post(base + "move/", fields, token)
            statuses |= {st1, st2}
            moves.append(t1 + t2)
            if i == 0 and st2 != 200:
                raise SystemExit(f"move answered {st2}: {answer[:300]!r}")
        spent = used(before, cpu(worker_pids(server.pid))) / len(moves) * 1000
        print(f"move checked and saved ({len(moves)} sessions, statuses {sorted(statuses)}): "
              f"{harness.summary(moves)} (target p95 < {MOVE_TARGET_MS} ms); gunicorn CPU {spent:.0f} ms a move")  # fmt: skip
        failed |= p95_ms(moves) >= MOVE_TARGET_MS
    finally:
        harness.stop(server)
    constant = len(set(queries.values())) == 1
    print(f"queries per day view: {queries} ({'constant' if constant else 'NOT constant'}); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    if failed or not constant:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
