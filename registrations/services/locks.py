"""Row locks for every registration service, and the one order they are taken in.

A service that changes places, seats or invitations takes its locks through
these functions only, in this order, and counts only once it holds them:

1. the event (`lock_event`): every writer of an event's places queues on its
   row, so no count made after it goes stale before the write;
2. a registration type (`lock_registration_type`), when its quota changes;
3. invitations (`lock_invitation`, `lock_invitations`);
4. registrations (`lock_registration`, `lock_registrations`);
5. sessions, by pk (`lock_sessions`), then the seats in their lines
   (`lock_seat_line`).

`lock_event_and_registration` and `lock_event_and_invitation` take the first
step and one of the later ones together. Promotion at the end of a change
(waitlists.promote_waiting, seats.promote_seats) locks the line it moves after
the rows the change holds; every writer holds the event's lock by then, so the
rows below it cannot be locked in a circle. Check-in and answers lock one
registration alone: they change no place.
"""

from django.db.models import QuerySet

from events.locks import lock_event, lock_sessions
from events.models import Event, Session

from ..models import Invitation, Registration, RegistrationType, SessionSeat

__all__ = [
    "lock_event",
    "lock_event_and_invitation",
    "lock_event_and_registration",
    "lock_invitation",
    "lock_invitations",
    "lock_registration",
    "lock_registration_type",
    "lock_registrations",
    "lock_seat_line",
    "lock_sessions",
]


def lock_registration_type(registration_type: RegistrationType) -> RegistrationType:
    """The type's row, fresh; after its event's lock."""
    return RegistrationType.objects.select_for_update().get(pk=registration_type.pk)


def lock_invitation(invitation: Invitation, *, related=()) -> Invitation:
    """The invitation's row, fresh; after its event's lock."""
    rows = Invitation.objects.select_for_update(of=("self",))
    if related:
        rows = rows.select_related(*related)
    return rows.get(pk=invitation.pk)


def lock_invitations(invitations: QuerySet) -> list[Invitation]:
    """These invitations' rows (one event's), after that event's lock."""
    return list(invitations.select_for_update(of=("self",)))


def lock_event_and_invitation(invitation: Invitation) -> tuple[Event, Invitation]:
    """Lock the invitation's event, then the invitation; both fresh."""
    event = lock_event(invitation.event_id)
    invitation = lock_invitation(invitation, related=("registration_type",))
    invitation.event = event
    return event, invitation


def lock_registration(registration: Registration, *, related=()) -> Registration:
    """The registration's row, fresh: after its event's lock, or alone for a
    change that takes no place (check-in, answers)."""
    rows = Registration.objects.select_for_update(of=("self",))
    if related:
        rows = rows.select_related(*related)
    return rows.get(pk=registration.pk)


def lock_registrations(registrations: QuerySet) -> list[Registration]:
    """These registrations' rows (one event's), after that event's lock."""
    return list(registrations.select_for_update(of=("self",)))


def lock_event_and_registration(
    registration: Registration,
) -> tuple[Event, Registration]:
    """Lock the registration's event, then the registration; both fresh."""
    event = lock_event(registration.event_id)
    registration = lock_registration(registration)
    registration.event = event
    return event, registration


def lock_seat_line(session: Session) -> list[SessionSeat]:
    """The session's waiting seats of confirmed registrations, first in line
    first; after the session's lock."""
    return list(
        SessionSeat.objects.select_for_update(of=("self",))
        .filter(
            session=session,
            status=SessionSeat.Status.WAITLISTED,
            registration__status=Registration.Status.CONFIRMED,
        )
        .select_related("registration__event")
        .order_by("waitlisted_at", "pk")
    )
