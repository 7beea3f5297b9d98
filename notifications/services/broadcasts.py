"""Organisers' messages to all or some attendees of an event.

Sending is one task on the "bulk" queue: it composes every recipient's message
into the outbox and delivers them one by one, so a 450-recipient broadcast is one
publish and never queues in front of personal messages on the default queue.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from registrations.models import Registration, SessionSeat

from ..models import Broadcast, Message
from ..tasks import task_send_broadcast
from .delivery import deliver
from .outbox import store_messages
from .publishing import publish
from .rendering import absolute, language_of, render_message


def audience(*, event, filters: dict | None = None):
    """The registrations a broadcast with these filters reaches.

    filters: {"statuses": [...] (default confirmed), "types": [type ids],
    "sessions": [session ids with a confirmed seat]}.
    """
    filters = filters or {}
    statuses = filters.get("statuses") or [Registration.Status.CONFIRMED]
    registrations = Registration.objects.filter(event=event, status__in=statuses)
    if filters.get("types"):
        registrations = registrations.filter(registration_type_id__in=filters["types"])
    if filters.get("sessions"):
        registrations = registrations.filter(
            seats__session_id__in=filters["sessions"],
            seats__status=SessionSeat.Status.CONFIRMED,
        )
    return registrations.distinct()


def preview_count(*, event, filters: dict | None = None) -> int:
    return audience(event=event, filters=filters).count()


def send_broadcast(*, broadcast: Broadcast) -> None:
    """Mark the broadcast for sending and queue its fan-out after commit (one
    publish, on "bulk"). Sending twice sends once: the message keys hold it."""
    with transaction.atomic():
        Broadcast.objects.filter(pk=broadcast.pk, queued_at__isnull=True).update(
            queued_at=timezone.now()
        )
        transaction.on_commit(lambda: publish_fan_out(broadcast.pk), robust=True)


def publish_fan_out(broadcast_id: int) -> bool:
    """Queue the fan-out on "bulk" (config/celery.py routes it); broker down: the
    sweep publishes it again."""
    return publish(task_send_broadcast, kwargs={"broadcast_id": broadcast_id})


def compose_broadcast(broadcast: Broadcast) -> list[int]:
    event = broadcast.event
    registrations = audience(event=event, filters=broadcast.audience).select_related(
        "attendee"
    )
    messages = []
    for registration in registrations:
        user = registration.attendee
        message = render_message(
            kind="broadcast",
            key=f"broadcast:{broadcast.pk}:broadcast:{user.pk}",
            event=event,
            to_email=user.email,
            language=language_of(user),
            recipient=user,
            registration=registration,
            queue=Message.Queue.BULK,
            subject=f"{broadcast.subject} ({event.title})",
            context={
                "body": broadcast.body,
                "manage_url": absolute(registration.manage_path()),
            },
        )
        message.broadcast = broadcast
        messages.append(message)
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
