"""The timetable editor's tray: sessions without a place on the timetable.

Two kinds wait there. A session created without a time has never been public:
it is on no page, in no feed, open to no booking, and nobody is told of it or
of its edits; placing it the first time publishes it as a new session
(SEQUENCE 0, logged as added, no message). A published session taken to the
tray is cancelled meanwhile: the feeds show it as cancelled with its SEQUENCE
raised, and its seat holders are told as for any cancellation. Placing it
again restores it at its new time and room, checked like any move.
"""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..locks import lock_event
from ..models import Event, Room, Session
from .common import SESSION_FIELDS, ScheduleError
from .sessions import move_sessions

UNPLACED_FIELDS = SESSION_FIELDS - {"starts_at", "ends_at", "room", "status"}


def create_unplaced_session(
    *, event: Event, length: int, actor: User | None = None, speakers=(), **fields
) -> Session:
    """Add a session with no time or room yet, to the tray; `length` in minutes.

    Nothing public changes: no schedule change is logged, the schedule version
    stays, and nobody is told (the first placement is what the log records).
    """
    unknown = set(fields) - UNPLACED_FIELDS
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        event = lock_event(event)
        session = Session(event=event, length=length, in_tray=True, **fields)
        session.full_clean(exclude=["event", "speakers"])
        speaker_ids = [s.pk for s in speakers]
        if any(s.event_id != event.pk for s in speakers):
            raise ScheduleError(_("Speakers must belong to the session's event."))
        session.save()
        session.speakers.set(speaker_ids)
    return session


def take_to_tray(
    *, session: Session, edit_count: int, actor: User | None = None
) -> Session:
    """Take a session off the timetable (a stale `edit_count` raises StaleEdit)."""
    with transaction.atomic():
        move_sessions(
            moves=[(session, {"status": Session.Status.CANCELLED}, None)],
            actor=actor,
            expected={session.pk: edit_count},
        )
        Session.objects.filter(pk=session.pk).update(in_tray=True)
    session.refresh_from_db()
    return session


def place_from_tray(
    *,
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    room: Room | None,
    edit_count: int,
    actor: User | None = None,
    reason: str = "",
) -> Session:
    """Put a session from the tray on the timetable: restored (or, never placed
    before, published) where it is placed."""
    fields = {"status": Session.Status.SCHEDULED, "starts_at": starts_at,
              "ends_at": ends_at, "room": room}  # fmt: skip
    with transaction.atomic():
        move_sessions(
            moves=[(session, fields, None)],
            actor=actor,
            expected={session.pk: edit_count},
            allow=frozenset({"speaker"}),
            reason=reason,
        )
        # The length was only kept to place it by: its time says it now.
        Session.objects.filter(pk=session.pk).update(in_tray=False, length=None)
    session.refresh_from_db()
    return session
