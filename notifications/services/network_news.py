"""Network news by email.

Welcoming a new network member: one message per membership, keyed
"network:<member id>:joined", so a repeat (or a member who left and joined
again) is never told twice. It names the network and its meeting and links to
"My networks", where the member says whether they will come.

An organiser's change to a network's meeting itself (its own time or room,
cancelled, restored): one message per member who is coming or has not answered,
keyed "network:<network id>:meeting:<sequence>:<member id>", so each change is
told once. A change already overtaken by a later one is not told (the later
one is). A linked session's move is told by the schedule digest instead.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from meetings.models import Network, NetworkMember
from registrations.models import Registration

from .outbox import store_messages
from .rendering import absolute, language_of, render_message

KIND = "network_member"
SUBJECT = _("You are a member of %(network)s: %(event)s")
CHANGE_KIND = "network_meeting"
CHANGE_SUBJECTS = {
    "moved": _("Network meeting moved: %(network)s, %(event)s"),
    "cancelled": _("Network meeting cancelled: %(network)s, %(event)s"),
    "restored": _("Network meeting on again: %(network)s, %(event)s"),
}


def compose_network_welcomes(member_ids: Iterable[int]) -> int:
    """Store the welcome of each of these members still a member; return how
    many were new."""
    with transaction.atomic():
        members = NetworkMember.objects.filter(
            pk__in=list(member_ids), status=NetworkMember.Status.MEMBER
        ).select_related(
            "network__event__venue", "network__room", "registration__attendee"
        )
        messages = []
        for member in members:
            person, network = member.registration.attendee, member.network
            if not person.email:
                continue
            event = network.event
            messages.append(
                render_message(
                    kind=KIND,
                    key=f"network:{member.pk}:joined",
                    event=event,
                    to_email=person.email,
                    language=language_of(person),
                    recipient=person,
                    registration=member.registration,
                    context={
                        "network": network,
                        "networks_url": absolute(
                            f"/events/{event.slug}/meetings/networks/"
                        ),
                    },
                    subject=_subject(SUBJECT, network, language_of(person)),
                )
            )
        return len(store_messages(messages))


def _subject(subject, network, language: str) -> str:
    with translation.override(language):
        return str(subject) % {"network": network.name, "event": network.event.title}


def compose_network_change(network_id: int, sequence: int, change: str) -> int:
    """Tell the members who are coming or have not answered of a change to the
    network's meeting; return how many messages are queued."""
    with transaction.atomic():
        network = (
            Network.objects.filter(pk=network_id, sequence=sequence)
            .select_related("event__venue", "room")
            .first()
        )
        if network is None or change not in CHANGE_SUBJECTS:
            return 0  # gone, or overtaken by a later change that is told instead
        event = network.event
        members = network.members.filter(
            status=NetworkMember.Status.MEMBER,
            reply__in=(NetworkMember.Reply.COMING, NetworkMember.Reply.NONE),
            registration__status=Registration.Status.CONFIRMED,
        ).select_related("registration__attendee")
        url = absolute(f"/events/{event.slug}/meetings/networks/")
        messages = []
        for member in members:
            person = member.registration.attendee
            if not person.email:
                continue
            language = language_of(person)
            messages.append(
                render_message(
                    kind=CHANGE_KIND,
                    key=f"network:{network.pk}:meeting:{sequence}:{member.pk}",
                    event=event,
                    to_email=person.email,
                    language=language,
                    recipient=person,
                    registration=member.registration,
                    context={"network": network, "change": change, "networks_url": url},
                    subject=_subject(CHANGE_SUBJECTS[change], network, language),
                )
            )
        return len(store_messages(messages))
