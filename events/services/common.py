"""What every schedule write shares: the refusal, the log, the version bump."""

from datetime import UTC, datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.utils import get_translation_fields

from accounts.models import User

from ..models import Event, ScheduleChange, Session
from ..signals import schedule_changed
from ..times import show_day_time


class ScheduleError(Exception):
    """A schedule change was refused; the message is safe to show to an organiser."""

    def __init__(self, message: str, conflicts=()):
        super().__init__(message)
        self.conflicts = list(conflicts)


class StaleEdit(ScheduleError):
    """The session was changed by someone else since the edit started."""

    def __init__(self, session: Session, change: ScheduleChange | None):
        self.session, self.change = session, change
        who = (
            (change.actor.get_full_name() or change.actor.email)
            if (change and change.actor)
            else _("someone")
        )
        when = (
            show_day_time(change.created_at, session.event)
            if change
            else _("meanwhile")
        )
        super().__init__(
            _("“%(title)s” was changed by %(who)s at %(when)s; this is it now.")
            % {"title": session.title, "who": who, "when": when}
        )


# Fields whose change is a change of time, place or status: they raise `sequence`.
SEQUENCED_FIELDS = {"starts_at", "ends_at", "room", "status"}
SESSION_FIELDS = {
    "title", "abstract", "kind", "track", "room", "starts_at", "ends_at",
    "capacity", "signup_required", "status", "length",
    *get_translation_fields("title", "abstract"),
}  # fmt: skip
# A change of these needs a fresh conflict check (a title change does not).
CHECKED_FIELDS = {"starts_at", "ends_at", "room", "status", "speakers"}
EVENT_SEQUENCED_FIELDS = {"starts_at", "ends_at", "venue", "status", "timezone"}
# What schedule pages and feeds show of the event itself: a change of any of these
# is logged and bumps the schedule version. Settings such as reminders are not.
EVENT_SHOWN_FIELDS = EVENT_SEQUENCED_FIELDS | {
    "title", "summary", "description", "slug", "visibility", "website",
    "contact_email", "languages",
    *get_translation_fields("title", "summary", "description"),
}  # fmt: skip


def display_value(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value)


def session_snapshot(session: Session) -> dict:
    """What a message about this session needs, frozen at the time of the change."""
    return {
        "uuid": str(session.uuid),
        "title": session.title,
        "starts_at": display_value(session.starts_at),
        "ends_at": display_value(session.ends_at),
        "room": session.room.name if session.room else None,
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


def raise_on_conflicts(conflicts) -> None:
    if conflicts:
        raise ScheduleError(" ".join(c.message for c in conflicts), conflicts)


def record_change(
    event, session, kind, changes, now, *, actor: User | None = None
) -> ScheduleChange:
    return ScheduleChange.objects.create(
        event=event,
        session=session,
        kind=kind,
        changes=changes,
        snapshot=session_snapshot(session) if session else {"title": event.title},
        actor=actor if getattr(actor, "pk", None) else None,
        created_at=now,
    )


def announce_changes(event: Event, changes: list[ScheduleChange]) -> None:
    if changes:
        schedule_changed.send(sender=ScheduleChange, event=event, changes=changes)


def changed_fields(session: Session | Event, fields: dict) -> dict:
    changes = {}
    for name, new in fields.items():
        old = getattr(session, name)
        if old != new:
            changes[name] = (old, new)
    return changes
