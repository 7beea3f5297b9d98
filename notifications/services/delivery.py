"""Delivering one outbox message: claim, send with no lock held, mark.

At-least-once from the broker, exactly-once by the claim: a conditional UPDATE
queued -> sending lets one run through; duplicates and concurrent runs find
nothing to claim. The claim's time is its token: marking the outcome matches it,
so a worker that outlived its claim never overwrites the next one. The one
unavoidable duplicate: a worker that dies after the mail server accepted the
message but before `sent` is committed leaves a `sending` claim that the sweep
returns to the queue (docs/notifications.md).

What an error means (notifications/smtp.py): a 5xx to the sender, recipient or
message fails that message at once; a 5xx to the connection, greeting or login
pauses all delivery (services/pauses.py) and fails nothing; anything else from the
server or the network is retried with backoff.
"""

import logging
import smtplib
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone

from .. import smtp
from ..models import Message
from . import checkin_qr
from .outbox import publish, queue_delivery_on_commit
from .pauses import current_pause, pause_delivery

logger = logging.getLogger(__name__)

# The mail server or the network; smtp.refusal() tells a final reply from a passing one.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


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


def _inline_images(message: Message) -> dict[str, bytes]:
    cited = f"cid:{checkin_qr.CONTENT_ID}"
    if cited not in message.body_html or message.registration is None:
        return {}
    code = message.registration.checkin_code
    return {checkin_qr.CONTENT_ID: checkin_qr.checkin_qr_png(code)}


def build_email(message: Message) -> EmailMultiAlternatives:
    email = checkin_qr.EmailWithInlineImages(
        inline_images=_inline_images(message),
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


def claim(message_id: int, now=None):
    """Take a due message for sending; return the claim's time, or None."""
    now = now or timezone.now()
    claimed = Message.objects.filter(
        pk=message_id, status=Message.Status.QUEUED, next_attempt_at__lte=now
    ).update(status=Message.Status.SENDING, claimed_at=now)
    return now if claimed else None


def deliver(*, message_id: int) -> str:
    """Send one message. Returns "sent", "retry", "failed", "paused" or "skipped";
    never raises for mail errors (they are recorded on the message)."""
    if current_pause():  # the message waits, queued, for the pause to end
        return "paused"
    if not claim(message_id):  # sent, not due, or another worker has it
        return "skipped"
    message = Message.objects.get(pk=message_id)
    try:
        build_email(message).send()
    except MAIL_ERRORS as error:
        refusal = smtp.refusal(error)
        if refusal == smtp.CONFIGURATION_REFUSED:
            return pause_for(message, error)
        return record_failure(message, error, permanent=refusal is not None)
    except SoftTimeLimitExceeded as error:
        # The task's time ran out (prefork), not the message's chances: try again,
        # and let the task stop as Celery asks.
        record_failure(message, error)
        raise
    except Exception as error:
        # Not the network: trying again sends nothing better. Shown to organisers.
        logger.exception("message %s cannot be sent", message_id)
        return record_failure(message, error, permanent=True)
    mark_sent(message)
    return "sent"


def _claimed(message: Message):
    # This worker's claim, and only it: matched on the claim's time.
    return Message.objects.filter(
        pk=message.pk, status=Message.Status.SENDING, claimed_at=message.claimed_at
    )


def mark_sent(message: Message) -> None:
    _claimed(message).update(
        status=Message.Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
    )


def record_failure(message: Message, error: Exception, *, permanent=False) -> str:
    """Count the attempt; queue again after a backoff, or give up at the limit."""
    attempts = message.attempts + 1
    text = smtp.describe(error)[:2000]
    if permanent or attempts >= max_attempts():
        _claimed(message).update(
            status=Message.Status.FAILED, attempts=attempts, last_error=text
        )
        logger.error("message %s failed for good: %s", message.pk, text)
        return "failed"
    delay = backoff(attempts)
    _claimed(message).update(
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


def pause_for(message: Message, error: Exception) -> str:
    """Our settings were refused: pause delivery and queue the message again,
    still due, without counting an attempt (the message is not at fault). It goes
    with the first sweep after the pause, or at once on `send_queued --resume`."""
    text = smtp.describe(error)[:2000]
    pause_delivery(error=text)
    _claimed(message).update(
        status=Message.Status.QUEUED, last_error=text, claimed_at=None
    )
    return "paused"


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
