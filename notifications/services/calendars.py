"""Calendar attachments, built with the feeds' own builders (events/ical.py), so an
attachment's UIDs and SEQUENCE match what subscribed calendars already hold."""

from datetime import timedelta

from django.utils import timezone

from events import ical
from events.models import Session
from registrations.models import PersonalCalendar

# Someone whose personal feed was fetched this recently is subscribed: their
# calendar updates itself, and an attachment would add a second copy of each UID.
SUBSCRIBED_WITHIN = timedelta(days=2)


def subscribed_user_ids(user_ids, now=None) -> set[int]:
    since = (now or timezone.now()) - SUBSCRIBED_WITHIN
    return set(
        PersonalCalendar.objects.filter(
            user_id__in=list(user_ids), last_fetched_at__gte=since
        ).values_list("user_id", flat=True)
    )


def load_sessions(session_uuids) -> list[Session]:
    return list(
        Session.objects.filter(uuid__in=list(session_uuids))
        .select_related("event__venue", "room__venue", "track")
        .prefetch_related("speakers")
        .order_by("starts_at", "pk")
    )


def calendar_bytes(*, event, sessions=(), include_event=True) -> bytes:
    return ical.build_calendar(
        name=event.title,
        description=ical.absolute_url(event.get_absolute_url()),
        events=[event] if include_event else [],
        sessions=list(sessions),
        default_tzid=event.timezone,
    )
