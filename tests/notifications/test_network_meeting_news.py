"""Members are told once of an organiser's change to a network's own meeting."""

from datetime import UTC, datetime, timedelta

import pytest

from events.services import sessions as schedule
from meetings.services.network_members import add_member, reply
from meetings.services.networks import save_network, set_network_cancelled
from notifications.models import Message
from notifications.services.network_news import compose_network_change
from registrations.services.registering import register_attendee
from tests.factories import UserFactory
from tests.meetings.network_helpers import network_at, network_event, registrant

pytestmark = pytest.mark.django_db

NOON_UTC = datetime(2030, 5, 7, 9, 0, tzinfo=UTC)  # 12.00 in Helsinki


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """A network with its own time: Aino coming, Bo not answered, Cai not coming."""
    event, _question, session = network_event()
    with django_capture_on_commit_callbacks(execute=True):
        network = network_at(
            event,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            room=session.room,
        )
        people = {}
        for name in ("Aino", "Bo", "Cai"):
            people[name] = add_member(
                network=network, registration=registrant(event, name)
            )
        reply(member=people["Aino"], coming=True)
        reply(member=people["Cai"], coming=False)
    return event, session, network, people


def move(network, starts_at, room=None):
    return save_network(
        event=network.event,
        network=network,
        name=network.name,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        room=room or network.room,
    )


def changes():
    return Message.objects.filter(kind="network_meeting").order_by("to_email")


def test_moving_the_own_time_tells_those_coming_or_not_answered_once(
    world, django_capture_on_commit_callbacks
):
    _event, _session, network, people = world

    with django_capture_on_commit_callbacks(execute=True):
        moved = move(network, NOON_UTC)
    compose_network_change(network.pk, moved.sequence, "moved")  # a repeat

    told = {m.to_email: m for m in changes()}
    emails = {name: m.registration.attendee.email for name, m in people.items()}
    assert set(told) == {emails["Aino"], emails["Bo"]}
    message = told[emails["Aino"]]
    assert message.key == f"network:{network.pk}:meeting:1:{people['Aino'].pk}"
    assert message.subject == (
        f"Network meeting moved: {network.name}, {network.event.title}"
    )
    assert "7 May 2030, 12:00–12:45" in message.body_text  # Helsinki, not UTC
    assert "Sali 1" in message.body_text
    assert f"/events/{network.event.slug}/meetings/networks/" in message.body_text


def test_each_change_is_told_and_an_overtaken_one_is_not(
    world, django_capture_on_commit_callbacks
):
    _event, _session, network, _people = world

    with django_capture_on_commit_callbacks(execute=True):
        network = move(network, NOON_UTC)
    with django_capture_on_commit_callbacks(execute=True):
        network = move(network, NOON_UTC + timedelta(hours=1))

    assert sorted({m.key.split(":")[3] for m in changes()}) == ["1", "2"]
    assert compose_network_change(network.pk, 1, "moved") == 0  # overtaken


def test_saving_without_a_change_tells_nobody(
    world, django_capture_on_commit_callbacks
):
    _event, _session, network, _people = world

    with django_capture_on_commit_callbacks(execute=True):
        move(network, network.starts_at)  # ends 45 min later: a change
    count = changes().count()
    with django_capture_on_commit_callbacks(execute=True):
        again = move(network, network.starts_at)

    assert again.sequence == 1
    assert changes().count() == count == 2


def test_the_message_is_in_the_members_language(
    world, django_capture_on_commit_callbacks
):
    event, _session, network, _people = world
    finn = register_attendee(
        event=event, attendee=UserFactory(name="Eino", preferred_language="fi")
    )
    with django_capture_on_commit_callbacks(execute=True):
        add_member(network=network, registration=finn)
        move(network, NOON_UTC)

    message = changes().get(to_email=finn.attendee.email)
    assert message.language == "fi"
    assert message.subject.startswith("Verkoston tapaaminen siirtyi")
    assert "12.00" in message.body_text


def test_cancel_and_restore_are_told_once_each(
    world, django_capture_on_commit_callbacks
):
    _event, _session, network, people = world

    with django_capture_on_commit_callbacks(execute=True):
        set_network_cancelled(network=network, cancelled=True)
        set_network_cancelled(network=network, cancelled=True)  # no change
    with django_capture_on_commit_callbacks(execute=True):
        set_network_cancelled(network=network, cancelled=False)

    aino = people["Aino"].registration.attendee.email
    assert [m.subject.split(":")[0] for m in changes().filter(to_email=aino)] == [
        "Network meeting cancelled",
        "Network meeting on again",
    ]
    assert changes().count() == 4


def test_a_linked_sessions_move_is_told_by_the_digest_only(
    django_capture_on_commit_callbacks,
):
    event, _question, session = network_event()
    with django_capture_on_commit_callbacks(execute=True):
        network = network_at(event, session)
        reply(
            member=add_member(network=network, registration=registrant(event, "A")),
            coming=True,
        )
    later = session.starts_at + timedelta(hours=2)

    with django_capture_on_commit_callbacks(execute=True):
        schedule.move_session(
            session=session, starts_at=later, ends_at=later + timedelta(hours=1)
        )

    network.refresh_from_db()
    assert network.sequence == 1
    assert not changes().exists()
