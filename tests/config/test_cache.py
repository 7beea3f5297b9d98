"""The cache backend with its Redis stopped, hung and back: a real redis-server on
a free port, started and stopped by each test."""

import logging
import os
import signal
import time

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from config import cache as cache_module
from config.cache import ResilientRedisCache
from tests.notifications.infra import RedisServer

RATE_KEY = "allauth:rl:allauth.account:login_failed:5/300s/key:abc"


@pytest.fixture(autouse=True)
def fresh_health(monkeypatch):
    # What a process knows about each Redis, by address: ports are reused.
    monkeypatch.setattr(cache_module, "_health", {})


@pytest.fixture
def server():
    server = RedisServer().start()
    try:
        yield server
    finally:
        if server.process and server.process.poll() is None:
            os.kill(server.process.pid, signal.SIGCONT)  # a test may leave it stopped
        server.stop()


def cache_for(server) -> ResilientRedisCache:
    return ResilientRedisCache(
        server.url,
        {
            "KEY_PREFIX": "kokous-test",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        },
    )


def raw(server) -> redis.Redis:
    return redis.Redis.from_url(server.url)


def test_a_stopped_redis_reads_as_an_empty_cache_and_drops_writes(server):
    cache = cache_for(server)
    cache.set("timetable", "cached body")
    server.stop()

    answers = {
        "get": cache.get("timetable", "default"),
        "get_many": cache.get_many(["timetable", "other"]),
        "has_key": cache.has_key("timetable"),
        "add": cache.add("new", 1),
        "set": cache.set("timetable", "new body"),
        "set_many": cache.set_many({"a": 1, "b": 2}),
        "delete": cache.delete("timetable"),
        "delete_many": cache.delete_many(["a", "b"]),
        "touch": cache.touch("timetable"),
        "get_or_set": cache.get_or_set("computed", lambda: "fresh"),
        "contains": "timetable" in cache,
        "clear": cache.clear(),
    }
    with pytest.raises(ValueError, match="Key 'counter' not found."):
        cache.incr("counter")

    assert answers == {
        "get": "default",
        "get_many": {},
        "has_key": False,
        "add": False,
        "set": None,
        "set_many": ["a", "b"],
        "delete": False,
        "delete_many": None,
        "touch": False,
        "get_or_set": "fresh",
        "contains": False,
        "clear": None,
    }


def test_django_redis_cache_raises_where_the_resilient_one_misses(server):
    # What the pages met before: every session read was a ConnectionError.
    plain = RedisCache(server.url, {"OPTIONS": {"socket_connect_timeout": 0.25}})
    server.stop()

    with pytest.raises(redis.ConnectionError):
        plain.get("session")
    assert cache_for(server).get("session") is None


def test_an_outage_logs_one_warning_not_one_per_call(server, caplog):
    cache = cache_for(server)
    server.stop()

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for n in range(200):
            cache.get(f"key{n}")
            cache.set(f"key{n}", n)

    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert message.startswith("Cache unreachable (ConnectionError: Error 111 ")


def test_after_a_failure_redis_is_left_alone_for_a_while(server, monkeypatch):
    cache = cache_for(server)
    server.stop()
    attempts = []
    real_get = RedisCache.get
    monkeypatch.setattr(
        RedisCache, "get", lambda *a, **kw: attempts.append(1) or real_get(*a, **kw)
    )

    for _ in range(50):
        cache.get("timetable")

    assert len(attempts) == 1  # the first call found it down; the rest were misses


def test_rate_limit_counters_keep_counting_in_this_process(server):
    cache = cache_for(server)
    server.stop()

    # allauth's limiter: a lock by add(), then read, append and write the history.
    assert cache.add(RATE_KEY + ":lock", True) is True
    assert cache.add(RATE_KEY + ":lock", True) is False
    cache.set(RATE_KEY, [1.0, 2.0])
    cache.delete(RATE_KEY + ":lock")

    assert cache.get(RATE_KEY) == [1.0, 2.0]
    assert cache.add(RATE_KEY + ":lock", True) is True
    # A used TOTP code is remembered too: the same code is refused twice.
    totp = "allauth.mfa.totp.used?user=1&code=123456"
    assert (cache.add(totp, "y"), cache.add(totp, "y")) == (True, False)


def test_a_hung_redis_costs_one_timeout_then_misses(server):
    cache = cache_for(server)
    cache.set("timetable", "body")
    os.kill(server.process.pid, signal.SIGSTOP)  # accepts nothing, answers nothing

    started = time.monotonic()
    answers = [cache.get("timetable") for _ in range(20)]
    elapsed = time.monotonic() - started

    assert answers == [None] * 20
    assert elapsed < 1.5  # one 0.5 s read timeout, then no further attempts


def test_a_session_signed_out_during_an_outage_is_not_read_back_afterwards(server):
    # Redis keeps its data through the outage (here: the process is stopped).
    cache = cache_for(server)
    key = "django.contrib.sessions.cached_dbabc123"
    cache.set(key, {"_auth_user_id": "7"})
    os.kill(server.process.pid, signal.SIGSTOP)

    cache.delete(key)  # a sign-out: the database row is gone, the copy is not
    os.kill(server.process.pid, signal.SIGCONT)
    cache.ping()  # /healthz, or any operation, finds Redis back

    assert raw(server).exists(f"kokous-test:1:{key}") == 0
    assert cache.get(key) is None


def test_ping_raises_the_real_error_for_the_health_check(server):
    cache = cache_for(server)
    cache.ping()
    server.stop()

    with pytest.raises(redis.ConnectionError):
        cache.ping()


def test_back_again_the_cache_is_used_and_its_return_is_logged(server, caplog):
    cache = cache_for(server)
    server.stop()

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        cache.get("timetable")
        server.start()  # the same port, empty
        cache.ping()
        cache.set("timetable", "body")

    assert cache.get("timetable") == "body"
    assert [r.getMessage()[:28] for r in caplog.records] == [
        "Cache unreachable (Connectio",
        "Cache reachable again after ",
    ]
