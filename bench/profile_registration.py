"""Where one registration's CPU goes, in-process (not a test).

    .venv/bin/python bench/profile_registration.py [--people 300] [--profile]
    .venv/bin/python bench/profile_registration.py --journey [--people 300]

Same database, settings and event as bench/registration_load.py, but the POSTs go
straight into the WSGI application (as gunicorn calls it) in this one process, one
after another, after a warm-up. Prints CPU milliseconds per registration (median and
mean) and, with --profile, a cProfile of all of them sorted by own time and by
cumulative time. The load benchmark needs about 17 ms of CPU per request for 100/s
on 2 cores; this shows how far the view is from that without the noise of a run.

With --journey each person makes the journey a browser makes, with the full form
and a workshop seat: the form page (GET), the POST, and the page its redirect
leads to (GET, with the cookies the POST set: its message); it prints the CPU of
each of the three and how the two pages compare with the POST (the target: each
page at most a third of it).
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

import harness  # noqa: E402
import registration_load as load  # noqa: E402  (sets the environment first)


def environ_for(
    cookie: tuple[str, str],
    body: bytes = b"",
    *,
    method: str = "POST",
    path: str = f"/events/{load.SLUG}/register/",
    more_cookies: str = "",
) -> dict:
    session_id, csrf = cookie
    cookies = f"sessionid={session_id}; csrftoken={csrf}{more_cookies}"
    return harness.wsgi_environ(
        method, path, cookies, csrf, body, "application/x-www-form-urlencoded"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument(
        "--profile",
        nargs="?",
        const="all",
        choices=["all", "form page", "POST", "landing page"],
        help="with --journey, optionally only one of its requests",
    )
    parser.add_argument(
        "--full-form", action="store_true", help="as registration_load.py --full-form"
    )
    parser.add_argument(
        "--callgrind",
        nargs="?",
        const="POST",
        choices=["form page", "POST", "landing page"],
        help="run under `valgrind --tool=callgrind --instr-atstart=no`: the loop's "
        "instructions, which do not depend on what else the machine is doing; with "
        "--journey, those of the one request named (default: the POST)",
    )
    parser.add_argument("--queries", action="store_true", help="print one POST's SQL")
    parser.add_argument(
        "--journey",
        action="store_true",
        help="form page, POST (full form and a workshop seat) and the landing page",
    )
    args = parser.parse_args()
    if args.journey:
        args.full_form = True

    load.recreate_database()
    harness.prepare()
    from config.wsgi import application

    cookies = load.seed(args.people + 20)
    body = (
        load.add_full_form(load.SLUG, seat=args.journey).encode()
        if args.full_form
        else b""
    )
    statuses = []
    if args.journey:
        journey(application, cookies, body, args)
        return

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
        instructions("on")
    for cookie in cookies[20:]:
        if profiler:
            profiler.enable()
        started = time.process_time()
        post(cookie)
        cpu.append((time.process_time() - started) * 1000)
        if profiler:
            profiler.disable()
    if args.callgrind:
        instructions("off")
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

        profiler.dump_stats("/tmp/journey.prof")  # for pstats' callers and callees
        for key in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(45)
            profiler.dump_stats("/tmp/registration.prof")
            print(out.getvalue())


def landing(cookie, headers: list) -> dict:
    """The GET of the POST's redirect, with the cookies the POST set (its
    message), as a browser follows it."""
    location, more = "", ""
    for name, value in headers:
        if name == "Location":
            location = value
        elif name == "Set-Cookie":
            more += "; " + value.split(";", 1)[0]
    return environ_for(cookie, method="GET", path=location, more_cookies=more)


def instructions(switch: str) -> None:
    """Callgrind's counting on or off (the process runs under valgrind)."""
    subprocess.run(["callgrind_control", "-i", switch, str(os.getpid())], check=True)


def journey(application, cookies, body: bytes, args) -> None:
    """Each person: the form page, the POST, the landing page; CPU of each."""
    cpu: dict[str, list[float]] = {"form page": [], "POST": [], "landing page": []}
    bad = []
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)

    def timed(name, environ, expected, measure):
        profiled = profiler and measure and args.profile in ("all", name)
        counted = measure and args.callgrind == name
        if profiled:
            profiler.enable()
        if counted:
            instructions("on")
        started = time.process_time()
        status, headers, content = harness.call(application, environ)
        used = (time.process_time() - started) * 1000
        if counted:
            instructions("off")
        if profiled:
            profiler.disable()
        if measure:
            cpu[name].append(used)
        if not status.startswith(expected):
            bad.append((name, status, content[:200]))
        return headers

    if args.queries:  # one journey's SQL, after the warm-up
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for cookie in cookies[:21]:
            with CaptureQueriesContext(connection) as captured:
                timed("form page", environ_for(cookie, method="GET"), "200", False)
                headers = timed("POST", environ_for(cookie, body), "302", False)
                timed("landing page", landing(cookie, headers), "200", False)
        for query in captured.captured_queries:
            print(query["sql"][:200])
        print(f"{len(captured)} queries in one journey")
        cookies = cookies[21:]
    for n, cookie in enumerate(cookies):
        measure = n >= 20  # the first 20 warm up: imports, templates, caches
        timed("form page", environ_for(cookie, method="GET"), "200", measure)
        headers = timed("POST", environ_for(cookie, body), "302", measure)
        timed("landing page", landing(cookie, headers), "200", measure)
    print(f"{len(cpu['POST'])} journeys, unexpected answers: {len(bad)} {bad[:2]}")
    if args.callgrind:
        print(f"callgrind counted {len(cpu['POST'])} of: {args.callgrind}")
    post = statistics.median(cpu["POST"])
    for name, values in cpu.items():
        median = statistics.median(values)
        p90 = sorted(values)[int(len(values) * 0.9)]
        print(
            f"{name:>13}: CPU median {median:.1f} ms, mean "
            f"{statistics.fmean(values):.1f} ms, p90 {p90:.1f} ms"
            + ("" if name == "POST" else f"  ({median / post:.2f} of the POST)")
            + (" (under the profiler)" if profiler else "")
        )
    if profiler:
        import pstats

        profiler.dump_stats("/tmp/journey.prof")  # for pstats' callers and callees
        for key in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(45)
            print(out.getvalue())


if __name__ == "__main__":
    main()
