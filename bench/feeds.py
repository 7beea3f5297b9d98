"""Benchmark: the schedule feed over HTTP against gunicorn (not a test).

    .venv/bin/python bench/feeds.py            # 100, 500 and 2,000 sessions
    .venv/bin/python bench/feeds.py 2000       # chosen sizes

Uses a PostgreSQL database of its own (kokous_bench_feeds, recreated each run),
Redis database 11 as the shared cache (flushed: nothing else may use it), DEBUG
off and two gunicorn sync workers. For each size it times:
- cold: the first request with an empty cache and no stored entries (every
  entry serialised, then stored);
- after a flush: the first request after the cache was emptied (FLUSHDB of its
  Redis db), the entries' stored copies still in the database;
- after a change: the first request after one session's title changed through
  events.services (entries cached, one rebuilt, the feed re-assembled);
- cached: repeated requests of an unchanged feed (plain, and gzip-accepting);
- 304: a conditional request with the current ETag.
Results go to stdout; copy them into bench/README.md.
"""

import http.client
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import harness

# BENCH_DB and BENCH_REDIS_DB choose another database and Redis db (both emptied).
DB_NAME = os.environ.get("BENCH_DB", "kokous_bench_feeds")
REDIS = f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '11')}"
harness.configure(DB_NAME, REDIS)


def seed(count: int):
    from events.models import Event, Room, Session, Speaker, Track, Venue

    start = datetime(2027, 5, 3, 6, tzinfo=UTC)
    venue = Venue.objects.create(
        name="Dipoli", address="Otakaari 24", city="Espoo", country="Finland"
    )
    event = Event.objects.create(
        slug=f"forum-{count}",
        title=f"Spring Forum ({count} sessions)",
        starts_at=start,
        ends_at=start + timedelta(days=3, hours=10),
        venue=venue,
        status=Event.Status.PUBLISHED,
    )
    rooms = [Room.objects.create(venue=venue, name=f"Hall {n}") for n in range(20)]
    tracks = [
        Track.objects.create(event=event, slug=f"t{n}", name=f"Track {n}")
        for n in range(8)
    ]
    speakers = [
        Speaker.objects.create(event=event, name=f"Speaker {n}", affiliation="Aalto")
        for n in range(300)
    ]
    abstract = "Internationalisation, mobility and partnerships; " * 8
    sessions = Session.objects.bulk_create(
        Session(
            event=event,
            title=f"Session {n}: partnerships, mobility; and more",
            abstract=abstract,
            room=rooms[n % 20],
            track=tracks[n % 8],
            starts_at=start + timedelta(minutes=30 * (n // 20)),
            ends_at=start + timedelta(minutes=30 * (n // 20) + 25),
        )
        for n in range(count)
    )
    through = Session.speakers.through
    through.objects.bulk_create(
        through(session_id=s.pk, speaker_id=speakers[(n * 3 + k) % 300].pk)
        for n, s in enumerate(sessions)
        for k in range(2)
    )
    return event, sessions[0]


def get(port: int, path: str, headers=None) -> tuple[float, int, bytes, dict]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return elapsed, response.status, body, dict(response.getheaders())


def main(sizes: list[int]) -> None:
    harness.recreate_database(DB_NAME)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from events import services

    call_command("migrate", verbosity=0)
    cache.clear()  # Redis db 11 only
    events = {n: seed(n) for n in sizes}

    port = harness.free_port()
    server = harness.start_gunicorn(port, 2)
    try:
        for _ in range(6):  # both workers import everything
            get(port, "/events.ics")
        print(f"{'sessions':>8} {'bytes':>9} {'cold':>9} {'flushed':>9} {'changed':>9} "
              f"{'cached':>9} {'cached-gz':>9} {'304':>9}   (ms; medians)")  # fmt: skip
        for n in sizes:
            event, session = events[n]
            path = f"/events/{event.slug}/schedule.ics"
            cold, status, body, _h = get(port, path)
            assert status == 200, status
            flushed = []
            for _ in range(7):
                cache.clear()  # FLUSHDB of this benchmark's Redis db only
                elapsed, status, body, _h = get(port, path)
                assert status == 200, status
                flushed.append(elapsed)
            changed = []
            for i in range(7):
                services.update_session(session=session, title=f"Changed {i}")
                elapsed, status, body, headers = get(port, path)
                assert status == 200 and f"Changed {i}".encode() in body
                changed.append(elapsed)
            cached = [get(port, path)[0] for _ in range(30)]
            gzip_header = {"Accept-Encoding": "gzip"}
            cached_gzip = [get(port, path, gzip_header)[0] for _ in range(30)]
            etag = get(port, path)[3]["ETag"]
            not_modified = []
            for _ in range(30):
                elapsed, status, body, _h = get(port, path, {"If-None-Match": etag})
                assert status == 304, status
                not_modified.append(elapsed)
            print(
                f"{n:>8} {len(get(port, path)[2]):>9} {cold:>9.1f} "
                f"{statistics.median(flushed):>9.1f} "
                f"{statistics.median(changed):>9.1f} "
                f"{statistics.median(cached):>9.1f} "
                f"{statistics.median(cached_gzip):>9.1f} "
                f"{statistics.median(not_modified):>9.1f}"
            )
    finally:
        harness.stop(server)
        cache.clear()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 500, 2000])
