import pytest

from registrations.models import Question
from registrations.services import questions
from tests.factories import EventFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_create_default_questions_adds_the_five_builtins_in_order():
    event = EventFactory()

    questions.create_default_questions(event)

    rows = list(
        Question.objects.filter(event=event).values_list(
            "key", "kind", "is_sensitive", "position"
        )
    )
    assert rows == [
        ("organisation", Question.Kind.SHORT_TEXT, False, 1),
        ("country", Question.Kind.COUNTRY, False, 2),
        ("dietary", Question.Kind.MULTIPLE_CHOICE, True, 3),
        ("accessibility", Question.Kind.LONG_TEXT, True, 4),
        ("participant_list_consent", Question.Kind.YES_NO, False, 5),
    ]
    assert Question.objects.get(event=event, key="dietary").choices == (
        questions.DIETARY_CHOICES
    )


def test_create_default_questions_is_idempotent_by_key():
    event = EventFactory()
    QuestionFactory(event=event, key="dietary", label="Food", position=7)
    QuestionFactory(event=event, key="", label="Which workshop?", position=8)

    first = questions.create_default_questions(event)
    second = questions.create_default_questions(event)

    assert [q.key for q in first] == [
        "organisation",
        "country",
        "accessibility",
        "participant_list_consent",
    ]
    assert second == []
    assert Question.objects.filter(event=event).count() == 6
    # The organiser's rewording of a built-in question is kept.
    assert Question.objects.get(event=event, key="dietary").label == "Food"
    # New ones go after what the event had.
    assert Question.objects.get(event=event, key="organisation").position == 9


def test_questions_of_gives_each_question_the_types_it_is_asked_of():
    from registrations.selectors.questions import questions_of
    from tests.factories import RegistrationTypeFactory

    event = EventFactory()
    delegate = RegistrationTypeFactory(event=event, name="Delegate")
    presenter = RegistrationTypeFactory(event=event, name="Presenter")
    everyone = QuestionFactory(event=event, label="Organisation", position=0)
    delegates = QuestionFactory(event=event, label="Institution", position=1)
    delegates.registration_types.set([delegate, presenter])
    QuestionFactory(label="Another event's question")

    asked = questions_of(event)

    assert [(q.label, q.type_ids) for q in asked] == [
        ("Organisation", frozenset()),
        ("Institution", {delegate.pk, presenter.pk}),
    ]
    assert asked[0].pk == everyone.pk
