"""The organisers' admin for venues, rooms, events, sessions, speakers, the log.

Every write goes through events.services, so conflicts are refused, `sequence`
and the schedule version move, and the change log holds. Who sees what is decided
in events.admin.access (by EventOrganiser role, not Django permissions).

Extending: registrations re-registers EventAdmin and SessionAdmin with subclasses
that override `save_capacity` (see there), so waitlists move when capacity grows.
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
