"""Celery tasks of registrations: thin, idempotent, one service call each.

A leaf: each task imports its service when it runs (as notifications/tasks.py).
"""

from celery import shared_task


@shared_task(name="registrations.expire_invitations", ignore_result=True)
def task_expire_invitations() -> int:
    """Close invitations whose answer deadline passed (frees reserved places)."""
    from .services.invitations import expire_invitations

    return expire_invitations()


@shared_task(name="registrations.expire_offers", ignore_result=True)
def task_expire_offers() -> int:
    """Pass offers left unanswered past their deadline on to the next person."""
    from .services.waitlists import expire_offers

    return expire_offers()
