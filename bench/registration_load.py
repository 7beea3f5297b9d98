"""Benchmark: registering under load over HTTP against gunicorn (not a test).

    .venv/bin/python bench/registration_load.py [--people 500] [--concurrency 50]

500 signed-in people, 50 at a time, POST the registration form of an event with
450 places. Uses a PostgreSQL database of its own (kokous_bench_registrations,
recreated each run), Redis database 13 as broker and cache (flushed; no worker runs,
so confirmation messages wait in the outbox and the queue, as when workers lag),
DEBUG off, gunicorn with 4 sync workers. Sessions and CSRF cookies are made before
the timed part. Reports accepted registrations per second, latency percentiles,
oversold (confirmed above capacity), errors and the CPU each program used. Where a
registration's CPU goes: bench/profile_registration.py.
"""

import argparse
import http.client
import os
import secrets
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import harness

# BENCH_DB and BENCH_REDIS_DB choose another database and Redis db (both emptied).
DB_NAME = os.environ.get("BENCH_DB", "kokous_bench_registrations")
ENV = harness.configure(
    DB_NAME, f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '13')}"
)
CAPACITY = 450
SLUG = "spring-forum-load"
# Each worker first serves a few registrations for another event, as on a site
# that has been up for a while: the first POST in a process opens its broker
# connection and fills Django's caches, which costs ~0.2 s once per worker.
WARM_SLUG = "warm-up"
WARM_PEOPLE = 40


def recreate_database() -> None:
    """The database anew, and this benchmark's own Redis db emptied."""
    import redis

    harness.recreate_database(DB_NAME)
    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()


def seed(people: int) -> list[tuple[str, str]]:
    """The event and the people; returns (sessionid, csrftoken) cookies per person.

    Sessions are written as a sign-in writes them (settings.SESSION_ENGINE,
    cached_db): to the database and to the cache, so people who just signed in
    find their session in the cache, as on the site."""
    from django.utils import timezone

    from accounts.models import User
    from events.models import Event, Venue

    start = timezone.now() + timedelta(days=60)
    venue = Venue.objects.create(name="Dipoli", city="Espoo")
    for slug, title in ((SLUG, "Spring Forum (load test)"), (WARM_SLUG, "Warm-up")):
        Event.objects.create(
            slug=slug,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(days=3),
            venue=venue,
            capacity=CAPACITY,
            status=Event.Status.PUBLISHED,
        )
    users = User.objects.bulk_create(
        User(email=f"p{n}@bench.example", name=f"Person {n}", password="!")  # noqa: S106 - unusable on purpose
        for n in range(people)
    )
    return [
        (harness.signed_in_session(user, mfa=False), secrets.token_hex(16))
        for user in users
    ]


def add_full_form(slug: str, *, seat: bool = False) -> str:
    """Give the event what the Spring Forum's form has (two registration types, the
    default questions, a privacy notice); return a POST body that fills it in.

    With `seat`, the event also has two workshops with limited seats (as many
    seats as the event has places), and the body chooses the first."""
    from urllib.parse import urlencode

    from events.models import Event, Room, Session
    from registrations.models import RegistrationType
    from registrations.services import questions

    event = Event.objects.get(slug=slug)
    event.privacy_notice = "We keep your answers until the event is over."
    event.save(update_fields=["privacy_notice"])
    participant = RegistrationType.objects.create(event=event, name="Participant")
    RegistrationType.objects.create(event=event, name="Presenter", position=1)
    answers = {
        questions.ORGANISATION: "Aalto University",
        questions.COUNTRY: "FI",
        questions.DIETARY: questions.DIETARY_CHOICES[1],
        questions.ACCESSIBILITY: "Step-free access, please.",
        questions.PARTICIPANT_LIST_CONSENT: "yes",
    }
    body = [("registration_type", participant.pk), ("privacy", "on")]
    for question in questions.create_default_questions(event):
        body.append((f"q_{question.pk}", answers[question.key]))
    if seat:
        room = Room.objects.create(venue=event.venue, name="Workshop room")
        workshops = [
            Session.objects.create(
                event=event,
                title=title,
                room=room,
                kind=Session.Kind.WORKSHOP,
                starts_at=event.starts_at + timedelta(hours=hours),
                ends_at=event.starts_at + timedelta(hours=hours + 2),
                capacity=CAPACITY,
                signup_required=True,
            )
            for hours, title in ((2, "Writing a mobility grant"), (5, "Open data"))
        ]
        body.append(("sessions", workshops[0].pk))
    return urlencode(body)


def register(
    port: int, cookie: tuple[str, str], slug=SLUG, body=""
) -> tuple[float, int]:
    session_id, csrf = cookie
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        f"/events/{slug}/register/",
        body=body,
        headers={
            "Cookie": f"sessionid={session_id}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "Host": "127.0.0.1",
        },
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    return time.perf_counter() - started, response.status


def cpu_seconds_by_program() -> dict[str, float]:
    """CPU time (user+system) so far of gunicorn, postgres, redis and this client."""
    tick = os.sysconf("SC_CLK_TCK")
    totals: dict[str, float] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(pid) == os.getpid():
            name = "client (this script)"
        elif "gunicorn" in cmd:
            name = "gunicorn"
        elif cmd.startswith("postgres"):
            name = "postgresql"
        elif "redis-server" in cmd:
            name = "redis"
        else:
            continue
        totals[name] = totals.get(name, 0) + (int(fields[11]) + int(fields[12])) / tick
    return totals


def warm_up(port: int, cookie: tuple[str, str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "GET",
        f"/events/{SLUG}/register/",
        headers={"Cookie": f"sessionid={cookie[0]}", "Host": "127.0.0.1"},
    )
    conn.getresponse().read()
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--full-form",
        action="store_true",
        help="the event asks for a registration type, the default questions and "
        "the privacy notice, and every person answers them",
    )
    args = parser.parse_args()

    recreate_database()
    harness.prepare()
    cookies = seed(args.people + WARM_PEOPLE)
    warm_cookies, cookies = cookies[:WARM_PEOPLE], cookies[WARM_PEOPLE:]
    body = add_full_form(SLUG) if args.full_form else ""
    port = harness.free_port()
    server = harness.start_gunicorn(port, args.workers)
    try:
        lock = threading.Lock()
        results = []

        def one(cookie):
            outcome = register(port, cookie, body=body)
            with lock:
                results.append(outcome)

        # Warm every worker: GETs of the form page (templates), then registrations
        # for the warm-up event, several at a time so that every worker gets some.
        for cookie in warm_cookies[:24]:
            warm_up(port, cookie)
        with ThreadPoolExecutor(max_workers=8) as pool:
            warm = list(pool.map(lambda c: register(port, c, WARM_SLUG), warm_cookies))
        if any(status != 302 for _t, status in warm):
            raise SystemExit(f"warm-up registrations failed: {warm}")
        cpu_before = cpu_seconds_by_program()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(one, cookies))
        wall = time.perf_counter() - started
        cpu_after = cpu_seconds_by_program()
    finally:
        harness.stop(server)

    from registrations.models import Registration

    latencies = sorted(r[0] for r in results)
    errors = sum(1 for _t, status in results if status != 302)
    counts = {
        status: Registration.objects.filter(event__slug=SLUG, status=status).count()
        for status in ("confirmed", "waitlisted")
    }
    accepted = counts["confirmed"] + counts["waitlisted"]
    p95 = harness.p95(latencies)
    print(
        f"people {args.people}, concurrency {args.concurrency}, capacity {CAPACITY}"
        + (", full form" if args.full_form else ", empty form")
    )
    print(f"wall {wall:.2f} s, accepted {accepted} ({accepted / wall:.1f}/s)")
    print(
        f"latency median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(
        f"confirmed {counts['confirmed']}, waitlisted {counts['waitlisted']}, "
        f"oversold {max(counts['confirmed'] - CAPACITY, 0)}, errors {errors}"
    )
    print("CPU seconds during the run (2 cores available):")
    for name in sorted(cpu_after):
        used = cpu_after[name] - cpu_before.get(name, 0)
        print(f"  {name}: {used:.2f} s ({used / wall * 100:.0f}% of one core)")


if __name__ == "__main__":
    main()
