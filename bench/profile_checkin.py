"""Where one door scan's CPU goes, in-process (not a test).

    .venv/bin/python bench/profile_checkin.py [--people 5000] [--scans 300]
        [--form] [--profile] [--queries]

The event, list and staff of bench/checkin.py (5,000 registrations) in a database of
its own (kokous_bench_checkin_profile, recreated), DEBUG off; the scans go straight
into the WSGI application (as gunicorn calls it) in this one process, one after
another, after a warm-up: as JSON as the page's script sends them, or with --form
as the plain form. Prints CPU milliseconds per scan (median, mean) and the queries
of one scan; with --profile, a cProfile of all the timed scans by own and by
cumulative time. One scan in ten is of a person already checked in (amber).
"""

import argparse
import io
import json
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import checkin  # noqa: E402  (sets the environment first)
import harness  # noqa: E402

DB_NAME = "kokous_bench_checkin_profile"


def environ_for(path: str, cookie: str, body: bytes, content_type: str) -> dict:
    cookies = f"{cookie}; csrftoken={checkin.CSRF}"
    return harness.wsgi_environ("POST", path, cookies, checkin.CSRF, body, content_type)


def call(application, environ) -> tuple[str, bytes]:
    status, _headers, content = harness.call(application, environ)
    return status, content


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--form", action="store_true", help="the plain form")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--queries", action="store_true", help="print one scan's SQL")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--database", default=DB_NAME, help="recreated")
    args = parser.parse_args()
    redis_url = args.redis or "redis://127.0.0.1:6379/4"
    # A Redis broker as bench/checkin.py has; no worker runs, the queue is emptied.
    harness.configure(args.database, redis_url, CELERY_BROKER_URL=redis_url)
    harness.recreate_database(args.database, force=True)
    harness.prepare()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.wsgi import application

    main_list, staff, codes = checkin.seed(args.people)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cookie = f"sessionid={harness.signed_in_session(staff[0])}"
    if args.form:
        path = f"/organise/{checkin.SLUG}/check-in/"
    else:
        path = f"/organise/{checkin.SLUG}/check-in/{main_list.pk}/scans/"

    def scan(code):
        if args.form:
            body = urlencode({"code": code}).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            at = datetime.now(UTC).isoformat()
            body = json.dumps(
                {"scans": [{"uuid": str(uuid.uuid4()), "code": code, "at": at}]}
            ).encode()
            kind = "application/json"
        return call(application, environ_for(path, cookie, body, kind))

    for code in codes[-30:]:  # warm-up: imports, templates, URL resolver
        scan(code)
    todo = codes[: args.scans]
    for i in range(0, len(todo), 10):  # one in ten already checked in: amber
        scan(todo[i])
    with CaptureQueriesContext(connection) as captured:
        status, content = scan(todo[1])
    print(f"one green scan: {status}, {len(captured)} queries")
    if args.queries:
        for query in captured.captured_queries:
            print("  ", query["sql"][:220])
    with CaptureQueriesContext(connection) as captured:
        scan(todo[0])
    print(f"one amber scan: {len(captured)} queries")
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
    cpu, statuses = [], set()
    for code in todo[2:]:
        if profiler:
            profiler.enable()
        started = time.process_time()
        status, _content = scan(code)
        cpu.append((time.process_time() - started) * 1000)
        if profiler:
            profiler.disable()
        statuses.add(status)
    print(
        f"{len(cpu)} scans ({'form' if args.form else 'JSON'}), statuses {statuses}: "
        f"CPU median {statistics.median(cpu):.1f} ms, mean {statistics.fmean(cpu):.1f}"
        f" ms a scan" + (" (under the profiler)" if profiler else "")
    )
    if profiler:
        import pstats

        for key in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(50)
            print(out.getvalue())
        profiler.dump_stats("/tmp/checkin.prof")
    import redis

    redis.Redis.from_url(redis_url).delete("celery")


if __name__ == "__main__":
    main()
