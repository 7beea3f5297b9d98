"""A network member's agenda: the commitment their answer "coming" holds.

Called inside the caller's transaction, after its locks. A member who will
come holds the network meeting's time as a commitment of kind network (shown
in their feed and schedule, flagged against anything else they hold, never
refused); anyone else holds nothing, and a row they held stays cancelled with
its sequence raised, so their calendar strikes the entry. Each change to a
person's own entry raises its sequence past the meeting's and its own.
"""

from registrations.models import Commitment, Registration
from registrations.services.commitments import (
    hold_alongside,
    move_alongside,
    release_raising,
)

from ..models import Network, NetworkMember

KIND = Commitment.Kind.NETWORK


def place_of(network: Network) -> str:
    return network.room.name if network.room_id and network.room else ""


def holds_time(member: NetworkMember, network: Network) -> bool:
    return (
        network.has_meeting
        and not network.cancelled
        and member.status == NetworkMember.Status.MEMBER
        and member.reply == NetworkMember.Reply.COMING
        and member.registration.status == Registration.Status.CONFIRMED
    )


def follow_member(member: NetworkMember, network: Network) -> None:
    """Hold or release the member's time after a change to them or to it."""
    person = member.registration.attendee
    starts_at, ends_at = network.starts_at, network.ends_at
    if starts_at is None or ends_at is None or not holds_time(member, network):
        release_raising(
            kind=KIND,
            source_uuid=network.uuid,
            person=person,
            sequence=network.sequence,
        )
        return
    hold_alongside(
        person=person,
        event=network.event,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=KIND,
        source_uuid=network.uuid,
        sequence=network.sequence,
        title=network.name,
        location=place_of(network),
    )


def follow_network(network: Network) -> int:
    """Every member's agenda after the network's meeting changed; returns how
    many members hold its time now. The entries held move together; only a
    member whose own entry must appear or go is followed one by one."""
    starts_at, ends_at = network.starts_at, network.ends_at
    if network.cancelled or starts_at is None or ends_at is None:
        release_raising(kind=KIND, source_uuid=network.uuid, sequence=network.sequence)
        return 0
    holding = move_alongside(
        kind=KIND,
        source_uuid=network.uuid,
        starts_at=starts_at,
        ends_at=ends_at,
        sequence=network.sequence,
        title=network.name,
        location=place_of(network),
    )
    members = network.members.select_related(
        "registration__attendee", "network__event"
    ).filter(
        status=NetworkMember.Status.MEMBER,
        reply=NetworkMember.Reply.COMING,
    )
    held = 0
    for member in members:
        holds = holds_time(member, network)
        held += holds
        if holds != (member.registration.attendee_id in holding):
            follow_member(member, network)
    return held
