"""The shared cache as something that may be away: Redis down means a slower site,
never a broken one.

Django's RedisCache raises when its Redis is unreachable. Sessions are `cached_db`,
so that turned every signed-in page into a 500 during a Redis outage, although
every session is in the database. `ResilientRedisCache` answers as an empty cache
instead: reads miss, writes are dropped, and callers fall back to what they do on a
miss (sessions read the database, timetables and feeds are rebuilt).

- **Few, short attempts.** After a failure Redis is left alone for `retry_after`
  seconds (every operation is a miss at once), so a Redis that hangs costs one
  socket timeout per process now and then, not one per call.
- **Quiet logs.** One warning when the cache goes away, then at most one per
  `warn_every` seconds with the count of operations served without it, and one
  when it is back.
- **Counters stay local.** Keys that count or remember "seen here" (allauth's rate
  limits and their locks, used TOTP codes, replayed token ids) are kept in this
  process's memory meanwhile: rate limits keep counting per process instead of
  failing open. Other keys are not: a process-local copy of a session could
  outlive a sign-out done in another process.
- **No stale copies afterwards.** A write or delete that did not reach Redis may
  leave an older value there (a session signed out during the outage). Such keys
  are remembered and deleted from Redis before the first operation that reaches it
  again.

`ping()` raises the real error, for /healthz.
"""

import logging
import threading
import time
from functools import partial

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Everything redis-py raises means the cache is not answering as a cache: refused
# or reset connections, timeouts, a Redis still loading its data or out of memory.
CACHE_ERRORS = (redis.RedisError,)


class _Health:
    """Whether one Redis (by location) answers, shared by the threads of a process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since: float | None = None  # monotonic
        self.retry_at = 0.0  # Redis is not tried before this (monotonic)
        self.warned_at = 0.0
        self.unserved = 0  # operations answered without Redis since the last warning
        self.stale: set[str] = set()  # full keys to delete once Redis answers
        self.stale_overflow = False


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def _health_of(location: str) -> _Health:
    with _health_lock:
        return _health.setdefault(location, _Health())


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis for every operation, which sets
    up ~170 response callbacks each time (a sizeable part of a cheap page's CPU
    with its two or three cache reads); one client per connection pool serves
    them all (a client over a pool is safe to share)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, redis.Redis] = {}

    # The pool and the client class are the parent's own (not in its stubs).
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(  # type: ignore[attr-defined]
                connection_pool=pool
            )
        return client


class ResilientRedisCache(RedisCache):
    retry_after = 5.0  # seconds without trying Redis after a failure
    warn_every = 60.0  # seconds between two "still unreachable" warnings
    max_stale_keys = 10_000
    # Raw keys (before KEY_PREFIX) kept in process memory while Redis is away.
    local_prefixes = ("allauth:rl:", "allauth.mfa.", "jwt:")

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._location = server if isinstance(server, str) else ",".join(server)
        self._health = _health_of(self._location)
        # LocMemCache instances of one name share their store: one per process.
        self._local = LocMemCache(
            f"kokous-while-redis-is-away:{self._location}",
            {
                "TIMEOUT": params.get("TIMEOUT", DEFAULT_TIMEOUT),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "OPTIONS": {"MAX_ENTRIES": 5000},
            },
        )

    # --- the outage bookkeeping ---------------------------------------------------

    def _is_local(self, key) -> bool:
        return isinstance(key, str) and key.startswith(self.local_prefixes)

    def _call(self, operation, fallback, *, writes=()):
        """`operation()` against Redis, else `fallback()`; `writes` are the raw keys
        (with their version) whose Redis copy a failed attempt may leave stale."""
        health = self._health
        if time.monotonic() < health.retry_at:
            self._mark_stale(writes)
            self._note_unserved()
            return fallback()
        try:
            self._delete_stale()
            result = operation()
        except CACHE_ERRORS as error:
            self._mark_stale(writes)
            self._note_failure(error)
            return fallback()
        if health.down_since is not None:
            self._note_back()
        return result

    def _mark_stale(self, writes) -> None:
        if not writes:
            return
        keys = [self.make_key(key, version) for key, version in writes]
        health = self._health
        with health.lock:
            if len(health.stale) + len(keys) > self.max_stale_keys:
                health.stale_overflow = True
                return
            health.stale.update(keys)

    def _delete_stale(self) -> None:
        health = self._health
        if not health.stale:
            return
        with health.lock:
            keys, health.stale = health.stale, set()
        if not keys:  # another thread took them
            return
        try:
            self._cache.delete_many(list(keys))
        except CACHE_ERRORS:
            with health.lock:
                health.stale |= keys
            raise

    def _note_failure(self, error) -> None:
        health = self._health
        now = time.monotonic()
        with health.lock:
            health.retry_at = now + self.retry_after
            health.unserved += 1
            first = health.down_since is None
            if first:
                health.down_since = now
            elif now - health.warned_at < self.warn_every:
                return
            health.warned_at, unserved, health.unserved = now, health.unserved, 0
        if first:
            logger.warning(
                "Cache unreachable (%s: %s): serving without it; sessions come from "
                "the database, rate limits count in this process",
                type(error).__name__,
                error,
            )
        else:
            logger.warning(
                "Cache still unreachable (%s: %s): %d operations served without it "
                "since the last warning",
                type(error).__name__,
                error,
                unserved,
            )

    def _note_unserved(self) -> None:
        with self._health.lock:
            self._health.unserved += 1

    def _note_back(self) -> None:
        health = self._health
        with health.lock:
            if health.down_since is None:
                return
            away = time.monotonic() - health.down_since
            health.down_since, health.unserved = None, 0
            overflow, health.stale_overflow = health.stale_overflow, False
        self._local.clear()
        logger.warning("Cache reachable again after %.0f s", away)
        if overflow:
            logger.warning(
                "More than %d keys were written during the outage: some cached "
                "sessions may be stale until they expire",
                self.max_stale_keys,
            )

    def ping(self) -> None:
        """Ask Redis directly; raises when it does not answer (for /healthz)."""
        try:
            self._delete_stale()
            self._cache.get_client(write=True).ping()
        except CACHE_ERRORS as error:
            self._note_failure(error)
            raise
        with self._health.lock:
            self._health.retry_at = 0.0
        if self._health.down_since is not None:
            self._note_back()

    # --- the cache API: each operation with its answer for "not there" -------------

    def _fallback(self, key, local, miss):
        return local if self._is_local(key) else (lambda: miss)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            partial(super().add, key, value, timeout, version),
            self._fallback(
                key, partial(self._local.add, key, value, timeout, version), False
            ),
        )

    def get(self, key, default=None, version=None):
        return self._call(
            partial(super().get, key, default, version),
            self._fallback(
                key, partial(self._local.get, key, default, version), default
            ),
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            partial(super().set, key, value, timeout, version),
            self._fallback(
                key, partial(self._local.set, key, value, timeout, version), None
            ),
            writes=[(key, version)],
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            partial(super().touch, key, timeout, version),
            self._fallback(
                key, partial(self._local.touch, key, timeout, version), False
            ),
        )

    def delete(self, key, version=None):
        return self._call(
            partial(super().delete, key, version),
            self._fallback(key, partial(self._local.delete, key, version), False),
            writes=[(key, version)],
        )

    def get_many(self, keys, version=None):
        keys = list(keys)

        def without_redis():
            local = [key for key in keys if self._is_local(key)]
            return self._local.get_many(local, version) if local else {}

        return self._call(partial(super().get_many, keys, version), without_redis)

    def has_key(self, key, version=None):
        return self._call(
            partial(super().has_key, key, version),
            self._fallback(key, partial(self._local.has_key, key, version), False),
        )

    def incr(self, key, delta=1, version=None):
        def without_redis():
            if self._is_local(key):
                return self._local.incr(key, delta, version)
            raise ValueError(f"Key '{key}' not found.")  # a miss, as Django says it

        return self._call(
            partial(super().incr, key, delta, version),
            without_redis,
            writes=[(key, version)],
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        data = dict(data)

        def without_redis():
            local = {key: value for key, value in data.items() if self._is_local(key)}
            self._local.set_many(local, timeout, version)
            return [key for key in data if key not in local]  # the keys not stored

        return self._call(
            partial(super().set_many, data, timeout, version),
            without_redis,
            writes=[(key, version) for key in data],
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call(
            partial(super().delete_many, keys, version),
            partial(self._local.delete_many, keys, version),
            writes=[(key, version) for key in keys],
        )

    def clear(self):
        return self._call(super().clear, self._local.clear)
