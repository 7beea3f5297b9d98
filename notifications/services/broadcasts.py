"""Organisers' messages to all or some attendees of an event.

Sending is one task on the "bulk" queue: it composes every recipient's message
into the outbox and delivers them one by one, so a 450-recipient broadcast is one
publish and never queues in front of personal messages on the default queue.
"""

import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Broadcast, Message
from ..selectors import (
    Recipient,
    filtered_registrations,
    recipient_count,
    recipients,
)
from ..tasks import task_send_broadcast
from .broadcast_messages import build_message
from .delivery import deliver
from .outbox import store_messages
from .publishing import publish


def audience(*, event, filters: dict | None = None):
    """The registrations a broadcast with these filters reaches (invitations
    aside: see notifications.selectors.recipients)."""
    return filtered_registrations(event=event, filters=filters or {})


def preview_count(*, event, filters: dict | None = None) -> int:
    return recipient_count(event=event, filters=filters)


def create_broadcast(
    *, event, author, texts: dict[str, dict], audience: dict
) -> Broadcast:
    """A draft: nothing is sent until `send_broadcast`. `texts` is
    {language: {"subject", "body"}}, checked by the caller's form."""
    first = next(iter(texts.values()))
    return Broadcast.objects.create(
        event=event,
        author=author,
        subject=first["subject"][:200],
        body=first["body"],
        texts=texts,
        audience=audience,
    )


def send_test(*, broadcast: Broadcast, sender, recipient: Recipient) -> Message:
    """`recipient`'s message, sent only to `sender`'s own address and marked as a
    test. It belongs to no broadcast's progress and counts as sent to nobody."""
    message = build_message(broadcast, recipient)
    message.key = f"broadcast-test:{broadcast.pk}:{uuid.uuid4().hex}"
    message.kind = "broadcast_test"
    message.queue = Message.Queue.DEFAULT
    message.broadcast = None
    message.registration = None
    message.recipient = sender
    message.to_email = sender.email
    message.subject = f"[{_('Test')}] {message.subject}"[:300]
    with transaction.atomic():
        store_messages([message])
    return message


def send_broadcast(*, broadcast: Broadcast, sender=None) -> bool:
    """Mark the broadcast for sending (by `sender`, its log entry) and queue its
    fan-out after commit (one publish, on "bulk"). Sending twice sends once: the
    message keys hold it. Returns whether this call was the one that sent it."""
    with transaction.atomic():
        marked = Broadcast.objects.filter(
            pk=broadcast.pk, queued_at__isnull=True
        ).update(queued_at=timezone.now(), sent_by=sender)
        transaction.on_commit(lambda: publish_fan_out(broadcast.pk), robust=True)
    return bool(marked)


def publish_fan_out(broadcast_id: int) -> bool:
    """Queue the fan-out on "bulk" (config/celery.py routes it); broker down: the
    sweep publishes it again."""
    return publish(task_send_broadcast, kwargs={"broadcast_id": broadcast_id})


def compose_broadcast(broadcast: Broadcast) -> list[int]:
    messages = [
        build_message(broadcast, recipient)
        for recipient in recipients(event=broadcast.event, filters=broadcast.audience)
    ]
    with transaction.atomic():
        ids = store_messages(messages, queue=False)
        Broadcast.objects.filter(pk=broadcast.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
    return ids


def fan_out(*, broadcast_id: int) -> int:
    """Compose (once) and deliver a broadcast; returns how many were sent now."""
    broadcast = Broadcast.objects.select_related("event__venue").get(pk=broadcast_id)
    ids = compose_broadcast(broadcast)
    return sum(deliver(message_id=pk) == "sent" for pk in ids)


def requeue_broadcasts(now=None, *, grace: timedelta) -> int:
    """Publish again the fan-out of broadcasts queued but never composed."""
    now = now or timezone.now()
    pending = Broadcast.objects.filter(
        sent_at__isnull=True, queued_at__lte=now - grace
    ).values_list("pk", flat=True)
    return sum(publish_fan_out(pk) for pk in pending)


def progress(broadcast: Broadcast) -> dict:
    """{status: count} of the broadcast's messages (sent, queued, failed...)."""
    return broadcast.messages.aggregate(
        **{
            status: Count("pk", filter=Q(status=status))
            for status in Message.Status.values
        }
    )
