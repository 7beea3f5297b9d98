"""A member's answer in the one agenda: feed, My schedule, moves, clashes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.services import sessions as schedule
from meetings.models import NetworkMember
from meetings.selectors_networks import member_rows, numbers
from meetings.services.network_members import add_member, remove_member, reply
from meetings.services.networks import save_network
from notifications.services.digests import notify_now
from registrations.models import Commitment
from registrations.services.seats import take_seat
from tests.factories import SessionFactory

from .network_helpers import feed_entry, network_at, network_event, registrant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uids_on_testserver")]


@pytest.fixture
def coming():
    """Aino, a member of a network meeting at a session, says she will come."""
    event, _question, session = network_event()
    network = network_at(event, session)
    aino = registrant(event, "Aino")
    member = reply(member=add_member(network=network, registration=aino), coming=True)
    return event, session, network, member


def test_coming_puts_the_meeting_in_the_feed_with_its_room(client, coming):
    _event, session, network, member = coming

    entry = feed_entry(client, member, network)

    assert (
        str(entry["summary"]),
        str(entry["location"]),
        int(entry["sequence"]),
        str(entry["status"]),
        entry.decoded("dtstart"),
    ) == (
        f"Network meeting: {network.name}",
        "Sali 1",
        0,
        "CONFIRMED",
        session.starts_at,
    )


def test_no_answer_or_not_coming_holds_nothing(client, coming):
    event, _session, network, member = coming
    bo = add_member(network=network, registration=registrant(event, "Bo"))

    assert feed_entry(client, bo, network) is None
    reply(member=member, coming=False)

    entry = feed_entry(client, member, network)
    assert str(entry["status"]) == "CANCELLED"
    assert not Commitment.objects.active().filter(source_uuid=network.uuid).exists()


def test_each_change_of_answer_raises_the_entrys_sequence(client, coming):
    event, session, network, member = coming
    seen = [int(feed_entry(client, member, network)["sequence"])]

    for coming_now in (False, True, False, True):
        member = reply(member=member, coming=coming_now)
        entry = feed_entry(client, member, network)
        seen.append(int(entry["sequence"]))
        assert str(entry["status"]) == ("CONFIRMED" if coming_now else "CANCELLED")
    later = session.starts_at + timedelta(hours=2)
    schedule.move_session(
        session=session, starts_at=later, ends_at=later + timedelta(hours=1)
    )
    seen.append(int(feed_entry(client, member, network)["sequence"]))

    # calendar apps take a change only with a higher SEQUENCE than they have seen
    assert seen == [0, 1, 2, 3, 4, 5]


def test_moved_session_moves_the_meeting_with_sequence_up_and_tells_the_member(
    client, coming, django_capture_on_commit_callbacks, mailoutbox
):
    event, session, network, member = coming
    feed_entry(client, member, network)
    later = session.starts_at + timedelta(hours=2)

    with django_capture_on_commit_callbacks(execute=True):
        schedule.move_session(
            session=session, starts_at=later, ends_at=later + timedelta(hours=1)
        )
        notify_now(event=event)
    entry = feed_entry(client, member, network)

    assert (str(entry["uid"]), int(entry["sequence"]), entry.decoded("dtstart")) == (
        f"network-{network.uuid}@testserver",
        1,
        later,
    )
    assert [m.to for m in mailoutbox] == [[member.registration.attendee.email]]


def test_cancelled_session_cancels_the_meeting_in_the_feed(client, coming):
    _event, session, network, member = coming

    schedule.cancel_session(session=session)
    entry = feed_entry(client, member, network)

    assert (str(entry["status"]), int(entry["sequence"])) == ("CANCELLED", 1)


def test_removed_member_loses_the_meeting(client, coming):
    _event, _session, network, member = coming

    remove_member(member=member)

    assert str(feed_entry(client, member, network)["status"]) == "CANCELLED"
    member.refresh_from_db()
    assert (member.status, member.reply) == (NetworkMember.Status.REMOVED, "")


def test_my_schedule_lists_the_meeting(client, coming):
    _event, session, network, member = coming
    client.force_login(member.registration.attendee)

    response = client.get("/registrations/schedule/")

    shown = [
        (item.title, item.room, item.starts_at, item.url)
        for _day, items in response.context["days"]
        for item in items
        if item.kind == "meeting"
    ]
    assert shown == [
        (
            f"Network meeting: {network.name}",
            "Sali 1",
            session.starts_at,
            f"/events/{network.event.slug}/meetings/networks/",
        )
    ]


def test_clash_with_a_seat_is_held_flagged_and_never_refused(client, coming):
    event, session, network, member = coming
    workshop = SessionFactory(
        event=event,
        title="Workshop",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        signup_required=True,
        capacity=10,
    )

    # A seat at the same time is taken (and the database's constraint lets
    # both rows stand), the network meeting stays in the agenda.
    take_seat(registration=member.registration, session=workshop)

    assert set(
        Commitment.objects.active()
        .filter(person=member.registration.attendee)
        .values_list("kind", flat=True)
    ) == {"seat", "network"}
    (row,) = member_rows(network)
    assert row.clashes == ["Workshop"]
    client.force_login(member.registration.attendee)
    days = client.get("/registrations/schedule/").context["days"]
    flagged = {item.title: item.clashes_with for _day, items in days for item in items}
    assert flagged["Workshop"] == [f"Network meeting: {network.name}"]


def test_a_seat_in_the_network_session_itself_is_no_clash(coming):
    _event, session, network, member = coming
    schedule.update_session(session=session, signup_required=True)

    take_seat(registration=member.registration, session=session)

    assert [row.clashes for row in member_rows(network)] == [[]]


def test_expected_numbers_against_the_room(coming):
    event, _session, network, _member = coming
    add_member(network=network, registration=registrant(event, "Bo"))
    cai = add_member(network=network, registration=registrant(event, "Cai"))
    reply(member=cai, coming=False)
    add_member(network=network, registration=registrant(event, "Dan"))

    shown = numbers(network, [row.member for row in member_rows(network)])

    assert (
        shown.coming,
        shown.no_answer,
        shown.not_coming,
        shown.capacity,
        shown.expected,
        shown.over_capacity,
    ) == (1, 2, 1, 2, 3, True)


def test_own_time_moved_by_the_organiser_moves_the_commitment(client, coming):
    event, session, network, member = coming
    later = session.starts_at + timedelta(days=1)

    moved = save_network(
        event=event,
        network=network,
        name=network.name,
        starts_at=later,
        ends_at=later + timedelta(minutes=45),
        room=session.room,
    )
    entry = feed_entry(client, member, network)

    assert (moved.session, moved.sequence) == (None, 1)
    assert (int(entry["sequence"]), entry.decoded("dtstart")) == (1, later)


def move_with_members(count: int) -> int:
    """Queries of a network session's move with `count` members coming."""
    event, _question, session = network_event()
    network = network_at(event, session)
    for n in range(count):
        member = add_member(network=network, registration=registrant(event, f"M{n}"))
        reply(member=member, coming=True)
    later = session.starts_at + timedelta(hours=3)
    with CaptureQueriesContext(connection) as queries:
        schedule.move_session(
            session=session, starts_at=later, ends_at=later + timedelta(hours=1)
        )
    held = Commitment.objects.active().filter(source_uuid=network.uuid)
    assert sorted(held.values_list("starts_at", "sequence")) == [(later, 1)] * count
    return len(queries)


def test_a_moved_network_moves_its_members_entries_in_constant_queries():
    # never a query or two per member: 3 members cost what 8 do
    assert move_with_members(3) == move_with_members(8)
