"""Schedule conflicts: room and speaker double-bookings, sessions off the event's days.

The admin, the services and the tests all ask the same questions here. Rules:
- a room holds one scheduled session at a time, across events (rooms belong to
  venues, and two events may share a venue);
- a speaker speaks in one scheduled session at a time;
- a session lies within the event's days (local dates in the event's time zone, so
  a dinner on the evening of the last day is fine);
- cancelled sessions, and sessions of cancelled events, never conflict;
- touching slots (one ends when the next starts) do not overlap.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Event, Session
from .times import show_day_time


@dataclass(frozen=True)
class Conflict:
    kind: str  # "room", "speaker" or "outside_event"
    message: str
    session_ids: tuple = field(default=())


def event_bounds(event: Event) -> tuple[datetime, datetime]:
    """From local midnight of the event's first day to that after its last day."""
    days = event.local_days()
    start = datetime.combine(days[0], time(), tzinfo=event.tzinfo)
    end = datetime.combine(days[-1] + timedelta(days=1), time(), tzinfo=event.tzinfo)
    return start, end


def check_outside_event(session: Session, event: Event) -> list[Conflict]:
    start, end = event_bounds(event)
    if session.starts_at < start or session.ends_at > end:
        return [
            Conflict(
                "outside_event",
                _("“%(title)s” (%(start)s–%(end)s) is outside the event's days.")
                % {
                    "title": session.title,
                    "start": show_day_time(session.starts_at, event),
                    "end": show_day_time(session.ends_at, event),
                },
                (session.pk,),
            )
        ]
    return []


def _live_sessions():
    """Sessions that occupy rooms and speakers."""
    return Session.objects.filter(status=Session.Status.SCHEDULED).exclude(
        event__status=Event.Status.CANCELLED
    )


def check_session(
    session: Session,
    *,
    speaker_ids: list[int] | None = None,
    exclude_ids: set[int] = frozenset(),
    pending: list[Session] = (),
) -> list[Conflict]:
    """Conflicts `session` (saved or not) would have with the stored schedule.

    `exclude_ids` are sessions whose stored rows do not count (they are being moved
    too); `pending` are their new versions, checked against instead (each with a
    `_pending_speaker_ids` list). Cancelled sessions never conflict.
    """
    if session.status == Session.Status.CANCELLED or session.starts_at is None:
        return []  # a session without a time (in the tray) occupies nothing
    event = session.event
    conflicts = check_outside_event(session, event)
    if speaker_ids is None:
        speaker_ids = (
            list(session.speakers.values_list("pk", flat=True)) if session.pk else []
        )
    excluded = set(exclude_ids) | ({session.pk} if session.pk else set())
    overlapping = _live_sessions().filter(
        starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
    )
    if _stored_clash(overlapping, session.room_id, speaker_ids, excluded):
        conflicts += _stored_conflicts(
            session, overlapping, speaker_ids, excluded, event
        )
    for other in pending:
        if other is session or other.status == Session.Status.CANCELLED:
            continue
        if not session.overlaps(other):
            continue
        if session.room_id and other.room_id == session.room_id:
            conflicts.append(_room_conflict(session, other, event))
        shared = set(speaker_ids) & set(getattr(other, "_pending_speaker_ids", ()))
        if shared:
            names = sorted(
                event.speakers.filter(pk__in=shared).values_list("name", flat=True)
            )
            conflicts.append(_speaker_conflict(session, other, names, event))
    return conflicts


def _stored_clash(overlapping, room_id, speaker_ids, excluded) -> bool:
    """Whether any stored session overlapping the time takes the room or one of
    the speakers: one narrow query, so that an allowed place (the usual answer
    while a block is dragged) loads no sessions."""
    if not room_id and not speaker_ids:
        return False
    takes = Q(room_id=room_id) if room_id else Q()
    if speaker_ids:
        speaking = Q(
            pk__in=Session.speakers.through.objects.filter(
                speaker_id__in=speaker_ids
            ).values("session_id")
        )
        takes = (takes | speaking) if room_id else speaking
    return overlapping.filter(takes).exclude(pk__in=excluded).order_by().exists()


def _stored_conflicts(session, overlapping, speaker_ids, excluded, event):
    conflicts = []
    if session.room_id:
        for other in (
            overlapping.filter(room_id=session.room_id)
            .exclude(pk__in=excluded)
            .select_related("room", "event")
        ):
            conflicts.append(_room_conflict(session, other, event))
    if speaker_ids:
        busy = (
            overlapping.filter(speakers__in=speaker_ids)
            .exclude(pk__in=excluded)
            .distinct()
            .prefetch_related("speakers")
        )
        for other in busy:
            names = sorted(s.name for s in other.speakers.all() if s.pk in speaker_ids)
            conflicts.append(_speaker_conflict(session, other, names, event))
    return conflicts


def _room_conflict(session, other, event) -> Conflict:
    if other.event_id != event.pk:
        message = _(
            "%(room)s is already booked for “%(other)s” of %(event)s at %(time)s."
        )
    else:
        message = _("%(room)s is already booked for “%(other)s” at %(time)s.")
    return Conflict(
        "room",
        message
        % {
            "room": other.room.name if other.room_id else "",
            "other": other.title,
            "event": other.event.title,
            "time": show_day_time(other.starts_at, event),
        },
        (session.pk, other.pk),
    )


def _speaker_conflict(session, other, names, event) -> Conflict:
    return Conflict(
        "speaker",
        _("%(names)s also speak(s) in “%(other)s” at %(time)s.")
        % {
            "names": ", ".join(names),
            "other": other.title,
            "time": show_day_time(other.starts_at, event),
        },
        (session.pk, other.pk),
    )


def find_conflicts(
    event: Event,
    *,
    within: tuple[datetime, datetime] | None = None,
    sessions: list[Session] | None = None,
    speakers: dict[int, dict[int, str]] | None = None,
) -> list[Conflict]:
    """Every conflict in an event's stored schedule, each pair reported once.

    Two queries (plus one for speakers): the event's scheduled sessions, and other
    events' sessions in the same rooms at overlapping times. `within` (start, end)
    limits it to the sessions overlapping that window, e.g. one day. A caller
    that has loaded them already passes `sessions` (the scheduled ones, with
    their rooms) and `speakers` (session id -> {speaker id: name}).
    """
    if event.status == Event.Status.CANCELLED:
        return []
    if sessions is None:
        scheduled = event.sessions.filter(
            status=Session.Status.SCHEDULED, starts_at__isnull=False
        )
        if within is not None:
            scheduled = scheduled.filter(starts_at__lt=within[1], ends_at__gt=within[0])
        sessions = list(
            scheduled.select_related("room", "event")
            .prefetch_related("speakers")
            .order_by("starts_at", "pk")
        )
    else:
        sessions = sorted(sessions, key=lambda s: (s.starts_at, s.pk))
    conflicts: list[Conflict] = []
    start, end = event_bounds(event)
    for session in sessions:
        if session.starts_at < start or session.ends_at > end:
            conflicts += check_outside_event(session, event)
    if speakers is None:
        speakers = {s.pk: {sp.pk: sp.name for sp in s.speakers.all()} for s in sessions}
    # plain tuples: the loop below meets each overlapping pair once
    rows = [(s.starts_at, s.ends_at, s.room_id, speakers[s.pk], s) for s in sessions]
    for i, (_start, a_ends, a_room, a_speakers, a) in enumerate(rows):
        for b_starts, _end, b_room, b_speakers, b in rows[i + 1 :]:
            if b_starts >= a_ends:
                break  # sorted by start: nothing later overlaps a
            if a_room and a_room == b_room:
                conflicts.append(_room_conflict(a, b, event))
            if a_speakers and b_speakers:
                shared = sorted(a_speakers[pk] for pk in b_speakers if pk in a_speakers)
                if shared:
                    conflicts.append(_speaker_conflict(a, b, shared, event))
    conflicts += _foreign_room_conflicts(event, sessions)
    return conflicts


def _foreign_room_conflicts(event: Event, sessions: list[Session]) -> list[Conflict]:
    by_room: dict[int, list[Session]] = {}
    for session in sessions:
        if session.room_id:
            by_room.setdefault(session.room_id, []).append(session)
    if not by_room:
        return []
    first = min(s.starts_at for s in sessions)
    last = max(s.ends_at for s in sessions)
    others = (
        _live_sessions()
        .filter(room_id__in=by_room, starts_at__lt=last, ends_at__gt=first)
        .exclude(event=event)
        .select_related("room", "event")
    )
    conflicts = []
    for other in others:
        for session in by_room[other.room_id]:
            if session.overlaps(other):
                conflicts.append(_room_conflict(session, other, event))
    return conflicts


def conflicting_session_ids(event: Event) -> set[int]:
    """The ids of the sessions involved in the event's conflicts (others' too)."""
    return {
        pk for conflict in find_conflicts(event) for pk in conflict.session_ids if pk
    }
