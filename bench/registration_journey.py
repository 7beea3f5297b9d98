"""Benchmark: the registration journey as a browser makes it, over HTTP against
gunicorn (not a test).

    .venv/bin/python bench/registration_journey.py [--people 500] [--concurrency 50]

500 signed-in people, 50 at a time, register for an event with 450 places and
the full form (a registration type, the five default questions, the privacy
notice) and a seat in a workshop. Each person first loads the form page (not
timed), then, timed: the POST of the filled-in form and the page its redirect
leads to, fetched with the cookies the POST set (its message), as a browser
follows it. Same database, Redis db and gunicorn as bench/registration_load.py
(BENCH_DB and BENCH_REDIS_DB choose others). Reports people completed per second
(both requests answered as expected), latency of the timed pair, oversold
(confirmed above capacity, or seats above the workshop's), errors, and the CPU
used per journey by this run's own processes: its gunicorn workers, the
PostgreSQL backends of its database, this client (and Redis, which is shared),
with the load average before and after. gunicorn runs as deployed:
config/gunicorn.conf.py (threads) with docker-compose's 3 processes, its access
log written and dropped. Exit status 1 when a target is missed.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import harness
import registration_load as load  # sets the environment

TARGET_PER_SECOND = 80
TARGET_P95 = 1.0


def request(port, method, path, cookies: dict, body="", csrf=""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "Host": "127.0.0.1",
    }
    if method == "POST":
        headers |= {
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    content = response.read()
    conn.close()
    return response, content


def set_cookies(response) -> dict:
    """name=value of each Set-Cookie (a deleted cookie keeps its empty value)."""
    found = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
    return found


def journey(port, cookie, body) -> tuple[float | None, str]:
    """(seconds for the POST and the followed redirect, or None; what went wrong)."""
    session_id, csrf = cookie
    cookies = {"sessionid": session_id, "csrftoken": csrf}
    form_path = f"/events/{load.SLUG}/register/"
    response, content = request(port, "GET", form_path, cookies)
    if response.status != 200 or b'name="sessions"' not in content:
        return None, f"form page {response.status}"
    started = time.perf_counter()
    response, _content = request(port, "POST", form_path, cookies, body, csrf)
    if response.status != 302:
        return None, f"POST {response.status}"
    cookies |= set_cookies(response)
    location = response.getheader("Location")
    response, content = request(port, "GET", location, cookies)
    elapsed = time.perf_counter() - started
    if response.status != 200 or b"status-" not in content:
        return None, f"landing page {response.status}"
    return elapsed, ""


def own_cpu_seconds(master_pid: int) -> dict[str, dict[int, float]]:
    """CPU seconds so far, by process, of this run's processes: its gunicorn
    workers, the PostgreSQL backends connected to its database, this client, and
    Redis (shared with anything else using it). Other servers on the machine are
    not counted."""
    database = load.DB_NAME.encode()
    backends, redis = [], []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if cmd.startswith(b"postgres:") and database in cmd.split():
            backends.append(int(pid))
        elif b"redis-server" in cmd:
            redis.append(int(pid))
    return {
        "gunicorn (this run's workers)": harness.cpu(harness.worker_pids(master_pid)),
        f"postgresql ({load.DB_NAME} backends)": harness.cpu(backends),
        "client (this script)": harness.cpu([os.getpid()]),
        "redis (shared)": harness.cpu(redis),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn processes (docker-compose: 3)"
    )
    args = parser.parse_args()

    load.recreate_database()
    harness.prepare()
    cookies = load.seed(args.people + load.WARM_PEOPLE)
    warm_cookies, cookies = cookies[: load.WARM_PEOPLE], cookies[load.WARM_PEOPLE :]
    body = load.add_full_form(load.SLUG, seat=True)
    port = harness.free_port()
    # As deployed (Dockerfile, docker-compose): the project's gunicorn settings.
    server = harness.start_gunicorn(
        port,
        args.workers,
        "-c",
        "config/gunicorn.conf.py",
        stdout=subprocess.DEVNULL,  # the access log
    )
    try:
        # Warm every worker: form pages, then registrations for another event.
        for cookie in warm_cookies[:24]:
            load.warm_up(port, cookie)
        with ThreadPoolExecutor(max_workers=8) as pool:
            warm = list(
                pool.map(lambda c: load.register(port, c, load.WARM_SLUG), warm_cookies)
            )
        if any(status != 302 for _t, status in warm):
            raise SystemExit(f"warm-up registrations failed: {warm}")
        lock = threading.Lock()
        results = []

        def one(cookie):
            outcome = journey(port, cookie, body)
            with lock:
                results.append(outcome)

        load_before = os.getloadavg()
        cpu_before = own_cpu_seconds(server.pid)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(one, cookies))
        wall = time.perf_counter() - started
        cpu_after = own_cpu_seconds(server.pid)
        load_after = os.getloadavg()
    finally:
        harness.stop(server)

    from events.models import Session
    from registrations.models import Registration, SessionSeat

    done = sorted(t for t, _e in results if t is not None)
    errors = [e for t, e in results if t is None]
    counts = {
        status: Registration.objects.filter(
            event__slug=load.SLUG, status=status
        ).count()
        for status in ("confirmed", "waitlisted")
    }
    workshop = Session.objects.filter(event__slug=load.SLUG).order_by("starts_at")[0]
    seats = SessionSeat.objects.filter(session=workshop, status="confirmed").count()
    oversold = max(counts["confirmed"] - load.CAPACITY, 0) + max(
        seats - workshop.capacity, 0
    )
    p95 = harness.p95(done) if done else float("inf")
    rate = len(done) / wall
    print(
        f"people {args.people}, concurrency {args.concurrency}, capacity "
        f"{load.CAPACITY}, full form with a workshop seat, gunicorn "
        f"{args.workers} processes (config/gunicorn.conf.py)"
    )
    print(
        "load average (1, 5, 15 min) before "
        + " ".join(f"{x:.2f}" for x in load_before)
        + ", after "
        + " ".join(f"{x:.2f}" for x in load_after)
    )
    print(f"wall {wall:.2f} s, completed {len(done)} ({rate:.1f}/s)")
    if done:
        print(
            f"POST + landing page: median {statistics.median(done) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {done[-1] * 1000:.0f} ms"
        )
    print(
        f"confirmed {counts['confirmed']}, waitlisted {counts['waitlisted']}, "
        f"workshop seats {seats}/{workshop.capacity}, oversold {oversold}, "
        f"errors {len(errors)} {errors[:3]}"
    )
    print("CPU during the run (2 cores available), per person (3 requests):")
    total = 0.0
    for name, after in cpu_after.items():
        used = harness.used(cpu_before[name], after)
        total += used
        print(
            f"  {name}: {used:.2f} s ({used / wall * 100:.0f}% of one core), "
            f"{used / len(cookies) * 1000:.1f} ms a person"
        )
    print(
        f"  together: {total:.2f} s ({total / wall * 100:.0f}% of one core), "
        f"{total / len(cookies) * 1000:.1f} ms a person"
    )
    met = rate >= TARGET_PER_SECOND and p95 < TARGET_P95 and not oversold
    print(
        "targets (>= 80 people/s, p95 < 1 s, 0 oversold, 0 errors): "
        + ("met" if met and not errors else "NOT met")
    )
    sys.exit(0 if met and not errors else 1)


if __name__ == "__main__":
    main()
