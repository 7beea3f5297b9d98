import pytest

from events.models import Event
from registrations import demo
from registrations.models import Invitation, Question, Registration, RegistrationType
from registrations.views.participants import listed_participants
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Registration.objects.count(),
        Invitation.objects.count(),
        RegistrationType.objects.count(),
        Question.objects.count(),
    )


def test_demo_registration_data_loads_once():
    forum = EventFactory(capacity=450)
    n5t = EventFactory(visibility=Event.Visibility.INVITATION_ONLY)

    first = demo.load(forum=forum, n5t=n5t)
    after_first = snapshot()
    second = demo.load(forum=forum, n5t=n5t)

    assert first == second == {"forum_registrations": 8, "n5t_invitations": 5}
    assert snapshot() == after_first
    assert set(Registration.objects.values_list("status", flat=True)) == {"confirmed"}
    assert set(
        RegistrationType.objects.filter(event=n5t).values_list(
            "invitation_only", flat=True
        )
    ) == {True}
    forum.refresh_from_db()
    assert forum.participant_list_public is True
    assert forum.privacy_notice == demo.PRIVACY_NOTICE


def test_demo_attendees_answer_the_default_questions():
    forum = EventFactory(capacity=450, participant_list_public=True)
    n5t = EventFactory(visibility=Event.Visibility.INVITATION_ONLY)

    demo.load(forum=forum, n5t=n5t)

    assert [p["name"] for p in listed_participants(forum)] == [
        "Aino Virtanen",
        "Elina Nieminen",
        "Mikko Korhonen",
        "Oskar Berg",
        "Sofia Lindqvist",
        "Ville Laine",
    ]
    dietary = Question.objects.get(event=forum, key="dietary")
    assert sorted(
        (a.registration.attendee.name, a.value) for a in dietary.answers.all()
    ) == [
        ("Aino Virtanen", ["Vegetarian"]),
        ("Laura Heikkinen", ["Vegetarian"]),
        ("Oskar Berg", ["Gluten-free"]),
        ("Sofia Lindqvist", ["Vegan", "Nut allergy"]),
    ]
