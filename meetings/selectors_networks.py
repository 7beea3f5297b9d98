"""Reading networks: a participant's own, and the organisers' numbers and clashes.

A closed group: a participant sees only the networks they belong to (and the
names of those they may ask to join); the members are shown to members and
organisers only.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from events.models import Event, Session
from registrations.commitment_ical import meeting_title
from registrations.models import Commitment, Registration

from .models import Network, NetworkMember

Status = NetworkMember.Status
Reply = NetworkMember.Reply


def my_memberships(registration: Registration) -> list[NetworkMember]:
    """The person's networks (member, or asked to join), with their meetings."""
    return list(
        NetworkMember.objects.filter(
            registration=registration, status__in=(Status.MEMBER, Status.REQUESTED)
        )
        .select_related("network__room", "network__session")
        .order_by("network__name", "pk")
    )


class MyNetwork(NamedTuple):
    member: NetworkMember
    others: list[NetworkMember]  # the fellow members, for a member only
    clashes: list[str]  # what else the person holds during its meeting


def my_networks(registration: Registration) -> list[MyNetwork]:
    """The person's networks with their fellow members (one query for all) and
    what the person holds during each meeting."""
    mine = my_memberships(registration)
    fellows: dict[int, list[NetworkMember]] = defaultdict(list)
    for other in (
        NetworkMember.objects.filter(
            network_id__in=[m.network_id for m in mine if m.is_member],
            status=Status.MEMBER,
        )
        .select_related("registration__attendee")
        .order_by("registration__attendee__name", "pk")
    ):
        fellows[other.network_id].append(other)
    person = registration.attendee_id
    rows = []
    for member in mine:
        network = member.network
        clashes = []
        if member.is_member and network.has_meeting and not network.cancelled:
            clashes = clashes_of(network, [person]).get(person, [])
        rows.append(MyNetwork(member, fellows.get(network.pk, []), clashes))
    return rows


def joinable(registration: Registration) -> list[Network]:
    """Networks of the event the person may ask to join: open or on request,
    and no row of theirs but one they left."""
    decided = NetworkMember.objects.filter(registration=registration).exclude(
        status=Status.LEFT
    )
    return list(
        Network.objects.filter(event_id=registration.event_id)
        .exclude(join_policy=Network.JoinPolicy.CLOSED)
        .exclude(pk__in=decided.values("network_id"))
    )


def fellow_members(network: Network) -> list[NetworkMember]:
    """The members, for a member's or an organiser's eyes only."""
    return list(
        network.members.filter(status=Status.MEMBER)
        .select_related("registration__attendee")
        .order_by("registration__attendee__name", "pk")
    )


def networks_with_numbers(event: Event) -> list[Network]:
    """The event's networks with members, coming, not coming and requests."""
    member = Q(members__status=Status.MEMBER)
    return list(
        Network.objects.filter(event=event)
        .select_related("room", "session")
        .annotate(
            member_count=Count("members", filter=member),
            coming_count=Count("members", filter=member & Q(members__reply="coming")),
            not_coming_count=Count(
                "members", filter=member & Q(members__reply="not_coming")
            ),
            request_count=Count("members", filter=Q(members__status=Status.REQUESTED)),
        )
    )


@dataclass
class Numbers:
    coming: int
    not_coming: int
    no_answer: int
    capacity: int | None  # the room's seats; None: no room or no limit

    @property
    def expected(self) -> int:
        """Those coming, and those who have not answered yet (they may come)."""
        return self.coming + self.no_answer

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and self.expected > self.capacity


def numbers(network: Network, members: list[NetworkMember]) -> Numbers:
    replies = [m.reply for m in members if m.status == Status.MEMBER]
    capacity = network.room.capacity if network.room_id and network.room else None
    return Numbers(
        coming=replies.count(Reply.COMING),
        not_coming=replies.count(Reply.NOT_COMING),
        no_answer=replies.count(Reply.NONE),
        capacity=capacity,
    )


@dataclass
class MemberRow:
    member: NetworkMember
    # What else the person holds during the meeting: seats, one-to-one
    # meetings, other network meetings.
    clashes: list[str] = field(default_factory=list)


def member_rows(network: Network) -> list[MemberRow]:
    """Every member with their clashes; three queries."""
    rows = [MemberRow(m) for m in fellow_members(network)]
    if not rows or not network.has_meeting or network.cancelled:
        return rows
    held = clashes_of(network, [row.member.registration.attendee_id for row in rows])
    for row in rows:
        row.clashes = held.get(row.member.registration.attendee_id, [])
    return rows


def clashes_of(network: Network, person_ids: list[int]) -> dict[int, list[str]]:
    """person id -> what they hold that overlaps the network's meeting."""
    overlapping = (
        Commitment.objects.active()
        .overlapping(network.starts_at, network.ends_at)
        .filter(person_id__in=person_ids)
        .exclude(kind=Commitment.Kind.NETWORK, source_uuid=network.uuid)
        .select_related("event")
    )
    found = list(overlapping)
    sessions = dict(
        Session.objects.filter(
            uuid__in=[c.source_uuid for c in found if c.kind == Commitment.Kind.SEAT]
        ).values_list("uuid", "title")
    )
    held = defaultdict(list)
    for row in found:
        if row.kind == Commitment.Kind.SEAT:
            if network.session_id and row.source_uuid == network.session.uuid:
                continue  # a seat in the very session the network meets at
            held[row.person_id].append(sessions.get(row.source_uuid, ""))
        else:
            held[row.person_id].append(meeting_title(row))
    return dict(held)


def requests(network: Network) -> list[NetworkMember]:
    return list(
        network.members.filter(status=Status.REQUESTED)
        .select_related("registration__attendee")
        .order_by("created_at", "pk")
    )


def audience(session_ids) -> list[tuple[int, int]]:
    """(person id, session id) for members who will come to a network meeting
    held at one of these sessions: they are told when it changes."""
    return list(
        NetworkMember.objects.filter(
            network__session_id__in=session_ids,
            status=Status.MEMBER,
            reply=Reply.COMING,
            registration__status=Registration.Status.CONFIRMED,
        ).values_list("registration__attendee_id", "network__session_id")
    )


def networks_link(sender, *, event: Event, user, **kwargs) -> list[tuple[str, str]]:
    """The event page's "My networks" for a member (or one who asked to join)
    of one of the event's networks, in one query (events.signals.personal_links)."""
    belongs = NetworkMember.objects.filter(
        network__event=event,
        registration__attendee=user,
        registration__status=Registration.Status.CONFIRMED,
        status__in=(Status.MEMBER, Status.REQUESTED),
    ).exists()
    if not belongs:
        return []
    return [(_("My networks"), reverse("meetings:networks", args=[event.slug]))]
