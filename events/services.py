"""Organiser-side writes to events and their schedules.

Every function owns its transaction, refuses conflicts with a ScheduleError whose
message is safe to show, raises `sequence` on every change of time, place or
status, writes a ScheduleChange in the same transaction, bumps the event's
schedule version (the feeds' ETag) and then sends `schedule_changed` explicitly.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .conflicts import check_outside_event, check_session
from .models import (
    Event,
    EventOrganiser,
    Room,
    ScheduleChange,
    Session,
    Speaker,
    Track,
    Venue,
)
from .signals import schedule_changed


class ScheduleError(Exception):
    """A schedule change was refused; the message is safe to show to an organiser."""

    def __init__(self, message: str, conflicts=()):
        super().__init__(message)
        self.conflicts = list(conflicts)


# Fields whose change is a change of time, place or status: they raise `sequence`.
SEQUENCED_FIELDS = {"starts_at", "ends_at", "room", "status"}
SESSION_FIELDS = {
    "title", "abstract", "kind", "track", "room", "starts_at", "ends_at",
    "capacity", "signup_required", "status",
}  # fmt: skip
# A change of these needs a fresh conflict check (a title change does not).
CHECKED_FIELDS = {"starts_at", "ends_at", "room", "status", "speakers"}
EVENT_SEQUENCED_FIELDS = {"starts_at", "ends_at", "venue", "status", "timezone"}
# What schedule pages and feeds show of the event itself: a change of any of these
# is logged and bumps the schedule version. Settings such as reminders are not.
EVENT_SHOWN_FIELDS = EVENT_SEQUENCED_FIELDS | {
    "title", "summary", "description", "slug", "visibility", "website",
    "contact_email",
}  # fmt: skip


def _display(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.UTC).isoformat()
    return str(value)


def session_snapshot(session: Session) -> dict:
    """What a message about this session needs, frozen at the time of the change."""
    return {
        "uuid": str(session.uuid),
        "title": session.title,
        "starts_at": _display(session.starts_at),
        "ends_at": _display(session.ends_at),
        "room": session.room.name if session.room_id else None,
        "status": session.status,
        "sequence": session.sequence,
    }


def bump_schedule_version(*event_ids: int, now=None) -> None:
    """Mark the schedules of these events as changed (feeds re-validate)."""
    if event_ids:
        Event.objects.filter(pk__in=set(event_ids)).update(
            schedule_version=F("schedule_version") + 1,
            schedule_changed_at=now or timezone.now(),
        )


def _lock_event(event: Event) -> Event:
    # Schedule edits of one event queue here, so two organisers moving sessions
    # into the same slot cannot both pass the conflict check.
    return Event.objects.select_for_update().get(pk=event.pk)


def _lock_rooms(room_ids) -> None:
    # Rooms are shared between events: edits of two events booking the same room
    # queue on the room row (taken after the event, in pk order, to avoid deadlocks).
    ids = sorted({pk for pk in room_ids if pk})
    if ids:
        list(Room.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _raise_on_conflicts(conflicts) -> None:
    if conflicts:
        raise ScheduleError(" ".join(c.message for c in conflicts), conflicts)


def _record(event, session, kind, changes, actor, now) -> ScheduleChange:
    return ScheduleChange.objects.create(
        event=event,
        session=session,
        kind=kind,
        changes=changes,
        snapshot=session_snapshot(session) if session else {"title": event.title},
        actor=actor if getattr(actor, "pk", None) else None,
        created_at=now,
    )


def _announce(event: Event, changes: list[ScheduleChange]) -> None:
    if changes:
        schedule_changed.send(sender=ScheduleChange, event=event, changes=changes)


def create_session(*, event: Event, actor=None, speakers=(), **fields) -> Session:
    """Add a session to the schedule; refuses conflicts."""
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        event = _lock_event(event)
        session = Session(event=event, **fields)
        session.full_clean(exclude=["event", "speakers"])
        _lock_rooms([session.room_id])
        speaker_ids = [s.pk for s in speakers]
        _check_speakers_belong(event, speaker_ids)
        _raise_on_conflicts(check_session(session, speaker_ids=speaker_ids))
        now = timezone.now()
        session.changed_at = now
        session.save()
        session.speakers.set(speaker_ids)
        change = _record(event, session, ScheduleChange.Kind.CREATED, {}, actor, now)
        bump_schedule_version(event.pk, now=now)
        _announce(event, [change])
    return session


def _check_speakers_belong(event: Event, speaker_ids) -> None:
    if (
        speaker_ids
        and Speaker.objects.filter(pk__in=speaker_ids).exclude(event=event).exists()
    ):
        raise ScheduleError(_("Speakers must belong to the session's event."))


def _diff(session: Session, fields: dict) -> dict:
    changes = {}
    for name, new in fields.items():
        old = getattr(session, name)
        if old != new:
            changes[name] = (old, new)
    return changes


def _change_kind(changed: set[str], new_status) -> str:
    if "status" in changed:
        if new_status == Session.Status.CANCELLED:
            return ScheduleChange.Kind.CANCELLED
        return ScheduleChange.Kind.RESTORED
    if changed & {"starts_at", "ends_at", "room"}:
        return ScheduleChange.Kind.MOVED
    return ScheduleChange.Kind.CHANGED


def _apply(session: Session, fields: dict, speakers, now) -> dict | None:
    """Set the fields on `session` in memory; returns the displayable diff or None."""
    diff = _diff(session, fields)
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
    if set(diff) & SEQUENCED_FIELDS:
        session.sequence += 1
    session.changed_at = now
    return {name: [_display(old), _display(new)] for name, (old, new) in diff.items()}


def update_session(*, session: Session, actor=None, speakers=None, **fields) -> Session:
    """Change any of a session's fields; refuses conflicts. A no-op writes nothing."""
    return move_sessions(moves=[(session, fields, speakers)], actor=actor)[0]


def move_session(
    *, session: Session, starts_at=None, ends_at=None, room=..., actor=None
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


def cancel_session(*, session: Session, actor=None) -> Session:
    """Cancel a session: it stays in schedules and feeds as cancelled; seats stay."""
    return update_session(session=session, actor=actor, status=Session.Status.CANCELLED)


def restore_session(*, session: Session, actor=None) -> Session:
    """Put a cancelled session back; refused if its slot has been taken meanwhile."""
    return update_session(session=session, actor=actor, status=Session.Status.SCHEDULED)


def move_sessions(*, moves, actor=None) -> list[Session]:
    """Apply several session changes as one, validated as a whole (e.g. a swap).

    `moves` is a list of (session, fields, speakers-or-None). All sessions must
    belong to one event. Either every change is made or none is. Conflicts are
    checked for the sessions whose time, room, speakers or status change (so a
    title fix never fails on an older clash); a cancelled session never conflicts.
    Field errors raise ValidationError, conflicts ScheduleError.
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
        event = _lock_event(moves[0][0].event)
        now = timezone.now()
        # order_by(): the default ordering joins rooms, which FOR UPDATE refuses.
        fresh = (
            Session.objects.select_for_update()
            .order_by("pk")
            .in_bulk([s.pk for s, _f, _s in moves])
        )
        _lock_rooms(
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
            current.full_clean(exclude=["event", "speakers"])
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
        _raise_on_conflicts(_unique_conflicts(conflicts))
        changes = []
        for current, diff, speakers in diffs:
            if diff is None:
                continue
            current.save()
            if speakers is not None:
                current.speakers.set(speakers)
            kind = _change_kind(set(diff), current.status)
            changes.append(_record(event, current, kind, diff, actor, now))
        if changes:
            bump_schedule_version(event.pk, now=now)
            _announce(event, changes)
        # Hand back the callers' own objects, refreshed.
        result = []
        for session, _f, _s in moves:
            session.refresh_from_db()
            result.append(session)
        return result


def _unique_conflicts(conflicts):
    seen, unique = set(), []
    for conflict in conflicts:
        key = (conflict.kind, frozenset(conflict.session_ids))
        if key not in seen:
            seen.add(key)
            unique.append(conflict)
    return unique


# --- the event itself ---------------------------------------------------------------

EVENT_FIELDS = {
    f.name
    for f in Event._meta.get_fields()
    if getattr(f, "editable", False) and f.concrete
} - {"id"}


def create_event(*, actor=None, organisers=(), **fields) -> Event:
    """Create an event; `organisers` (default: the `actor`) become its owners."""
    with transaction.atomic():
        event = Event(**fields)
        event.full_clean()
        event.save()
        owners = list(organisers) or ([actor] if getattr(actor, "pk", None) else [])
        for user in owners:
            EventOrganiser.objects.get_or_create(
                event=event, user=user, defaults={"role": EventOrganiser.Role.OWNER}
            )
    return event


def update_event(*, event: Event, actor=None, **fields) -> Event:
    """Change an event's fields. The slug is fixed once the event has been published.

    A change of time, venue, status or time zone raises the event's `sequence`; a
    change of anything schedules and feeds show (EVENT_SHOWN_FIELDS) is logged and
    bumps the schedule version. New dates that would leave scheduled sessions
    outside the event's days are refused. A no-op writes nothing.
    """
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    with transaction.atomic():
        current = _lock_event(event)
        if (
            "slug" in fields
            and fields["slug"] != current.slug
            and current.status != Event.Status.DRAFT
        ):
            raise ScheduleError(_("The address of a published event cannot change."))
        diff = _diff(current, fields)
        if not diff:
            event.refresh_from_db()
            return event
        for name, (_old, new) in diff.items():
            setattr(current, name, new)
        current.__dict__.pop("tzinfo", None)  # the cached_property of the old zone
        current.full_clean()
        if set(diff) & {"starts_at", "ends_at", "timezone"}:
            _refuse_sessions_outside(current)
        now = timezone.now()
        if set(diff) & EVENT_SEQUENCED_FIELDS:
            current.sequence += 1
        current.changed_at = now
        current.save()
        shown = {
            name: pair for name, pair in diff.items() if name in EVENT_SHOWN_FIELDS
        }
        if shown:
            kind = (
                ScheduleChange.Kind.EVENT_CANCELLED
                if shown.get("status", (None, None))[1] == Event.Status.CANCELLED
                else ScheduleChange.Kind.EVENT_CHANGED
            )
            change = _record(
                current,
                None,
                kind,
                {name: [_display(o), _display(n)] for name, (o, n) in shown.items()},
                actor,
                now,
            )
            bump_schedule_version(current.pk, now=now)
            _announce(current, [change])
    event.refresh_from_db()
    event.__dict__.pop("tzinfo", None)
    return event


def _refuse_sessions_outside(event: Event) -> None:
    outside = []
    for session in event.sessions.filter(status=Session.Status.SCHEDULED):
        outside += check_outside_event(session, event)
    if outside:
        raise ScheduleError(
            _("Move or cancel these sessions first: %(list)s")
            % {"list": " ".join(c.message for c in outside)},
            outside,
        )


def publish_event(*, event: Event, actor=None) -> Event:
    return update_event(event=event, actor=actor, status=Event.Status.PUBLISHED)


def cancel_event(*, event: Event, actor=None) -> Event:
    """Cancel the whole event: it stays visible, and in feeds, as cancelled."""
    return update_event(event=event, actor=actor, status=Event.Status.CANCELLED)


# --- things sessions show: rooms, venues, tracks, speakers ----------------------------


def _save_and_bump(obj, affected_event_ids, fields: dict) -> None:
    """Save a thing sessions show; the schedules and entries that show it change."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    with transaction.atomic():
        now = timezone.now()
        obj.save()
        _touch(obj, affected_event_ids(obj), now)


def _touch(obj, event_ids, now) -> None:
    ids = list(event_ids)
    bump_schedule_version(*ids, now=now)
    # Entries that show this thing changed: their DTSTAMP/LAST-MODIFIED follow.
    Session.objects.filter(event_id__in=ids).filter(_session_filter(obj)).update(
        changed_at=now
    )


def _session_filter(obj) -> Q:
    if isinstance(obj, Room):
        return Q(room=obj)
    if isinstance(obj, Venue):
        return Q(event__venue=obj) | Q(room__venue=obj)
    if isinstance(obj, Track):
        return Q(track=obj)
    if isinstance(obj, Speaker):
        return Q(pk__in=obj.sessions.values("pk"))
    raise TypeError(obj)


def _events_of_room(room: Room):
    return Session.objects.filter(room=room).values_list("event_id", flat=True)


def _events_of_venue(venue: Venue):
    return set(Event.objects.filter(venue=venue).values_list("pk", flat=True)) | set(
        Session.objects.filter(room__venue=venue).values_list("event_id", flat=True)
    )


def save_room(*, room: Room, **fields) -> Room:
    """Create or change a room; schedules that show it re-validate."""
    _save_and_bump(room, _events_of_room, fields)
    return room


def save_venue(*, venue: Venue, **fields) -> Venue:
    """Create or change a venue; events held there or in its rooms re-validate."""
    _save_and_bump(venue, _events_of_venue, fields)
    return venue


def save_track(*, track: Track, **fields) -> Track:
    _save_and_bump(track, lambda t: [t.event_id], fields)
    return track


def save_speaker(*, speaker: Speaker, **fields) -> Speaker:
    _save_and_bump(speaker, lambda s: [s.event_id], fields)
    return speaker


def delete_track(*, track: Track) -> None:
    """Delete a track; its sessions stay, without a track."""
    with transaction.atomic():
        _touch(track, [track.event_id], timezone.now())
        track.delete()


def delete_speaker(*, speaker: Speaker) -> None:
    """Delete a speaker; their sessions stay, without them."""
    with transaction.atomic():
        _touch(speaker, [speaker.event_id], timezone.now())
        speaker.delete()
