"""Recording facts the way registrations.services does, for notification tests."""

import icalendar
from django.db import transaction

from registrations.services.activity import announce, record_activity, session_details


def record(
    verb, *, event, registration=None, invitation=None, session=None, details=None
):
    """Record one Activity and announce it in a committed-looking transaction."""
    with transaction.atomic():
        activity = record_activity(
            verb=verb,
            event=event,
            registration=registration,
            invitation=invitation,
            session=session,
            details=details,
        )
        announce([activity])
    return activity


def confirmed_details(*sessions) -> dict:
    return {"sessions": [session_details(s) for s in sessions]}


def calendar_of(email) -> icalendar.Calendar:
    """The parsed .ics attachment of a Django EmailMessage."""
    (attachment,) = [a for a in email.attachments if a[0].endswith(".ics")]
    content = attachment[1]
    return icalendar.Calendar.from_ical(
        content if isinstance(content, bytes) else content.encode()
    )


def vevents(calendar) -> list:
    return list(calendar.walk("VEVENT"))
