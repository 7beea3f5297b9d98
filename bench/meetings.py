# ruff: noqa: E501 - benchmark output lines
"""Benchmark: one-to-one meetings at 450 participants, one block of 6 slots and 40
tables: 2,000 meeting requests, then the accepts, over HTTP (not a test).

    .venv/bin/python bench/meetings.py [--people 450] [--requests 2000] [--tables 40]
                                       [--clients 6] [--workers 4] [--redis-db 9]

PostgreSQL database of its own (kokous_bench_meetings, recreated), DEBUG off,
gunicorn with sync workers, Redis (db 9 by default, flushed before and after) as
cache and broker; no Celery worker runs (the messages composed wait in the outbox).
Every participant is confirmed, opted in, and signed in with a session of their own.

1. Requests: each client thread sends its share of the requests at once with the
   others, each as the plain form does (POST to the request page, as its
   requester). Pairs and slots are drawn to collide: four in ten go to one of 30
   popular people, and the first two slots are drawn three times as often as the
   last ones, so many ask for a slot the requester or recipient already holds, and
   the most eager requesters reach the limit of 10 open requests.
2. Accepts: every request still pending is accepted by its recipient (the hub's
   plain form), the clients again at once; the first slots have far more requests
   than tables, so many are refused for want of a table.

Reports requests/s and accepts/s (wall time, all clients), min/median/p95 of each,
the web tier's CPU per request (the machine is shared: CPU is the steadier
figure), every refusal by its reason (the text the person reads, names and times
left out), any answer that is not a page or a redirect, and a final check in the
database: no person with two active commitments at once, no table with two active
meetings at once, and the meetings, accepted requests and commitments in agreement.
"""

import argparse
import http.client
import os
import random
import re
import threading
import time
from collections import Counter
from datetime import timedelta
from html import unescape
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import harness

DB_NAME = "kokous_bench_meetings"
SLUG = "meeting-forum"
CSRF = "m" * 32
POPULAR = 30


def configure(redis_db: int):
    url = f"redis://127.0.0.1:6379/{redis_db}"
    return harness.configure(DB_NAME, url, CELERY_BROKER_URL=url)


def seed(people: int, tables: int):
    """The event, its meeting block (6 slots of 20 minutes, tomorrow) and tables,
    and `people` confirmed participants, each opted in with a profile."""
    from django.utils import timezone

    from accounts.models import User
    from events.models import Event, Venue
    from meetings.models import MeetingBlock, MeetingSettings, Profile, Table
    from registrations.models import Registration

    start = (timezone.now() + timedelta(days=1)).replace(
        minute=0, second=0, microsecond=0
    )
    event = Event.objects.create(
        slug=SLUG, title="Meeting Forum", starts_at=start, ends_at=start + timedelta(days=2),
        venue=Venue.objects.create(name="Dipoli", city="Espoo"),
        status=Event.Status.PUBLISHED, timezone="Europe/Helsinki",
    )  # fmt: skip
    MeetingSettings.objects.create(event=event, enabled=True)
    block = MeetingBlock.objects.create(
        event=event, starts_at=start + timedelta(hours=6),
        ends_at=start + timedelta(hours=8), slot_minutes=20,
    )  # fmt: skip
    Table.objects.bulk_create(
        Table(event=event, name=f"T{n + 1:02d}") for n in range(tables)
    )
    users = User.objects.bulk_create(
        User(email=f"m{n}@bench.example", name=f"Person {n:03}", password="!")  # noqa: S106
        for n in range(people)
    )
    registrations = Registration.objects.bulk_create(
        Registration(event=event, attendee=user, status="confirmed") for user in users
    )
    profiles = Profile.objects.bulk_create(
        Profile(registration=r, opted_in=True, organisation=f"University {n % 90}",
                country="FI" if n % 3 else "SE")
        for n, r in enumerate(registrations)
    )  # fmt: skip
    return event, block, users, profiles


def plan(profiles, block, count: int, seed: int = 14):
    """(requester index, recipient index, slot) for each request, drawn to collide."""
    from meetings.forms import slot_value

    rng = random.Random(seed)
    slots = [slot_value(block, start) for start in block.slot_starts()]
    weights = [3, 3, 2, 1, 1, 1][: len(slots)]
    popular = rng.sample(range(len(profiles)), POPULAR)
    planned = []
    while len(planned) < count:
        a = rng.randrange(len(profiles))
        b = rng.choice(popular) if rng.random() < 0.4 else rng.randrange(len(profiles))
        if a != b:
            planned.append((a, b, rng.choices(slots, weights)[0]))
    return planned


def post(port, path, cookie, fields: dict):
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("POST", path, body=urlencode(fields).encode(), headers={
        "Host": "127.0.0.1", "Cookie": f"{cookie}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF, "Content-Type": "application/x-www-form-urlencoded",
    })  # fmt: skip
    response = conn.getresponse()
    body = response.read()
    cookies = response.msg.get_all("Set-Cookie") or []
    conn.close()
    return time.perf_counter() - started, response.status, body, cookies


def reason(text: str) -> str:
    """The refusal as a kind: names, times, tables and counts left out."""
    text = unescape(re.sub(r"<[^>]+>", "", text)).strip()
    text = re.sub(r"Person \d+", "NAME", text)
    text = re.sub(r"\b\w{3} \d+ \w{3}, \d+[:.]\d+", "TIME", text)
    text = re.sub(r"\b\d+\b", "N", text)
    return text


def request_outcome(status, body, _cookies) -> str:
    if status == 302:
        return "sent"
    if status != 200:
        return f"HTTP {status}"
    shown = re.findall(rb'role="alert">(.*?)</(?:div|p)>', body, re.S) or re.findall(
        rb'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.S
    )
    return " ".join(reason(s.decode()) for s in shown) or "refused (no reason shown)"


def accept_outcome(status, _body, cookies) -> str:
    """The hub redirects with the verdict in Django's messages cookie."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    if status != 302:
        return f"HTTP {status}"
    jar = SimpleCookie()
    for header in cookies:
        jar.load(header)
    if "messages" not in jar:
        return "no message"
    request = RequestFactory().get("/")
    request.COOKIES["messages"] = jar["messages"].value
    shown = [(m.level_tag, str(m)) for m in CookieStorage(request)]
    if any(level == "success" for level, _text in shown):
        return "accepted"
    return reason(" ".join(text for _level, text in shown))


def run_round(label, port, server, jobs, clients, outcome):
    """Each client sends its share of `jobs` (path, cookie, fields) at once."""
    results: list = []
    shares = [jobs[n::clients] for n in range(clients)]
    barrier = threading.Barrier(clients)

    def client(share):
        barrier.wait()
        for path, cookie, fields in share:
            seconds, status, body, cookies = post(port, path, cookie, fields)
            results.append((seconds, outcome(status, body, cookies)))

    cpu = harness.cpu_seconds(server.pid)
    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu = (harness.cpu_seconds(server.pid) - cpu) / max(len(results), 1)
    times = [t for t, _o in results]
    outcomes = Counter(o for _t, o in results)
    print(
        f"{label}: {len(results)} by {clients} clients at once in {wall:.1f} s = "
        f"{len(results) / wall:.1f}/s; {harness.summary(times)}, max {max(times) * 1000:.0f} ms; "
        f"web CPU {cpu * 1000:.1f} ms a request"
    )
    for text, count in outcomes.most_common():
        print(f"    {count:5d}  {text}")
    return outcomes


def check_database(event) -> bool:
    """No double booking of a person or a table; rows in agreement."""
    from django.db import connection

    from meetings.models import Meeting, MeetingRequest
    from registrations.models import Commitment

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM registrations_commitment a
                JOIN registrations_commitment b
                  ON a.person_id = b.person_id AND a.id < b.id
                 AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
               WHERE a.status = 'active' AND b.status = 'active'"""
        )
        people = cursor.fetchone()[0]
        cursor.execute(
            """SELECT count(*) FROM meetings_meeting a
                JOIN meetings_meeting b
                  ON a.table_id = b.table_id AND a.id < b.id
                 AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
               WHERE a.status = 'active' AND b.status = 'active'"""
        )
        tables = cursor.fetchone()[0]
    meetings = Meeting.objects.filter(request__block__event=event, status="active")
    by_slot = Counter(meetings.values_list("starts_at", flat=True))
    accepted = MeetingRequest.objects.filter(
        block__event=event, status="accepted"
    ).count()
    held = Commitment.objects.filter(
        event=event, kind="meeting", status="active"
    ).count()
    agree = meetings.count() == accepted and held == 2 * accepted
    print(
        f"database: {meetings.count()} meetings (per slot {sorted(by_slot.values(), reverse=True)}), "
        f"{accepted} accepted requests, {held} meeting commitments; "
        f"overlapping commitments of one person: {people}; overlapping meetings at one table: {tables}"
    )
    return people == 0 and tables == 0 and agree


def start(port: int, workers: int):
    """gunicorn as harness.start_gunicorn starts it, waiting up to three minutes
    for /healthz: on a loaded machine its workers may take longer to boot than
    the harness waits."""
    import subprocess
    import sys
    from pathlib import Path

    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--timeout", "120", "--no-control-socket", "--log-level", "warning"],
        cwd=harness.ROOT, env=os.environ | {"SITE_URL": f"http://127.0.0.1:{port}"},
    )  # fmt: skip
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            conn.getresponse().read()
            conn.close()
            return server
        except OSError:
            time.sleep(0.5)
    harness.stop(server)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=450)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--redis-db", type=int, default=9)
    args = parser.parse_args()
    env = configure(args.redis_db)
    import redis

    broker = redis.Redis.from_url(env["CELERY_BROKER_URL"])
    broker.flushdb()
    print(f"load average before: {os.getloadavg()}")
    harness.recreate_database(DB_NAME, force=True)
    harness.prepare()
    event, block, users, profiles = seed(args.people, args.tables)
    cookies = [f"sessionid={harness.signed_in_session(u, mfa=False)}" for u in users]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    port = harness.free_port()
    server = start(port, args.workers)
    try:
        for n in range(args.workers * 2):  # every worker's first requests
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", f"/events/{SLUG}/meetings/", headers={
                "Host": "127.0.0.1", "Cookie": cookies[n]})  # fmt: skip
            conn.getresponse().read()
            conn.close()
        asks = [
            (f"/events/{SLUG}/meetings/people/{profiles[b].pk}/request/", cookies[a],
             {"slot": slot, "message": "Shall we talk about exchanges?"})
            for a, b, slot in plan(profiles, block, args.requests)
        ]  # fmt: skip
        run_round("requests", port, server, asks, args.clients, request_outcome)

        from meetings.models import MeetingRequest

        pending = list(
            MeetingRequest.objects.filter(block=block, status="pending")
            .values_list("pk", "recipient_id").order_by("?")
        )  # fmt: skip
        index = {p.pk: n for n, p in enumerate(profiles)}
        accepts = [
            (f"/events/{SLUG}/meetings/requests/{pk}/answer/", cookies[index[recipient]],
             {"action": "accept"})
            for pk, recipient in pending
        ]  # fmt: skip
        run_round("accepts", port, server, accepts, args.clients, accept_outcome)
        ok = check_database(event)
        print(f"no double bookings, rows in agreement: {'yes' if ok else 'NO'}")
        print(f"load average after: {os.getloadavg()}")
    finally:
        harness.stop(server)
        broker.flushdb()


if __name__ == "__main__":
    main()
