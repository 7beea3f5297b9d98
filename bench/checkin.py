# ruff: noqa: E501 - benchmark output lines
"""Benchmark: the door with 5,000 registrations, three devices scanning at once,
over HTTP (not a test).

    .venv/bin/python bench/checkin.py [--people 5000] [--scans 150]

PostgreSQL database of its own (kokous_bench_checkin, recreated), DEBUG off,
gunicorn with 3 sync workers, Redis db 4 as cache and broker. Three check-in staff, each
signed in as a sign-in with a second factor does, scan at once from three
threads, one scan a request as the page's script sends them (JSON with the scan's
identifier, answered with the verdict and the running count); one scan in ten is
a person another device has just checked in (an amber verdict). Then the same
with the plain form (the page without JavaScript: the whole page comes back).
Reports min/median/p95 of each; the target is the verdict under 50 ms at p95.
"""

import argparse
import http.client
import json
import os
import statistics
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import harness

DB_NAME = "kokous_bench_checkin"
SLUG = "big-forum"
CLIENTS = 3
CSRF = "c" * 32
ENV = harness.configure(
    DB_NAME,
    "redis://127.0.0.1:6379/4",
    # A Redis broker as in production, so that composing tasks are coalesced;
    # no worker runs: the few tasks published wait there and are removed at the end.
    CELERY_BROKER_URL="redis://127.0.0.1:6379/4",
)


def seed(people: int):
    """An event with 5,000 registrations (nine in ten confirmed), its main list
    and three check-in staff."""
    from django.utils import timezone

    from accounts.models import User
    from events.models import Event, EventOrganiser, Venue
    from registrations.models import Registration
    from registrations.services import door

    start = timezone.now() + timedelta(hours=1)
    event = Event.objects.create(
        slug=SLUG, title="Big Forum", starts_at=start, ends_at=start + timedelta(days=2),
        venue=Venue.objects.create(name="Dipoli", city="Espoo"),
        status=Event.Status.PUBLISHED,
    )  # fmt: skip
    users = User.objects.bulk_create(
        User(email=f"p{n}@bench.example", name=f"Person {n:05}", password="!")  # noqa: S106
        for n in range(people)
    )
    now = timezone.now()
    registrations = Registration.objects.bulk_create(
        Registration(event=event, attendee=user,
                     status="waitlisted" if n % 10 == 9 else "confirmed",
                     waitlisted_at=now if n % 10 == 9 else None)
        for n, user in enumerate(users)
    )  # fmt: skip
    main = door.main_list(event)
    staff = []
    for n in range(CLIENTS):
        user = User.objects.create(
            email=f"door{n}@bench.example",
            name=f"Door {n}",
            password="!",  # noqa: S106
        )  # noqa: S106
        EventOrganiser.objects.create(event=event, user=user, role="checkin")
        staff.append(user)
    codes = [r.checkin_code for r in registrations if r.status == "confirmed"]
    return main, staff, codes


def post(port, path, cookie, body: bytes, content_type: str):
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", path, body=body, headers={
        "Host": "127.0.0.1", "Cookie": f"{cookie}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF, "Content-Type": content_type,
    })  # fmt: skip
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return time.perf_counter() - started, response.status, data


def scan_json(port, path, cookie, code):
    scan = {"uuid": str(uuid.uuid4()), "code": code,
            "at": datetime.now(UTC).isoformat()}  # fmt: skip
    seconds, status, data = post(port, path, cookie,
                                 json.dumps({"scans": [scan]}).encode(), "application/json")  # fmt: skip
    return seconds, status, json.loads(data)["results"][0]["colour"]


def scan_form(port, path, cookie, code):
    seconds, status, data = post(port, path, cookie, urlencode({"code": code}).encode(),
                                 "application/x-www-form-urlencoded")  # fmt: skip
    colour = (
        "green"
        if b"verdict-green" in data
        else "amber"
        if b"verdict-amber" in data
        else "red"
    )
    return seconds, status, colour


def run_round(label, scan, port, path, cookies, batches, server):
    """Each client scans its batch at once with the others."""
    results: list = []
    barrier = threading.Barrier(len(cookies))

    def client(cookie, codes):
        barrier.wait()
        for code in codes:
            results.append(scan(port, path, cookie, code))

    cpu = harness.cpu_seconds(server.pid)
    threads = [
        threading.Thread(target=client, args=pair)
        for pair in zip(cookies, batches, strict=True)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu = (harness.cpu_seconds(server.pid) - cpu) / len(results)
    times = sorted(t for t, *_ in results)
    p95 = harness.p95(times)
    colours = {
        c: sum(1 for *_x, col in results if col == c) for c in ("green", "amber", "red")
    }
    print(
        f"{label}: {len(results)} scans by {len(cookies)} clients at once in {wall:.1f} s; "
        f"statuses {sorted({s for _t, s, _c in results})}; verdicts {colours}; "
        f"min {times[0] * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms; "
        f"web CPU {cpu * 1000:.1f} ms a scan"
    )
    return p95


def batches_of(codes, scans):
    """Three batches of `scans` codes; one in ten repeats a code the client
    before it scans in the same round (two devices, one person)."""
    batches = [codes[n * scans : (n + 1) * scans] for n in range(CLIENTS)]
    for n, batch in enumerate(batches):
        other = batches[(n - 1) % CLIENTS]
        for i in range(0, len(batch), 10):
            batch[i] = other[i]
    return batches


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--scans", type=int, default=150)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    harness.recreate_database(DB_NAME)
    harness.prepare()
    main_list, staff, codes = seed(args.people)
    cookies = [f"sessionid={harness.signed_in_session(user)}" for user in staff]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    port = harness.free_port()
    server = harness.start_gunicorn(port, CLIENTS, "--timeout", "120")
    try:
        scans_path = f"/organise/{SLUG}/check-in/{main_list.pk}/scans/"
        page_path = f"/organise/{SLUG}/check-in/"
        warm = codes[-30:]
        for n, code in enumerate(warm):  # every worker's first requests
            scan_json(port, scans_path, cookies[n % CLIENTS], code)
        n = args.scans
        json_p95 = run_round("scans as JSON (the page's script)", scan_json, port,
                             scans_path, cookies, batches_of(codes[:CLIENTS * n], n), server)  # fmt: skip
        rest = codes[CLIENTS * n : CLIENTS * n * 2]
        form_p95 = run_round("scans by the plain form (whole page)", scan_form, port,
                             page_path, cookies, batches_of(rest, n), server)  # fmt: skip
        print(
            f"verdict p95: {json_p95 * 1000:.1f} ms as JSON, {form_p95 * 1000:.1f} ms as a page (target < 50 ms)"
        )
        print(f"load average after: {os.getloadavg()}")
    finally:
        harness.stop(server)
        import redis

        redis.Redis.from_url(ENV["CELERY_BROKER_URL"]).delete("celery")


if __name__ == "__main__":
    main()
