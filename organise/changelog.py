"""The schedule change log as people read it: each change's fields with their
old and new values, times on the event's clocks, statuses and kinds in words.

ScheduleChange keeps values as display text (times in ISO 8601 UTC); this turns
them into what an organiser reads, without touching what messages were made of.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from events.models import Event, ScheduleChange, Session
from events.times import show_datetime

TIME_FIELDS = {
    "starts_at", "ends_at", "registration_opens_at", "registration_closes_at",
    "modification_deadline",
}  # fmt: skip
LABELS = {
    "title": _("Title"),
    "abstract": _("Abstract"),
    "kind": _("Kind"),
    "track": _("Track"),
    "room": _("Room"),
    "starts_at": _("Starts"),
    "ends_at": _("Ends"),
    "capacity": _("Seats"),
    "signup_required": _("Sign-up required"),
    "status": _("Status"),
    "speakers": _("Speakers"),
    "venue": _("Venue"),
    "timezone": _("Time zone"),
    "summary": _("Summary"),
    "description": _("Description"),
    "slug": _("Address"),
    "visibility": _("Visibility"),
    "website": _("Website"),
    "contact_email": _("Contact email"),
}
WORDS = {
    "status": {**dict(Session.Status.choices), **dict(Event.Status.choices)},
    "kind": dict(Session.Kind.choices),
    "visibility": dict(Event.Visibility.choices),
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def _shown(name: str, value, event: Event) -> str:
    if value in (None, ""):
        return "—"
    if name in TIME_FIELDS:
        try:
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return str(value)
        return show_datetime(moment, event)
    return str(WORDS.get(name, {}).get(value, value))


ORDER = {name: place for place, name in enumerate(LABELS)}


def field_changes(change: ScheduleChange, event: Event) -> list[FieldChange]:
    """The change's fields in a fixed order (PostgreSQL's jsonb keeps none)."""
    pairs = sorted(
        (change.changes or {}).items(),
        key=lambda item: (ORDER.get(item[0], len(ORDER)), item[0]),
    )
    return [
        FieldChange(
            str(LABELS.get(name, name)),
            _shown(name, pair[0], event),
            _shown(name, pair[1], event),
        )
        for name, pair in pairs
        if isinstance(pair, list | tuple) and len(pair) == 2
    ]
