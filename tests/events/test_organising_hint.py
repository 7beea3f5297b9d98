"""The header's "Organise" link is kept per person in the cache and follows
their roles at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import EventOrganiser
from events.services import add_organiser, remove_organiser
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db

ORGANISE = f'href="{reverse("organise:index")}"'


def home(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("events:list")).content.decode()
    return html, [q["sql"] for q in queries.captured_queries]


def test_the_link_follows_roles_given_and_taken(client):
    event, person = EventFactory(), UserFactory()
    owner = EventOrganiser.objects.create(
        event=event, user=UserFactory(), role=EventOrganiser.Role.OWNER
    )
    client.force_login(person)
    assert ORGANISE not in home(client)[0]

    role = add_organiser(event=event, user=person, role="editor", actor=owner.user)
    assert ORGANISE in home(client)[0]

    remove_organiser(organiser=role, actor=owner.user)
    assert ORGANISE not in home(client)[0]


def test_the_roles_are_read_once_then_kept(client):
    event, person = EventFactory(), UserFactory()
    EventOrganiser.objects.create(event=event, user=person)
    client.force_login(person)
    table = EventOrganiser._meta.db_table

    first_html, first = home(client)
    _, second = home(client)

    assert ORGANISE in first_html
    assert sum(table in sql for sql in first) == 1
    assert not any(table in sql for sql in second)


def test_deleting_the_event_takes_the_link_away(client):
    event, person = EventFactory(), UserFactory()
    EventOrganiser.objects.create(event=event, user=person)
    client.force_login(person)
    assert ORGANISE in home(client)[0]

    event.delete()

    assert ORGANISE not in home(client)[0]
