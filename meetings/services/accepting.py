"""Accepting a request (a meeting at a table), cancelling and moving meetings.

Each person's meeting is also a commitment in registrations, written in the
same transaction: the PostgreSQL exclusion constraints on commitments (person)
and meetings (table) refuse a double booking whatever was checked before.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Event
from events.times import show_day_time
from registrations.models import Commitment
from registrations.services.commitments import CommitmentClash, hold, release

from ..models import Meeting, MeetingFact, MeetingRequest, Table
from . import MeetingError
from .facts import record
from .locks import lock_meeting, lock_request
from .rules import check_block_limit, check_party, name, party, settings_of

Status = MeetingRequest.Status


def free_table(event: Event, starts_at: datetime, ends_at: datetime) -> Table | None:
    """The first table (by name) with no active meeting overlapping that time."""
    busy = Meeting.objects.filter(
        status=Meeting.Status.ACTIVE, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).values("table_id")
    return Table.objects.filter(event=event).exclude(pk__in=busy).first()


def _hold_both(meeting: Meeting, request: MeetingRequest, event: Event) -> None:
    when = show_day_time(meeting.starts_at, event)
    for profile, other in (
        (request.requester, request.recipient),
        (request.recipient, request.requester),
    ):
        hold(
            person=profile.registration.attendee,
            event=event,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            kind=Commitment.Kind.MEETING,
            source_uuid=meeting.uuid,
            sequence=meeting.sequence,
            title=name(other),
            location=meeting.table.name,
            message=_("%(name)s now holds a seat or meeting at %(time)s.")
            % {"name": name(profile), "time": when},
        )


def _save_meeting(meeting: Meeting, when: str) -> None:
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the rest intact
            meeting.save()
    except IntegrityError as error:  # the table's constraints
        raise MeetingError(
            _("Table %(table)s is already taken at %(time)s.")
            % {"table": meeting.table.name, "time": when}
        ) from error


def accept(*, request: MeetingRequest, actor: User | None = None) -> Meeting:
    """A meeting at a free table, held for both people; or a clear refusal."""
    with transaction.atomic():
        event, request = lock_request(request)
        check_party(request, actor=actor, recipient_only=True)
        if request.status != Status.PENDING:
            raise MeetingError(
                _("This request is no longer waiting for an answer (%(status)s).")
                % {"status": request.get_status_display()}
            )
        if request.expires_at <= timezone.now():
            raise MeetingError(_("This request has expired."))
        settings = settings_of(event)
        for profile in (request.requester, request.recipient):
            check_block_limit(profile, request.block, settings)
        starts_at, ends_at = request.slot_start, request.slot_end
        when = show_day_time(starts_at, event)
        table = free_table(event, starts_at, ends_at)
        if table is None:
            raise MeetingError(
                _(
                    "No table is free at %(time)s: this request cannot be accepted "
                    "for that slot."
                )
                % {"time": when}
            )
        meeting = Meeting(
            request=request, table=table, starts_at=starts_at, ends_at=ends_at
        )
        _save_meeting(meeting, when)
        try:
            _hold_both(meeting, request, event)
        except CommitmentClash as clash:
            raise MeetingError(str(clash)) from clash
        request.status = Status.ACCEPTED
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answered_at"])
        record(MeetingFact.Verb.ACCEPTED, request, actor=actor, details=_facts(meeting))
    return meeting


def cancel_meeting(
    *, meeting: Meeting, reason: str = "", actor: User | None = None
) -> Meeting:
    """Either person (or an organiser) cancels; the slot is free for both again."""
    with transaction.atomic():
        _event, request = lock_request(meeting.request)
        check_party(request, actor=actor)
        meeting = lock_meeting(meeting)
        if meeting.status != Meeting.Status.ACTIVE:
            raise MeetingError(_("This meeting is already cancelled."))
        meeting.status = Meeting.Status.CANCELLED
        meeting.sequence += 1
        meeting.save(update_fields=["status", "sequence"])
        release(
            kind=Commitment.Kind.MEETING,
            source_uuid=meeting.uuid,
            sequence=meeting.sequence,
        )
        request.status = Status.CANCELLED
        request.reason = reason[:300]
        request.save(update_fields=["status", "reason"])
        record(
            MeetingFact.Verb.CANCELLED, request, actor=actor, details=_facts(meeting)
        )
    return meeting


def move_meeting(
    *,
    meeting: Meeting,
    table: Table | None = None,
    slot_start: datetime | None = None,
    actor: User | None = None,
) -> Meeting:
    """An organiser's move to another table or slot; SEQUENCE goes up, both told."""
    with transaction.atomic():
        event, request = lock_request(meeting.request)
        meeting = lock_meeting(meeting)
        if meeting.status != Meeting.Status.ACTIVE:
            raise MeetingError(_("A cancelled meeting cannot be moved."))
        block = request.block
        starts_at = slot_start or meeting.starts_at
        if starts_at not in block.slot_starts():
            raise MeetingError(_("That time is not a slot of the meeting block."))
        table = table or meeting.table
        if table.event_id != event.pk:
            raise MeetingError(_("That table belongs to another event."))
        if table.pk == meeting.table_id and starts_at == meeting.starts_at:
            raise MeetingError(_("The meeting is already at that table and time."))
        if starts_at != meeting.starts_at:
            _check_move_free(request, starts_at, event)
        before, before_start = _facts(meeting), meeting.starts_at
        meeting.table = table
        meeting.starts_at, meeting.ends_at = starts_at, starts_at + block.slot_length
        meeting.sequence += 1
        if starts_at != before_start:  # arrivals were at the old time
            meeting.requester_arrived_at = meeting.recipient_arrived_at = None
        _save_meeting(meeting, show_day_time(starts_at, event))
        try:
            _hold_both(meeting, request, event)
        except CommitmentClash as clash:
            raise MeetingError(str(clash)) from clash
        request.slot_start = starts_at
        request.save(update_fields=["slot_start"])
        record(
            MeetingFact.Verb.MOVED,
            request,
            actor=actor,
            details={"before": before, "after": _facts(meeting)},
        )
    return meeting


def _check_move_free(request: MeetingRequest, starts_at: datetime, event) -> None:
    """Neither person has another request or meeting at the new slot (seats and
    other meetings are the commitments' to refuse)."""
    others = MeetingRequest.objects.filter(
        status__in=MeetingRequest.HOLDING_STATUSES, slot_start=starts_at
    ).exclude(pk=request.pk)
    for profile in (request.requester, request.recipient):
        if others.filter(party(profile)).exists():
            raise MeetingError(
                _("%(name)s already has a meeting or request at %(time)s.")
                % {"name": name(profile), "time": show_day_time(starts_at, event)}
            )


def _facts(meeting: Meeting) -> dict:
    return {
        "meeting": str(meeting.uuid),
        "table": meeting.table.name,
        "starts_at": meeting.starts_at.isoformat(),
        "sequence": meeting.sequence,
    }
