"""Undo: take back an organiser's last move, as a change of its own."""

from datetime import datetime

from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Event, Room, ScheduleChange, Session
from ..selectors import event_rooms
from .common import ScheduleError
from .sessions import move_sessions

UNDOABLE_FIELDS = {"starts_at", "ends_at", "room"}


def last_undoable(event: Event, *, actor: User | None = None) -> ScheduleChange | None:
    """The actor's newest move in the event that is neither undone nor an undo."""
    return (
        ScheduleChange.objects.filter(
            event=event,
            actor=actor,
            kind=ScheduleChange.Kind.MOVED,
            undoes__isnull=True,
            undone_by__isnull=True,
            session__isnull=False,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def _room_before(change: ScheduleChange) -> Room | None:
    """The room by the name the log kept, among the event's rooms."""
    old_name = change.changes["room"][0]
    if old_name is None:
        return None
    return event_rooms(change.event).filter(name=old_name).first()


def undo_last(*, event: Event, actor: User | None = None) -> ScheduleChange:
    """Put the session of the actor's last move back where it was.

    Refused when nothing is left to undo, or when the session was changed again
    since (by anyone): the undo would overwrite that change.
    """
    change = last_undoable(event, actor=actor)
    if change is None or change.session_id is None:
        raise ScheduleError(_("There is nothing of yours to undo."))
    session_id: int = change.session_id
    newest = (
        ScheduleChange.objects.filter(session_id=session_id)
        .order_by("-created_at", "-pk")
        .first()
    )
    if newest is None or newest.pk != change.pk:
        raise ScheduleError(
            _("“%(title)s” has been changed since; undo it by moving it back.")
            % {"title": change.snapshot.get("title", "")}
        )
    fields: dict = {}
    for name, (old, _new) in change.changes.items():
        if name == "room":
            fields["room"] = _room_before(change)
        elif name in UNDOABLE_FIELDS:
            fields[name] = datetime.fromisoformat(old)
    session = Session.objects.get(pk=session_id)
    move_sessions(
        moves=[(session, fields, None)],
        actor=actor,
        allow=frozenset({"speaker"}),
        reason=_("Undo"),
        undoes=change,
    )
    return ScheduleChange.objects.get(undoes=change)
