"""The registration form page is served from its cached fields: a visit reads the
event's row only, and every change the fields show reaches the next visitor."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from events.services import create_session, move_sessions
from registrations.models import Question
from registrations.services import questions, setup
from registrations.services.registering import register_attendee
from tests.factories import EventFactory, RegistrationTypeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(capacity=10)
    questions.create_default_questions(event)
    return event


@pytest.fixture
def person(client):
    person = UserFactory()
    client.force_login(person)
    return person


def form_page(client, event) -> str:
    response = client.get(
        reverse("registrations:register", kwargs={"slug": event.slug})
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_visit_after_the_first_reads_only_the_person_and_the_event(
    client, event, person, django_assert_num_queries
):
    RegistrationTypeFactory(event=event, name="Delegate")
    RegistrationTypeFactory(event=event, name="Guest")
    form_page(client, event)  # renders and keeps the fields

    # The signed-in person, and the event with their live registration if any
    # (the session and the header's organiser link come from the cache).
    with django_assert_num_queries(2):
        html = form_page(client, event)
    assert "Delegate" in html and 'name="q_' in html


def test_a_registered_person_is_sent_to_their_registration(client, event, person):
    registration = register_attendee(event=event, attendee=person)

    response = client.get(
        reverse("registrations:register", kwargs={"slug": event.slug})
    )

    assert response.status_code == 302
    assert response["Location"] == registration.manage_path()


def test_a_changed_question_shows_at_once(client, event, person):
    assert "Home institution" not in form_page(client, event)
    question = Question.objects.get(event=event, key=questions.ORGANISATION)

    setup.save_question(event=event, question=question, label="Home institution")

    assert "Home institution" in form_page(client, event)


def test_a_new_workshop_and_a_moved_one_show_at_once(client, event, person):
    starts = event.starts_at + timedelta(hours=2)
    workshop = create_session(
        event=event,
        title="Grant writing",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        signup_required=True,
        capacity=5,
    )
    shown = form_page(client, event)
    assert "Grant writing" in shown

    later = starts + timedelta(hours=3)
    move_sessions(
        moves=[
            (
                workshop,
                {"starts_at": later, "ends_at": later + timedelta(hours=1)},
                None,
            )
        ],
    )

    assert form_page(client, event) != shown


def test_a_type_leaves_the_form_when_its_sale_ends_without_any_change(
    client, event, person, monkeypatch
):
    now = timezone.now()
    RegistrationTypeFactory(
        event=event, name="Early bird", sale_ends_at=now + timedelta(hours=1)
    )
    RegistrationTypeFactory(event=event, name="Regular")
    RegistrationTypeFactory(event=event, name="Student")
    assert "Early bird" in form_page(client, event)

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2))

    html = form_page(client, event)
    assert "Early bird" not in html and "Regular" in html


def test_a_new_privacy_notice_shows_at_once(client, event, person):
    form_page(client, event)

    Event.objects.filter(pk=event.pk).update(privacy_notice="We keep your answers.")

    assert "We keep your answers." in form_page(client, event)
