"""Celery tasks of meetings: thin, idempotent, one service call each."""

from celery import shared_task


@shared_task(name="meetings.expire_requests", ignore_result=True)
def task_expire_requests() -> int:
    """Close meeting requests left unanswered past their expiry."""
    from .services.requests import expire_requests

    return expire_requests()


@shared_task(name="meetings.sync_answer_networks", ignore_result=True)
def task_sync_answer_networks() -> int:
    """Networks fed by an answer catch up with the answers (a lost join)."""
    from .services.network_members import sync_answer_networks

    return sync_answer_networks()
