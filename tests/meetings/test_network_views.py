"""The network pages: a participant's own, and the organisers'."""

import pytest
from django.urls import reverse

from meetings.models import Network, NetworkMember
from meetings.services.network_members import add_member, request_to_join
from registrations.services.seats import take_seat
from tests.factories import EventOrganiserFactory, SessionFactory

from .network_helpers import network_at, network_event, registrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    event, _question, session = network_event()
    closed = network_at(event, session, name="Closed circle")
    asking = network_at(
        event, session, name="Open door", join_policy=Network.JoinPolicy.REQUEST
    )
    aino, bo = registrant(event, "Aino"), registrant(event, "Bo")
    add_member(network=closed, registration=aino)
    add_member(network=closed, registration=registrant(event, "Cai"))
    return event, session, closed, asking, aino, bo


def my_page(client, registration):
    client.force_login(registration.attendee)
    return client.get(
        reverse("meetings:networks", kwargs={"slug": registration.event.slug})
    )


def test_member_sees_the_network_its_meeting_and_fellow_members(client, world):
    _event, _session, closed, asking, aino, _bo = world

    response = my_page(client, aino)

    assert [
        (member.network.name, [o.registration.attendee.name for o in others])
        for member, others, _clashes in response.context["rows"]
    ] == [("Closed circle", ["Aino", "Cai"])]
    assert response.context["joinable"] == [asking]
    assert b"Sali 1" in response.content


def test_non_member_sees_no_closed_network_nor_its_members(client, world):
    _event, _session, _closed, asking, _aino, bo = world

    response = my_page(client, bo)

    assert response.context["rows"] == []
    assert response.context["joinable"] == [asking]
    assert b"Closed circle" not in response.content
    assert b"Cai" not in response.content


def test_someone_not_registered_is_refused(client, world):
    event, *_rest = world
    client.force_login(EventOrganiserFactory(event=event, role="checkin").user)

    response = client.get(reverse("meetings:networks", kwargs={"slug": event.slug}))

    assert response.status_code == 403


def test_reply_form_saves_the_answer_without_script(client, world):
    event, _session, closed, _asking, aino, bo = world
    client.force_login(aino.attendee)
    url = reverse(
        "meetings:network_answer", kwargs={"slug": event.slug, "network_id": closed.pk}
    )

    response = client.post(url, {"reply": "coming"})

    assert response.status_code == 302
    assert closed.members.get(registration=aino).reply == "coming"
    client.force_login(bo.attendee)
    assert client.post(url, {"reply": "coming"}).status_code == 404


def test_ask_to_join_from_the_page(client, world):
    event, _session, closed, asking, _aino, bo = world
    client.force_login(bo.attendee)

    client.post(
        reverse(
            "meetings:network_join",
            kwargs={"slug": event.slug, "network_id": asking.pk},
        )
    )
    refused = client.post(
        reverse(
            "meetings:network_join",
            kwargs={"slug": event.slug, "network_id": closed.pk},
        )
    )

    assert asking.members.get(registration=bo).status == NetworkMember.Status.REQUESTED
    assert refused.status_code == 404


def organiser(client, event, role):
    client.force_login(EventOrganiserFactory(event=event, role=role).user)


def test_organiser_sees_numbers_against_the_room_and_clashes(client, world):
    event, session, closed, _asking, aino, _bo = world
    workshop = SessionFactory(
        event=event,
        title="Workshop",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        signup_required=True,
    )
    take_seat(registration=aino, session=workshop)
    organiser(client, event, "editor")

    response = client.get(
        reverse("organise:meetings_network", args=[event.slug, closed.pk])
    )

    rows = {
        r.member.registration.attendee.name: r.clashes for r in response.context["rows"]
    }
    assert rows == {"Aino": ["Workshop"], "Cai": []}
    shown = response.context["numbers"]
    assert (shown.coming, shown.no_answer, shown.capacity) == (0, 2, 2)
    assert response.context["clash_count"] == 1


def test_organiser_creates_a_network_with_its_own_time(client, world):
    event, session, *_rest = world
    organiser(client, event, "owner")

    response = client.post(
        reverse("organise:meetings_network_new", args=[event.slug]),
        {
            "name": "Mobility coordinators",
            "join_policy": "open",
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-01T09:00",
        },
    )
    assert "The meeting must end after it starts." in response.content.decode()

    response = client.post(
        reverse("organise:meetings_network_new", args=[event.slug]),
        {
            "name": "Mobility coordinators",
            "join_policy": "open",
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-01T11:00",
            "room": session.room_id,
        },
    )

    created = Network.objects.get(name="Mobility coordinators")
    assert response.status_code == 302
    assert (created.join_policy, created.room, created.session) == (
        "open",
        session.room,
        None,
    )


def test_organiser_adds_removes_and_answers_requests(client, world):
    event, _session, closed, asking, aino, bo = world
    requested = request_to_join(network=asking, registration=bo)
    organiser(client, event, "editor")
    base = f"/organise/{event.slug}/meetings/networks/"

    client.post(f"{base}{asking.pk}/members/", {"registration": aino.pk})
    client.post(f"{base}{asking.pk}/requests/{requested.pk}/", {"action": "approve"})
    member = closed.members.get(registration=aino)
    client.post(f"{base}{closed.pk}/members/{member.pk}/remove/")

    assert sorted(
        asking.members.values_list("registration__attendee__name", "status")
    ) == [("Aino", "member"), ("Bo", "member")]
    assert closed.members.get(registration=aino).status == "removed"


def test_check_in_staff_are_refused_every_network_page(client, world):
    event, _session, closed, *_rest = world
    organiser(client, event, "checkin")
    base = f"/organise/{event.slug}/meetings/networks/"

    codes = [
        client.get(base).status_code,
        client.get(f"{base}{closed.pk}/").status_code,
        client.post(f"{base}{closed.pk}/members/", {}).status_code,
    ]

    assert codes == [403, 403, 403]
