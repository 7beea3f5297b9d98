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
import time
from datetime import UTC, datetime, timedelta

import harness

DB_NAME = os.environ.get("BENCH_DB", "kokous_bench_timetable")
harness.configure(
    DB_NAME,
    os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
    SESSION_COOKIE_SECURE="0",
)


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    harness.recreate_database(DB_NAME)
    harness.prepare()
    from django.core.cache import cache

    cache.clear()  # this benchmark's own Redis db
    slug, cookie = seed(args.sessions)
    port = harness.free_port()
    server = harness.start_gunicorn(port, 2)
    try:
        path = f"/events/{slug}/schedule/"
        for _ in range(3):  # warm both workers
            get(port, path, cookie)
        cpu_before = harness.cpu_seconds(server.pid)
        results = [get(port, path, cookie) for _ in range(args.requests)]
        cpu_unchanged = (harness.cpu_seconds(server.pid) - cpu_before) / args.requests
        body = results[-1][2].decode()
        statuses = {status for _t, status, _b in results}
        assert body.count('aria-pressed="true"') == 50, "the stars are not marked"
        assert body.count("badge-seat") == 50, "the seats are not marked"
        print(
            f"{path} ({args.sessions} sessions on one day, signed in, 50 stars, 50 seats), "
            f"unchanged: status {statuses}, {len(body):,} bytes, "
            + harness.summary([t for t, _s, _b in results])
            + f"; server CPU {cpu_unchanged * 1000:.0f} ms a request"
        )
        from events.models import Event
        from events.services import bump_schedule_version

        changed, cpu = [], 0.0
        for _ in range(10):  # the first request after a change renders the day anew
            bump_schedule_version(Event.objects.get(slug=slug).pk)
            before = harness.cpu_seconds(server.pid)
            changed.append(get(port, path, cookie)[0])
            cpu += harness.cpu_seconds(server.pid) - before
        print(
            f"{path}: first request after a change: "
            + harness.summary(changed)
            + f"; server CPU {cpu / 10 * 1000:.0f} ms a request"
        )
    finally:
        harness.stop(server)


if __name__ == "__main__":
    main()
