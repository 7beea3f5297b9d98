"""Writing and checking commitments (see models.commitments).

Callers hold their own locks (the event's first) and call these inside their
transaction. `hold` checks for an overlap itself — the whole check on SQLite,
where the IMMEDIATE transaction serialises writers — and turns the PostgreSQL
exclusion constraint's refusal into the same CommitmentClash.
"""

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import User
from events.models import Event, ScheduleChange

from ..models import Commitment, Registration, SessionSeat
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
    """The person's active exclusive commitment overlapping that time, if any
    (a network meeting refuses nothing: it is only flagged)."""
    rows = Commitment.objects.active().overlapping(starts_at, ends_at)
    rows = rows.filter(kind__in=Commitment.EXCLUSIVE_KINDS)
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
    held = {
        "event": event,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "sequence": sequence,
        "title": title[:200],
        "location": location[:200],
    }
    same_source = Commitment.objects.active().filter(
        person=person, kind=kind, source_uuid=source_uuid
    )
    try:
        with transaction.atomic():  # a savepoint: the caller's work survives
            # The caller's locks serialise writers of this source: an UPDATE, and
            # an INSERT when it found no row (the usual case, a new hold).
            if same_source.update(**held, updated_at=timezone.now()):
                return same_source.get()
            return Commitment.objects.create(
                person=person,
                kind=kind,
                source_uuid=source_uuid,
                status=Commitment.Status.ACTIVE,
                **held,
            )
    except IntegrityError as error:  # the exclusion constraint, on PostgreSQL
        raise CommitmentClash(message) from error


def hold_alongside(
    *,
    person: User,
    event: Event,
    starts_at: datetime,
    ends_at: datetime,
    kind: str,
    source_uuid: uuid.UUID,
    sequence: int = 0,
    title: str = "",
    location: str = "",
) -> Commitment:
    """An active commitment of a non-exclusive kind (a network meeting), written
    whatever else the person holds then: it shows in their agenda, and an
    overlap is flagged to them and to the organisers, never refused."""
    if kind in Commitment.EXCLUSIVE_KINDS:
        raise ValueError(f"{kind} commitments go through hold()")
    # One row per person and source: a cancelled one comes back to life, so
    # the feed never shows the same UID twice (struck and live).
    rows = Commitment.objects.filter(person=person, kind=kind, source_uuid=source_uuid)
    row = (
        rows.filter(status=Commitment.Status.ACTIVE).first()
        or rows.order_by("-pk").first()
        or Commitment(person=person, kind=kind, source_uuid=source_uuid)
    )
    shown = (Commitment.Status.ACTIVE, starts_at, ends_at, title[:200], location[:200])
    if row.pk is not None and shown != (
        row.status,
        row.starts_at,
        row.ends_at,
        row.title,
        row.location,
    ):
        # The person's own entry changed (their answer, or the time): calendar
        # apps take a change only with a higher SEQUENCE than they have seen.
        sequence = max(sequence, row.sequence + 1)
    elif row.pk is not None:
        sequence = max(sequence, row.sequence)
    row.status, row.event = Commitment.Status.ACTIVE, event
    row.starts_at, row.ends_at, row.sequence = starts_at, ends_at, sequence
    row.title, row.location = title[:200], location[:200]
    row.save()
    return row


def move_alongside(
    *,
    kind: str,
    source_uuid: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime,
    sequence: int,
    title: str = "",
    location: str = "",
) -> set[int]:
    """Every active commitment of a non-exclusive source (a network meeting)
    to its new time and place, in a few statements whatever their number; an
    entry that changes gets a SEQUENCE above both `sequence` and its own, as
    `hold_alongside` gives it. Returns the people who hold one."""
    if kind in Commitment.EXCLUSIVE_KINDS:
        raise ValueError(f"{kind} commitments follow their source one by one")
    rows = Commitment.objects.active().filter(kind=kind, source_uuid=source_uuid)
    shown = {"starts_at": starts_at, "ends_at": ends_at,
             "title": title[:200], "location": location[:200]}  # fmt: skip
    rows.exclude(**shown).update(
        **shown, sequence=Greatest(Value(sequence), F("sequence") + 1)
    )
    rows.filter(sequence__lt=sequence).update(sequence=sequence)
    return set(rows.values_list("person_id", flat=True))


def release(
    *, kind: str, source_uuid: uuid.UUID, person: User | None = None, sequence=None
) -> int:
    """Cancel the active commitments of a source (one person's, when given)."""
    rows = Commitment.objects.active().filter(kind=kind, source_uuid=source_uuid)
    if person is not None:
        rows = rows.filter(person=person)
    changes: dict[str, object] = {"status": Commitment.Status.CANCELLED}
    if sequence is not None:
        changes["sequence"] = sequence
    return rows.update(**changes)


def release_raising(
    *, kind: str, source_uuid: uuid.UUID, sequence: int, person: User | None = None
) -> int:
    """Cancel as `release` does, each row's SEQUENCE above both `sequence` and
    its own: for entries whose sequence a person's own changes have raised."""
    return release(
        kind=kind,
        source_uuid=source_uuid,
        person=person,
        sequence=Greatest(Value(sequence), F("sequence") + 1),
    )


def follow_schedule_changes(sender, *, changes, **kwargs) -> None:
    """Seat commitments follow their sessions' schedule edits, in the same
    transaction: a cancelled session's seats keep their rows (feeds show them
    cancelled) but hold no time any more; a moved or restored session's seats
    hold its time, with its new sequence."""
    for change in changes:
        if not change.session_id:
            continue
        if change.kind == ScheduleChange.Kind.CANCELLED:
            release(
                kind=Commitment.Kind.SEAT,
                source_uuid=change.session.uuid,
                sequence=change.session.sequence,
            )
        elif change.kind in (ScheduleChange.Kind.MOVED, ScheduleChange.Kind.RESTORED):
            follow_session(change.session)


def follow_session(session) -> int:
    """Hold the session's time for each confirmed seat; return how many hold it.

    An organiser's edit is not refused here (events decides the timetable): a
    person whose seat now overlaps one of their meetings keeps the meeting's
    hold and the seat holds no time (the clash shows on their schedule) until a
    later move frees it again.

    A few queries whatever the number of seats: who holds one, who is busy at
    the new time, then one update and one insert. Should another transaction
    take a holder's time between the check and the write (the exclusion
    constraint says so), the seats are gone through one by one instead.
    """
    seats = SessionSeat.objects.filter(
        session=session,
        status=SessionSeat.Status.CONFIRMED,
        registration__status=Registration.Status.CONFIRMED,
    )
    holders = dict(
        seats.values_list("registration__attendee_id", "registration__event_id")
    )
    if not holders:
        return 0
    busy = set(
        Commitment.objects.active()
        .overlapping(session.starts_at, session.ends_at)
        .filter(person_id__in=holders)
        .exclude(source_uuid=session.uuid)
        .values_list("person_id", flat=True)
    )
    free = {person: event for person, event in holders.items() if person not in busy}
    if busy:
        _release_seats(session, busy)
    try:
        with transaction.atomic():  # a savepoint: the caller's work survives
            _hold_seats(session, free)
    except IntegrityError:  # the exclusion constraint, on PostgreSQL
        return _follow_one_by_one(session, free)
    return len(free)


def _seat_rows(session, people):
    return Commitment.objects.active().filter(
        kind=Commitment.Kind.SEAT, source_uuid=session.uuid, person_id__in=people
    )


def _release_seats(session, people) -> None:
    _seat_rows(session, people).update(
        status=Commitment.Status.CANCELLED,
        sequence=session.sequence,
        updated_at=timezone.now(),
    )


def _hold_seats(session, free: dict) -> None:
    """Move the free holders' seat commitments to the session's time, adding
    those that are missing (person id -> the registration's event id)."""
    if not free:
        return
    held = set(_seat_rows(session, free).values_list("person_id", flat=True))
    by_event: dict[int, list[int]] = {}
    for person, event_id in free.items():
        if person in held:
            by_event.setdefault(event_id, []).append(person)
    for event_id, people in by_event.items():
        _seat_rows(session, people).update(
            event_id=event_id,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            sequence=session.sequence,
            title="",
            location="",
            updated_at=timezone.now(),
        )
    Commitment.objects.bulk_create(
        Commitment(
            person_id=person,
            event_id=event_id,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            kind=Commitment.Kind.SEAT,
            source_uuid=session.uuid,
            sequence=session.sequence,
        )
        for person, event_id in free.items()
        if person not in held
    )


def _follow_one_by_one(session, free: dict) -> int:
    held = 0
    for person_id, event_id in free.items():
        try:
            hold(
                person=User(pk=person_id),
                event=Event(pk=event_id),
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                kind=Commitment.Kind.SEAT,
                source_uuid=session.uuid,
                sequence=session.sequence,
                message="",
            )
            held += 1
        except CommitmentClash:
            _release_seats(session, [person_id])
    return held
