"""The admin's "view on site" never leads to a secret link.

The manage link of a registration, an invitation link and a personal calendar link
each work without signing in; the admin's shortcut view (/admin/r/<type>/<id>/)
redirects to a model's get_absolute_url for any staff account, so none of these
models may have one.
"""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from events.models import Event, EventOrganiser, Session
from registrations.models import Invitation, PersonalCalendar, Registration
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    InvitationFactory,
    PersonalCalendarFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def view_on_site(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.fixture
def secrets_of_one_event():
    event = EventFactory()
    registration = RegistrationFactory(event=event)
    invitation = InvitationFactory(event=event)
    calendar = PersonalCalendarFactory(user=registration.attendee)
    return event, [registration, invitation, calendar]


@pytest.fixture(params=["checkin_staff", "other_event_owner", "superuser"])
def staff(request, secrets_of_one_event):
    event, _objects = secrets_of_one_event
    if request.param == "checkin_staff":
        return EventOrganiserFactory(event=event, role=EventOrganiser.Role.CHECKIN).user
    if request.param == "other_event_owner":
        return EventOrganiserFactory(event=EventFactory()).user
    return UserFactory(is_staff=True, is_superuser=True)


def test_view_on_site_of_a_secret_link_is_404_for_every_staff_account(
    client, secrets_of_one_event, staff
):
    _event, objects = secrets_of_one_event
    client.force_login(staff)

    responses = [client.get(view_on_site(obj)) for obj in objects]

    # Superusers get 404; everyone else is sent to the organiser area, never on.
    if staff.is_superuser:
        assert [response.status_code for response in responses] == [404, 404, 404]
        assert [response.get("Location") for response in responses] == [None] * 3
    else:
        assert [response.get("Location") for response in responses] == [
            reverse("organise:index")
        ] * 3


def test_registration_change_page_shows_no_manage_link(
    admin_client, secrets_of_one_event
):
    client = admin_client  # the admin is for superusers
    _event, [registration, invitation, _calendar] = secrets_of_one_event

    pages = [
        client.get(
            reverse("admin:registrations_registration_change", args=[registration.pk])
        ),
        client.get(
            reverse("admin:registrations_invitation_change", args=[invitation.pk])
        ),
    ]

    assert [page.status_code for page in pages] == [200, 200]
    assert registration.manage_token not in pages[0].content.decode()
    assert invitation.token not in pages[1].content.decode()
    assert ["/admin/r/" in page.content.decode() for page in pages] == [False, False]


def test_only_public_pages_are_a_models_absolute_url():
    with_url = {
        model for model in apps.get_models() if hasattr(model, "get_absolute_url")
    }

    assert with_url == {Event, Session}
    assert not {Registration, Invitation, PersonalCalendar} & with_url
