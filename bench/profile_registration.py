"""Where one registration's CPU goes, in-process (not a test).

    .venv/bin/python bench/profile_registration.py [--people 300] [--profile]

Same database, settings and event as bench/registration_load.py, but the POSTs go
straight into the WSGI application (as gunicorn calls it) in this one process, one
after another, after a warm-up. Prints CPU milliseconds per registration (median and
mean) and, with --profile, a cProfile of all of them sorted by own time and by
cumulative time. The load benchmark needs about 17 ms of CPU per request for 100/s
on 2 cores; this shows how far the view is from that without the noise of a run.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import registration_load as load  # noqa: E402  (sets the environment first)


def environ_for(cookie: tuple[str, str], body: bytes = b"") -> dict:
    session_id, csrf = cookie
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"/events/{load.SLUG}/register/",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"sessionid={session_id}; csrftoken={csrf}",
        "HTTP_X_CSRFTOKEN": csrf,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--full-form", action="store_true", help="as registration_load.py --full-form"
    )
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="run under `valgrind --tool=callgrind --instr-atstart=no`: the loop's "
        "instructions, which do not depend on what else the machine is doing",
    )
    parser.add_argument("--queries", action="store_true", help="print one POST's SQL")
    args = parser.parse_args()

    load.recreate_database()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=load.ROOT, check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=load.ROOT,
        check=True,
    )
    import django

    django.setup()
    from config.wsgi import application

    cookies = load.seed(args.people + 20)
    body = load.add_full_form(load.SLUG).encode() if args.full_form else b""
    statuses = []

    def post(cookie):
        def start_response(status, headers, exc_info=None):
            statuses.append(status)

        response = application(environ_for(cookie, body), start_response)
        b"".join(response)
        if hasattr(response, "close"):
            response.close()

    for cookie in cookies[:20]:  # warm-up: imports, URL resolver, first queries
        post(cookie)
    if args.queries:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            post(cookies[-1])
        for query in captured.captured_queries:
            print(query["sql"][:300])
        print(f"{len(captured)} queries")
        cookies = cookies[:-1]
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
    cpu = []
    if args.callgrind:  # count instructions of the timed loop only (see --help)
        subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True)
    for cookie in cookies[20:]:
        if profiler:
            profiler.enable()
        started = time.process_time()
        post(cookie)
        cpu.append((time.process_time() - started) * 1000)
        if profiler:
            profiler.disable()
    if args.callgrind:
        subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True)
    bad = [s for s in statuses if not s.startswith("302")]
    print(f"{len(cpu)} registrations, statuses other than 302: {len(bad)} {bad[:3]}")
    p90 = sorted(cpu)[int(len(cpu) * 0.9)]
    print(
        f"CPU per registration: median {statistics.median(cpu):.1f} ms, "
        f"mean {statistics.fmean(cpu):.1f} ms, p90 {p90:.1f} ms"
        + (" (under the profiler)" if profiler else "")
    )
    tenth = max(len(cpu) // 10, 1)
    print(
        "median by tenth of the run (ms): "
        + " ".join(
            f"{statistics.median(cpu[i : i + tenth]):.1f}"
            for i in range(0, len(cpu), tenth)
        )
    )
    if profiler:
        import pstats

        for key in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(45)
            profiler.dump_stats("/tmp/registration.prof")
            print(out.getvalue())


if __name__ == "__main__":
    main()
