"""Pausing delivery when the mail server refuses our configuration.

A 5xx at connect, HELO/EHLO, STARTTLS or AUTH means the address, the password or
the TLS setting is wrong, so every message would meet it. Delivery then stops for
NOTIFICATIONS_PAUSE_SECONDS instead of failing messages one by one (or trying a
wrong password hundreds of times). The messages stay queued; the operator sees the
pause in /healthz, `manage.py outbox_status` and the log. When it ends the next
delivery tries again and pauses again if nothing was fixed; `manage.py send_queued
--resume` ends it at once.

The pause is a row in the database, not a cache key: the web processes, the
workers and embedded mode all see it, and a Redis outage or flush cannot lose it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import DeliveryPause

logger = logging.getLogger(__name__)

KEEP_ENDED_PAUSES = timedelta(days=7)


def pause_length() -> timedelta:
    return timedelta(seconds=getattr(settings, "NOTIFICATIONS_PAUSE_SECONDS", 300))


def current_pause(now=None) -> DeliveryPause | None:
    now = now or timezone.now()
    return DeliveryPause.objects.filter(until__gt=now).order_by("-until").first()


def pause_delivery(*, error: str, now=None) -> DeliveryPause:
    """Stop delivery for a while because of `error` (its kind, the server's reply)."""
    now = now or timezone.now()
    DeliveryPause.objects.filter(until__lt=now - KEEP_ENDED_PAUSES).delete()
    pause = DeliveryPause.objects.create(until=now + pause_length(), error=error)
    logger.error(
        "mail delivery paused until %s: the mail server refused the connection, "
        "greeting or login (%s); check EMAIL_URL",
        pause.until.isoformat(),
        error,
    )
    return pause


def resume_delivery(now=None) -> int:
    """End every pause now; return how many there were."""
    now = now or timezone.now()
    return DeliveryPause.objects.filter(until__gt=now).update(until=now)
