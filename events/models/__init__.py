"""The events domain's models, one module per sub-domain, importable from here."""

from .drafts import DraftMove, ScheduleDraft
from .event import (
    EVENT_ENDS_MESSAGE,
    POSITIVE,
    REGISTRATION_CLOSES_MESSAGE,
    Event,
    EventOrganiser,
    EventQuerySet,
    timezone_names,
    validate_timezone,
)
from .feed_entries import FeedEntry
from .places import COORDINATES_MESSAGE, OneMessagePerRule, Room, Venue
from .schedule import (
    SESSION_ENDS_MESSAGE,
    ScheduleChange,
    Session,
    Speaker,
    Track,
    validate_colour,
)

__all__ = [
    "COORDINATES_MESSAGE",
    "DraftMove",
    "EVENT_ENDS_MESSAGE",
    "POSITIVE",
    "REGISTRATION_CLOSES_MESSAGE",
    "SESSION_ENDS_MESSAGE",
    "Event",
    "EventOrganiser",
    "EventQuerySet",
    "FeedEntry",
    "OneMessagePerRule",
    "Room",
    "ScheduleChange",
    "ScheduleDraft",
    "Session",
    "Speaker",
    "Track",
    "Venue",
    "timezone_names",
    "validate_colour",
    "validate_timezone",
]
