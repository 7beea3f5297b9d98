"""The timetable editor's tray: sessions taken off the timetable, and put back.

Taking a session to the tray cancels it: the feeds show it as cancelled with its
SEQUENCE raised, and its seat holders are told as for any cancellation. Placing
it again restores it at its new time and room, checked like any move.
"""

from datetime import datetime

from django.db import transaction

from accounts.models import User

from ..models import Room, Session
from .sessions import move_sessions


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
    """Put a session from the tray on the timetable: restored where it is placed."""
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
        Session.objects.filter(pk=session.pk).update(in_tray=False)
    session.refresh_from_db()
    return session
