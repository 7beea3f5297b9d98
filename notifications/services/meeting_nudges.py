"""A nudge to opted-in participants who have no meeting yet, sent by the
organisers as a bulk action: one message per person and event, ever (the
outbox's unique key "meeting_nudge:<event>:<person>")."""

from django.db import transaction

from accounts.models import User
from events.models import Event
from meetings.models import Profile

from ..models import Message
from .outbox import store_messages
from .rendering import absolute, language_of, render_message

KIND = "meeting_nudge"


def nudge_key(event: Event, person: User) -> str:
    return f"{KIND}:{event.pk}:{person.pk}"


def send_nudges(
    *, event: Event, profiles: list[Profile], actor: User | None = None
) -> int:
    """Queue the nudge to each person; return how many were new."""
    messages = []
    url = absolute(f"/events/{event.slug}/meetings/")
    for profile in profiles:
        person = profile.registration.attendee
        if not person.email:
            continue
        messages.append(
            render_message(
                kind=KIND,
                key=nudge_key(event, person),
                event=event,
                to_email=person.email,
                language=language_of(person),
                context={"meetings_url": url},
                recipient=person,
                registration=profile.registration,
            )
        )
    with transaction.atomic():
        before = set(
            Message.objects.filter(key__in=[m.key for m in messages]).values_list(
                "key", flat=True
            )
        )
        store_messages(messages)
    return len({m.key for m in messages} - before)
