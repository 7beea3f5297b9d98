"""Bulk actions: one confirmed action over many registrations or invitations.

`start_bulk_operation` fixes who it is for (those of the event the action can
apply to) and stores it; `run_bulk_operation` works through them in batches.
Each batch's changes and the progress written after it commit together, so an
operation resumed after a crash neither skips anyone nor acts on anyone twice.
Every person goes through the same service as a single action would, under its
locks; one person's refusal is recorded and the others go on.

Small operations run inside the request that confirms them; larger ones run in
a worker, or in embedded mode in the periodic jobs, never in a request.
"""

import time
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import BulkOperation, Invitation, Registration
from . import RegistrationError
from .approval import approve_registrations, decline_registrations
from .invitations import (
    approve_substitute,
    remind_invitation,
    resend_invitation,
    withdraw_invitation,
)
from .registering import cancel_registration
from .waitlists import MOVABLE_TO_WAITLIST, move_to_waitlist, offer_place

Kind = BulkOperation.Kind
Status = Registration.Status

# Small: each batch holds the event's lock (registrations wait) until it commits.
BATCH_SIZE = 10
# Up to this many people, the request that confirms the action runs it.
INLINE_LIMIT = 50
# A run hands its operation back after this long (the next run resumes it), so
# that no task outlives Celery's time limit and the periodic jobs are not held.
RUN_BUDGET_SECONDS = 60.0
# No batch takes this long: a running operation this quiet lost its worker.
STALE_AFTER = timedelta(minutes=5)
MAX_ERRORS = 50

LIVE = tuple(s for s in Status if s not in Registration.DEAD_STATUSES)
# The statuses each action can apply to; others selected are left out.
ELIGIBLE: dict[str, tuple[str, ...]] = {
    Kind.APPROVE: (Status.AWAITING_APPROVAL,),
    Kind.DECLINE: LIVE,
    Kind.CANCEL: LIVE,
    Kind.WAITLIST: MOVABLE_TO_WAITLIST,
    Kind.OFFER: (Status.WAITLISTED,),
    Kind.REMIND: (Invitation.Status.PENDING,),
    Kind.RESEND: (Invitation.Status.PENDING,),
    Kind.WITHDRAW: Invitation.OPEN_STATUSES,
    Kind.APPROVE_SUBSTITUTE: (Invitation.Status.AWAITING_APPROVAL,),
}
REGISTRATION_KINDS = tuple(
    k for k in ELIGIBLE if k not in BulkOperation.INVITATION_KINDS
)
INVITATION_KINDS = tuple(k for k in ELIGIBLE if k in BulkOperation.INVITATION_KINDS)
# Actions after which the person may legitimately not be told.
SILENCEABLE = frozenset({Kind.DECLINE, Kind.CANCEL, Kind.WAITLIST})


def targets(*, event, kind: str, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` (the event's registrations, or its invitations for
    the invitation kinds) that `kind` applies to, in the order they are done."""
    model = Invitation if kind in BulkOperation.INVITATION_KINDS else Registration
    if queryset.model is not model:
        raise RegistrationError(_("This action does not apply to these rows."))
    return queryset.filter(status__in=ELIGIBLE[kind], event=event).order_by(
        "created_at", "pk"
    )


def applies_to(kind: str, row) -> bool:
    """Whether the action can be done to this registration or invitation now."""
    return row.status in ELIGIBLE[kind]


def start_bulk_operation(
    *,
    event,
    kind: str,
    queryset: QuerySet,
    actor: User | None = None,
    tell: bool = True,
    reason: str = "",
) -> BulkOperation:
    """Store the operation for the eligible rows of `queryset`; nothing is done yet.

    Raises RegistrationError when it applies to nobody.
    """
    if kind not in ELIGIBLE:
        raise RegistrationError(_("Unknown action."))
    ids = list(
        targets(event=event, kind=kind, queryset=queryset).values_list("pk", flat=True)
    )
    if not ids:
        raise RegistrationError(_("This action applies to none of those chosen."))
    return BulkOperation.objects.create(
        event=event,
        kind=kind,
        target_ids=ids,
        total=len(ids),
        tell=tell or kind not in SILENCEABLE,
        reason=reason.strip() if kind == Kind.DECLINE else "",
        actor=actor if getattr(actor, "pk", None) else None,
    )


def runs_inline(operation: BulkOperation) -> bool:
    return operation.total <= INLINE_LIMIT


def _claim(operation_id: int, now) -> bool:
    """Take the operation: waiting, or running without a sign of life."""
    return bool(
        BulkOperation.objects.filter(pk=operation_id)
        .filter(
            Q(status=BulkOperation.Status.PENDING)
            | Q(status=BulkOperation.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        )
        .update(status=BulkOperation.Status.RUNNING, heartbeat_at=now)
    )


def run_bulk_operation(
    *, operation_id: int, budget: float = RUN_BUDGET_SECONDS
) -> BulkOperation | None:
    """Work through the operation's batches; None when someone else runs it.

    Once a batch ends after `budget` seconds, the operation goes back to waiting,
    where the next run (the periodic job) resumes it. Idempotent: a finished one
    is left alone.
    """
    if not _claim(operation_id, timezone.now()):
        return None
    started = time.monotonic()
    operation = BulkOperation.objects.select_related("event", "actor").get(
        pk=operation_id
    )
    if operation.started_at is None:
        operation.started_at = timezone.now()
        operation.save(update_fields=["started_at"])
    while operation.done < operation.total:
        _run_batch(operation)
        if operation.done < operation.total and time.monotonic() - started > budget:
            BulkOperation.objects.filter(pk=operation.pk).update(
                status=BulkOperation.Status.PENDING
            )
            operation.status = BulkOperation.Status.PENDING
            return operation
    operation.status = BulkOperation.Status.DONE
    operation.finished_at = timezone.now()
    operation.save(update_fields=["status", "finished_at"])
    return operation


def _run_batch(operation: BulkOperation) -> None:
    ids = operation.target_ids[operation.done : operation.done + BATCH_SIZE]
    act = ACTIONS[operation.kind]
    model = Invitation if operation.is_for_invitations else Registration
    with transaction.atomic():
        rows: QuerySet = model.objects.filter(pk__in=ids).select_related("event")
        if model is Registration:
            rows = rows.select_related("attendee")
        by_id = rows.in_bulk()
        changed, errors = 0, []
        for pk in ids:
            row = by_id.get(pk)
            if row is None:
                continue  # deleted meanwhile
            try:
                with transaction.atomic():
                    changed += act(operation, row)
            except RegistrationError as refused:
                errors.append(f"{_who(row)}: {refused}")
        operation.done += len(ids)
        operation.changed += changed
        operation.errors = (operation.errors + errors)[:MAX_ERRORS]
        operation.heartbeat_at = timezone.now()
        operation.save(update_fields=["done", "changed", "errors", "heartbeat_at"])


def _who(row) -> str:
    if isinstance(row, Invitation):
        return row.name or row.email
    return str(row.attendee)


def run_pending_bulk_operations(*, budget: float = RUN_BUDGET_SECONDS) -> int:
    """Run what is waiting (or was lost with its worker), oldest first, within
    `budget` seconds; return how many operations finished."""
    started = time.monotonic()
    now = timezone.now()
    waiting = BulkOperation.objects.filter(
        Q(status=BulkOperation.Status.PENDING)
        | Q(status=BulkOperation.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    ).values_list("pk", flat=True)
    finished = 0
    for operation_id in list(waiting):
        left = budget - (time.monotonic() - started)
        if left <= 0:
            break
        operation = run_bulk_operation(operation_id=operation_id, budget=left)
        finished += operation is not None and operation.status == "done"
    return finished


# --- one person each: the same services as the single actions ----------------------


def _approve(operation, registration) -> int:
    return len(
        approve_registrations(registrations=[registration], actor=operation.actor)
    )


def _decline(operation, registration) -> int:
    done = decline_registrations(
        registrations=[registration],
        actor=operation.actor,
        reason=operation.reason,
        tell=operation.tell,
    )
    return len(done)


def _changed(before: str, after) -> int:
    return int(after.status != before)


def _cancel(operation, registration) -> int:
    before = registration.status
    after = cancel_registration(
        registration=registration, actor=operation.actor, tell=operation.tell
    )
    return _changed(before, after)


def _waitlist(operation, registration) -> int:
    before = registration.status
    after = move_to_waitlist(
        registration=registration, actor=operation.actor, tell=operation.tell
    )
    return _changed(before, after)


def _offer(operation, registration) -> int:
    offer_place(registration=registration, actor=operation.actor)
    return 1


def _each_invitation(service: Callable) -> Callable:
    def act(operation, invitation) -> int:
        service(invitation=invitation, actor=operation.actor)
        return 1

    return act


ACTIONS: dict[str, Callable] = {
    Kind.APPROVE: _approve,
    Kind.DECLINE: _decline,
    Kind.CANCEL: _cancel,
    Kind.WAITLIST: _waitlist,
    Kind.OFFER: _offer,
    Kind.REMIND: _each_invitation(remind_invitation),
    Kind.RESEND: _each_invitation(resend_invitation),
    Kind.WITHDRAW: _each_invitation(withdraw_invitation),
    Kind.APPROVE_SUBSTITUTE: _each_invitation(approve_substitute),
}
