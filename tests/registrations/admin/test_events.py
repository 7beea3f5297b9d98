"""Registration types and questions as inlines of the event admin; capacities
changed there go through registrations.services.capacity and promote waitlists."""

from datetime import timedelta

import pytest
from django.urls import reverse

from events.models import Event, Session
from registrations.models import Activity, Answer, Question, Registration
from registrations.services.questions import create_default_questions
from tests.events.admin.test_admin import form_data, set_time
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:events_{name}", args=args)


@pytest.fixture
def owner_client(client):
    """The admin is for superusers: one edits an event that has an owner."""
    event = EventFactory(title="Spring Forum", capacity=1)
    EventOrganiserFactory(event=event)
    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    client.event, client.owner = event, operator
    return client


def _add_inline_row(data, prefix, fields):
    total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(total + 1)]
    for name, value in fields.items():
        data[f"{prefix}-{total}-{name}"] = value if isinstance(value, list) else [value]


def _row_index(data, prefix, pk):
    total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    return next(n for n in range(total) if data[f"{prefix}-{n}-id"] == [str(pk)])


def test_creating_an_event_in_the_admin_adds_the_default_questions(admin_client):
    data = form_data(admin_client.get(url("event_add")))
    starts = EventFactory.build().starts_at
    data |= {"title_en": ["Autumn Forum"], "slug": ["autumn-forum"]}
    set_time(data, "starts_at", starts)
    set_time(data, "ends_at", starts + timedelta(days=1))

    response = admin_client.post(url("event_add"), data)

    assert response.status_code == 302
    event = Event.objects.get(slug="autumn-forum")
    assert list(event.questions.values_list("key", flat=True)) == [
        "organisation",
        "country",
        "dietary",
        "accessibility",
        "participant_list_consent",
    ]


def test_types_and_questions_are_added_inline(owner_client):
    event = owner_client.event
    data = form_data(owner_client.get(url("event_change", event.pk)))
    _add_inline_row(
        data,
        "registration_types",
        {"name_en": "Presenter", "quota": "80", "fee_note": "No fee", "position": "1"},
    )
    _add_inline_row(
        data,
        "questions",
        {
            "label_en": "Which excursion?",
            "kind": Question.Kind.SINGLE_CHOICE,
            "choices_text": "Suomenlinna\n\n Nuuksio \nSuomenlinna",
            "position": "9",
        },
    )

    response = owner_client.post(url("event_change", event.pk), data)

    assert response.status_code == 302
    presenter = event.registration_types.get()
    assert (presenter.name, presenter.quota, presenter.fee_note) == (
        "Presenter",
        80,
        "No fee",
    )
    question = event.questions.get(label="Which excursion?")
    assert (question.kind, question.choices, question.key) == (
        "single_choice",
        ["Suomenlinna", "Nuuksio"],
        "",
    )


def test_a_choice_question_without_choices_is_a_form_error(owner_client):
    event = owner_client.event
    data = form_data(owner_client.get(url("event_change", event.pk)))
    _add_inline_row(
        data,
        "questions",
        {"label_en": "Pick", "kind": Question.Kind.MULTIPLE_CHOICE, "position": "1"},
    )

    response = owner_client.post(url("event_change", event.pk), data)

    assert response.status_code == 200
    assert "Give at least one choice." in response.content.decode()
    assert event.questions.count() == 0


def test_raising_a_quota_in_the_inline_promotes_the_waitlist(owner_client):
    event = owner_client.event
    Event.objects.filter(pk=event.pk).update(capacity=None)
    kind = RegistrationTypeFactory(event=event, name="Participant", quota=1)
    RegistrationFactory(event=event, registration_type=kind)
    waiting = RegistrationFactory(
        event=event, registration_type=kind, status=Registration.Status.WAITLISTED
    )
    data = form_data(owner_client.get(url("event_change", event.pk)))
    row = _row_index(data, "registration_types", kind.pk)
    data[f"registration_types-{row}-quota"] = ["2"]

    response = owner_client.post(url("event_change", event.pk), data)

    assert response.status_code == 302
    kind.refresh_from_db()
    waiting.refresh_from_db()
    assert kind.quota == 2
    assert waiting.status == Registration.Status.CONFIRMED
    assert Activity.objects.get(registration=waiting).verb == "promoted"


def test_raising_the_event_capacity_promotes_the_waitlist(owner_client):
    event = owner_client.event
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    data = form_data(owner_client.get(url("event_change", event.pk)))
    data["capacity"] = ["2"]

    response = owner_client.post(url("event_change", event.pk), data)

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_raising_session_seats_promotes_the_seat_waitlist(owner_client):
    event = owner_client.event
    session = SessionFactory(event=event, capacity=1, signup_required=True)
    SessionSeatFactory(session=session, registration__event=event)
    waiting = SessionSeatFactory(
        session=session,
        registration__event=event,
        status="waitlisted",
        waitlisted_at=session.starts_at - timedelta(days=3),
    )
    data = form_data(owner_client.get(url("session_change", session.pk)))
    data["capacity"] = ["2"]

    response = owner_client.post(url("session_change", session.pk), data)

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert Session.objects.get(pk=session.pk).capacity == 2


def test_deleting_a_type_or_question_in_use_is_refused(owner_client):
    event = owner_client.event
    kind = RegistrationTypeFactory(event=event, name="Participant")
    create_default_questions(event)
    dietary = event.questions.get(key="dietary")
    registration = RegistrationFactory(event=event, registration_type=kind)
    Answer.objects.create(registration=registration, question=dietary, value=["Vegan"])
    data = form_data(owner_client.get(url("event_change", event.pk)))
    data[
        f"registration_types-{_row_index(data, 'registration_types', kind.pk)}-DELETE"
    ] = ["on"]
    data[f"questions-{_row_index(data, 'questions', dietary.pk)}-DELETE"] = ["on"]

    response = owner_client.post(url("event_change", event.pk), data)

    text = response.content.decode()
    assert response.status_code == 200
    # Django's own check for protected rows refuses both, naming what holds them.
    assert (
        "Deleting registration type Participant would require deleting the "
        "following protected related objects"
    ) in text
    assert (
        "Deleting question Dietary requirements would require deleting the "
        "following protected related objects"
    ) in text
    assert event.registration_types.count() == 1
    assert event.questions.count() == 5


def test_question_types_offered_are_only_the_events_own(owner_client):
    event = owner_client.event
    ours = RegistrationTypeFactory(event=event, name="Ours")
    RegistrationTypeFactory(name="Theirs")
    create_default_questions(event)

    response = owner_client.get(url("event_change", event.pk))

    formset = next(
        f for f in response.context["inline_admin_formsets"] if f.opts.model is Question
    )
    field = formset.formset.forms[0].fields["registration_types"]
    assert list(field.queryset) == [ours]
