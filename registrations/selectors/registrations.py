"""A person's live registration for an event."""

from django.db.models import OuterRef, Subquery

from ..models import Registration


def live_registration(event, person) -> Registration | None:
    """The person's one live registration for the event (a constraint keeps it one)."""
    return Registration.objects.live().filter(event=event, attendee=person).first()


def live_registration_token(person) -> Subquery:
    """For an Event queryset: the manage token of the person's live registration
    for each event, or None."""
    return Subquery(
        Registration.objects.live()
        .filter(event=OuterRef("pk"), attendee=person)
        .values("manage_token")[:1]
    )
