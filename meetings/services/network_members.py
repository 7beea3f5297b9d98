"""Who belongs to a network, and whether they will come to its meeting.

Members join from a registration answer (kept in step as answers change),
are added by an organiser, or ask to join when the network allows it. Rows are
never deleted: a removed member or a declined request keeps its row, so an
answer sync does not bring the person back against the organiser's decision.
Only confirmed registrations are members; one that is cancelled leaves every
network, and its agenda with it, in the same transaction.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from registrations.models import Activity, Answer, Registration

from ..models import Network, NetworkMember
from ..signals import network_members_joined
from . import MeetingError
from .network_agenda import follow_member

Status = NetworkMember.Status
Source = NetworkMember.Source
# Rows an answer sync may (re)make a member: never an organiser's decision.
ANSWER_MAY_JOIN = (Status.LEFT,)


def _picked(value, choice: str) -> bool:
    if isinstance(value, list):
        return choice in value
    return value == choice


def _lock_network(network_id: int) -> None:
    """The network's row first: a member's change and a move of the meeting
    (networks.follow_schedule_changes, save_network) write the same commitments,
    so they queue here rather than race for them."""
    Network.objects.select_for_update().filter(pk=network_id).first()


def _lock_member(member: NetworkMember) -> NetworkMember:
    _lock_network(member.network_id)
    return (
        NetworkMember.objects.select_for_update(of=("self",))
        .select_related("network__event", "network__room", "registration__attendee")
        .get(pk=member.pk)
    )


def _set_status(member: NetworkMember, status: str, source: str | None = None):
    member.status = status
    if source:
        member.source = source
    if status != Status.MEMBER:
        member.reply, member.replied_at = NetworkMember.Reply.NONE, None
    member.save()
    follow_member(member, member.network)


def _join(network: Network, registration: Registration, source: str, status: str):
    """Make or change the person's row; returns it, or None when an earlier
    decision (removed, declined) stands against an answer."""
    _lock_network(network.pk)
    member = (
        NetworkMember.objects.select_for_update(of=("self",))
        .filter(network=network, registration=registration)
        .first()
    )
    if member is None:
        member = NetworkMember.objects.create(
            network=network, registration=registration, source=source, status=status
        )
        _tell_if_joined(member)
        return member
    member.network, member.registration = network, registration
    if source == Source.ANSWER and member.status not in ANSWER_MAY_JOIN:
        return None
    if member.status != status:
        _set_status(member, status, source)
        _tell_if_joined(member)
    return member


def _tell_if_joined(member: NetworkMember) -> None:
    """Notifications welcomes a new member (once per membership row)."""
    if member.status == Status.MEMBER:
        network_members_joined.send(sender=NetworkMember, member_ids=[member.pk])


def sync_network(*, network: Network, actor: User | None = None) -> int:
    """Every confirmed registration that picked the network's answer joins;
    members from that answer who no longer pick it leave. Returns the members
    from the answer after the sync."""
    if not network.question_id:
        return 0
    with transaction.atomic():
        answers = Answer.objects.filter(
            question_id=network.question_id,
            registration__status=Registration.Status.CONFIRMED,
        ).select_related("registration__attendee")
        picked = {
            a.registration_id: a.registration
            for a in answers
            if _picked(a.value, network.choice)
        }
        members = set(
            network.members.filter(status=Status.MEMBER).values_list(
                "registration_id", flat=True
            )
        )
        for registration in picked.values():
            if registration.pk not in members:  # a member already: nothing to do
                _join(network, registration, Source.ANSWER, Status.MEMBER)
        gone = network.members.filter(
            source=Source.ANSWER, status=Status.MEMBER
        ).exclude(registration_id__in=list(picked))
        for member in gone.select_related("registration__attendee"):
            member.network = network
            _set_status(member, Status.LEFT)
        return network.members.filter(
            source=Source.ANSWER, status=Status.MEMBER
        ).count()


def sync_registration(*, registration: Registration, actor: User | None = None):
    """The person's networks after their registration or answers changed: a
    confirmed registration follows its answers; any other leaves them all."""
    with transaction.atomic():
        if registration.status != Registration.Status.CONFIRMED:
            rows = NetworkMember.objects.filter(
                registration=registration,
                status__in=(Status.MEMBER, Status.REQUESTED),
            ).select_related("network__event", "network__room")
            for member in rows.select_for_update(of=("self",)):
                member.registration = registration
                _set_status(member, Status.LEFT)
            return
        networks = Network.objects.filter(
            event_id=registration.event_id, question__isnull=False
        ).select_related("event", "room")
        if not networks:
            return
        answers = dict(registration.answers.values_list("question_id", "value"))
        for network in networks:
            if _picked(answers.get(network.question_id or 0), network.choice):
                _join(network, registration, Source.ANSWER, Status.MEMBER)
                continue
            leaving = network.members.filter(
                registration=registration, source=Source.ANSWER, status=Status.MEMBER
            ).first()
            if leaving is not None:
                leaving.network, leaving.registration = network, registration
                _set_status(leaving, Status.LEFT)


def add_member(
    *, network: Network, registration: Registration, actor: User | None = None
) -> NetworkMember:
    """An organiser adds a confirmed participant of the event (also one they
    removed before, or whose request they declined)."""
    if registration.event_id != network.event_id:
        raise MeetingError(_("That person is registered for another event."))
    if registration.status != Registration.Status.CONFIRMED:
        raise MeetingError(_("Only confirmed participants can be members."))
    with transaction.atomic():
        member = _join(network, registration, Source.HAND, Status.MEMBER)
    assert member is not None  # noqa: S101 - only an answer sync is refused
    return member


def remove_member(*, member: NetworkMember, actor: User | None = None) -> None:
    """An organiser takes a member out; their agenda no longer holds the
    meeting, and an answer sync does not bring them back."""
    with transaction.atomic():
        member = _lock_member(member)
        if member.status == Status.MEMBER:
            _set_status(member, Status.REMOVED)


def request_to_join(
    *, network: Network, registration: Registration, actor: User | None = None
) -> NetworkMember:
    """A participant asks to join: at once in an open network, for the
    organisers to approve in one that takes requests; refused in a closed one
    or after a decision against them."""
    if network.join_policy == Network.JoinPolicy.CLOSED:
        raise MeetingError(_("This network does not take requests to join."))
    if registration.status != Registration.Status.CONFIRMED:
        raise MeetingError(_("Only confirmed participants can join a network."))
    if registration.event_id != network.event_id:
        raise MeetingError(_("That network belongs to another event."))
    status = (
        Status.MEMBER
        if network.join_policy == Network.JoinPolicy.OPEN
        else Status.REQUESTED
    )
    with transaction.atomic():
        _lock_network(network.pk)
        member = (
            NetworkMember.objects.select_for_update(of=("self",))
            .filter(network=network, registration=registration)
            .first()
        )
        if member is not None and member.status in (Status.DECLINED, Status.REMOVED):
            raise MeetingError(_("The organisers have decided on your membership."))
        if member is not None and member.status in (Status.MEMBER, Status.REQUESTED):
            return member
        return _join(network, registration, Source.REQUEST, status) or member  # type: ignore[return-value]


def answer_join_request(
    *, member: NetworkMember, approve: bool, actor: User | None = None
) -> NetworkMember:
    """An organiser approves or declines a request to join."""
    with transaction.atomic():
        member = _lock_member(member)
        if member.status != Status.REQUESTED:
            raise MeetingError(_("That request has been answered already."))
        _set_status(member, Status.MEMBER if approve else Status.DECLINED)
        _tell_if_joined(member)
    return member


def reply(
    *, member: NetworkMember, coming: bool, actor: User | None = None
) -> NetworkMember:
    """A member says whether they will come. "Coming" puts the meeting in
    their agenda (and in every clash flag); "not coming" takes it out."""
    with transaction.atomic():
        member = _lock_member(member)
        if member.status != Status.MEMBER:
            raise MeetingError(_("You are not a member of this network."))
        if member.registration.status != Registration.Status.CONFIRMED:
            raise MeetingError(_("Only confirmed participants can answer."))
        member.reply = (
            NetworkMember.Reply.COMING if coming else NetworkMember.Reply.NOT_COMING
        )
        member.replied_at = timezone.now()
        member.save(update_fields=["reply", "replied_at", "updated_at"])
        follow_member(member, member.network)
    return member


# Facts after which a registration's networks may differ: it became confirmed,
# its answers changed, or it stopped being confirmed. Seats, check-ins and
# reminders cost no query here.
SYNC_VERBS = {
    Activity.Verb.CONFIRMED,
    Activity.Verb.PROMOTED,
    Activity.Verb.OFFER_ACCEPTED,
    Activity.Verb.APPROVED,
    Activity.Verb.INVITATION_ACCEPTED,
    Activity.Verb.ANSWERS_CHANGED,
    Activity.Verb.TYPE_CHANGED,
}


def on_activity_recorded(sender, *, activities, **kwargs) -> None:
    """Keep networks in step with registrations and answers.

    A registration that is no longer confirmed leaves its networks inside the
    causing transaction (its agenda must not outlive it). One that became
    confirmed or changed its answers joins right after that transaction
    commits, in a transaction of its own: registering is the busiest write, and
    its locks are not held for a membership derived from an answer (an
    organiser's save of the network syncs every member again)."""
    later: dict[int, User | None] = {}
    for activity in activities:
        registration = activity.registration if activity.registration_id else None
        if registration is None or registration.pk in later:
            continue
        if registration.status != Registration.Status.CONFIRMED:
            sync_registration(registration=registration, actor=activity.actor)
        elif activity.verb in SYNC_VERBS:
            later[registration.pk] = activity.actor
    if later:
        transaction.on_commit(lambda: sync_after_commit(later), robust=True)


def sync_answer_networks(now=None) -> int:
    """Every network whose members come from an answer, of an event not over yet,
    synced with the answers; returns how many. The join after a registration's
    commit (on_activity_recorded) is lost if its process dies in between: this
    periodic run makes it up."""
    networks = Network.objects.filter(
        question__isnull=False, event__ends_at__gt=now or timezone.now()
    ).select_related("event", "room")
    for network in networks:
        sync_network(network=network)
    return len(networks)


def sync_after_commit(actors: dict[int, User | None]) -> None:
    for registration in Registration.objects.filter(pk__in=list(actors)).order_by("pk"):
        sync_registration(registration=registration, actor=actors[registration.pk])
