"""Telling an event's organisers how invitees answer: accepts, declines,
substitutions and expiries, from the activity log.

Each organiser who may manage registrations chooses (EventOrganiser.invitation_news)
an email per answer, composed with the fact itself, or one summary a day, sent
after midnight in the event's time zone for the day before; or nothing. The keys
(the fact, or the event, day and organiser) make each one go out once.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from events.access import ROLE_CAPABILITIES, Capability
from events.models import Event, EventOrganiser
from registrations.models import Activity

from .outbox import store_messages
from .rendering import absolute, language_of, render_message

NEWS_VERBS = (
    Activity.Verb.INVITATION_ACCEPTED,
    Activity.Verb.INVITATION_DECLINED,
    Activity.Verb.INVITATION_SUBSTITUTED,
    Activity.Verb.INVITATION_EXPIRED,
)
News = EventOrganiser.InvitationNews
MANAGING_ROLES = [
    role
    for role, can in ROLE_CAPABILITIES.items()
    if Capability.MANAGE_REGISTRATIONS in can
]
# Days looked back for summaries not sent yet (the job did not run at midnight).
CATCH_UP_DAYS = 2


@dataclass(frozen=True)
class NewsLine:
    """One answer as the emails list it."""

    verb: str
    name: str
    email: str
    substitute: str
    at: datetime
    reason: str = ""  # the invitee's words when declining


def news_line(activity: Activity) -> NewsLine:
    details = activity.details
    substitute = details.get("substitute_name") or details.get("substitute_email")
    return NewsLine(
        verb=activity.verb,
        name=details.get("name") or details.get("email", ""),
        email=details.get("email", ""),
        substitute=substitute or "",
        at=activity.created_at,
        reason=details.get("reason", ""),
    )


def _organisers(event_id: int, mode: str) -> list[EventOrganiser]:
    return list(
        EventOrganiser.objects.filter(
            event_id=event_id,
            invitation_news=mode,
            role__in=MANAGING_ROLES,
            user__is_active=True,
        ).select_related("user")
    )


def _invitations_url(event: Event) -> str:
    return absolute(reverse("organise:invitations", kwargs={"event": event.slug}))


def immediate_messages(activity: Activity) -> list:
    """An email about this answer to each organiser who wants one at once."""
    if activity.verb not in NEWS_VERBS:
        return []
    event = activity.event
    line = news_line(activity)
    return [
        render_message(
            kind="invitation_news",
            key=f"activity:{activity.pk}:invitation_news:{organiser.user_id}",
            event=event,
            to_email=organiser.user.email,
            language=language_of(organiser.user),
            recipient=organiser.user,
            context={"lines": [line], "invitations_url": _invitations_url(event)},
        )
        for organiser in _organisers(event.pk, News.IMMEDIATE)
    ]


def send_invitation_digests(now=None) -> int:
    """Each daily organiser's summary of every past day not summarised yet (of
    the last few); returns how many messages were new. Safe to run any time."""
    now = now or timezone.now()
    recent = Activity.objects.filter(
        verb__in=NEWS_VERBS,
        created_at__gte=now - timedelta(days=CATCH_UP_DAYS + 1),
        created_at__lt=now,
    ).select_related("event__venue")
    by_event_day: dict[tuple[int, date], list[Activity]] = {}
    events = {}
    for activity in recent.order_by("created_at", "pk"):
        event = activity.event
        day = timezone.localtime(activity.created_at, event.tzinfo).date()
        if day >= timezone.localtime(now, event.tzinfo).date():
            continue  # the day is not over in the event's zone
        events[event.pk] = event
        by_event_day.setdefault((event.pk, day), []).append(activity)
    messages = []
    for (event_id, day), activities in sorted(by_event_day.items()):
        event = events[event_id]
        lines = [news_line(activity) for activity in activities]
        for organiser in _organisers(event_id, News.DAILY):
            messages.append(
                render_message(
                    kind="invitation_digest",
                    key=f"invitations:{event_id}:{day.isoformat()}"
                    f":invitation_digest:{organiser.user_id}",
                    event=event,
                    to_email=organiser.user.email,
                    language=language_of(organiser.user),
                    recipient=organiser.user,
                    context={
                        "lines": lines,
                        "day": day,
                        "invitations_url": _invitations_url(event),
                    },
                )
            )
    with transaction.atomic():
        return len(store_messages(messages))
