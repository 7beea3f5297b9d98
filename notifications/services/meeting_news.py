"""Composing messages from meeting facts (MeetingFact rows), exactly once.

Each fact gives one message to each person it concerns, keyed
"meeting:<fact id>:<recipient>"; the fact is marked composed in the same
transaction as the messages are stored, so the receiver and the sweep can both try.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import MeetingFact, MeetingRequest, Profile

from .outbox import store_messages
from .rendering import absolute, language_of, render_message

logger = logging.getLogger(__name__)

Verb = MeetingFact.Verb
KIND = "meeting_news"
SUBJECTS = {
    Verb.REQUESTED: _("Meeting request from %(name)s: %(event)s"),
    Verb.ACCEPTED: _("%(name)s accepted your meeting: %(event)s"),
    Verb.DECLINED: _("%(name)s declined your meeting: %(event)s"),
    Verb.COUNTERED: _("%(name)s proposes another time: %(event)s"),
    Verb.EXPIRED: _("Meeting request expired: %(event)s"),
    Verb.CANCELLED: _("Meeting cancelled: %(event)s"),
    Verb.MOVED: _("Meeting moved: %(event)s"),
}


def _name(profile: Profile) -> str:
    person = profile.registration.attendee
    return person.get_full_name() or person.email


def recipients(fact: MeetingFact) -> list[Profile]:
    """Who is told: the person the fact is news to, never the one who acted."""
    request = fact.request
    verb = fact.verb
    if verb == Verb.REQUESTED:
        return [request.recipient]
    if verb in (Verb.ACCEPTED, Verb.DECLINED, Verb.COUNTERED):
        return [request.requester]
    both = [request.requester, request.recipient]
    if verb == Verb.CANCELLED:
        left = fact.details.get("left")
        return [
            p
            for p in both
            if p.pk != left and p.registration.attendee_id != fact.actor_id
        ]
    return both  # expired, moved: news to both


def _other(request: MeetingRequest, profile: Profile) -> Profile:
    if profile.pk == request.requester_id:
        return request.recipient
    return request.requester


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def messages_for(fact: MeetingFact) -> list:
    request = fact.request
    event = request.block.event
    details = fact.details
    after = details.get("after", details)
    messages = []
    for profile in recipients(fact):
        person = profile.registration.attendee
        if not person.email:
            continue
        other = _other(request, profile)
        context = {
            "verb": fact.verb,
            "other_name": _name(other),
            "other_organisation": other.organisation,
            "slot_start": request.slot_start,
            "message": request.message,
            "reason": request.reason,
            "left": details.get("reason") == "registration_ended",
            "table": after.get("table", ""),
            "starts_at": _parse(after.get("starts_at")) or request.slot_start,
            "meetings_url": absolute(f"/events/{event.slug}/meetings/"),
        }
        subject = str(SUBJECTS[MeetingFact.Verb(fact.verb)]) % {
            "name": context["other_name"],
            "event": event.title,
        }
        messages.append(
            render_message(
                kind=KIND,
                key=f"meeting:{fact.pk}:{person.pk}",
                event=event,
                to_email=person.email,
                language=language_of(person),
                context=context,
                recipient=person,
                registration=profile.registration,
                subject=subject,
            )
        )
    return messages


def compose_meeting_facts(fact_ids: Iterable[int]) -> int:
    """Compose the messages of these facts (those not composed yet); return how
    many were new. A fact that cannot be rendered is logged and left for the sweep."""
    with transaction.atomic():
        facts = list(
            MeetingFact.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(fact_ids), composed_at__isnull=True)
            .select_related(
                "request__block__event__venue",
                "request__requester__registration__attendee",
                "request__recipient__registration__attendee",
            )
        )
        messages, done = [], []
        for fact in facts:
            try:
                messages += messages_for(fact)
            except Exception:
                logger.exception("could not compose meeting fact %s", fact.pk)
                continue
            done.append(fact.pk)
        stored = len(store_messages(messages))
        MeetingFact.objects.filter(pk__in=done).update(composed_at=timezone.now())
    return stored


def compose_pending_meeting_facts(before: datetime) -> int:
    ids = list(
        MeetingFact.objects.filter(
            composed_at__isnull=True, created_at__lte=before
        ).values_list("pk", flat=True)[:2000]
    )
    return compose_meeting_facts(ids) if ids else 0
