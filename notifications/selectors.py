"""Reads of the outbox and of the schedule changes still to be told, for pages."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from events.models import Event, ScheduleChange

from .models import Message, ScheduleDigest
from .services.digests import SESSION_KINDS


def message_counts(event: Event) -> dict[str, int]:
    """The event's messages per outbox status, every status present."""
    counts = dict(
        Message.objects.filter(event=event)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Message.Status}


@dataclass(frozen=True)
class UntoldChanges:
    changes: int  # session changes no digest has told yet
    sessions: int  # the sessions they are about
    due_at: datetime | None  # when the digest goes out; None: none is waiting


def untold_schedule_changes(event: Event) -> UntoldChanges:
    """Moves, cancellations and restorations of sessions that attendees have not
    been told about yet, and when the waiting digest will tell them.

    Only the kinds a digest tells: other changes (a title, an abstract) update
    the feeds but send nobody a message.
    """
    counts = ScheduleChange.objects.filter(
        event=event,
        composed_at__isnull=True,
        session__isnull=False,
        kind__in=SESSION_KINDS,
    ).aggregate(changes=Count("pk"), sessions=Count("session", distinct=True))
    due_at = (
        ScheduleDigest.objects.filter(event=event)
        .values_list("due_at", flat=True)
        .first()
    )
    return UntoldChanges(counts["changes"], counts["sessions"], due_at)
