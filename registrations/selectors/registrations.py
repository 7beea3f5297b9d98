"""A person's live registration for an event."""

from ..models import Registration


def live_registration(event, person) -> Registration | None:
    """The person's one live registration for the event (a constraint keeps it one)."""
    return Registration.objects.live().filter(event=event, attendee=person).first()
