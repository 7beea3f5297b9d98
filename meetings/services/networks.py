"""The organiser's side of networks: naming them and setting their meeting.

A network meets at a session of the timetable (its time, room and status are
the session's, and follow it when it moves or is cancelled) or at a time and
room of its own. Every change of time, place or status raises the meeting's
sequence, and the agenda of every member who will come follows in the same
transaction.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from events.locks import lock_event
from events.models import Event, Room, ScheduleChange, Session
from registrations.models import Question

from ..models import Network
from ..signals import network_meeting_changed
from . import MeetingError
from .network_agenda import follow_network
from .network_members import sync_network

# What a member's calendar entry shows: a change to one of these raises SEQUENCE.
MEETING_FIELDS = ("starts_at", "ends_at", "room_id", "cancelled")


def _check(event: Event, session, question, choice, starts_at, ends_at):
    if session is not None and session.event_id != event.pk:
        raise MeetingError(_("That session belongs to another event."))
    if question is not None:
        if question.event_id != event.pk:
            raise MeetingError(_("That question belongs to another event."))
        if choice not in {value for value, _label in question.choice_pairs()}:
            raise MeetingError(_("Choose one of the question's answers."))
    if session is None and (starts_at is None) != (ends_at is None):
        raise MeetingError(_("Give both the start and the end, or neither."))
    if session is None and starts_at is not None and ends_at <= starts_at:
        raise MeetingError(_("The meeting must end after it starts."))


def take_session_time(network: Network) -> None:
    """Copy the linked session's time, room and status onto the network."""
    session = network.session
    if session is None:
        return
    network.starts_at, network.ends_at = session.starts_at, session.ends_at
    network.room = session.room
    network.cancelled = session.status == Session.Status.CANCELLED


def save_network(
    *,
    event: Event,
    network: Network | None = None,
    name: str,
    description: str = "",
    join_policy: str = Network.JoinPolicy.CLOSED,
    session: Session | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    room: Room | None = None,
    question: Question | None = None,
    choice: str = "",
    actor: User | None = None,
) -> Network:
    """Create or change a network; members from a newly linked answer join at
    once, and the members' agenda follows a new time or place."""
    _check(event, session, question, choice, starts_at, ends_at)
    with transaction.atomic():
        lock_event(event.pk)
        if network is None:
            network = Network(event=event)
        else:
            network = Network.objects.select_for_update().get(pk=network.pk)
        before = {f: getattr(network, f) for f in MEETING_FIELDS}
        network.name, network.description = name, description
        network.join_policy, network.session = join_policy, session
        network.starts_at, network.ends_at, network.room = starts_at, ends_at, room
        network.question, network.choice = question, choice if question else ""
        if session is not None:
            take_session_time(network)
        else:
            network.cancelled = False
        moved = network.pk and any(
            getattr(network, f) != before[f] for f in MEETING_FIELDS
        )
        if moved:
            network.sequence += 1
        try:
            with transaction.atomic():
                network.save()
        except IntegrityError as error:
            raise MeetingError(
                _("There is already a network of that name at this event.")
            ) from error
        if network.question_id:
            sync_network(network=network, actor=actor)
        if moved:
            follow_network(network)
            if network.has_meeting:
                _tell(network, "moved")
    return network


def _tell(network: Network, change: str) -> None:
    network_meeting_changed.send(
        sender=Network, network_id=network.pk, sequence=network.sequence, change=change
    )


def set_network_cancelled(
    *, network: Network, cancelled: bool, actor: User | None = None
) -> Network:
    """An organiser cancels a network's own meeting, or restores it. Every
    member's agenda follows (a cancelled entry keeps its UID with SEQUENCE up)
    and the members who are coming or have not answered are told once. A
    network meeting at a session follows the session instead."""
    with transaction.atomic():
        lock_event(network.event_id)
        network = (
            Network.objects.select_for_update(of=("self",))
            .select_related("event", "room")
            .get(pk=network.pk)
        )
        if network.session_id is not None:
            raise MeetingError(
                _("This network meets at a session: cancel or restore the session.")
            )
        if not network.has_meeting:
            raise MeetingError(_("This network has no meeting time."))
        if network.cancelled == cancelled:
            return network
        network.cancelled = cancelled
        network.sequence += 1
        network.save(update_fields=["cancelled", "sequence"])
        follow_network(network)
        _tell(network, "cancelled" if cancelled else "restored")
    return network


def follow_schedule_changes(sender, *, changes, **kwargs) -> None:
    """Networks meeting at a moved, cancelled or restored session follow it,
    in the session's own transaction, with their sequence up (the seat
    commitments follow the same changes in registrations)."""
    kinds = {
        ScheduleChange.Kind.MOVED,
        ScheduleChange.Kind.CHANGED,
        ScheduleChange.Kind.CANCELLED,
        ScheduleChange.Kind.RESTORED,
    }
    session_ids = {c.session_id for c in changes if c.session_id and c.kind in kinds}
    if not session_ids:
        return
    networks = Network.objects.filter(session_id__in=session_ids).select_related(
        "session__room", "event"
    )
    for network in networks.select_for_update(of=("self",)).order_by("pk"):
        before = {f: getattr(network, f) for f in MEETING_FIELDS}
        take_session_time(network)
        if all(getattr(network, f) == before[f] for f in MEETING_FIELDS):
            continue
        network.sequence += 1
        network.save(
            update_fields=["starts_at", "ends_at", "room", "cancelled", "sequence"]
        )
        follow_network(network)


def delete_network(*, network: Network, actor: User | None = None) -> None:
    """Delete a network nobody has ever belonged to or asked to join; one
    with member rows keeps them (cancel its meeting instead)."""
    with transaction.atomic():
        lock_event(network.event_id)
        network = Network.objects.select_for_update().get(pk=network.pk)
        if network.members.exists():
            raise MeetingError(
                _("This network has members: cancel its meeting instead.")
            )
        network.delete()
