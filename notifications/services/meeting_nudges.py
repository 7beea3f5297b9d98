"""A nudge to opted-in participants who have no meeting yet, sent by the
organisers as a bulk action. Each confirmation page names a campaign: sending it
twice (a double click, a resent form) gives each person one message, and a later
campaign may nudge the same people again (the outbox's unique key
"meeting_nudge:<event>:<campaign>:<person>")."""

import re
import secrets

from django.db import transaction

from accounts.models import User
from events.models import Event
from meetings.models import Profile

from ..models import Message
from .outbox import store_messages
from .rendering import absolute, language_of, render_message

KIND = "meeting_nudge"
CAMPAIGN = re.compile(r"[0-9a-f]{32}")


def new_campaign() -> str:
    return secrets.token_hex(16)


def nudge_key(event: Event, campaign: str, person: User) -> str:
    return f"{KIND}:{event.pk}:{campaign}:{person.pk}"


def send_nudges(
    *,
    event: Event,
    profiles: list[Profile],
    campaign: str,
    actor: User | None = None,
) -> int:
    """Queue the campaign's nudge to each person; return how many were new."""
    if not CAMPAIGN.fullmatch(campaign):
        raise ValueError("A nudge campaign is 32 hexadecimal digits.")
    messages = []
    url = absolute(f"/events/{event.slug}/meetings/")
    for profile in profiles:
        person = profile.registration.attendee
        if not person.email:
            continue
        messages.append(
            render_message(
                kind=KIND,
                key=nudge_key(event, campaign, person),
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
