"""The figures organiser pages show: registrations by status and by type, seats
by session, answers of confirmed attendees, and the places taken.

The one place they are counted. The rules agree with the export's rows: a
registration counts under its own status (an open offer is not "confirmed",
though it holds a place); a seat counts under its session when it is taken by
a confirmed registration, as `places` counts seats.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from events.models import Session

from ..exports import display_answer
from ..models import Answer, Question, Registration, RegistrationType, SessionSeat
from . import places

Status = Registration.Status


@dataclass(frozen=True)
class TypeCounts:
    type: RegistrationType
    confirmed: int
    awaiting: int
    waitlisted: int


def status_counts(event) -> dict[str, int]:
    """Registrations per status, every status present (0 when none)."""
    counts = dict(
        Registration.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Status}


def type_counts(event) -> list[TypeCounts]:
    """Per registration type (in the event's order): confirmed, awaiting
    approval and waitlisted registrations."""

    def of(status):
        return Count("registrations", filter=Q(registrations__status=status))

    types = event.registration_types.annotate(
        confirmed=of(Status.CONFIRMED),
        awaiting=of(Status.AWAITING_APPROVAL),
        waitlisted=of(Status.WAITLISTED),
    ).order_by("position", "name")  # an annotated query drops the model's ordering
    return [
        TypeCounts(
            t, confirmed=t.confirmed, awaiting=t.awaiting, waitlisted=t.waitlisted
        )
        for t in types
    ]


def session_counts(event) -> list[Session]:
    """Sessions that need sign-up, by start, each with `taken` (seats held) and
    `waiting` (the length of its line). Other sessions have no seats to count."""
    confirmed = Q(seats__registration__status=Status.CONFIRMED)
    return list(
        event.sessions.filter(signup_required=True)
        .select_related("room")
        .annotate(
            taken=Count(
                "seats",
                filter=confirmed
                & Q(seats__status__in=SessionSeat.PLACE_HOLDING_STATUSES),
            ),
            waiting=Count(
                "seats",
                filter=confirmed & Q(seats__status=SessionSeat.Status.WAITLISTED),
            ),
        )
        .order_by("starts_at", "title")
    )


def answer_counts(event, *, include_sensitive: bool) -> list[dict]:
    """Per question, how many confirmed attendees gave each answer (catering etc.).

    Answers from a list are tallied, most given first; free text only counts who
    answered. Sensitive (health) questions only when `include_sensitive`.
    """
    questions = event.questions.all()
    if not include_sensitive:
        questions = questions.filter(is_sensitive=False)
    answers = Answer.objects.filter(
        registration__event=event,
        registration__status=Status.CONFIRMED,
        question__in=questions,
    ).values_list("question_id", "value")
    by_question: dict[int, list] = {}
    for question_id, value in answers:
        by_question.setdefault(question_id, []).append(value)
    result = []
    for question in questions:
        values = by_question.get(question.pk, [])
        rows = _tally(values) if question.kind in Question.CLOSED_KINDS else []
        answered = sum(1 for v in values if v not in (None, "", []))
        result.append({"question": question, "rows": rows, "answered": answered})
    return result


def _tally(values) -> list[tuple[str, int]]:
    tally: dict[str, int] = {}
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            label = display_answer(item)
            if label:
                tally[label] = tally.get(label, 0) + 1
    return sorted(tally.items(), key=lambda pair: (-pair[1], pair[0]))


def event_counts(event) -> dict:
    """Every figure of the event's summary but the answers (see answer_counts)."""
    return {
        "by_status": status_counts(event),
        "places_taken": places.places_taken(event),
        "reserved": places.reserved_places(event),
        "types": type_counts(event),
        "sessions": session_counts(event),
    }
