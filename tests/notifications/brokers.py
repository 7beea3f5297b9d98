"""Pointing this test process's Celery app at a real broker, and back."""

import contextlib

from kombu import pools

from config.celery import app


def _reset_pools():
    # Kombu caches connections and producers per app: a new URL needs new ones.
    # kombu also keeps a process-wide registry of pools: clear it, or the next
    # acquire finds the pool we just closed.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_broker(url: str):
    old = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    _reset_pools()
    try:
        yield app
    finally:
        _reset_pools()
        app.conf.broker_url, app.conf.task_always_eager = old
