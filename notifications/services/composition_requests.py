"""Asking a worker to compose new facts, with at most one request waiting.

Under a rush of registrations this publishes a handful of composing tasks instead
of one per registration: publishing cost the web process more CPU than the rest
of a registration's bookkeeping (bench/README.md), and each task composes a batch.

The request is a key in the broker's Redis, which every web process and worker
shares by definition. It is set before a task is published and cleared by the
task before it reads (`compose.compose_recent`): a fact committed before the
clear is in that read, and one committed after finds no request and asks anew.
Without a Redis broker (embedded mode, where tasks run at once) every fact asks.
"""

import logging

import redis
from celery import current_app

logger = logging.getLogger(__name__)

KEY = "kokous:composition-requested"
# How long a request blocks the next one if its task never starts (lost with a
# dead worker): after that the next fact asks again; the sweep catches the rest.
HOLDS_SECONDS = 5

_clients: dict[str, redis.Redis] = {}


def _broker() -> redis.Redis | None:
    conf = current_app.conf
    url = conf.broker_url or ""
    if conf.task_always_eager or not url.startswith(("redis://", "rediss://")):
        return None
    if url not in _clients:
        # One client per process and URL: redis-py pools its connections.
        _clients[url] = redis.Redis.from_url(
            url, socket_timeout=1, socket_connect_timeout=1
        )
    return _clients[url]


def request_composition() -> bool:
    """True when the caller should publish a composing task: none is waiting."""
    broker = _broker()
    if broker is None:
        return True
    try:
        return bool(broker.set(KEY, 1, nx=True, ex=HOLDS_SECONDS))
    except redis.RedisError:
        return True  # the publish will tell whether the broker is there


def withdraw_request() -> None:
    """Let the next fact ask again: the task is running, or was never published."""
    broker = _broker()
    if broker is None:
        return
    try:
        broker.delete(KEY)
    except redis.RedisError:
        logger.warning("could not clear the composition request", exc_info=True)
