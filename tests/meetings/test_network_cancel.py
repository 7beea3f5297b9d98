"""An organiser cancels a network's own meeting (and restores it), and the
event page leads a member to "My networks"."""

from datetime import timedelta

import pytest
from django.urls import reverse

from meetings.models import Network
from meetings.services import MeetingError
from meetings.services.network_members import (
    add_member,
    remove_member,
    reply,
    request_to_join,
)
from meetings.services.networks import delete_network, set_network_cancelled
from registrations.models import Commitment, PersonalCalendar
from tests.events.icalcheck import parse
from tests.factories import EventOrganiserFactory

from .network_helpers import feed_entry, network_at, network_event, registrant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uids_on_testserver")]


@pytest.fixture
def own():
    """Aino will come to a network meeting at a time and room of its own."""
    event, _question, session = network_event()
    network = network_at(
        event,
        starts_at=session.starts_at,
        ends_at=session.ends_at + timedelta(minutes=30),
        room=session.room,
    )
    member = reply(
        member=add_member(network=network, registration=registrant(event, "Aino")),
        coming=True,
    )
    return event, network, member


def cancel_url(network):
    return reverse(
        "organise:meetings_network_cancel", args=[network.event.slug, network.pk]
    )


def test_cancelling_strikes_the_meeting_in_the_feed_with_sequence_up(client, own):
    _event, network, member = own

    set_network_cancelled(network=network, cancelled=True)
    entry = feed_entry(client, member, network)

    assert (str(entry["status"]), int(entry["sequence"])) == ("CANCELLED", 1)
    assert not Commitment.objects.active().filter(source_uuid=network.uuid).exists()


def test_restoring_brings_the_meeting_back_with_sequence_up(client, own):
    _event, network, member = own

    set_network_cancelled(network=network, cancelled=True)
    set_network_cancelled(network=network, cancelled=False)

    (row,) = Commitment.objects.filter(source_uuid=network.uuid)
    assert (row.status, row.sequence) == ("active", 2)
    calendar, _created = PersonalCalendar.objects.get_or_create(
        user=member.registration.attendee
    )
    feed = parse(client.get(f"/calendar/{calendar.token}.ics").content)
    (entry,) = [
        e for e in feed.walk("VEVENT") if str(e["uid"]).startswith("network-")
    ]  # one entry, not a struck one beside a live one
    assert (str(entry["status"]), int(entry["sequence"])) == ("CONFIRMED", 2)


def test_a_meeting_at_a_session_follows_the_session_instead():
    event, _question, session = network_event()
    network = network_at(event, session)

    with pytest.raises(MeetingError, match="cancel or restore the session"):
        set_network_cancelled(network=network, cancelled=True)
    network.refresh_from_db()
    assert (network.cancelled, network.sequence) == (False, 0)


def test_confirmation_page_changes_nothing_then_post_cancels(client, own):
    event, network, _member = own
    client.force_login(EventOrganiserFactory(event=event, role="editor").user)

    shown = client.get(cancel_url(network))
    network.refresh_from_db()
    assert shown.status_code == 200
    assert b"Cancel the meeting" in shown.content
    assert (network.cancelled, network.sequence) == (False, 0)

    done = client.post(cancel_url(network))
    network.refresh_from_db()
    assert done.status_code == 302
    assert (network.cancelled, network.sequence) == (True, 1)
    page = client.get(done["Location"]).content.decode()
    assert "Restore the meeting" in page

    client.post(
        reverse("organise:meetings_network_restore", args=[event.slug, network.pk])
    )
    network.refresh_from_db()
    assert (network.cancelled, network.sequence) == (False, 2)


def test_check_in_staff_cannot_cancel(client, own):
    event, network, _member = own
    client.force_login(EventOrganiserFactory(event=event, role="checkin").user)

    assert client.post(cancel_url(network)).status_code == 403
    network.refresh_from_db()
    assert network.cancelled is False


def test_event_page_links_a_member_to_my_networks(client, own):
    event, _network, member = own
    client.force_login(member.registration.attendee)

    html = client.get(event.get_absolute_url()).content.decode()

    assert reverse("meetings:networks", args=[event.slug]) in html


def test_event_page_links_one_who_asked_to_join(client):
    event, _question, session = network_event()
    asking = network_at(event, session, join_policy=Network.JoinPolicy.REQUEST)
    bo = registrant(event, "Bo")
    request_to_join(network=asking, registration=bo)
    client.force_login(bo.attendee)

    html = client.get(event.get_absolute_url()).content.decode()

    assert reverse("meetings:networks", args=[event.slug]) in html


def test_event_page_has_no_link_for_others_and_no_query_for_visitors(
    client, own, django_assert_num_queries
):
    event, _network, _member = own
    url = reverse("meetings:networks", args=[event.slug])
    client.get(event.get_absolute_url())  # warm caches

    with django_assert_num_queries(1):  # the event
        anonymous = client.get(event.get_absolute_url()).content.decode()
    client.force_login(registrant(event, "Cai").attendee)
    other = client.get(event.get_absolute_url()).content.decode()

    assert url not in anonymous
    assert url not in other


def test_a_network_without_members_is_deleted_after_confirming(client):
    event, _question, session = network_event()
    empty = network_at(event, session, name="Nobody yet")
    client.force_login(EventOrganiserFactory(event=event, role="editor").user)
    url = reverse("organise:meetings_network_delete", args=[event.slug, empty.pk])

    assert client.get(url).status_code == 200
    assert Network.objects.filter(pk=empty.pk).exists()
    done = client.post(url)

    assert done["Location"] == reverse("organise:meetings_networks", args=[event.slug])
    assert not Network.objects.filter(pk=empty.pk).exists()


def test_a_network_that_had_members_is_kept(client, own):
    event, network, member = own
    remove_member(member=member)
    client.force_login(EventOrganiserFactory(event=event, role="editor").user)

    client.post(
        reverse("organise:meetings_network_delete", args=[event.slug, network.pk])
    )

    assert Network.objects.filter(pk=network.pk).exists()
    with pytest.raises(MeetingError, match="has members"):
        delete_network(network=network)
