# ruff: noqa: E501 - benchmark output lines
"""Benchmark: the event home of an event with 5,000 registrations, over HTTP (not a test).

    .venv/bin/python bench/organise_home.py [--registrations 5000] [--requests 50]
                                            [--redis-db 14] [--database NAME]

PostgreSQL database of its own (kokous_bench_home, recreated), DEBUG off, gunicorn
with 2 workers and config/gunicorn.conf.py, Redis (db 14 by default) as the cache,
where sessions live. The event is under way, so the home shows everything it can:
registrations in every status over 60 days, three types, the five default questions
answered, seats in 12 of 60 sessions, invitations, an outbox of 5,000 messages,
schedule changes waiting for their digest, check-ins, and now and next in each room.
The owner is signed in with a second factor recorded in the session, as after a real
sign-in.

Reports min/median/p95 over HTTP (a new connection per request), the number of SQL
queries, and where one request's time goes (SQL or Python), measured in-process.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import time
from datetime import timedelta

import harness

DB_NAME = "kokous_bench_home"
TARGET_MS = 200

ORGANISATIONS = [
    "University of Helsinki", "Aalto University", "Tampere University",
    "University of Oulu", "University of Turku", "University of Jyväskylä",
    "LUT University", "Åbo Akademi University", "Hanken School of Economics",
    "Metropolia University of Applied Sciences", "Uppsala University",
    "KTH Royal Institute of Technology", "University of Bergen", "University of Tartu",
]  # fmt: skip
COUNTRIES = ["FI", "FI", "FI", "FI", "SE", "SE", "NO", "EE", "DK", "DE", "PT", "FR"]


def seed(count: int):
    """The event, its programme and people; returns (event slug, owner)."""
    from django.utils import timezone

    from accounts.models import User
    from events.models import (
        Event,
        EventOrganiser,
        Room,
        ScheduleChange,
        Session,
        Venue,
    )
    from notifications.models import Message, ScheduleDigest
    from registrations.models import (
        Answer,
        Invitation,
        Registration,
        RegistrationType,
        SessionSeat,
    )
    from registrations.services.questions import create_default_questions

    now = timezone.now()
    venue = Venue.objects.create(name="Dipoli", city="Espoo", country="Finland")
    event = Event.objects.create(
        slug="big-forum", title="Big Forum", status=Event.Status.PUBLISHED, venue=venue,
        starts_at=now - timedelta(hours=3), ends_at=now + timedelta(days=2),
        capacity=count * 9 // 10, registration_closes_at=now - timedelta(days=7),
    )  # fmt: skip
    owner = User.objects.create(email="owner@bench.example", name="Owner", password="!")  # noqa: S106 - unusable on purpose
    EventOrganiser.objects.create(
        event=event, user=owner, role=EventOrganiser.Role.OWNER
    )
    questions = {q.key: q for q in create_default_questions(event)}
    types = [
        RegistrationType.objects.create(event=event, name=name, position=n)
        for n, name in enumerate(["Participant", "Presenter", "Network coordinator"])
    ]
    rooms = [Room.objects.create(venue=venue, name=f"Hall {n}") for n in range(7)]
    sessions = Session.objects.bulk_create(
        Session(
            event=event, title=f"Session {n}", room=rooms[n % 7],
            starts_at=event.starts_at + timedelta(hours=n // 7 * 1.5),
            ends_at=event.starts_at + timedelta(hours=n // 7 * 1.5 + 1),
            signup_required=n % 5 == 0, capacity=120 if n % 5 == 0 else None,
        )
        for n in range(60)
    )  # fmt: skip
    seated = [s for s in sessions if s.signup_required]
    users = User.objects.bulk_create(
        User(email=f"p{n}@bench.example", name=f"Person {n}", password="!")  # noqa: S106
        for n in range(count)
    )
    statuses = (
        ["confirmed"] * 86 + ["waitlisted"] * 8 + ["cancelled"] * 3
        + ["awaiting_approval"] * 2 + ["offered"]
    )  # fmt: skip
    registrations = Registration.objects.bulk_create(
        Registration(
            event=event, attendee=user, registration_type=types[n % 3],
            status=(status := statuses[n % len(statuses)]),
            waitlisted_at=now if status == "waitlisted" else None,
            offer_expires_at=now + timedelta(hours=n % 48 + 1) if status == "offered" else None,
            checked_in_at=now if status == "confirmed" and n % 2 else None,
        )
        for n, user in enumerate(users)
    )  # fmt: skip
    for n, registration in enumerate(registrations):  # spread over 60 days
        registration.created_at = now - timedelta(
            days=60 - (n * 60 // count), minutes=n
        )
    Registration.objects.bulk_update(registrations, ["created_at"], batch_size=1000)
    Answer.objects.bulk_create(
        (
            Answer(registration=r, question=questions[key], value=value)
            for n, r in enumerate(registrations)
            for key, value in (
                ("organisation", ORGANISATIONS[n % len(ORGANISATIONS)] + ("" if n % 7 else " ")),
                ("country", COUNTRIES[n % len(COUNTRIES)]),
                ("dietary", ["Vegetarian"] if n % 4 == 0 else []),
                ("participant_list_consent", n % 3 != 0),
            )
        ),
        batch_size=2000,
    )  # fmt: skip
    SessionSeat.objects.bulk_create(
        (
            SessionSeat(
                registration=r, session=seated[n % len(seated)],
                status="confirmed" if n % 40 < 36 else "waitlisted",
                waitlisted_at=None if n % 40 < 36 else now,
            )
            for n, r in enumerate(registrations)
            if r.status == "confirmed" and n % 3 == 0
        ),
        batch_size=2000,
    )  # fmt: skip
    Invitation.objects.bulk_create(
        Invitation(
            event=event, registration_type=types[1], email=f"invitee{n}@bench.example",
            status=["pending", "accepted", "declined", "expired"][n % 4],
            rsvp_deadline=now + timedelta(days=n % 10 - 2), reserves_seat=n % 2 == 0,
        )
        for n in range(200)
    )  # fmt: skip
    Message.objects.bulk_create(
        (
            Message(
                key=f"activity:{r.pk}:confirmed:{r.attendee_id}", kind="confirmed",
                to_email=f"p{n}@bench.example", subject="Welcome", body_text="Welcome " * 50,
                event=event, registration=r, status="sent" if n % 100 else "failed",
            )
            for n, r in enumerate(registrations)
        ),
        batch_size=2000,
    )  # fmt: skip
    ScheduleChange.objects.bulk_create(
        ScheduleChange(event=event, session=sessions[n], kind="moved") for n in range(5)
    )
    ScheduleDigest.objects.create(event=event, due_at=now + timedelta(minutes=10))
    return event.slug, owner


def backend_pids(database: str) -> list[int]:
    """The PostgreSQL processes serving the benchmark's database (gunicorn's)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return [pid for (pid,) in cursor.fetchall()]


def get(port, path, session_key="") -> tuple[float, int, bytes]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "GET", path, headers={"Host": "127.0.0.1", "Cookie": f"sessionid={session_key}"}
    )
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return time.perf_counter() - started, response.status, body


def in_process(path: str, session_key: str, runs: int = 20) -> tuple[int, float, float]:
    """(queries, median total ms, median SQL ms) of the page, served in this process."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session_key
    spent = {"queries": 0, "seconds": 0.0}

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["queries"] += 1
            spent["seconds"] += time.perf_counter() - started

    totals, sqls, queries = [], [], set()
    for _ in range(runs + 3):
        spent.update(queries=0, seconds=0.0)
        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        totals.append(time.perf_counter() - started)
        sqls.append(spent["seconds"])
        queries.add(spent["queries"])
    if len(queries) != 1:
        raise SystemExit(f"the number of queries changed between requests: {queries}")
    totals, sqls = totals[3:], sqls[3:]
    return (
        queries.pop(),
        statistics.median(totals) * 1000,
        statistics.median(sqls) * 1000,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--redis-db", type=int, default=14)
    parser.add_argument("--database", default=DB_NAME, help="recreated each run")
    args = parser.parse_args()
    harness.configure(args.database, f"redis://127.0.0.1:6379/{args.redis_db}")
    harness.recreate_database(args.database)
    harness.prepare()
    started = time.perf_counter()
    slug, owner = seed(args.registrations)
    print(
        f"seeded {args.registrations:,} registrations in {time.perf_counter() - started:.0f} s"
    )
    from django.db import connection

    with connection.cursor() as cursor:  # statistics, as a live database has them
        cursor.execute("ANALYZE")
    session_key = harness.signed_in_session(owner)
    path = f"/organise/{slug}/"
    queries, total_ms, sql_ms = in_process(path, session_key)
    port = harness.free_port()
    # The project's own gunicorn settings (threads), as the web service runs; the
    # access log goes nowhere, so that the figures stay readable.
    server = harness.start_gunicorn(
        port, 2, "-c", "config/gunicorn.conf.py", stdout=subprocess.DEVNULL
    )
    try:
        for _ in range(10):  # warm both workers and their database connections
            _elapsed, status, body = get(port, path, session_key)
            if status != 200 or b"Now and next" not in body:
                raise SystemExit(f"the home answered {status}, not the page")
        web_before, db_before = (
            harness.cpu(harness.worker_pids(server.pid)),
            harness.cpu(backend_pids(args.database)),
        )
        results = [get(port, path, session_key) for _ in range(args.requests)]
        web_cpu = harness.used(web_before, harness.cpu(harness.worker_pids(server.pid)))
        db_cpu = harness.used(db_before, harness.cpu(backend_pids(args.database)))
    finally:
        harness.stop(server)
    times = sorted(t for t, _s, _b in results)
    p95 = harness.p95(times)
    median = statistics.median(times)
    print(
        f"{path} ({args.registrations:,} registrations): status {sorted({s for _t, s, _b in results})}, "
        f"{len(results[0][2]):,} bytes, min {times[0] * 1000:.0f} ms, "
        f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms (target < {TARGET_MS} ms)"
    )
    print(
        f"CPU a request: gunicorn {web_cpu / len(results) * 1000:.0f} ms, "
        f"PostgreSQL {db_cpu / len(results) * 1000:.0f} ms; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"in-process: {queries} SQL queries; median {total_ms:.0f} ms a request, "
        f"of which SQL {sql_ms:.0f} ms and Python (templates, charts, middleware) "
        f"{total_ms - sql_ms:.0f} ms"
    )
    if p95 * 1000 >= TARGET_MS:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
