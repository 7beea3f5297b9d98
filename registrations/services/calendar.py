"""Each person's calendar token: create on first use, rotate, note polls."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ..models import PersonalCalendar
from ..tokens import new_token

# Calendar apps poll every few minutes to hours; one write per window is enough to
# tell notifications that the feed is subscribed, and keeps polling read-only.
FETCH_WRITE_INTERVAL = timedelta(minutes=5)


def get_personal_calendar(*, user) -> PersonalCalendar:
    """The person's calendar (with its token), created on first use."""
    try:
        with transaction.atomic():
            calendar, _created = PersonalCalendar.objects.get_or_create(user=user)
    except IntegrityError:  # created concurrently by another request
        calendar = PersonalCalendar.objects.get(user=user)
    return calendar


def regenerate_calendar_token(*, user) -> PersonalCalendar:
    """Give the person a new feed URL; the old one answers 404 from now on.

    The fetch record is cleared too: nothing polls the new URL yet.
    """
    with transaction.atomic():
        calendar = get_personal_calendar(user=user)
        calendar.token = new_token()
        calendar.last_fetched_at = None
        calendar.save(update_fields=["token", "last_fetched_at"])
    return calendar


def mark_fetched(*, calendar: PersonalCalendar, now=None) -> bool:
    """Record that the feed was fetched; writes at most once per 5 minutes.

    Returns whether it wrote. The in-memory value is checked first so that a
    poll within the window costs no query at all.
    """
    now = now or timezone.now()
    threshold = now - FETCH_WRITE_INTERVAL
    last = calendar.last_fetched_at
    if last is not None and last > threshold:
        return False
    # Conditional: of several concurrent polls only one writes.
    written = (
        PersonalCalendar.objects.filter(pk=calendar.pk)
        .filter(Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lte=threshold))
        .update(last_fetched_at=now)
    )
    if written:
        calendar.last_fetched_at = now
    return bool(written)
