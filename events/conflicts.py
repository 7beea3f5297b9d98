"""Schedule conflicts: room and speaker double-bookings, sessions off the event's days.

Pure over session-like objects plus one query helper, so the admin, the services
and the tests all ask the same questions.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Event, Session


@dataclass(frozen=True)
class Conflict:
    kind: str  # "room", "speaker" or "outside_event"
    message: str
    session_ids: tuple = field(default=())


def _local(dt, event: Event) -> str:
    return dt.astimezone(event.tzinfo).strftime("%a %d %b %H:%M")


def check_outside_event(session: Session, event: Event) -> list[Conflict]:
    if session.starts_at < event.starts_at or session.ends_at > event.ends_at:
        return [
            Conflict(
                "outside_event",
                _("“%(title)s” (%(start)s–%(end)s) is outside the event's days.")
                % {
                    "title": session.title,
                    "start": _local(session.starts_at, event),
                    "end": _local(session.ends_at, event),
                },
                (session.pk,),
            )
        ]
    return []


def check_session(
    session: Session,
    *,
    speaker_ids: list[int] | None = None,
    exclude_ids: set[int] = frozenset(),
    pending: list[Session] = (),
) -> list[Conflict]:
    """Conflicts `session` (saved or not) would have with the stored schedule.

    `exclude_ids` are sessions whose stored rows do not count (they are being moved
    too); `pending` are their new versions, checked against instead. Cancelled
    sessions never conflict.
    """
    event = session.event
    conflicts = check_outside_event(session, event)
    if session.status == Session.Status.CANCELLED:
        return conflicts
    if speaker_ids is None:
        speaker_ids = (
            list(session.speakers.values_list("pk", flat=True)) if session.pk else []
        )
    excluded = set(exclude_ids) | ({session.pk} if session.pk else set())
    overlapping = (
        Session.objects.filter(
            status=Session.Status.SCHEDULED,
            starts_at__lt=session.ends_at,
            ends_at__gt=session.starts_at,
        )
        .exclude(pk__in=excluded)
        .filter(Q(room_id=session.room_id) if session.room_id else Q(pk__in=[]))
        .select_related("room")
    )
    for other in overlapping:
        conflicts.append(_room_conflict(session, other, event))
    for other in pending:
        if other is session or other.status == Session.Status.CANCELLED:
            continue
        if (
            session.room_id
            and other.room_id == session.room_id
            and session.overlaps(other)
        ):
            conflicts.append(_room_conflict(session, other, event))
    if speaker_ids:
        busy = (
            Session.objects.filter(
                status=Session.Status.SCHEDULED,
                speakers__in=speaker_ids,
                starts_at__lt=session.ends_at,
                ends_at__gt=session.starts_at,
            )
            .exclude(pk__in=excluded)
            .distinct()
            .prefetch_related("speakers")
        )
        for other in busy:
            names = sorted(s.name for s in other.speakers.all() if s.pk in speaker_ids)
            conflicts.append(_speaker_conflict(session, other, names, event))
        for other in pending:
            if other is session or other.status == Session.Status.CANCELLED:
                continue
            shared = set(speaker_ids) & set(getattr(other, "_pending_speaker_ids", []))
            if shared and session.overlaps(other):
                names = sorted(
                    s.name for s in session.event.speakers.filter(pk__in=shared)
                )
                conflicts.append(_speaker_conflict(session, other, names, event))
    return conflicts


def _room_conflict(session, other, event) -> Conflict:
    return Conflict(
        "room",
        _("%(room)s is already booked for “%(other)s” at %(time)s.")
        % {
            "room": other.room.name if other.room else "",
            "other": other.title,
            "time": _local(other.starts_at, event),
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
            "time": _local(other.starts_at, event),
        },
        (session.pk, other.pk),
    )


def find_conflicts(event: Event) -> list[Conflict]:
    """Every conflict in an event's stored schedule, each pair reported once.

    Two queries: the event's scheduled sessions with speakers, and other events'
    sessions sharing its rooms (rooms belong to venues, not events).
    """
    sessions = list(
        event.sessions.filter(status=Session.Status.SCHEDULED)
        .select_related("room")
        .prefetch_related("speakers")
        .order_by("starts_at")
    )
    conflicts: list[Conflict] = []
    for session in sessions:
        conflicts += check_outside_event(session, event)
    for i, a in enumerate(sessions):
        a_speakers = {s.pk: s.name for s in a.speakers.all()}
        for b in sessions[i + 1 :]:
            if b.starts_at >= a.ends_at:
                break  # sorted by start: nothing later overlaps a
            if a.room_id and a.room_id == b.room_id:
                conflicts.append(_room_conflict(a, b, event))
            shared = sorted(
                a_speakers[s.pk] for s in b.speakers.all() if s.pk in a_speakers
            )
            if shared:
                conflicts.append(_speaker_conflict(a, b, shared, event))
    return conflicts
