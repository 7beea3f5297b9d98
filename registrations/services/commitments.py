"""Writing and checking commitments (see models.commitments).

Callers hold their own locks (the event's first) and call these inside their
transaction. `hold` checks for an overlap itself — the whole check on SQLite,
where the IMMEDIATE transaction serialises writers — and turns the PostgreSQL
exclusion constraint's refusal into the same CommitmentClash.
"""

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction

from accounts.models import User
from events.models import Event, ScheduleChange

from ..models import Commitment
from . import RegistrationError


class CommitmentClash(RegistrationError):
    """The person already holds something at that time."""

    def __init__(self, message: str, existing: Commitment | None = None):
        super().__init__(message)
        self.existing = existing


def clash(
    *,
    person: User,
    starts_at: datetime,
    ends_at: datetime,
    ignore_uuid: uuid.UUID | None = None,
) -> Commitment | None:
    """The person's active commitment overlapping that time, if any."""
    rows = Commitment.objects.active().overlapping(starts_at, ends_at)
    rows = rows.filter(person=person)
    if ignore_uuid is not None:
        rows = rows.exclude(source_uuid=ignore_uuid)
    return rows.first()


def hold(
    *,
    person: User,
    event: Event,
    starts_at: datetime,
    ends_at: datetime,
    kind: str,
    source_uuid: uuid.UUID,
    sequence: int = 0,
    message: str,
    title: str = "",
    location: str = "",
) -> Commitment:
    """An active commitment, or CommitmentClash(message) when it overlaps one.

    An active commitment of the same source is updated in place (a moved
    meeting keeps its row and carries the new sequence).
    """
    existing = clash(
        person=person, starts_at=starts_at, ends_at=ends_at, ignore_uuid=source_uuid
    )
    if existing is not None:
        raise CommitmentClash(message, existing)
    try:
        with transaction.atomic():  # a savepoint: the caller's work survives
            row, _created = Commitment.objects.update_or_create(
                person=person,
                kind=kind,
                source_uuid=source_uuid,
                status=Commitment.Status.ACTIVE,
                defaults={
                    "event": event,
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "sequence": sequence,
                    "title": title[:200],
                    "location": location[:200],
                },
            )
    except IntegrityError as error:  # the exclusion constraint, on PostgreSQL
        raise CommitmentClash(message) from error
    return row


def release(
    *, kind: str, source_uuid: uuid.UUID, person: User | None = None, sequence=None
) -> int:
    """Cancel the active commitments of a source (one person's, when given)."""
    rows = Commitment.objects.active().filter(kind=kind, source_uuid=source_uuid)
    if person is not None:
        rows = rows.filter(person=person)
    changes = {"status": Commitment.Status.CANCELLED}
    if sequence is not None:
        changes["sequence"] = sequence
    return rows.update(**changes)


def follow_schedule_changes(sender, *, changes, **kwargs) -> None:
    """Seat commitments follow their sessions' schedule edits, in the same
    transaction: a cancelled session's seats keep their rows (feeds show them
    cancelled) but hold no time any more; a moved session's seats hold the new
    time with the new sequence."""
    for change in changes:
        if not change.session_id:
            continue
        if change.kind == ScheduleChange.Kind.CANCELLED:
            release(
                kind=Commitment.Kind.SEAT,
                source_uuid=change.session.uuid,
                sequence=change.session.sequence,
            )
        elif change.kind == ScheduleChange.Kind.MOVED:
            follow_moved_session(change.session)


def follow_moved_session(session) -> int:
    """Move the session's active seat commitments to its new time.

    An organiser's move is not refused here (events decides the timetable): a
    person whose moved seat now overlaps a meeting keeps the meeting's hold, and
    the seat's commitment is released, so the clash shows on their schedule
    instead of failing the organiser's edit. Returns how many rows moved.
    """
    rows = Commitment.objects.active().filter(
        kind=Commitment.Kind.SEAT, source_uuid=session.uuid
    )
    moved = 0
    for row in rows.select_for_update(of=("self",)).select_related("person"):
        row.starts_at, row.ends_at = session.starts_at, session.ends_at
        row.sequence = session.sequence
        fields = ["starts_at", "ends_at", "sequence", "updated_at"]
        if clash(
            person=row.person,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            ignore_uuid=row.source_uuid,
        ):
            row.status = Commitment.Status.CANCELLED
            fields.append("status")
        row.save(update_fields=fields)
        moved += 1
    return moved
