"""Each POSTed action of the attendee pages reaches its service, and says what it did.

The manage page, the seat page and the invitee's page look the action up in a table;
an unknown one is refused with a reason and changes nothing.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from registrations.models import Answer, Invitation, Registration, SessionSeat
from registrations.services.invitations import invite
from registrations.services.registering import register_attendee
from tests.factories import (
    EventFactory,
    InvitationFactory,
    QuestionFactory,
    RegistrationTypeFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def offered():
    """A registration offered a freed place, with a day to answer."""
    event = EventFactory(
        capacity=1, waitlist_mode=Event.WaitlistMode.OFFER, offer_hours=24
    )
    holder = register_attendee(event=event, attendee=UserFactory())
    waiting = register_attendee(event=event, attendee=UserFactory())
    Registration.objects.filter(pk=waiting.pk).update(
        status=Registration.Status.OFFERED,
        offer_expires_at=timezone.now() + timedelta(hours=24),
    )
    Registration.objects.filter(pk=holder.pk).update(
        status=Registration.Status.CANCELLED, cancelled_at=timezone.now()
    )
    return waiting


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("accept", "confirmed", "Your place is confirmed."),
        ("decline", "cancelled", "You have declined the offered place."),
    ],
)
def test_manage_answers_an_offer(client, offered, action, status, message):
    response = client.post(offered.manage_path(), {"action": action}, follow=True)

    offered.refresh_from_db()
    assert response.redirect_chain == [(offered.manage_path(), 302)]
    assert offered.status == status
    assert shown_messages(response) == [message]


def test_manage_leaves_the_waitlist(client):
    event = EventFactory(capacity=1)
    register_attendee(event=event, attendee=UserFactory())
    waiting = register_attendee(event=event, attendee=UserFactory())

    response = client.post(waiting.manage_path(), {"action": "leave"}, follow=True)

    waiting.refresh_from_db()
    assert waiting.status == "cancelled"
    assert shown_messages(response) == ["You have left the waitlist."]


def test_manage_chooses_sessions(client):
    event = EventFactory()
    workshop = SessionFactory(event=event, signup_required=True, capacity=5)
    registration = register_attendee(event=event, attendee=UserFactory())

    response = client.post(
        registration.manage_path(),
        {"action": "sessions", "sessions": [workshop.pk]},
        follow=True,
    )

    assert list(SessionSeat.objects.values_list("session", "status")) == [
        (workshop.pk, "confirmed")
    ]
    assert shown_messages(response) == ["Your sessions are updated."]


def test_manage_shows_answer_errors_on_the_page_and_saves_nothing(client):
    event = EventFactory()
    question = QuestionFactory(event=event, label="Diet", required=True)
    registration = register_attendee(
        event=event, attendee=UserFactory(), answers={question: "none"}
    )

    response = client.post(
        registration.manage_path(), {"action": "answers", f"q_{question.pk}": ""}
    )

    # The old target answers with the answers' own page, errors beside the fields.
    assert response.status_code == 200
    assert response.templates[0].name == "registrations/manage_answers.html"
    assert response.context["form"].errors == {
        f"q_{question.pk}": ["Please answer this question."]
    }
    assert Answer.objects.get().value == "none"


def test_manage_refusal_is_a_message_on_the_same_page(client):
    registration = register_attendee(event=EventFactory(), attendee=UserFactory())

    response = client.post(
        registration.manage_path(), {"action": "accept"}, follow=True
    )

    assert response.redirect_chain == [(registration.manage_path(), 302)]
    assert shown_messages(response) == ["There is no open offer for this registration."]
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_seat_page_refuses_an_unknown_action(client):
    person = UserFactory()
    client.force_login(person)
    event = EventFactory()
    workshop = SessionFactory(event=event, signup_required=True)
    register_attendee(event=event, attendee=person)
    seat_url = reverse(
        "registrations:seat", kwargs={"slug": event.slug, "session_uuid": workshop.uuid}
    )

    response = client.post(seat_url, {"action": "explode"})

    assert response.status_code == 400
    assert response.context["error"] == "Unknown action."
    assert SessionSeat.objects.count() == 0


@pytest.fixture
def invitation():
    meeting = EventFactory(visibility=Event.Visibility.INVITATION_ONLY, capacity=3)
    return invite(
        event=meeting,
        email="sigrid@kth.se",
        name="Sigrid Berg",
        institution="KTH",
        registration_type=RegistrationTypeFactory(event=meeting, name="President"),
        reserves_seat=True,
    )


def test_invitation_page_refuses_an_unknown_action(client, invitation):
    response = client.post(invitation.answer_path(), {"action": "explode"})

    invitation.refresh_from_db()
    assert response.status_code == 400
    assert response.context["error"] == "Unknown action."
    assert invitation.status == Invitation.Status.PENDING


def test_invitation_page_shows_a_refusal_with_its_reason(client, invitation):
    InvitationFactory(
        event=invitation.event,
        registration_type=invitation.registration_type,
        email="anna@kth.se",
    )

    response = client.post(
        invitation.answer_path(),
        {
            "action": "substitute",
            "substitute_name": "Anna Vice",
            "substitute_email": "anna@kth.se",
        },
    )

    invitation.refresh_from_db()
    assert response.status_code == 400
    assert response.context["error"] == (
        "anna@kth.se is already invited to or registered for this event."
    )
    assert invitation.status == Invitation.Status.PENDING
