"""Celery tasks of meetings: thin, idempotent, one service call each."""

from celery import shared_task


@shared_task(name="meetings.expire_requests", ignore_result=True)
def task_expire_requests() -> int:
    """Close meeting requests left unanswered past their expiry."""
    from .services.requests import expire_requests

    return expire_requests()
