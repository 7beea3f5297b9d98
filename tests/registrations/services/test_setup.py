"""registrations.services.setup: new and copied events, rules, types, questions."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from events.models import Event, ScheduleChange
from registrations.models import Question, Registration, RegistrationType
from registrations.services import RegistrationError, setup
from tests.factories import (
    EventFactory,
    InvitationFactory,
    QuestionFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(*args) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


def test_start_event_makes_the_creator_owner_and_asks_the_builtin_questions():
    person = UserFactory()

    event = setup.start_event(
        actor=person,
        slug="seminar",
        title="Seminar",
        starts_at=helsinki(2030, 10, 1, 9),
        ends_at=helsinki(2030, 10, 1, 16),
    )

    assert list(event.organisers.values_list("user", "role")) == [(person.pk, "owner")]
    assert list(event.questions.values_list("key", flat=True)) == [
        "organisation",
        "country",
        "dietary",
        "accessibility",
        "participant_list_consent",
    ]


def test_copy_event_copies_types_and_questions_with_sale_windows_moved():
    source = EventFactory(
        starts_at=helsinki(2030, 5, 6, 9), ends_at=helsinki(2030, 5, 8, 17)
    )
    delegate = RegistrationTypeFactory(
        event=source, name="Delegate", quota=300, fee_note="150 €", position=1,
        sale_starts_at=helsinki(2030, 2, 1, 12), sale_ends_at=helsinki(2030, 4, 30, 23),
    )  # fmt: skip
    RegistrationTypeFactory(event=source, name="Student", position=2)
    diet = QuestionFactory(
        event=source, key="dietary", label="Diet", kind="multiple_choice",
        choices=["Vegan"], is_sensitive=True, required=True, position=3,
    )  # fmt: skip
    diet.registration_types.set([delegate])
    QuestionFactory(event=source, label="Organisation", position=1)

    copy = setup.copy_event(
        source=source,
        starts_at=helsinki(2031, 5, 5, 9),
        slug="forum-2031",
        title="Forum 2031",
        actor=UserFactory(),
    )

    types = list(copy.registration_types.order_by("position"))
    assert [(t.name, t.quota, t.fee_note) for t in types] == [
        ("Delegate", 300, "150 €"),
        ("Student", None, ""),
    ]
    assert (types[0].sale_starts_at, types[0].sale_ends_at) == (
        helsinki(2031, 1, 31, 12),
        helsinki(2031, 4, 29, 23),
    )
    questions = list(copy.questions.all())
    assert [(q.label, q.key, q.choices, q.is_sensitive) for q in questions] == [
        ("Organisation", "", [], False),
        ("Diet", "dietary", ["Vegan"], True),
    ]
    assert list(questions[1].registration_types.all()) == [types[0]]
    assert source.registration_types.count() == 2  # the source keeps its own


def test_change_registration_rules_logs_nothing_the_schedule_does_not_show():
    event = EventFactory(capacity=10)

    setup.change_registration_rules(
        event=event, capacity=20, approval_required=True, offer_hours=24
    )

    event.refresh_from_db()
    assert (event.capacity, event.approval_required, event.offer_hours) == (
        20,
        True,
        24,
    )
    assert ScheduleChange.objects.count() == 0


def test_change_registration_rules_refuses_other_fields():
    with pytest.raises(TypeError):
        setup.change_registration_rules(event=EventFactory(), title="Sneaky")


def test_a_lower_quota_keeps_everyone_and_a_higher_one_promotes():
    event = EventFactory()
    delegate = RegistrationTypeFactory(event=event, quota=1)
    RegistrationFactory(event=event, registration_type=delegate)
    waiting = RegistrationFactory(
        event=event, registration_type=delegate, status=Registration.Status.WAITLISTED
    )

    stale = RegistrationType.objects.get(pk=delegate.pk)
    stale.quota = 5  # a form changed the caller's object already
    setup.save_registration_type(event=event, registration_type=stale, quota=5)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert RegistrationType.objects.get(pk=delegate.pk).quota == 5


def test_types_and_questions_of_another_event_are_refused():
    event, other = EventFactory(), EventFactory()
    theirs = RegistrationTypeFactory(event=other)

    with pytest.raises(RegistrationError):
        setup.save_registration_type(event=event, registration_type=theirs, name="X")
    with pytest.raises(RegistrationError):
        setup.save_question(
            event=event, label="Q", kind="short_text", registration_types=[theirs]
        )
    assert Question.objects.count() == 0


def test_a_type_in_use_is_not_deleted():
    event = EventFactory()
    registered = RegistrationTypeFactory(event=event)
    RegistrationFactory(event=event, registration_type=registered)
    invited = InvitationFactory(event=event).registration_type
    unused = RegistrationTypeFactory(event=event)

    for used in (registered, invited):
        with pytest.raises(RegistrationError, match="cannot be deleted"):
            setup.delete_registration_type(registration_type=used)
    setup.delete_registration_type(registration_type=unused)

    assert set(RegistrationType.objects.all()) == {registered, invited}


def test_a_choice_question_needs_choices_and_others_keep_none():
    event = EventFactory()

    with pytest.raises(ValidationError):
        setup.save_question(event=event, label="Lunch", kind="single_choice")
    question = setup.save_question(
        event=event, label="Name tag", kind="short_text", choices=["ignored"]
    )

    assert question.choices == []


def test_an_answered_question_is_not_deleted():
    registration = RegistrationFactory()
    question = QuestionFactory(event=registration.event)
    registration.answers.create(question=question, value="Aalto")

    with pytest.raises(RegistrationError, match="cannot be deleted"):
        setup.delete_question(question=question)

    assert Question.objects.filter(pk=question.pk).exists()


def test_start_event_refuses_bad_fields_and_writes_nothing():
    with pytest.raises(ValidationError):
        setup.start_event(
            actor=UserFactory(),
            slug="x",
            title="X",
            starts_at=helsinki(2030, 10, 1, 9),
            ends_at=helsinki(2030, 10, 1, 8),
        )

    assert Event.objects.count() == 0
    assert Question.objects.count() == 0
