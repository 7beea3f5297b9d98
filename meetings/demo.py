"""Meetings between participants in the Spring Forum's demo.

A meeting block on the forum's second afternoon (20-minute slots, 30 tables),
profiles for the demo attendees, and a few requests in each state. Idempotent:
an event whose meetings are set up already is left as it is.
"""

from datetime import timedelta

from django.utils import timezone

from events.demo import at
from events.models import Event
from registrations.models import Registration

from .models import MeetingBlock, MeetingRequest, MeetingSettings, Profile, Table
from .services import MeetingError
from .services.accepting import accept, cancel_meeting
from .services.profiles import save_profile
from .services.requests import (
    counter_propose,
    decline,
    expire_requests,
    request_meeting,
)

INTERESTS = [
    "Erasmus+ partnerships",
    "Student mobility",
    "Staff mobility",
    "Joint degrees",
    "Inclusion",
    "Research cooperation",
]
# name: (role, country, interests, partners)
PROFILES = {
    "Aino Virtanen": ("International officer", "FI", [0, 1], ["Uppsala University"]),
    "Mikko Korhonen": ("Mobility officer", "FI", [1, 4], ["University of Tartu"]),
    "Sofia Lindqvist": ("Partnership manager", "FI", [0, 3], ["Uppsala University"]),
    "Elina Nieminen": ("Head of international services", "FI", [2, 4], []),
    "Oskar Berg": ("Exchange coordinator", "FI", [1, 5], ["Stockholm School"]),
    "Ville Laine": ("Research liaison", "FI", [5], ["University of Tartu"]),
}  # fmt: skip
TABLES = 30


def load(*, forum: Event) -> dict:
    """Set up the forum's meetings; returns how many requests it made."""
    if MeetingSettings.objects.filter(event=forum).exists():
        return {"requests": MeetingRequest.objects.filter(block__event=forum).count()}
    MeetingSettings.objects.create(
        event=forum, enabled=True, interest_choices="\n".join(INTERESTS)
    )
    second_day = forum.local_days()[1]
    block = MeetingBlock.objects.create(
        event=forum,
        starts_at=at(second_day, "15:00"),
        ends_at=at(second_day, "16:40"),
        slot_minutes=20,
    )
    Table.objects.bulk_create(
        [Table(event=forum, name=f"{n:02d}", capacity=2) for n in range(1, TABLES + 1)]
    )
    if block.starts_at <= timezone.now():  # loaded as held: nothing to book
        return {"requests": 0}
    people = _profiles(forum)
    _requests(block, people)
    return {"requests": MeetingRequest.objects.filter(block=block).count()}


def _profiles(forum: Event) -> dict[str, Profile]:
    made = {}
    registrations = Registration.objects.filter(
        event=forum,
        status=Registration.Status.CONFIRMED,
        attendee__name__in=list(PROFILES),
    ).select_related("attendee", "event")
    for registration in registrations:
        role, country, interests, partners = PROFILES[registration.attendee.name]
        made[registration.attendee.name] = save_profile(
            registration=registration,
            organisation=registration.attendee.affiliation,
            role=role,
            country=country,
            interests=[INTERESTS[i] for i in interests],
            text="Happy to talk about new partnerships and exchanges.",
            partner_organisations=partners,
        )
    return made


def _requests(block: MeetingBlock, people: dict[str, Profile]) -> None:
    """Requests in every state; a refusal (a demo person busy then) is skipped."""
    slots = block.slot_starts()

    def ask(a, b, index, message=""):
        return request_meeting(
            requester=people[a],
            recipient=people[b],
            block=block,
            slot_start=slots[index],
            message=message,
        )

    steps = [
        lambda: accept(request=ask("Aino Virtanen", "Sofia Lindqvist", 0, "BIPs?")),
        lambda: accept(request=ask("Mikko Korhonen", "Elina Nieminen", 1)),
        lambda: ask("Oskar Berg", "Ville Laine", 2, "Research exchanges?"),
        lambda: ask("Elina Nieminen", "Aino Virtanen", 3, "Inclusion in mobility"),
        lambda: decline(
            request=ask("Ville Laine", "Mikko Korhonen", 0), reason="At a workshop"
        ),
        lambda: counter_propose(
            request=ask("Sofia Lindqvist", "Oskar Berg", 1), slot_start=slots[4]
        ),
        lambda: cancel_meeting(
            meeting=accept(request=ask("Oskar Berg", "Aino Virtanen", 1))
        ),
        lambda: _expired(ask("Mikko Korhonen", "Ville Laine", 3)),
    ]
    for step in steps:
        try:
            step()
        except (MeetingError, KeyError):
            continue


def _expired(request: MeetingRequest) -> None:
    past = timezone.now() - timedelta(minutes=1)
    MeetingRequest.objects.filter(pk=request.pk).update(expires_at=past)
    expire_requests(now=timezone.now())
