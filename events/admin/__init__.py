"""The organisers' admin for venues, rooms, events, sessions, speakers, the log.

Every write goes through events.services, so conflicts are refused, `sequence`
and the schedule version move, and the change log holds. Who sees what is decided
by events.access (by EventOrganiser role, not Django permissions).

Venues, rooms, speakers and the change log are registered here. EventAdmin and
SessionAdmin are not: config/admin.py composes them with the mixins the apps above
export (registrations overrides `save_capacity`, so waitlists move when capacity
grows) and registers the result.
"""

from .event import EventAdmin, OrganiserInline, RoomAdmin, TrackInline, VenueAdmin
from .schedule import DayFilter, ScheduleChangeAdmin, SessionAdmin, SpeakerAdmin

__all__ = [
    "DayFilter",
    "EventAdmin",
    "OrganiserInline",
    "RoomAdmin",
    "ScheduleChangeAdmin",
    "SessionAdmin",
    "SpeakerAdmin",
    "TrackInline",
    "VenueAdmin",
]
