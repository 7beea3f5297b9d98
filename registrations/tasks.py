"""Celery tasks of registrations: thin, idempotent, one service call each."""

from celery import shared_task

from .services.invitations import expire_invitations


@shared_task(name="registrations.expire_invitations", ignore_result=True)
def task_expire_invitations() -> int:
    """Close invitations whose answer deadline passed (frees reserved places)."""
    return expire_invitations()
