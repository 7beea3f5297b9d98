"""The questions an event asks, with the types each is asked of."""

from ..models import Question


def questions_of(event) -> list:
    """The event's questions in order, each with `type_ids`: the registration types
    it is asked of (empty: asked of everyone). Two plain reads instead of a
    many-to-many prefetch, on the registration page's path."""
    questions = list(Question.objects.filter(event=event))
    if not questions:
        return questions
    pairs = Question.registration_types.through.objects.filter(
        question__event=event
    ).values_list("question_id", "registrationtype_id")
    type_ids: dict[int, set[int]] = {}
    for question_id, type_id in pairs:
        type_ids.setdefault(question_id, set()).add(type_id)
    for question in questions:
        question.type_ids = frozenset(type_ids.get(question.pk, ()))  # type: ignore[attr-defined]
    return questions
