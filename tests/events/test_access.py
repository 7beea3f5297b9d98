"""The access policy: what each role may do to its event, and nothing elsewhere."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from events import access
from events.access import Capability
from events.models import Event, EventOrganiser
from tests.factories import EventFactory, EventOrganiserFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = EventOrganiser.Role
C = Capability


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_each_role_has_exactly_its_capabilities():
    table = access.ROLE_CAPABILITIES

    assert table == {
        Role.OWNER: {
            C.VIEW_EVENT, C.EDIT_PROGRAMME, C.VIEW_REGISTRATIONS,
            C.MANAGE_REGISTRATIONS, C.SEE_SENSITIVE_ANSWERS, C.CHECK_IN,
            C.VIEW_MESSAGES, C.SEND_MESSAGES, C.MANAGE_ROLES, C.MANAGE_SETTINGS,
            C.CREATE_EVENTS,
        },
        Role.EDITOR: {
            C.VIEW_EVENT, C.EDIT_PROGRAMME, C.VIEW_REGISTRATIONS,
            C.MANAGE_REGISTRATIONS, C.SEE_SENSITIVE_ANSWERS, C.CHECK_IN,
            C.VIEW_MESSAGES, C.SEND_MESSAGES,
        },
        Role.CHECKIN: {C.VIEW_EVENT, C.VIEW_REGISTRATIONS, C.CHECK_IN},
    }  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
def test_a_role_acts_on_its_own_event_only(role):
    mine, theirs = EventFactory(), EventFactory()
    user = EventOrganiserFactory(event=mine, role=role).user
    request = request_of(user)

    allowed = {c for c in Capability if access.may(request, c, mine.pk)}

    assert allowed == access.ROLE_CAPABILITIES[role]
    assert not any(access.may(request, c, theirs.pk) for c in Capability)
    assert access.event_ids(request, C.VIEW_EVENT) == {mine.pk}
    assert list(access.events(request, C.CHECK_IN)) == [mine]


def test_superusers_may_do_everything_everywhere():
    event = EventFactory()
    request = request_of(UserFactory(is_superuser=True, is_staff=True))

    assert all(access.may(request, c, event.pk) for c in Capability)
    assert access.event_ids(request, C.DELETE_EVENT) is None
    assert access.role_for(request, event.pk) == Role.OWNER


@pytest.mark.parametrize(
    "user",
    [
        lambda: AnonymousUser(),
        lambda: UserFactory(is_staff=True),  # staff, organising nothing
        lambda: EventOrganiserFactory(user__is_active=False).user,
        lambda: UserFactory(is_superuser=True, is_staff=True, is_active=False),
    ],
    ids=["anonymous", "staff", "inactive organiser", "inactive superuser"],
)
def test_others_may_do_nothing(user):
    event = EventFactory()
    request = request_of(user())

    assert not any(access.may(request, c, event.pk) for c in Capability)
    assert not any(access.may_somewhere(request, c) for c in Capability)
    assert access.role_for(request, event.pk) is None


def test_the_role_decides_not_is_staff():
    membership = EventOrganiserFactory(role=Role.EDITOR, user__is_staff=False)

    request = request_of(membership.user)

    assert access.may(request, C.EDIT_PROGRAMME, membership.event_id)


def test_scope_limits_rows_to_the_events_allowing_the_capability():
    owned, staffed, foreign = EventFactory(), EventFactory(), EventFactory()
    user = EventOrganiserFactory(event=owned, role=Role.OWNER).user
    EventOrganiserFactory(event=staffed, user=user, role=Role.CHECKIN)
    request = request_of(user)

    def ids(capability):
        scoped = access.scope(Event.objects.all(), request, capability, field="pk")
        return sorted(scoped.values_list("pk", flat=True))

    assert ids(C.CHECK_IN) == sorted([owned.pk, staffed.pk])
    assert ids(C.SEND_MESSAGES) == [owned.pk]
    assert foreign.pk not in ids(C.VIEW_EVENT)


def test_get_event_or_404_is_404_without_a_role_and_403_without_the_capability():
    staffed, foreign = EventFactory(), EventFactory()
    request = request_of(EventOrganiserFactory(event=staffed, role=Role.CHECKIN).user)

    assert access.get_event_or_404(request, staffed.pk, C.CHECK_IN) == (
        staffed,
        Role.CHECKIN,
    )
    with pytest.raises(PermissionDenied):
        access.get_event_or_404(request, staffed.pk, C.SEND_MESSAGES)
    with pytest.raises(Http404):
        access.get_event_or_404(request, foreign.pk, C.CHECK_IN)
    with pytest.raises(Http404):
        access.get_event_or_404(request, foreign.pk + 1000, C.CHECK_IN)


def test_require_refuses_when_any_event_is_not_allowed():
    owned, staffed = EventFactory(), EventFactory()
    user = EventOrganiserFactory(event=owned, role=Role.OWNER).user
    EventOrganiserFactory(event=staffed, user=user, role=Role.CHECKIN)
    request = request_of(user)

    access.require(request, C.SEND_MESSAGES, [owned.pk])
    with pytest.raises(PermissionDenied):
        access.require(request, C.SEND_MESSAGES, [owned.pk, staffed.pk])


def test_roles_are_read_once_per_request(django_assert_num_queries):
    membership = EventOrganiserFactory(role=Role.EDITOR)
    request = request_of(membership.user)

    with django_assert_num_queries(1):
        for capability in Capability:
            access.may(request, capability, membership.event_id)
            access.may_somewhere(request, capability)


@pytest.mark.parametrize("role", list(Role))
def test_user_may_answers_as_may_without_a_request(role):
    mine, theirs = EventFactory(), EventFactory()
    user = EventOrganiserFactory(event=mine, role=role).user

    allowed = {c for c in Capability if access.user_may(user, c, mine.pk)}

    assert allowed == access.ROLE_CAPABILITIES[role]
    assert not any(access.user_may(user, c, theirs.pk) for c in Capability)
    assert not access.user_may(AnonymousUser(), C.VIEW_EVENT, mine.pk)
