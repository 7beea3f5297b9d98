"""The registrations and invitations admin, for superusers: every event's rows,
read-only, with answers and history; no actions (those are in the organiser area,
behind a confirmation)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from registrations.models import Activity, Answer, Invitation, Registration
from registrations.services.questions import create_default_questions
from tests.factories import (
    EventFactory,
    InvitationFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:registrations_registration_{name}", args=args)


def names(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        cell.get_text(strip=True)
        for cell in soup.select("td.field-attendee_name, th.field-attendee_name")
    ]


@pytest.fixture
def ada():
    event = EventFactory(title="Spring Forum")
    create_default_questions(event)
    registration = RegistrationFactory(
        event=event,
        attendee=UserFactory(name="Ada Lovelace", email="ada@aalto.fi"),
        status=Registration.Status.AWAITING_APPROVAL,
    )
    for key, value in [("organisation", "Aalto University"), ("dietary", ["Vegan"])]:
        Answer.objects.create(
            registration=registration,
            question=event.questions.get(key=key),
            value=value,
        )
    RegistrationFactory(attendee=UserFactory(name="Zed Other"))
    return registration


def test_superusers_list_every_events_registrations_with_no_actions(admin_client, ada):
    response = admin_client.get(url("changelist"))

    assert sorted(names(response)) == ["Ada Lovelace", "Zed Other"]
    assert 'name="action"' not in response.content.decode()


def test_the_change_page_shows_answers_and_history_read_only(admin_client, ada):
    Activity.objects.create(
        event=ada.event, registration=ada, verb="confirmed", details={"sessions": []}
    )

    response = admin_client.get(url("change", ada.pk))

    text = response.content.decode()
    assert response.status_code == 200
    assert "<tr><th>Dietary requirements</th><td>Vegan</td></tr>" in text
    assert "<tr><th>Organisation</th><td>Aalto University</td></tr>" in text
    assert "Registered and confirmed" in text
    assert 'name="_save"' not in text


def test_posting_an_old_bulk_action_changes_nothing(admin_client, ada):
    response = admin_client.post(
        url("changelist"), {"action": "approve", "_selected_action": [ada.pk]}
    )

    ada.refresh_from_db()
    assert response.status_code == 200  # the list again: there is no such action
    assert ada.status == Registration.Status.AWAITING_APPROVAL


def test_the_lists_link_to_the_organiser_area_for_the_chosen_event(admin_client, ada):
    invitation = InvitationFactory(event=ada.event)

    registrations = admin_client.get(url("changelist") + f"?event={ada.event_id}")
    invitations = admin_client.get(
        reverse("admin:registrations_invitation_changelist") + f"?event={ada.event_id}"
    )

    assert reverse("organise:registrations", args=[ada.event.slug]) in (
        registrations.content.decode()
    )
    assert reverse("organise:invitations", args=[ada.event.slug]) in (
        invitations.content.decode()
    )
    assert Invitation.objects.get() == invitation
