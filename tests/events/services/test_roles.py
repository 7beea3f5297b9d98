"""events.services roles: naming organisers; an event always keeps an owner."""

import pytest

from events import services
from events.models import EventOrganiser
from tests.factories import EventFactory, EventOrganiserFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = EventOrganiser.Role


def test_add_organiser_gives_the_role():
    event = EventFactory()
    person = UserFactory()

    organiser = services.add_organiser(event=event, user=person, role=Role.EDITOR)

    assert list(event.organisers.values_list("user", "role")) == [
        (person.pk, Role.EDITOR)
    ]
    assert organiser.role == Role.EDITOR


def test_add_organiser_refuses_a_second_role_and_an_unknown_one():
    event = EventFactory()
    existing = EventOrganiserFactory(event=event, role=Role.CHECKIN)

    with pytest.raises(services.RoleError, match="already in this event's team"):
        services.add_organiser(event=event, user=existing.user, role=Role.OWNER)
    with pytest.raises(services.RoleError, match="Choose one of the roles"):
        services.add_organiser(event=event, user=UserFactory(), role="boss")

    assert list(event.organisers.values_list("role", flat=True)) == [Role.CHECKIN]


def test_change_role_refuses_to_demote_the_last_owner():
    event = EventFactory()
    owner = EventOrganiserFactory(event=event, role=Role.OWNER)

    with pytest.raises(services.RoleError, match="at least one owner"):
        services.change_role(organiser=owner, role=Role.EDITOR)

    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_change_role_demotes_an_owner_when_another_remains():
    event = EventFactory()
    first = EventOrganiserFactory(event=event, role=Role.OWNER)
    EventOrganiserFactory(event=event, role=Role.OWNER)

    services.change_role(organiser=first, role=Role.CHECKIN)

    first.refresh_from_db()
    assert first.role == Role.CHECKIN


def test_remove_organiser_refuses_the_last_owner_and_removes_others():
    event = EventFactory()
    owner = EventOrganiserFactory(event=event, role=Role.OWNER)
    editor = EventOrganiserFactory(event=event, role=Role.EDITOR)

    with pytest.raises(services.RoleError, match="at least one owner"):
        services.remove_organiser(organiser=owner)
    services.remove_organiser(organiser=editor)

    assert list(event.organisers.values_list("pk", flat=True)) == [owner.pk]


def test_remove_organiser_of_someone_already_removed_says_so():
    event = EventFactory()
    EventOrganiserFactory(event=event, role=Role.OWNER)
    editor = EventOrganiserFactory(event=event, role=Role.EDITOR)
    EventOrganiser.objects.filter(pk=editor.pk).delete()

    with pytest.raises(services.RoleError, match="no longer in the event's team"):
        services.remove_organiser(organiser=editor)
