import socket
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import override_settings

from notifications.models import DeliveryPause
from notifications.services.pauses import pause_delivery

pytestmark = pytest.mark.django_db

EMBEDDED_OK = {
    "status": "ok",
    "checks": {
        "database": {"status": "ok"},
        "cache": {"status": "ok"},
        "broker": {"status": "ok", "mode": "embedded"},
        "mail": {"status": "ok"},
    },
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_settings(url: str) -> dict:
    return {
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "kokous-test",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        },
        "CELERY_BROKER_URL": url,
    }


def test_healthz_is_ok_in_embedded_mode(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == EMBEDDED_OK
    assert response["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )


def test_healthz_answers_head_for_monitors(client):
    response = client.head("/healthz")

    assert (response.status_code, response.content) == (200, b"")


def test_healthz_names_cache_and_broker_when_redis_is_down(client):
    # Nothing listens on a port we just freed: Redis refuses at once.
    url = f"redis://:hunter2-secret@127.0.0.1:{free_port()}/0"

    with override_settings(**redis_settings(url)):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {
            "database": {"status": "ok"},
            "cache": {"status": "error", "error": "ConnectionError"},
            "broker": {"status": "error", "error": "ConnectionError"},
            "mail": {"status": "ok"},
        },
    }
    assert b"hunter2" not in response.content


def test_healthz_says_degraded_while_mail_delivery_is_paused(client):
    # Not a 503: the site works, and a load balancer must keep it in service.
    pause_delivery(
        error="SMTPAuthenticationError: 535 5.7.8 Authentication credentials invalid"
    )
    until = DeliveryPause.objects.get().until

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": EMBEDDED_OK["checks"]
        | {
            "mail": {
                "status": "paused",
                "until": until.isoformat(),
                "error": "SMTPAuthenticationError",
            }
        },
    }


def test_healthz_names_the_database_without_its_secrets(client):
    error = OperationalError('connection to "db" failed: password "hunter2" rejected')

    with mock.patch.object(connections["default"], "cursor", side_effect=error):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["database"] == {
        "status": "error",
        "error": "OperationalError",
    }
    assert b"hunter2" not in response.content


@pytest.mark.redis
def test_healthz_is_ok_with_a_real_redis(client, redis_url):
    with override_settings(**redis_settings(redis_url)):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "cache": {"status": "ok"},
            "broker": {"status": "ok", "mode": "redis"},
            "mail": {"status": "ok"},
        },
    }
