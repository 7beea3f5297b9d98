"""A new network member is welcomed once, with a link to answer."""

import pytest

from meetings.models import Network
from meetings.services.network_members import (
    add_member,
    answer_join_request,
    remove_member,
    request_to_join,
)
from notifications.models import Message
from tests.meetings.network_helpers import network_at, network_event, registrant

pytestmark = pytest.mark.django_db


def test_member_added_by_hand_is_told_once(django_capture_on_commit_callbacks):
    event, _question, session = network_event()
    network = network_at(event, session)
    aino = registrant(event, "Aino")

    with django_capture_on_commit_callbacks(execute=True):
        member = add_member(network=network, registration=aino)
        add_member(network=network, registration=aino)
    with django_capture_on_commit_callbacks(execute=True):
        remove_member(member=member)
        add_member(network=network, registration=aino)

    (message,) = Message.objects.filter(kind="network_member")
    assert (message.to_email, message.key) == (
        aino.attendee.email,
        f"network:{member.pk}:joined",
    )
    assert message.subject == f"You are a member of {network.name}: {event.title}"
    assert f"/events/{event.slug}/meetings/networks/" in message.body_text
    assert "Sali 1" in message.body_text


def test_request_is_welcomed_only_when_approved(django_capture_on_commit_callbacks):
    event, _question, session = network_event()
    network = network_at(event, session, join_policy=Network.JoinPolicy.REQUEST)
    aino = registrant(event, "Aino")

    with django_capture_on_commit_callbacks(execute=True):
        asked = request_to_join(network=network, registration=aino)
    assert not Message.objects.filter(kind="network_member").exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer_join_request(member=asked, approve=True)

    assert Message.objects.filter(kind="network_member").count() == 1
