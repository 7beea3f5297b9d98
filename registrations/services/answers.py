"""Answers to an event's questions: checked against the event, changed with a log."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Activity, Answer, Question
from . import RegistrationError
from .activity import announce, record_activity
from .changes import deadline_passed, is_organiser_act
from .locks import lock_registration


def clean_answers(event, answers) -> dict:
    """Map answers to this event's questions; refuse anyone else's questions."""
    if not answers:
        return {}
    if all(isinstance(question, Question) for question in answers):
        # The form's own Question rows: no need to read them again.
        if any(question.event_id != event.pk for question in answers):
            raise RegistrationError(
                _("Some answers are to questions of another event.")
            )
        return dict(answers)
    keyed = {}
    for question, value in answers.items():
        keyed[getattr(question, "pk", question)] = value
    questions = Question.objects.in_bulk(list(keyed))
    if len(questions) != len(keyed) or any(
        q.event_id != event.pk for q in questions.values()
    ):
        raise RegistrationError(_("Some answers are to questions of another event."))
    return {questions[pk]: value for pk, value in keyed.items()}


def update_answers(*, registration, answers, actor: User | None = None) -> list[str]:
    """Change answers; attendees only until the deadline. Returns changed labels."""
    actor = actor or registration.attendee
    event = registration.event
    if not is_organiser_act(registration.attendee, actor=actor) and deadline_passed(
        event
    ):
        raise RegistrationError(
            _("The deadline for changes has passed; please contact the organisers.")
        )
    cleaned = clean_answers(event, answers)
    with transaction.atomic():
        registration = lock_registration(registration)
        current = {a.question_id: a for a in registration.answers.all()}
        changed = []
        for question, value in cleaned.items():
            answer = current.get(question.pk)
            if answer is None:
                Answer.objects.create(
                    registration=registration, question=question, value=value
                )
            elif answer.value != value:
                answer.value = value
                answer.save(update_fields=["value"])
            else:
                continue
            changed.append(question.label)
        if changed:
            announce(
                [
                    record_activity(
                        verb=Activity.Verb.ANSWERS_CHANGED,
                        event=event,
                        registration=registration,
                        actor=actor,
                        details={"questions": changed},
                    )
                ]
            )
    return changed
