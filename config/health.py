"""/healthz: can this process reach its database, cache and broker?

For load balancers and uptime monitors: 200 when all answer, else 503 naming the part
that failed. Errors are reported by their type only; the details (which may hold
hosts or credentials) go to the log.

Mail delivery paused by a refused configuration (notifications/services/pauses.py)
answers 200 with status "degraded" and the mail check saying so: the web still
works, and a 503 would take every web process out of the load balancer.
"""

import logging
import secrets

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from notifications.services.pauses import current_pause

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 1


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def check_cache() -> dict:
    # The cache answers as empty while its Redis is away: ask Redis itself first,
    # so that the probe names the outage the pages hide.
    if ping := getattr(cache, "ping", None):
        ping()
    # A key of its own per request: concurrent probes must not read each other's value.
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        return {"status": "error", "error": "value not read back"}
    cache.delete(key)
    return {"status": "ok"}


def check_broker() -> dict:
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return {"status": "ok", "mode": "embedded"}  # tasks run in-process
    # A fresh connection, not Celery's pool: a pooled one may look alive after
    # Redis died.
    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
        socket_timeout=BROKER_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()
    return {"status": "ok", "mode": "redis"}


def check_mail() -> dict:
    if pause := current_pause():
        return {
            "status": "paused",
            "until": pause.until.isoformat(),
            "error": pause.error_type,
        }
    return {"status": "ok"}


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}
# Reported, but no reason to take this process out of service.
ADVISORY_CHECKS = {"mail": check_mail}


def run_check(name: str, check) -> dict:
    try:
        return check()
    except Exception as error:  # a health check reports every failure, never raises
        logger.warning("Health check %s failed: %r", name, error)
        return {"status": "error", "error": type(error).__name__}


@never_cache
@require_safe
def healthz(request):
    checks = {name: run_check(name, check) for name, check in CHECKS.items()}
    healthy = all(result["status"] == "ok" for result in checks.values())
    advisories = {
        name: run_check(name, check) for name, check in ADVISORY_CHECKS.items()
    }
    degraded = any(result["status"] != "ok" for result in advisories.values())
    status = "error" if not healthy else "degraded" if degraded else "ok"
    return JsonResponse(
        {"status": status, "checks": checks | advisories},
        status=200 if healthy else 503,
    )
