# ruff: noqa: E501 - benchmark output lines
"""Benchmark: the organiser's registrations list, exports and badges with 5,000
registrations, over HTTP (not a test).

    .venv/bin/python bench/organise_registrations.py [--people 5000] [--requests 30] [--badges 450] [--bulk]

PostgreSQL database of its own (kokous_bench_organise, recreated), DEBUG off,
gunicorn with 2 sync workers, Redis db 14 as cache. The organiser's session is
written as a sign-in with a second factor writes it. Reports min/median/p95 of the
list (unfiltered, filtered and searched, a later page), the time of the CSV
and Excel exports of everyone, and of the badges PDF for the 450 confirmed
speakers (names in Latin scripts with the Nordic and Sámi letters, Greek,
Chinese, Arabic and Hebrew), the first request of each worker included (it
loads WeasyPrint). With --bulk, also a confirmed bulk cancel of
everyone: the confirming request (the work is only stored: no worker runs here),
then the work itself, run in this process as a worker would.
"""

import argparse
import http.client
import io
import os
import re
import statistics
import time
from datetime import timedelta
from urllib.parse import urlencode

import harness
from badges import GIVEN, HAN, SURNAMES  # the names badges.py draws

DB_NAME = "kokous_bench_organise"
SLUG = "big-forum"
harness.configure(
    DB_NAME,
    "redis://127.0.0.1:6379/14",
    # No worker runs: a published task would wait in an in-memory broker.
    CELERY_BROKER_URL="memory://",
)


def seed(people: int):
    """An event with three types, the default questions (all answered), 20
    sessions with seats, some people checked in, some invited; its owner."""
    from django.utils import timezone

    from accounts.models import User
    from events.models import Event, EventOrganiser, Session, Venue
    from registrations.models import (
        Answer,
        Invitation,
        Registration,
        RegistrationType,
        SessionSeat,
    )
    from registrations.services.questions import create_default_questions

    start = timezone.now() + timedelta(days=60)
    venue = Venue.objects.create(name="Dipoli", city="Espoo")
    event = Event.objects.create(
        slug=SLUG, title="Big Forum", starts_at=start,
        ends_at=start + timedelta(days=3), venue=venue,
        status=Event.Status.PUBLISHED,
    )  # fmt: skip
    create_default_questions(event)
    questions = {q.key: q for q in event.questions.all()}
    types = [
        RegistrationType.objects.create(event=event, name=name, position=n)
        for n, name in enumerate(["Participant", "Presenter", "Staff"])
    ]
    sessions = Session.objects.bulk_create(
        Session(
            event=event, title=f"Workshop {n}", signup_required=True, capacity=400,
            starts_at=start + timedelta(hours=n), ends_at=start + timedelta(hours=n, minutes=50),
        )
        for n in range(20)
    )  # fmt: skip
    users = User.objects.bulk_create(
        User(
            email=f"p{n}@bench.example",
            name=f"Person {n:05}",
            password="!",  # noqa: S106 - unusable on purpose
            affiliation="Aalto",
        )
        for n in range(people)
    )
    statuses = ["confirmed"] * 8 + ["waitlisted", "awaiting_approval"]
    now = timezone.now()
    registrations = Registration.objects.bulk_create(
        Registration(
            event=event, attendee=user, registration_type=types[n % 3],
            status=statuses[n % 10],
            waitlisted_at=now if statuses[n % 10] == "waitlisted" else None,
            checked_in_at=now if n % 7 == 0 and statuses[n % 10] == "confirmed" else None,
        )
        for n, user in enumerate(users)
    )  # fmt: skip
    diets = [["Vegan"], ["Vegetarian"], [], ["Gluten-free", "Nut allergy"]]
    Answer.objects.bulk_create(
        answer
        for n, r in enumerate(registrations)
        for answer in (
            Answer(registration=r, question=questions["organisation"], value=f"University {n % 50}"),
            Answer(registration=r, question=questions["country"], value=["FI", "SE", "NO"][n % 3]),
            Answer(registration=r, question=questions["dietary"], value=diets[n % 4]),
            Answer(registration=r, question=questions["participant_list_consent"], value=n % 2 == 0),
        )
    )  # fmt: skip
    SessionSeat.objects.bulk_create(
        SessionSeat(registration=r, session=sessions[n % 20])
        for n, r in enumerate(registrations)
        if r.status == "confirmed" and n % 2 == 0
    )
    Invitation.objects.bulk_create(
        Invitation(event=event, registration_type=types[0], email=r.attendee.email,
                   status="accepted", registration=r)
        for r in registrations[:300]
    )  # fmt: skip
    owner = User.objects.create(email="owner@bench.example", name="Owner", password="!")  # noqa: S106
    EventOrganiser.objects.create(
        event=event, user=owner, role=EventOrganiser.Role.OWNER
    )
    return owner


# Given names and surnames in the scripts a badge must print; Chinese names are
# drawn from many characters, so that the font subset is as large as a real one.


def seed_badges(people: int) -> int:
    """450 (or `people`) confirmed registrations become speakers with names in
    every script (one in four Chinese); the speaker type's id."""
    from accounts.models import User
    from registrations.models import Registration, RegistrationType

    event_id = Registration.objects.values_list("event_id", flat=True).first()
    speaker = RegistrationType.objects.create(
        event_id=event_id, name="Speaker", position=3
    )
    chosen = list(
        Registration.objects.filter(status="confirmed")
        .order_by("pk")
        .values_list("pk", "attendee_id")[::8][:people]
    )
    Registration.objects.filter(pk__in=[pk for pk, _a in chosen]).update(
        registration_type=speaker
    )
    users = User.objects.in_bulk([attendee for _pk, attendee in chosen])
    for n, user in enumerate(users.values()):
        if n % 4 == 0:
            user.name = (
                HAN[n % len(HAN)]
                + HAN[(n * 7 + 3) % len(HAN)]
                + HAN[(n * 13 + 5) % len(HAN)]
            )
            user.sort_name = ""
        else:
            user.name = f"{GIVEN[n % 8]} {SURNAMES[(n // 8) % 8]}"
            user.sort_name = f"{SURNAMES[(n // 8) % 8]} {n:04}" if n % 3 == 0 else ""
    User.objects.bulk_update(users.values(), ["name", "sort_name"])
    return speaker.pk


def badge_sheets(port, cookie, speaker: int, server_pid: int) -> None:
    """The badges of the speakers, four times: each worker's first includes
    loading WeasyPrint."""
    path = (
        f"/organise/{SLUG}/registrations/badges.pdf"
        f"?who=listed&type={speaker}&layout=90x55&cut_lines=on"
    )
    runs = []
    for _ in range(4):
        cpu = harness.cpu_seconds(server_pid)
        seconds, status, data, _r = fetch(port, path, cookie)
        runs.append((seconds, harness.cpu_seconds(server_pid) - cpu))
        assert status == 200, (status, data[:300])
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    named = sum(page.extract_text().count("Speaker") for page in reader.pages)
    print(
        f"badges PDF of {named} speakers: {len(data):,} bytes, {pages} pages; "
        + ", ".join(f"{t:.2f} s (web CPU {c:.2f} s)" for t, c in runs)
        + " (target < 10 s)"
    )


def fetch(port, path, cookie, method="GET", body=None, csrf=None):
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": "127.0.0.1", "Cookie": cookie}
    if body is not None:
        headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": csrf,
        }
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return time.perf_counter() - started, response.status, data, response


def report(label, times, statuses, size, cpu):
    times = sorted(times)
    p95 = harness.p95(times)
    print(
        f"{label}: status {statuses}, {size:,} bytes, min {times[0] * 1000:.0f} ms, "
        f"median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"web CPU {cpu / len(times) * 1000:.0f} ms a request"
    )
    return p95


def bulk_cancel(port, cookie, people) -> None:
    """Confirm a cancel of everyone (untold), then do the work as a worker would."""
    from registrations.models import BulkOperation
    from registrations.services.bulk import run_bulk_operation

    csrf = "b" * 32
    cookie = f"{cookie}; csrftoken={csrf}"
    path = f"/organise/{SLUG}/registrations/actions/"
    form = {"action": "cancel", "scope": "all"}
    seconds, status, page, _r = fetch(port, path, cookie, "POST", urlencode(form), csrf)
    count = int(re.search(rb'name="expected" value="(\d+)"', page)[1])
    print(
        f"bulk cancel, confirmation page for {count:,} people: status {status}, {seconds * 1000:.0f} ms"
    )
    form |= {"expected": count, "confirm": "1"}
    seconds, status, _page, _r = fetch(
        port, path, cookie, "POST", urlencode(form), csrf
    )
    print(
        f"bulk cancel, the confirming request: status {status}, {seconds * 1000:.0f} ms"
    )
    operation = BulkOperation.objects.get()
    started = time.perf_counter()
    while operation is None or operation.status != "done":
        operation = run_bulk_operation(operation_id=operation.pk) or operation
    print(
        f"bulk cancel of {operation.total:,}: the work took {time.perf_counter() - started:.1f} s "
        f"in batches ({operation.changed:,} changed, {len(operation.errors)} refused)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--badges", type=int, default=450)
    parser.add_argument("--bulk", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    harness.recreate_database(DB_NAME)
    harness.prepare()
    cookie = f"sessionid={harness.signed_in_session(seed(args.people))}"
    speaker = seed_badges(args.badges)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would, soon after the load
        cursor.execute("ANALYZE")
    port = harness.free_port()
    server = harness.start_gunicorn(port, 2, "--timeout", "120")
    try:
        base = f"/organise/{SLUG}/registrations/"
        from registrations.models import Question

        diet = Question.objects.get(key="dietary").pk
        worst = 0.0
        for label, path in (
            ("list, first page", base),
            ("list, status and type filtered", base + "?status=confirmed&type=1"),
            ("list, answer filtered", base + f"?answer={diet}:Vegan"),
            ("list, searched by organisation", base + "?q=University+4"),
            ("list, page 50", base + "?page=50"),
        ):
            for _ in range(3):  # warm both workers
                fetch(port, path, cookie)
            cpu = harness.cpu_seconds(server.pid)
            results = [fetch(port, path, cookie) for _ in range(args.requests)]
            worst = max(
                worst,
                report(
                    f"{label} ({args.people:,} registrations)",
                    [t for t, *_ in results],
                    {s for _t, s, *_ in results},
                    len(results[0][2]),
                    harness.cpu_seconds(server.pid) - cpu,
                ),
            )
        for file_format in ("csv", "xlsx"):
            cpu = harness.cpu_seconds(server.pid)
            runs = [
                fetch(port, f"{base}export.{file_format}", cookie) for _ in range(3)
            ]
            print(
                f"export .{file_format} of {args.people:,}: status {runs[0][1]}, "
                f"{len(runs[0][2]):,} bytes, "
                + ", ".join(f"{t:.2f} s" for t, *_ in runs)
                + f"; web CPU {(harness.cpu_seconds(server.pid) - cpu) / 3:.2f} s each"
            )
        print(f"list p95, worst of the five: {worst * 1000:.0f} ms (target < 300 ms)")
        badge_sheets(port, cookie, speaker, server.pid)
        print(f"load average after: {os.getloadavg()}")
        if args.bulk:
            bulk_cancel(port, cookie, args.people)
    finally:
        harness.stop(server)


if __name__ == "__main__":
    main()
