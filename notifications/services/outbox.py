"""Storing composed messages and queuing their delivery.

Storing is an INSERT ... ON CONFLICT DO NOTHING on the unique key, so composing the
same fact twice (a receiver and the sweep, or a retried task) stores nothing new.
Queuing publishes one small task per message after commit; a publish that fails
(broker down) is logged and dropped: the message waits in the outbox and the sweep
queues it again.
"""

from django.db import transaction

from ..models import Message
from ..tasks import task_deliver, task_deliver_bulk
from .publishing import publish as publish_task


def store_messages(messages: list[Message], *, queue: bool = True) -> list[int]:
    """Insert the messages whose key is new; return the ids of all still queued.

    Call inside the composing transaction. Delivery is queued on its commit
    (unless `queue` is off: the caller delivers them itself).
    """
    if not messages:
        return []
    Message.objects.bulk_create(messages, ignore_conflicts=True, batch_size=500)
    ids = list(
        Message.objects.filter(
            key__in=[m.key for m in messages], status=Message.Status.QUEUED
        )
        .order_by("pk")  # delivered in the order composed: first come, first served
        .values_list("pk", flat=True)
    )
    if queue:
        queue_delivery_on_commit(ids)
    return ids


def queue_delivery_on_commit(message_ids) -> None:
    ids = list(message_ids)
    if ids:
        transaction.on_commit(lambda: publish(ids), robust=True)


def publish(message_ids, *, countdown: int | None = None) -> int:
    """Send a delivery task per message to its queue; return how many were published.

    Never raises: with the broker unreachable the messages simply wait.
    """
    rows = Message.objects.filter(pk__in=list(message_ids)).values_list("pk", "queue")
    published = 0
    for pk, queue in rows:
        task = task_deliver_bulk if queue == Message.Queue.BULK else task_deliver
        if not publish_task(task, kwargs={"message_id": pk}, countdown=countdown):
            break  # one failure means the broker is down: don't wait on it per message
        published += 1
    return published
