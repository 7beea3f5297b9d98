"""Celery tasks: ids in, one service call, idempotent. Delivery on two queues so a
broadcast's hundreds of messages never wait in front of a confirmation."""

from celery import shared_task

from .services import broadcasts, compose, delivery, digests, reminders, sweeps


@shared_task(name="notifications.compose_recent", ignore_result=True)
def task_compose_recent() -> int:
    return compose.compose_recent(deliver_here=True)


# Published by releases before compose_recent; kept so queued ones still run.
@shared_task(name="notifications.compose_activities", ignore_result=True)
def task_compose_activities(*, activity_ids: list[int]) -> int:
    return compose.compose_activities(activity_ids, deliver_here=True)


@shared_task(name="notifications.deliver", ignore_result=True)
def task_deliver(*, message_id: int) -> str:
    return delivery.deliver(message_id=message_id)


@shared_task(name="notifications.deliver_bulk", ignore_result=True)
def task_deliver_bulk(*, message_id: int) -> str:
    return delivery.deliver(message_id=message_id)


@shared_task(name="notifications.send_broadcast", ignore_result=True)
def task_send_broadcast(*, broadcast_id: int) -> int:
    return broadcasts.fan_out(broadcast_id=broadcast_id)


@shared_task(name="notifications.sweep", ignore_result=True)
def task_sweep() -> int:
    sweeps.compose_pending()
    return sweeps.requeue_due()


@shared_task(name="notifications.send_due_digests", ignore_result=True)
def task_send_due_digests() -> int:
    return digests.send_due_digests()


@shared_task(name="notifications.send_due_reminders", ignore_result=True)
def task_send_due_reminders() -> int:
    return reminders.send_due_reminders() + reminders.send_due_invitation_reminders()


@shared_task(name="notifications.expire_offers", ignore_result=True)
def task_expire_offers() -> int | None:
    # Offers belong to registrations; beat reaches them through us because
    # registrations has no beat entries of its own (and may not have the service yet).
    try:
        from registrations.services.waitlists import expire_offers
    except ImportError:
        return None
    return expire_offers()
