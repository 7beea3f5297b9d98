# ruff: noqa: E501 - benchmark output lines
"""Benchmark: the schedule page of a 2,000-session event over HTTP (not a test).

    .venv/bin/python bench/schedule_page.py [--sessions 2000] [--requests 30]

PostgreSQL database of its own (kokous_bench_schedule, recreated), DEBUG off,
gunicorn with 2 sync workers, Redis db 12 as cache. Reports min/median/p95 of the
full page (unfiltered) and of one day.
"""

import argparse
import http.client
import statistics
import time
from datetime import UTC, datetime, timedelta

import harness

DB_NAME = "kokous_bench_schedule"
harness.configure(DB_NAME, "redis://127.0.0.1:6379/12")


def seed(count: int) -> str:
    from events.models import Event, Room, Session, Speaker, Track, Venue

    start = datetime(2027, 5, 5, 6, tzinfo=UTC)
    venue = Venue.objects.create(name="Dipoli", city="Espoo", country="Finland")
    event = Event.objects.create(
        slug="big-forum", title="Big Forum", starts_at=start,
        ends_at=start + timedelta(days=2, hours=12), venue=venue,
        status=Event.Status.PUBLISHED,
    )  # fmt: skip
    rooms = [Room.objects.create(venue=venue, name=f"Hall {n}") for n in range(40)]
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
            abstract="Mobility, partnerships and recognition. " * 6,
            room=rooms[n % 40], track=tracks[n % 8],
            starts_at=start + timedelta(days=(n // 40) % 3, minutes=15 * ((n // 120) % 40)),
            ends_at=start + timedelta(days=(n // 40) % 3, minutes=15 * ((n // 120) % 40) + 45),
        )
        for n in range(count)
    )  # fmt: skip
    Session.speakers.through.objects.bulk_create(
        Session.speakers.through(session_id=s.pk, speaker_id=speakers[i % 400].pk)
        for i, s in enumerate(sessions)
    )
    return event.slug


def get(port, path) -> tuple[float, int, int]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return time.perf_counter() - started, response.status, len(body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    harness.recreate_database(DB_NAME)
    harness.prepare()
    slug = seed(args.sessions)
    port = harness.free_port()
    server = harness.start_gunicorn(port, 2)
    try:
        for path in (
            f"/events/{slug}/schedule/",
            f"/events/{slug}/schedule/?day=2027-05-05",
        ):
            for _ in range(3):  # warm both workers
                get(port, path)
            results = [get(port, path) for _ in range(args.requests)]
            times = [t for t, _s, _b in results]
            statuses = {s for _t, s, _b in results}
            cold = []
            for _ in range(5):  # the first request after a change renders anew
                from events.models import Event
                from events.services import bump_schedule_version

                bump_schedule_version(Event.objects.get(slug=slug).pk)
                cold.append(get(port, path)[0])
            print(
                f"{path}: first request after a change: "
                f"median {statistics.median(cold) * 1000:.0f} ms, max {max(cold) * 1000:.0f} ms"
            )
            print(
                f"{path} ({args.sessions} sessions), cached: status {statuses}, "
                f"{results[0][2]:,} bytes, " + harness.summary(times)
            )
    finally:
        harness.stop(server)


if __name__ == "__main__":
    main()
