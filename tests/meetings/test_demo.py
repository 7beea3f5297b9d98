"""The Spring Forum demo's meetings."""

from datetime import time

import pytest
from django.core.management import call_command
from django.test import override_settings

from events.models import Event
from meetings.models import (
    Meeting,
    MeetingBlock,
    MeetingRequest,
    Network,
    NetworkMember,
    Profile,
    Table,
)
from registrations.models import Commitment

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_load_demo_sets_up_a_meeting_block_profiles_and_requests_in_every_state():
    call_command("load_demo", stdout=None)
    first = (MeetingRequest.objects.count(), Meeting.objects.count())
    call_command("load_demo", stdout=None)

    forum = Event.objects.get(slug="spring-forum")
    block = MeetingBlock.objects.get(event=forum)
    starts = block.starts_at.astimezone(forum.tzinfo)
    assert (starts.date(), starts.time(), block.slot_minutes) == (
        forum.local_days()[1],
        time(15, 0),
        20,
    )
    assert Table.objects.filter(event=forum).count() == 30
    assert Profile.objects.filter(opted_in=True).count() == 6
    assert (MeetingRequest.objects.count(), Meeting.objects.count()) == first
    assert set(MeetingRequest.objects.values_list("status", flat=True)) == {
        "pending",
        "accepted",
        "declined",
        "countered",
        "cancelled",
        "expired",
    }
    assert sorted(Meeting.objects.values_list("status", flat=True)) == [
        "active",
        "active",
        "cancelled",
    ]


@override_settings(DEBUG=True)
def test_load_demo_sets_up_networks_with_members_and_answers():
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)

    forum = Event.objects.get(slug="spring-forum")
    networks = {
        n.name: n
        for n in Network.objects.filter(event=forum).prefetch_related("members")
    }
    assert sorted(networks) == [
        "Mobility coordinators",
        "Network of International Services",
        "Partnership officers",
    ]
    mobility = networks["Mobility coordinators"]
    assert mobility.session.kind == "network_meeting"
    assert {m.source for m in mobility.members.all()} == {"answer", "hand"}
    assert (
        networks["Network of International Services"]
        .members.filter(status="requested")
        .count()
        == 1
    )
    assert networks["Partnership officers"].session is None
    assert networks["Partnership officers"].room is not None
    replies = set(NetworkMember.objects.values_list("reply", flat=True))
    assert replies == {"", "coming", "not_coming"}
    coming = NetworkMember.objects.filter(reply="coming", status="member").count()
    assert Commitment.objects.active().filter(kind="network").count() == coming
