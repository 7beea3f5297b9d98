"""Whether a session may go to a new time and room: the editor asks while dragging.

Hard rules come from events.conflicts (the room is taken, the time is outside
the event's days) and refuse the move. Soft rules warn, and the organiser may
move anyway with a reason for the change log: a speaker elsewhere at that time,
a room smaller than the seats already taken, seat holders booked in another
session at the new time, and a speaker changing building with under ten minutes
between. The people counts come from registrations' selectors, put together
here, so events never learns who holds a seat.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.conflicts import check_session
from events.models import Room, Session
from registrations.selectors.places import session_seats_taken
from registrations.selectors.schedule_people import seat_holders_elsewhere

HARD_KINDS = frozenset({"room", "outside_event"})
SOFT_KINDS = frozenset({"speaker"})
BUILDING_GAP = timedelta(minutes=10)


@dataclass
class MoveCheck:
    hard: list[str] = field(default_factory=list)
    soft: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.hard

    def as_json(self) -> dict:
        return {"allowed": self.allowed, "hard": self.hard, "soft": self.soft}


def _moved_copy(session: Session, starts_at, ends_at, room: Room | None) -> Session:
    return Session(
        pk=session.pk,
        event=session.event,
        title=session.title,
        # a session from the tray is cancelled until placed: check it as placed
        status=Session.Status.SCHEDULED if session.in_tray else session.status,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
    )


def check_move(
    session: Session, starts_at: datetime, ends_at: datetime, room: Room | None
) -> MoveCheck:
    """Every hard and soft rule for `session` moved to (starts_at, ends_at, room)."""
    result = MoveCheck()
    if ends_at <= starts_at:
        result.hard.append(_("The session must end after it starts."))
        return result
    speaker_ids = list(session.speakers.values_list("pk", flat=True))
    moved = _moved_copy(session, starts_at, ends_at, room)
    for conflict in check_session(moved, speaker_ids=speaker_ids):
        target = result.hard if conflict.kind in HARD_KINDS else result.soft
        target.append(conflict.message)
    taken = session_seats_taken(session)
    if room is not None and room.capacity is not None and taken > room.capacity:
        result.soft.append(
            _("%(room)s seats %(capacity)s, but %(taken)s seats are taken.")
            % {"room": room.name, "capacity": room.capacity, "taken": taken}
        )
    # both count the same held seats: with none taken, nobody is elsewhere
    elsewhere = seat_holders_elsewhere(session, starts_at, ends_at) if taken else 0
    if elsewhere:
        result.soft.append(
            ngettext(
                "%(count)s person holding a seat here holds one in another session "
                "at the new time.",
                "%(count)s people holding seats here hold seats in another session "
                "at the new time.",
                elsewhere,
            )
            % {"count": elsewhere}
        )
    result.soft += _building_changes(moved, speaker_ids)
    return result


def _building_changes(moved: Session, speaker_ids: list[int]) -> list[str]:
    """Speakers who would change building with under ten minutes between."""
    if not speaker_ids or moved.room is None:
        return []
    near = (
        Session.objects.filter(
            speakers__in=speaker_ids,
            status=Session.Status.SCHEDULED,
            room__isnull=False,
        )
        .filter(
            Q(ends_at__lte=moved.starts_at, ends_at__gt=moved.starts_at - BUILDING_GAP)
            | Q(
                starts_at__gte=moved.ends_at,
                starts_at__lt=moved.ends_at + BUILDING_GAP,
            )
        )
        .exclude(pk=moved.pk)
        .exclude(room__venue_id=moved.room.venue_id)
    )
    # one narrow query first: the usual answer is none
    if not near.order_by().exists():
        return []
    near = near.select_related("room__venue").distinct()
    return [
        _("A speaker goes between “%(title)s” in %(venue)s and this session in "
          "%(here)s with under 10 minutes between.")
        % {"title": other.title, "venue": other.room.venue.name,
           "here": moved.room.venue.name}
        for other in near
    ]  # fmt: skip
