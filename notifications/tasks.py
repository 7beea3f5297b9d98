"""Celery tasks: ids in, one service call, idempotent. Delivery on two queues so a
broadcast's hundreds of messages never wait in front of a confirmation.

A leaf: each task imports its service when it runs, so the services that publish
these tasks (services/publishing.py's callers) import them without a cycle.
"""

from celery import shared_task


@shared_task(name="notifications.compose_recent", ignore_result=True)
def task_compose_recent() -> int:
    from .services.compose import compose_recent

    return compose_recent(deliver_here=True)


@shared_task(name="notifications.deliver", ignore_result=True)
def task_deliver(*, message_id: int) -> str:
    from .services.delivery import deliver

    return deliver(message_id=message_id)


@shared_task(name="notifications.deliver_bulk", ignore_result=True)
def task_deliver_bulk(*, message_id: int) -> str:
    from .services.delivery import deliver

    return deliver(message_id=message_id)


@shared_task(name="notifications.send_broadcast", ignore_result=True)
def task_send_broadcast(*, broadcast_id: int) -> int:
    from .services.broadcasts import fan_out

    return fan_out(broadcast_id=broadcast_id)


@shared_task(name="notifications.compose_pending", ignore_result=True)
def task_compose_pending() -> int:
    """Compose the facts whose on-commit composing never ran or failed."""
    from .services.sweeps import compose_pending

    return compose_pending()


@shared_task(name="notifications.sweep", ignore_result=True)
def task_sweep() -> int:
    """Publish again what is due and was lost: messages, dead workers' claims,
    broadcasts never fanned out."""
    from .services.sweeps import requeue_due

    return requeue_due()


@shared_task(name="notifications.send_due_digests", ignore_result=True)
def task_send_due_digests() -> int:
    from .services.digests import send_due_digests

    return send_due_digests()


@shared_task(name="notifications.send_due_reminders", ignore_result=True)
def task_send_due_reminders() -> int:
    from .services.reminders import send_due_invitation_reminders, send_due_reminders

    return send_due_reminders() + send_due_invitation_reminders()


@shared_task(name="notifications.send_invitation_digests", ignore_result=True)
def task_send_invitation_digests() -> int:
    """Organisers' daily summaries of invitation answers, for days just ended."""
    from .services.invitation_news import send_invitation_digests

    return send_invitation_digests()
