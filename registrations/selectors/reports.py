"""Counts for organisers."""

from django.db.models import Count, Q

from ..models import Registration, RegistrationType, SessionSeat

HOLDING = Registration.PLACE_HOLDING_STATUSES


def event_counts(event) -> dict:
    """Counts for organisers: per status, per type, per session (fill and line)."""
    by_status = dict(
        Registration.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    types = RegistrationType.objects.filter(event=event).annotate(
        confirmed=Count("registrations", filter=Q(registrations__status__in=HOLDING)),
        waiting=Count(
            "registrations",
            filter=Q(registrations__status=Registration.Status.WAITLISTED),
        ),
    )
    live_seat = Q(seats__registration__status=Registration.Status.CONFIRMED)
    sessions = (
        event.sessions.filter(signup_required=True)
        .annotate(
            taken=Count(
                "seats",
                filter=live_seat
                & Q(seats__status__in=SessionSeat.PLACE_HOLDING_STATUSES),
            ),
            waiting=Count(
                "seats",
                filter=live_seat & Q(seats__status=SessionSeat.Status.WAITLISTED),
            ),
        )
        .order_by("starts_at", "title")
    )
    return {
        "by_status": {
            status: by_status.get(status, 0) for status in Registration.Status
        },
        "types": [(t, t.confirmed, t.waiting) for t in types],
        "sessions": [(s, s.taken, s.waiting) for s in sessions],
    }
