"""Who may still change a registration: attendees until the event's deadline for
changes, organisers always."""

from django.utils import timezone

from accounts.models import User


def is_organiser_act(attendee, *, actor: User | None = None) -> bool:
    return actor is not None and getattr(actor, "pk", None) != attendee.pk


def deadline_passed(event) -> bool:
    return bool(
        event.modification_deadline and timezone.now() >= event.modification_deadline
    )


def changes_allowed(event) -> bool:
    """Whether attendees may still change answers and sessions, or cancel."""
    return not deadline_passed(event)
