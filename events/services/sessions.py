"""Writes to sessions: add, change, move (alone or several as one), cancel, restore."""

import copy

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..conflicts import check_session
from ..locks import lock_event, lock_rooms, lock_sessions
from ..models import Event, ScheduleChange, Session, Speaker
from .common import (
    CHECKED_FIELDS,
    SEQUENCED_FIELDS,
    SESSION_FIELDS,
    ScheduleError,
    StaleEdit,
    announce_changes,
    bump_schedule_version,
    changed_fields,
    display_value,
    raise_on_conflicts,
    record_change,
)

# The relations a session's edit compares and validates.
RELATED = ("room", "track")
# What the conflict checks read of the event: its days, its clocks and status.
EVENT_CHECKED = ("starts_at", "ends_at", "timezone", "status")


def create_session(
    *, event: Event, actor: User | None = None, speakers=(), **fields
) -> Session:
    """Add a session to the schedule; refuses conflicts."""
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        event = lock_event(event)
        session = Session(event=event, **fields)
        session.full_clean(exclude=["event", "speakers"])
        lock_rooms([session.room_id])
        speaker_ids = [s.pk for s in speakers]
        _check_speakers_belong(event, speaker_ids)
        raise_on_conflicts(check_session(session, speaker_ids=speaker_ids))
        now = timezone.now()
        session.changed_at = now
        session.save()
        session.speakers.set(speaker_ids)
        change = record_change(
            event, session, ScheduleChange.Kind.CREATED, {}, now, actor=actor
        )
        bump_schedule_version(event.pk, now=now)
        announce_changes(event, [change])
    return session


def _check_speakers_belong(event: Event, speaker_ids) -> None:
    if (
        speaker_ids
        and Speaker.objects.filter(pk__in=speaker_ids).exclude(event=event).exists()
    ):
        raise ScheduleError(_("Speakers must belong to the session's event."))


def _change_kind(changed: set[str], new_status) -> str:
    if "status" in changed:
        if new_status == Session.Status.CANCELLED:
            return ScheduleChange.Kind.CANCELLED
        return ScheduleChange.Kind.RESTORED
    if changed & {"starts_at", "ends_at", "room"}:
        return ScheduleChange.Kind.MOVED
    return ScheduleChange.Kind.CHANGED


def _first_placing(diff: dict) -> bool:
    """Whether the change gives a never-placed session its first time."""
    return "starts_at" in diff and diff["starts_at"][0] is None


def _apply(session: Session, fields: dict, speakers, now) -> dict | None:
    """Set the fields on `session` in memory; returns the displayable diff or None."""
    diff = changed_fields(session, fields)
    old_speakers = None
    if speakers is not None and session.pk:
        old_speakers = sorted(session.speakers.values_list("pk", flat=True))
        if old_speakers != sorted(s.pk for s in speakers):
            diff["speakers"] = (
                ", ".join(sorted(session.speakers.values_list("name", flat=True))),
                ", ".join(sorted(s.name for s in speakers)),
            )
    if not diff:
        return None
    for name, (_old, new) in diff.items():
        if name != "speakers":
            setattr(session, name, new)
    # A session placed for the first time enters the feeds new, at SEQUENCE 0.
    if set(diff) & SEQUENCED_FIELDS and not _first_placing(diff):
        session.sequence += 1
    session.edit_count += 1
    session.changed_at = now
    return {
        name: [display_value(old), display_value(new)]
        for name, (old, new) in diff.items()
    }


def update_session(
    *, session: Session, actor: User | None = None, speakers=None, **fields
) -> Session:
    """Change any of a session's fields; refuses conflicts. A no-op writes nothing."""
    return move_sessions(moves=[(session, fields, speakers)], actor=actor)[0]


def move_session(
    *,
    session: Session,
    starts_at=None,
    ends_at=None,
    room=...,
    actor: User | None = None,
) -> Session:
    """Move a session in time and/or to another room (room=None: no room)."""
    fields = {}
    if starts_at is not None:
        fields["starts_at"] = starts_at
    if ends_at is not None:
        fields["ends_at"] = ends_at
    if room is not ...:
        fields["room"] = room
    return update_session(session=session, actor=actor, **fields)


def cancel_session(*, session: Session, actor: User | None = None) -> Session:
    """Cancel a session: it stays in schedules and feeds as cancelled; seats stay."""
    return update_session(session=session, actor=actor, status=Session.Status.CANCELLED)


def restore_session(*, session: Session, actor: User | None = None) -> Session:
    """Put a cancelled session back; refused if its slot has been taken meanwhile."""
    return update_session(session=session, actor=actor, status=Session.Status.SCHEDULED)


def move_sessions(
    *,
    moves,
    actor: User | None = None,
    expected: dict[int, int] | None = None,
    allow: frozenset[str] = frozenset(),
    reason: str = "",
    undoes: ScheduleChange | None = None,
) -> list[Session]:
    """Apply several session changes as one, validated as a whole (e.g. a swap).

    `moves` is a list of (session, fields, speakers-or-None). All sessions must
    belong to one event. Either every change is made or none is. Conflicts are
    checked for the sessions whose time, room, speakers or status change (so a
    title fix never fails on an older clash); a cancelled session never conflicts.
    Field errors raise ValidationError, conflicts ScheduleError.

    `expected` maps session ids to the edit count the change started from: a
    session edited since raises StaleEdit and nothing is written. Conflicts of
    the kinds in `allow` (e.g. "speaker") are let through, with `reason` logged.
    """
    moves = [m if len(m) == 3 else (m[0], m[1], None) for m in moves]
    if not moves:
        return []
    event_ids = {session.event_id for session, _f, _s in moves}
    if len(event_ids) != 1:
        raise ScheduleError(_("Sessions moved together must belong to one event."))
    for _session, fields, _speakers in moves:
        unknown = set(fields) - SESSION_FIELDS
        if unknown:
            raise TypeError(f"unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        # The event's row locked, and what the checks read of it read afresh,
        # into a copy: the caller's event stays as they have it.
        event = lock_event(copy.copy(moves[0][0].event), *EVENT_CHECKED)
        now = timezone.now()
        # their room and track: compared and validated below without a query
        fresh = lock_sessions((s.pk for s, _f, _s in moves), related=RELATED)
        _refuse_stale(fresh, expected or {})
        lock_rooms(
            [s.room_id for s in fresh.values()]
            + [getattr(f.get("room"), "pk", None) for _s, f, _sp in moves]
        )
        pending, diffs = [], []
        for session, fields, speakers in moves:
            current = fresh.get(session.pk)
            if current is None or current.event_id != event.pk:
                raise ScheduleError(_("This session no longer exists."))
            current.event = event
            diff = _apply(current, fields, speakers, now)
            # The uuid never changes, and clean() and the fields' validators say
            # what the table's check constraints would: no query for either;
            # a room or track left as it was needs no look-up either.
            current.full_clean(
                exclude=["event", "speakers", *(set(RELATED) - set(diff or ()))],
                validate_unique=False,
                validate_constraints=False,
            )
            if speakers is not None:
                _check_speakers_belong(event, [s.pk for s in speakers])
                current._pending_speaker_ids = [s.pk for s in speakers]
            else:
                current._pending_speaker_ids = list(
                    current.speakers.values_list("pk", flat=True)
                )
            pending.append(current)
            diffs.append((current, diff, speakers))
        moved_ids = {s.pk for s in pending}
        conflicts = []
        for current, diff, _speakers in diffs:
            if not (diff and set(diff) & CHECKED_FIELDS):
                continue
            conflicts += check_session(
                current,
                speaker_ids=current._pending_speaker_ids,
                exclude_ids=moved_ids,
                pending=pending,
            )
        raise_on_conflicts(
            [c for c in _unique_conflicts(conflicts) if c.kind not in allow]
        )
        changes = []
        for current, diff, speakers in diffs:
            if diff is None:
                continue
            current.save()
            if speakers is not None:
                current.speakers.set(speakers)
            kind = _change_kind(set(diff), current.status)
            if _first_placing(diff):  # published now: new, not moved
                kind = ScheduleChange.Kind.CREATED
            change = record_change(event, current, kind, diff, now, actor=actor)
            if reason or undoes:
                change.reason, change.undoes = reason[:500], undoes
                change.save(update_fields=["reason", "undoes"])
            changes.append(change)
        if changes:
            bump_schedule_version(event.pk, now=now)
            announce_changes(event, changes)
        # Hand back the callers' own objects, refreshed.
        result = []
        for session, _f, _s in moves:
            session.refresh_from_db()
            result.append(session)
        return result


def _refuse_stale(fresh: dict, expected: dict[int, int]) -> None:
    for pk, count in expected.items():
        current = fresh.get(pk)
        if current is None or current.edit_count == count:
            continue
        last = (
            ScheduleChange.objects.filter(session_id=pk)
            .select_related("actor")
            .order_by("-created_at", "-pk")
            .first()
        )
        raise StaleEdit(current, last)


def _unique_conflicts(conflicts):
    seen, unique = set(), []
    for conflict in conflicts:
        key = (conflict.kind, frozenset(conflict.session_ids))
        if key not in seen:
            seen.add(key)
            unique.append(conflict)
    return unique
