"""Delivering one outbox message: claim, send with no lock held, mark.

At-least-once from the broker, exactly-once by the claim: a conditional UPDATE
queued -> sending lets one run through; duplicates and concurrent runs find
nothing to claim. The one unavoidable duplicate: a worker that dies after the
mail server accepted the message but before `sent` is committed leaves a
`sending` claim that the sweep returns to the queue (docs/notifications.md).
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone

from ..models import Message
from .outbox import publish, queue_delivery_on_commit

logger = logging.getLogger(__name__)

# Errors worth another try later: the mail server or the network.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 6)


def backoff(attempts: int) -> timedelta:
    """Exponential: base, 2*base, 4*base, ... capped below the visibility timeout."""
    base = getattr(settings, "NOTIFICATIONS_RETRY_BASE_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** (attempts - 1), max_countdown()))


def max_countdown() -> int:
    # A countdown past the visibility timeout makes Redis hand the task to a
    # second worker before it is due: keep well inside it.
    return max(1, settings.CELERY_VISIBILITY_TIMEOUT // 2)


def build_email(message: Message) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.to_email],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={
            "Auto-Submitted": "auto-generated",
            "X-Kokous-Message": message.key,
        },
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.ics_attachment:
        email.attach(
            message.ics_filename or "calendar.ics",
            message.ics_attachment,
            "text/calendar; method=PUBLISH; charset=utf-8",
        )
    return email


def claim(message_id: int, now=None) -> bool:
    now = now or timezone.now()
    return bool(
        Message.objects.filter(
            pk=message_id, status=Message.Status.QUEUED, next_attempt_at__lte=now
        ).update(status=Message.Status.SENDING, claimed_at=now)
    )


def deliver(*, message_id: int) -> str:
    """Send one message. Returns "sent", "retry", "failed" or "skipped"; never raises
    for mail errors (they are recorded on the message)."""
    if not claim(message_id):  # sent, not due, or another worker has it
        return "skipped"
    message = Message.objects.get(pk=message_id)
    try:
        build_email(message).send()
    except TRANSIENT_ERRORS as error:
        return record_failure(message, error)
    except Exception as error:
        # Not the network: trying again sends nothing better. Shown to organisers.
        logger.exception("message %s cannot be sent", message_id)
        return record_failure(message, error, permanent=True)
    mark_sent(message_id)
    return "sent"


def mark_sent(message_id: int) -> None:
    Message.objects.filter(pk=message_id, status=Message.Status.SENDING).update(
        status=Message.Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
    )


def record_failure(message: Message, error: Exception, *, permanent=False) -> str:
    """Count the attempt; queue again after a backoff, or give up at the limit."""
    attempts = message.attempts + 1
    text = f"{type(error).__name__}: {error}"[:2000]
    if permanent or attempts >= max_attempts():
        Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
            status=Message.Status.FAILED, attempts=attempts, last_error=text
        )
        logger.error("message %s failed for good: %s", message.pk, text)
        return "failed"
    delay = backoff(attempts)
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        status=Message.Status.QUEUED,
        attempts=attempts,
        last_error=text,
        next_attempt_at=timezone.now() + delay,
        claimed_at=None,
    )
    logger.warning("message %s: attempt %s failed (%s)", message.pk, attempts, text)
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        # Eagerly this would run at once, inside this call: the sweep retries instead.
        publish([message.pk], countdown=int(delay.total_seconds()) + 1)
    return "retry"


def retry_failed(message_ids) -> int:
    """Organisers' retry: failed messages go back to the queue with fresh attempts."""
    ids = list(
        Message.objects.filter(
            pk__in=list(message_ids), status=Message.Status.FAILED
        ).values_list("pk", flat=True)
    )
    Message.objects.filter(pk__in=ids, status=Message.Status.FAILED).update(
        status=Message.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )
    queue_delivery_on_commit(ids)
    return len(ids)
