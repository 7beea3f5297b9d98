"""Welcoming a new network member: one message per membership, keyed
"network:<member id>:joined", so a repeat (or a member who left and joined
again) is never told twice. It names the network and its meeting and links to
"My networks", where the member says whether they will come."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from meetings.models import NetworkMember

from .outbox import store_messages
from .rendering import absolute, language_of, render_message

KIND = "network_member"
SUBJECT = _("You are a member of %(network)s: %(event)s")


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
                    subject=str(SUBJECT)
                    % {"network": network.name, "event": event.title},
                )
            )
        return len(store_messages(messages))
