"""The embedded default as `make run` starts it: gunicorn with threads over SQLite
(WAL) and the periodic jobs beside it, on a demo database migrated and loaded as
`make run` does. The shell lines come from `make -n run` itself."""

import json
import shlex
import sqlite3
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest

from .conftest import ROOT
from .servers import BIN, WebServer, clean_environment, make_run_server_script, text_of

PEOPLE_AT_ONCE = 50
SEED = """
import json
from tests.factories import EventFactory, UserFactory
from tests.config.servers import signed_in
event = EventFactory(slug="plain-event", capacity=100)
print(json.dumps([signed_in(UserFactory(email=f"p{n}@example.org")) for n in range(4)]))
"""


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    """var/ after `make run`'s first steps: migrate, then load_demo."""
    var = tmp_path_factory.mktemp("var")
    env = clean_environment(DEBUG="1", KOKOUS_VAR_DIR=str(var))
    for args in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
        subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    return var


@pytest.fixture(scope="module")
def sessions(var_dir):
    env = clean_environment(DEBUG="1", KOKOUS_VAR_DIR=str(var_dir))
    seeded = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-v", "0", "-c", SEED],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return json.loads(seeded.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def server(var_dir, sessions):
    # A lock timeout of one second keeps the busy test short.
    server = WebServer.make_run(
        env={"KOKOUS_VAR_DIR": str(var_dir), "DB_LOCK_TIMEOUT": "1"}
    ).start()
    yield server
    server.stop()


def test_make_run_serves_with_gunicorn_threads_beside_the_periodic_jobs():
    script = make_run_server_script(8123)
    periodic, served = script.split("& periodic=$!;")
    argv = shlex.split(served)

    assert "runserver" not in script
    assert periodic.endswith("manage.py run_periodic --every 60 ")
    server = argv[argv.index(f"{BIN}/gunicorn") :]
    assert server == [
        f"{BIN}/gunicorn", "config.wsgi", "-c", "config/gunicorn.conf.py",
        "--workers", "1", "--threads", "4", "--bind", "127.0.0.1:8123",
    ]  # fmt: skip
    assert argv[: argv.index(f"{BIN}/gunicorn")][-2:] == [
        "DEBUG=1",
        "SITE_URL=http://127.0.0.1:8123",
    ]


def test_fifty_people_at_once_all_get_their_page(server):
    barrier = threading.Barrier(PEOPLE_AT_ONCE)

    def visit(_):
        barrier.wait()
        return server.request("GET", "/events/spring-forum/").status

    with ThreadPoolExecutor(PEOPLE_AT_ONCE) as pool:
        statuses = list(pool.map(visit, range(PEOPLE_AT_ONCE)))

    assert statuses == [200] * PEOPLE_AT_ONCE


def test_static_files_are_served_without_runserver(server):
    answer = server.request("GET", "/static/css/kokous.css")

    assert (answer.status, answer.headers["Content-Type"]) == (
        200,
        'text/css; charset="utf-8"',
    )
    assert answer.body.startswith("/* Kokous")


def test_a_locked_database_answers_busy_and_healthz_stays_fast(
    server, var_dir, sessions
):
    url = "/events/plain-event/register/"
    holder = sqlite3.connect(var_dir / "kokous.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the write lock, as a stuck writer holds it
    try:
        with ThreadPoolExecutor(3) as pool:
            posts = [
                pool.submit(server.request, "POST", url, session_key=key, body="")
                for key in sessions[:3]
            ]
            health = server.request("GET", "/healthz")
            answers = [post.result() for post in posts]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    after = server.request("POST", url, session_key=sessions[3], body="")

    assert [(a.status, a.headers["Retry-After"]) for a in answers] == [(503, "10")] * 3
    assert "Busy, please try again" in text_of(answers[0].body)
    assert (health.status, health.seconds < 1) == (200, True)
    assert after.status == 302
    with closing(sqlite3.connect(var_dir / "kokous.sqlite3")) as reader:
        registered = reader.execute(
            "SELECT count(*) FROM registrations_registration r "
            "JOIN events_event e ON e.id = r.event_id WHERE e.slug = 'plain-event'"
        ).fetchone()[0]
    assert registered == 1  # the one after the release
