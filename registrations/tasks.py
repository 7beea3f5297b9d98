"""Celery tasks of registrations: thin, idempotent, one service call each.

A leaf: each task imports its service when it runs (as notifications/tasks.py).
"""

from celery import shared_task


@shared_task(name="registrations.expire_invitations", ignore_result=True)
def task_expire_invitations() -> int:
    """Close invitations whose answer deadline passed (frees reserved places)."""
    from .services.invitation_expiry import expire_invitations

    return expire_invitations()


@shared_task(name="registrations.expire_offers", ignore_result=True)
def task_expire_offers() -> int:
    """Pass offers left unanswered past their deadline on to the next person."""
    from .services.waitlists import expire_offers

    return expire_offers()


@shared_task(name="registrations.run_bulk", ignore_result=True)
def task_run_bulk(*, operation_id: int) -> None:
    """Work through a confirmed bulk action (or resume it); a no-op once done."""
    from .services.bulk import run_bulk_operation

    run_bulk_operation(operation_id=operation_id)


@shared_task(name="registrations.run_pending_bulk", ignore_result=True)
def task_run_pending_bulk() -> int:
    """Run bulk actions left waiting: in embedded mode all of them (no worker
    runs them), otherwise those whose task was lost or handed back."""
    from .services.bulk import run_pending_bulk_operations

    return run_pending_bulk_operations()
