"""The organiser area's frame: the events a person organises, each event's home,
and who reaches them."""

import pytest
from django.urls import reverse

from events.models import EventOrganiser
from tests.factories import EventFactory, EventOrganiserFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = EventOrganiser.Role


def test_index_lists_only_the_events_a_person_organises_with_their_role(client):
    forum = EventFactory(title="Spring Forum")
    annual = EventFactory(title="Annual Meeting")
    EventFactory(title="Someone else's")
    person = EventOrganiserFactory(event=forum, role=Role.OWNER).user
    EventOrganiserFactory(event=annual, user=person, role=Role.CHECKIN)
    client.force_login(person)

    response = client.get(reverse("organise:index"))

    rows = [(event.title, role) for event, role in response.context["rows"]]
    assert sorted(rows) == [
        ("Annual Meeting", "Check-in staff"),
        ("Spring Forum", "Owner"),
    ]
    assert b"Someone else" not in response.content


def test_index_refuses_people_who_organise_nothing(client):
    client.force_login(UserFactory())

    response = client.get(reverse("organise:index"))

    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    event = EventFactory()

    for url in [reverse("organise:index"), reverse("organise:home", args=[event.slug])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_home_answers_404_for_an_event_the_person_has_no_role_in(client):
    mine, theirs = EventFactory(), EventFactory()
    client.force_login(EventOrganiserFactory(event=mine).user)

    assert client.get(reverse("organise:home", args=[theirs.slug])).status_code == 404
    assert (
        client.get(reverse("organise:home", args=["no-such-event"])).status_code == 404
    )


def test_home_shows_the_event_in_the_organiser_layout(client):
    event = EventFactory(title="Spring Forum <2027>")
    client.force_login(EventOrganiserFactory(event=event, role=Role.CHECKIN).user)

    response = client.get(reverse("organise:home", args=[event.slug]))

    assert response.status_code == 200
    assert response.context["event"] == event
    assert b"Spring Forum &lt;2027&gt;" in response.content
    # Check-in staff read the programme; settings and the team are not theirs.
    assert [item["label"] for item in response.context["navigation"]] == [
        "Home",
        "Registrations",
        "Check-in",
        "Sessions",
        "Rooms and venues",
        "Tracks",
        "Speakers",
        "Meetings",
        "Change log",
    ]
    assert response.context["navigation"][0]["current"] is True


def test_the_site_header_links_organisers_to_the_organiser_area(client):
    event = EventFactory()
    organiser = EventOrganiserFactory(event=event).user
    attendee = UserFactory()
    link = f'href="{reverse("organise:index")}"'.encode()

    client.force_login(attendee)
    assert link not in client.get(reverse("events:list")).content
    client.force_login(organiser)
    assert link in client.get(reverse("events:list")).content
