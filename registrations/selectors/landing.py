"""What a registration's own page shows of its event, kept per event version.

Every registration lands on that page, and joining the event, its type and the
facts about its questions and seats into the registration's query cost more
CPU than the rest of the page. They change only with the event: its row (every
edit raises `changed_at`), its types and questions (`registration_form_version`)
and its sessions (`schedule_version`). The registration's query reads those
three numbers alone, and the rest comes from the cache under them; its seats
are read as (session, status) pairs, their sessions (title, time, room) coming
from the same cache.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F, QuerySet

from events.models import Event, Session

from ..models import Question, Registration, RegistrationType, SessionSeat
from . import places

FACTS_TIMEOUT = 24 * 3600
FACTS_FORMAT = "1"

EVENT_VERSIONS = {
    "event_changed_at": F("event__changed_at"),
    "event_form_version": F("event__registration_form_version"),
    "event_schedule_version": F("event__schedule_version"),
}


@dataclass(frozen=True)
class EventFacts:
    event: Event
    types: dict[int, RegistrationType]
    asks_questions: bool
    has_seat_sessions: bool
    # Every session that takes seats, whatever its status (with its room).
    seat_sessions: dict[int, Session]


def with_event_versions(registrations: QuerySet[Registration]) -> QuerySet:
    """The registrations, each with its event's three versions (for event_facts)."""
    return registrations.annotate(**EVENT_VERSIONS)


def event_facts(registration: Registration) -> EventFacts:
    """The event of `registration` (read with_event_versions) and what its page
    shows of it, from the cache while none of the three versions changed."""
    versions = tuple(getattr(registration, name) for name in EVENT_VERSIONS)
    shown = (FACTS_FORMAT, registration.event_id, *versions)
    key = "landing:" + hashlib.sha256(repr(shown).encode()).hexdigest()[:32]
    facts = cache.get(key)
    if facts is None:
        event = Event.objects.get(pk=registration.event_id)
        facts = EventFacts(
            event=event,
            types={t.pk: t for t in event.registration_types.all()},
            asks_questions=Question.objects.filter(event=event).exists(),
            has_seat_sessions=places.seat_sessions(event).exists(),
            seat_sessions={
                s.pk: s
                for s in event.sessions.filter(signup_required=True).select_related(
                    "room"
                )
            },
        )
        cache.set(key, facts, FACTS_TIMEOUT)
    return facts


def live_seats(registration: Registration, facts: EventFacts) -> list[SessionSeat]:
    """The registration's seats (not left), in time order, each with its session."""
    rows = list(
        SessionSeat.objects.live()
        .filter(registration_id=registration.pk)
        .order_by()
        .values_list("pk", "session_id", "status")
    )
    sessions = facts.seat_sessions
    if missing := {pk for _, pk, _ in rows} - sessions.keys():
        # No longer taking seats: its seats stay on the page all the same.
        sessions = {
            **sessions,
            **Session.objects.select_related("room").in_bulk(missing),
        }
    seats = [
        SessionSeat(pk=pk, session=sessions[session_id], status=status)
        for pk, session_id, status in rows
    ]
    # As SessionSeat's ordering (a session never placed has no time: last).
    seats.sort(key=lambda s: (s.session.starts_at is None, s.session.starts_at, s.pk))
    return seats
