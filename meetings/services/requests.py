"""Asking for a meeting, and every answer but acceptance (see accepting)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import MeetingBlock, MeetingFact, MeetingRequest, Profile
from . import MeetingError
from .facts import record
from .locks import lock_people, lock_request
from .rules import (
    check_block_limit,
    check_free,
    check_message,
    check_open_requests,
    check_party,
    check_people,
    check_slot,
    settings_of,
)

Status = MeetingRequest.Status


def _open(
    *, requester, recipient, block, slot_start, message, event, replaces=None
) -> MeetingRequest:
    """Checks and writes a pending request. Caller holds the people's locks."""
    settings = settings_of(event)
    message = check_message(message, _("message"))
    requester.refresh_from_db()
    recipient.refresh_from_db()
    check_people(requester, recipient, event)
    check_slot(block, slot_start, event)
    check_open_requests(requester, settings)
    for profile in (requester, recipient):
        check_free(profile, block, slot_start, event)
        check_block_limit(profile, block, settings)
    expires_at = min(timezone.now() + settings.request_expiry, slot_start)
    return MeetingRequest.objects.create(
        requester=requester,
        recipient=recipient,
        block=block,
        slot_start=slot_start,
        message=message,
        expires_at=expires_at,
        replaces=replaces,
    )


def request_meeting(
    *,
    requester: Profile,
    recipient: Profile,
    block: MeetingBlock,
    slot_start: datetime,
    message: str = "",
    actor: User | None = None,
) -> MeetingRequest:
    """A pending request; it holds the slot for both against other requests."""
    with transaction.atomic():
        event = lock_people(block.event_id, requester, recipient)
        request = _open(
            requester=requester,
            recipient=recipient,
            block=block,
            slot_start=slot_start,
            message=message,
            event=event,
        )
        record(MeetingFact.Verb.REQUESTED, request, actor=actor)
    return request


def _answerable(request: MeetingRequest) -> None:
    if request.status != Status.PENDING:
        raise MeetingError(
            _("This request is no longer waiting for an answer (%(status)s).")
            % {"status": request.get_status_display()}
        )
    if request.expires_at <= timezone.now():
        raise MeetingError(_("This request has expired."))


def decline(
    *, request: MeetingRequest, reason: str = "", actor: User | None = None
) -> MeetingRequest:
    with transaction.atomic():
        _event, request = lock_request(request)
        check_party(request, actor=actor, recipient_only=True)
        _answerable(request)
        request.reason = check_message(reason, _("reason"))
        request.status = Status.DECLINED
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "reason", "answered_at"])
        record(MeetingFact.Verb.DECLINED, request, actor=actor)
    return request


def counter_propose(
    *,
    request: MeetingRequest,
    slot_start: datetime,
    block: MeetingBlock | None = None,
    message: str = "",
    actor: User | None = None,
) -> MeetingRequest:
    """Answer with another slot: a new request the other way round."""
    with transaction.atomic():
        event, request = lock_request(request)
        check_party(request, actor=actor, recipient_only=True)
        _answerable(request)
        request.status = Status.COUNTERED
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answered_at"])
        proposal = _open(
            requester=request.recipient,
            recipient=request.requester,
            block=block or request.block,
            slot_start=slot_start,
            message=message,
            event=event,
            replaces=request,
        )
        record(
            MeetingFact.Verb.COUNTERED,
            request,
            actor=actor,
            details={"proposal": proposal.pk},
        )
    return proposal


def withdraw(*, request: MeetingRequest, actor: User | None = None) -> MeetingRequest:
    """The requester takes back a pending request; both slots are free again."""
    with transaction.atomic():
        _event, request = lock_request(request)
        if actor is not None and actor.pk != request.requester.registration.attendee_id:
            raise MeetingError(_("Only the person who asked can withdraw a request."))
        if request.status != Status.PENDING:
            raise MeetingError(_("This request is no longer waiting for an answer."))
        request.status = Status.CANCELLED
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answered_at"])
        record(MeetingFact.Verb.CANCELLED, request, actor=actor)
    return request


def expire_requests(*, now: datetime | None = None) -> int:
    """Close pending requests past their expiry; both slots are free again."""
    now = now or timezone.now()
    due = MeetingRequest.objects.filter(status=Status.PENDING, expires_at__lte=now)
    expired = 0
    for request in due.select_related("block").order_by("pk"):
        with transaction.atomic():
            _event, request = lock_request(request)
            if request.status != Status.PENDING or request.expires_at > now:
                continue  # answered meanwhile
            request.status = Status.EXPIRED
            request.save(update_fields=["status"])
            record(MeetingFact.Verb.EXPIRED, request)
            expired += 1
    return expired
