"""Meeting reminders, run with the other reminders (beat, every few minutes).

- The day before: from 17:00 on the event's clocks the evening before, one
  message per person and day listing that day's meetings and tables.
- During the event: a short one a quarter of an hour before each meeting, to
  each person who keeps them on in their profile.

Each key names the person and the day or the meeting (and its start, so that a
moved meeting reminds again): a second run stores nothing new.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from functools import partial

from django.db import transaction

from events.models import Event
from events.times import local_time
from meetings.models import Meeting, Profile

from ..models import Message
from .outbox import store_messages
from .rendering import absolute, language_of, render_message

# The day-before reminder is due from this time, the evening before.
DAY_BEFORE_AT = time(17, 0)
SOON = timedelta(minutes=15)


def _name(profile: Profile) -> str:
    person = profile.registration.attendee
    return person.get_full_name() or person.email


def _active(now: datetime, until: datetime):
    return (
        Meeting.objects.filter(
            status=Meeting.Status.ACTIVE,
            starts_at__gt=now,
            starts_at__lte=until,
            request__block__event__status=Event.Status.PUBLISHED,
        )
        .select_related(
            "table",
            "request__block__event__venue",
            "request__requester__registration__attendee",
            "request__recipient__registration__attendee",
        )
        .order_by("starts_at", "pk")
    )


def _sides(meeting: Meeting):
    request = meeting.request
    yield request.requester, request.recipient
    yield request.recipient, request.requester


def _line(meeting: Meeting, other: Profile) -> dict:
    return {
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "table": meeting.table.name,
        "other_name": _name(other),
        "other_organisation": other.organisation,
    }


def send_meeting_reminders(now: datetime) -> int:
    """The reminders due now and not stored before; returns how many are new."""
    return day_before_reminders(now) + soon_reminders(now)


def _store_new(due: Mapping[str, Callable[[], Message]]) -> int:
    """Render and store only the messages whose key is new: a day's reminders
    stay due for hours and are looked at every few minutes."""
    known = set(Message.objects.filter(key__in=list(due)).values_list("key", flat=True))
    messages = [render() for key, render in due.items() if key not in known]
    with transaction.atomic():
        return len(store_messages(messages))


def _day_due(event: Event, day: date, now: datetime) -> bool:
    """From 17:00 the evening before that day until the day begins."""
    evening = datetime.combine(day - timedelta(days=1), DAY_BEFORE_AT, event.tzinfo)
    midnight = datetime.combine(day, time(0, 0), event.tzinfo)
    return evening <= now < midnight


def day_before_reminders(now: datetime) -> int:
    days: dict[tuple[int, date, int], list] = defaultdict(list)
    people = {}
    for meeting in _active(now, now + timedelta(hours=32)):
        event = meeting.request.block.event
        day = local_time(meeting.starts_at, event).date()
        if not _day_due(event, day, now):
            continue
        for profile, other in _sides(meeting):
            days[(event.pk, day, profile.pk)].append(_line(meeting, other))
            people[profile.pk] = (profile, event)
    due = {}
    for (event_id, day, profile_id), lines in days.items():
        profile, event = people[profile_id]
        person = profile.registration.attendee
        if not person.email:
            continue
        key = f"meeting_day:{event_id}:{day:%Y%m%d}:{person.pk}"
        due[key] = _reminder(
            "meeting_day",
            key,
            profile,
            event,
            {
                "meetings": lines,
                "sheet_url": absolute(f"/events/{event.slug}/meetings/sheet/"),
            },
        )
    return _store_new(due)


def _reminder(kind: str, key: str, profile, event, context: dict) -> partial:
    """The message to render for one person, if it was not stored before."""
    person = profile.registration.attendee
    return partial(
        render_message,
        kind=kind,
        key=key,
        event=event,
        to_email=person.email,
        language=language_of(person),
        recipient=person,
        registration=profile.registration,
        context=context,
    )


def soon_reminders(now: datetime) -> int:
    due = {}
    for meeting in _active(now, now + SOON):
        event = meeting.request.block.event
        for profile, other in _sides(meeting):
            person = profile.registration.attendee
            if not profile.reminders or not person.email:
                continue
            key = (
                f"meeting_soon:{meeting.uuid}:"
                f"{meeting.starts_at:%Y%m%dT%H%M}:{person.pk}"
            )
            due[key] = _reminder(
                "meeting_soon", key, profile, event, {"meeting": _line(meeting, other)}
            )
    return _store_new(due)
