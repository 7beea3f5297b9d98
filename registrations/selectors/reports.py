"""The figures organiser pages show: registrations by status and by type, seats
by session, answers of confirmed attendees, and the places taken; and for the
event home, registrations per day, check-ins, invitations, the next deadlines and
the organisation and country answers.

The one place they are counted. The rules agree with the export's rows: a
registration counts under its own status (an open offer is not "confirmed",
though it holds a place); a seat counts under its session when it is taken by
a confirmed registration, as `places` counts seats.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.db.models import Count, F, Q, Value
from django.db.models.functions import TruncDate

from events.models import Event, Session

from ..exports import display_answer
from ..models import (
    Answer,
    Invitation,
    Question,
    Registration,
    RegistrationType,
    SessionSeat,
)
from . import places

Status = Registration.Status
LIVE = [status for status in Status if status not in Registration.DEAD_STATUSES]


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
        event.sessions.filter(signup_required=True, starts_at__isnull=False)
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


# --- the event home's further figures -----------------------------------------------
# Each is one aggregate query whatever the number of registrations. "Live" is the
# registrations' own rule (not cancelled, not declined), as the export's Status
# column shows it.


@dataclass(frozen=True)
class TypeRow:
    """Registrations of one type (None: those without a type) per status."""

    type: RegistrationType | None
    counts: dict[str, int]

    @property
    def live(self) -> int:
        dead = set(Registration.DEAD_STATUSES)
        return sum(n for status, n in self.counts.items() if status not in dead)


@dataclass(frozen=True)
class RegistrationCounts:
    types: list[TypeRow]
    checked_in: int  # confirmed registrations checked in at the door

    @property
    def by_status(self) -> dict[str, int]:
        return {s: sum(row.counts[s] for row in self.types) for s in Status}

    @property
    def live(self) -> int:
        return sum(row.live for row in self.types)


def registration_counts(event: Event) -> RegistrationCounts:
    """Registrations per type (in the event's order) and status, every status
    present, with a last row for those without a type, if any; and how many of
    the confirmed have been checked in."""
    grouped: dict[int | None, dict[str, int]] = {}
    checked_in = 0
    for type_id, status, n, arrived in (
        Registration.objects.filter(event=event)
        .order_by()
        .values_list("registration_type_id", "status")
        .annotate(n=Count("pk"), arrived=Count("checked_in_at"))
        .values_list("registration_type_id", "status", "n", "arrived")
    ):
        grouped.setdefault(type_id, {})[status] = n
        if status == Status.CONFIRMED:
            checked_in += arrived

    def row(registration_type: RegistrationType | None) -> TypeRow:
        found = grouped.get(registration_type.pk if registration_type else None, {})
        return TypeRow(registration_type, {s: found.get(s, 0) for s in Status})

    rows = [row(t) for t in RegistrationType.objects.filter(event=event)]
    if None in grouped:
        rows.append(row(None))
    return RegistrationCounts(rows, checked_in)


@dataclass(frozen=True)
class DayCount:
    day: date
    new: int  # live registrations made that day
    total: int  # live registrations made up to and including that day


def registrations_by_day(event: Event, *, until: date | None = None) -> list[DayCount]:
    """Live registrations by the day they were made, in the event's time zone, with
    the running total: every day from the first registration to the last (or to
    `until`, if later), quiet days included."""
    per_day = dict(
        Registration.objects.live()
        .filter(event=event)
        .annotate(day=TruncDate("created_at", tzinfo=event.tzinfo))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    if not per_day:
        return []
    first, last = min(per_day), max(per_day)
    if until is not None and until > last:
        last = until
    days, total = [], 0
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        total += per_day.get(day, 0)
        days.append(DayCount(day, per_day.get(day, 0), total))
    return days


InvitationStatus = Invitation.Status
ANSWERED = (
    InvitationStatus.ACCEPTED,
    InvitationStatus.DECLINED,
    InvitationStatus.SUBSTITUTED,
)


@dataclass(frozen=True)
class InvitationCounts:
    by_status: dict[str, int]  # every status present
    overdue: int  # still waiting, though the answer-by date has passed
    reserving: int  # open and holding a place

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def answered(self) -> int:
        return sum(self.by_status[status] for status in ANSWERED)

    @property
    def waiting(self) -> int:
        """Waiting for the invitee's answer, within the answer-by date."""
        return self.by_status[InvitationStatus.PENDING] - self.overdue

    @property
    def past_answer_by(self) -> int:
        """Not answered by the date: closed as expired, or not closed yet."""
        return self.by_status[InvitationStatus.EXPIRED] + self.overdue


def invitation_counts(event: Event, *, now: datetime) -> InvitationCounts:
    """Invitations per status; the waiting ones past their answer-by date (the
    periodic job closes them as expired); the open ones that hold a place."""
    by_status: dict[str, int] = dict.fromkeys(InvitationStatus, 0)
    overdue = reserving = 0
    for status, n, late, holding in (
        Invitation.objects.filter(event=event)
        .order_by()
        .values_list("status")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=Q(rsvp_deadline__lte=now)),
            holding=Count("pk", filter=Q(reserves_seat=True)),
        )
        .values_list("status", "n", "late", "holding")
    ):
        by_status[status] = n
        if status == InvitationStatus.PENDING:
            overdue = late
        if status in Invitation.OPEN_STATUSES:
            reserving += holding
    return InvitationCounts(by_status, overdue, reserving)


@dataclass(frozen=True)
class Deadline:
    class Kind(StrEnum):
        ANSWER_BY = "answer_by"  # invitations' answer-by date
        OFFER = "offer"  # a place offered from the waitlist
        SEAT_OFFER = "seat_offer"  # a session seat offered from its waitlist

    at: datetime
    kind: Kind
    count: int  # how many invitations or offers end then


def upcoming_deadlines(
    event: Event, *, now: datetime, limit: int = 5
) -> list[Deadline]:
    """The next `limit` moments when invitations must be answered or offers
    accepted, soonest first, each with how many end then; one query."""
    sources = [
        (
            Deadline.Kind.ANSWER_BY,
            Invitation.objects.filter(
                event=event, status=InvitationStatus.PENDING, rsvp_deadline__gt=now
            ),
            "rsvp_deadline",
        ),
        (
            Deadline.Kind.OFFER,
            Registration.objects.filter(
                event=event, status=Status.OFFERED, offer_expires_at__gt=now
            ),
            "offer_expires_at",
        ),
        (
            Deadline.Kind.SEAT_OFFER,
            SessionSeat.objects.filter(
                session__event=event,
                status=SessionSeat.Status.OFFERED,
                registration__status=Status.CONFIRMED,
                offer_expires_at__gt=now,
            ),
            "offer_expires_at",
        ),
    ]
    grouped = [
        rows.order_by()
        .annotate(at=F(field), kind=Value(str(kind)))
        .values_list("at", "kind")
        .annotate(n=Count("pk"))
        .values_list("at", "kind", "n")
        for kind, rows, field in sources
    ]
    combined = grouped[0].union(*grouped[1:], all=True).order_by("at", "kind")
    return [Deadline(at, Deadline.Kind(kind), n) for at, kind, n in combined[:limit]]


def answer_tallies(
    event: Event, *, keys: Sequence[str]
) -> dict[str, list[tuple[str, int]]]:
    """For each of the event's built-in questions `keys` (organisation, country),
    how many live registrations gave each answer, most given first; one query.

    Answers that differ only in letter case or spacing count as one, under the
    spelling given most often. Registrations that did not answer are not counted.
    """
    given = (
        Answer.objects.filter(
            question__event=event,
            question__key__in=keys,
            registration__status__in=LIVE,
        )
        .order_by()
        .values_list("question__key", "value")
        .annotate(n=Count("pk"))
        .values_list("question__key", "value", "n")
    )
    merged: dict[str, dict[str, dict[str, int]]] = {key: {} for key in keys}
    for key, value, n in given:
        text = " ".join(display_answer(value).split())
        if text:
            spellings = merged[key].setdefault(text.casefold(), {})
            spellings[text] = spellings.get(text, 0) + n
    return {key: _most_given(answers) for key, answers in merged.items()}


def _most_given(answers: dict[str, dict[str, int]]) -> list[tuple[str, int]]:
    tally = [
        (max(spellings, key=lambda s: (spellings[s], s)), sum(spellings.values()))
        for spellings in answers.values()
    ]
    return sorted(tally, key=lambda pair: (-pair[1], pair[0]))
