"""Finding registrations for organisers: the list's filters and search, the
choices they offer, and what each row shows.

The same filters choose the rows of the list, of the exports and of a bulk
action, so an organiser acts on exactly the people they were looking at. Answers
to sensitive (health) questions can be filtered by only when the caller says the
role may see them.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Answer, Invitation, Question, Registration, SessionSeat
from ..services.questions import ORGANISATION


@dataclass(frozen=True)
class RegistrationFilters:
    """What the organiser asked for; empty values filter nothing."""

    search: str = ""
    statuses: tuple[str, ...] = ()
    type_id: int | None = None
    session_id: int | None = None
    checked_in: bool | None = None
    invited: bool | None = None
    # (question, wanted choice): "yes"/"no" for yes-or-no questions.
    answer: tuple[Question, str] | None = None


def filter_questions(event, *, include_sensitive: bool) -> list[Question]:
    """The event's questions answered from a closed set, which can be filtered by."""
    questions = Question.objects.filter(event=event, kind__in=Question.CLOSED_KINDS)
    if not include_sensitive:
        questions = questions.filter(is_sensitive=False)
    return list(questions)


def answer_choices(question: Question) -> list[tuple[str, str]]:
    """(value, label) of the answers a filter on `question` offers."""
    if question.kind == Question.Kind.YES_NO:
        return [("yes", "yes"), ("no", "no")]
    if question.kind == Question.Kind.COUNTRY:
        given = (
            Answer.objects.filter(question=question)
            .order_by()
            .values_list("value", flat=True)
            .distinct()
        )
        return [(v, v) for v in sorted({str(v) for v in given if v})]
    return question.choice_pairs()


def answer_matches(value, wanted: str) -> bool:
    if isinstance(value, list):
        return wanted in [str(item) for item in value]
    if isinstance(value, bool):
        return wanted == ("yes" if value else "no")
    return value is not None and str(value) == wanted


def _answered(question: Question, wanted: str) -> list[int]:
    """Registrations whose answer includes `wanted`, compared in Python."""
    return [
        registration_id
        for registration_id, value in Answer.objects.filter(
            question=question
        ).values_list("registration_id", "value")
        if answer_matches(value, wanted)
    ]


def _answer_condition(question: Question, wanted: str) -> Q | None:
    """The answers that say `wanted`, as a database condition; None when the
    database cannot tell (a choice among several, on SQLite)."""
    if question.kind == Question.Kind.YES_NO:
        return Q(value=wanted == "yes")
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        if connection.features.supports_json_field_contains:
            return Q(value__contains=[wanted])
        return None
    return Q(value=wanted)


def _with_answer(rows: QuerySet, question: Question, wanted: str) -> QuerySet:
    condition = _answer_condition(question, wanted)
    if condition is None:
        return rows.filter(pk__in=_answered(question, wanted))
    answers = Answer.objects.filter(
        condition, registration=OuterRef("pk"), question=question
    )
    return rows.filter(Exists(answers))


def _searched(event, term: str) -> Q:
    """Name, email, affiliation, or the answer to the organisation question."""
    people = (
        Q(attendee__name__icontains=term)
        | Q(attendee__email__icontains=term)
        | Q(attendee__affiliation__icontains=term)
    )
    if connection.vendor == "postgresql":
        # jsonb as text holds the characters themselves; SQLite stores non-ASCII
        # ones escaped, so there the answers are compared in Python.
        answered = Answer.objects.filter(
            registration=OuterRef("pk"),
            question__event=event,
            question__key=ORGANISATION,
            value__icontains=term,
        )
        return people | Q(Exists(answered))
    folded = term.casefold()
    organisations = Answer.objects.filter(
        question__event=event, question__key=ORGANISATION
    ).values_list("registration_id", "value")
    ids = [
        pk
        for pk, value in organisations
        if isinstance(value, str) and folded in value.casefold()
    ]
    return people | Q(pk__in=ids)


def find_registrations(event, filters: RegistrationFilters) -> QuerySet:
    """The event's registrations that match `filters`, newest first."""
    rows: QuerySet = Registration.objects.filter(event=event)
    if filters.statuses:
        rows = rows.filter(status__in=filters.statuses)
    if filters.type_id is not None:
        rows = rows.filter(registration_type_id=filters.type_id)
    if filters.session_id is not None:
        rows = rows.filter(
            Exists(
                SessionSeat.objects.filter(
                    registration=OuterRef("pk"),
                    session_id=filters.session_id,
                    status__in=SessionSeat.PLACE_HOLDING_STATUSES,
                )
            )
        )
    if filters.checked_in is not None:
        rows = rows.filter(checked_in_at__isnull=not filters.checked_in)
    if filters.invited is not None:
        invited = Exists(Invitation.objects.filter(registration=OuterRef("pk")))
        rows = rows.filter(invited if filters.invited else ~invited)
    if filters.answer is not None:
        rows = _with_answer(rows, *filters.answer)
    if filters.search:
        rows = rows.filter(_searched(event, filters.search))
    return rows.order_by("-created_at", "-pk")


def list_page(registrations: QuerySet, number, *, size: int) -> Page:
    """One page of `registrations` (in their order), each with what the list shows.

    The matching ids are read in one pass, so the filters and search run once
    rather than once to count and again for the page; then the page's rows.
    """
    ids = list(registrations.values_list("pk", flat=True))
    page = Paginator(ids, size).get_page(number)
    chosen = Registration.objects.filter(pk__in=page.object_list)
    rows = {r.pk: r for r in list_rows(chosen)}
    page.object_list = [rows[pk] for pk in page.object_list]
    return page


def list_rows(registrations) -> list[Registration]:
    """The page's registrations with what the list shows: person, type, and
    `organisation` (their answer, else their account's affiliation). Two queries."""
    rows = list(registrations.select_related("attendee", "registration_type"))
    answers = dict(
        Answer.objects.filter(
            registration__in=[r.pk for r in rows], question__key=ORGANISATION
        ).values_list("registration_id", "value")
    )
    for row in rows:
        answer = answers.get(row.pk)
        row.organisation = (
            answer if isinstance(answer, str) and answer else (row.attendee.affiliation)
        )
    return rows
