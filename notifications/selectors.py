"""Who an organiser's message reaches (the recipients its filters choose), and
what the event home reads of the outbox and of the schedule changes still to be
told.

A recipient is a live registration of the event, or (when asked for) an
invitation of the event still waiting for its answer. Filters only ever reach
this event's types, sessions and questions: ids of another event's rows match
nobody.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Q, Subquery

from accounts.models import User
from events.models import Event
from registrations.models import (
    Answer,
    Invitation,
    Question,
    Registration,
    SessionSeat,
)

from .models import Message, ScheduleDigest
from .services.digests import SESSION_KINDS

# audience["checked_in"]: anyone, only those checked in, only those not yet.
CHECKED_IN_CHOICES = ("", "yes", "no")


@dataclass(frozen=True, slots=True)
class Recipient:
    """One person a broadcast goes to; `key` names them in URLs and message keys."""

    key: str
    email: str
    name: str
    preferred_language: str
    user: User | None = None
    registration: Registration | None = None
    invitation: Invitation | None = None


def filtered_registrations(*, event, filters: dict):
    """The event's registrations matching `filters` (see `recipients`)."""
    statuses = filters.get("statuses")
    if statuses is None:
        statuses = [Registration.Status.CONFIRMED]
    registrations = Registration.objects.filter(event=event, status__in=statuses)
    if filters.get("types"):
        registrations = registrations.filter(
            registration_type_id__in=filters["types"],
            registration_type__event=event,
        )
    if filters.get("sessions"):
        registrations = registrations.filter(
            seats__session_id__in=filters["sessions"],
            seats__session__event=event,
            seats__status=SessionSeat.Status.CONFIRMED,
        )
    if filters.get("checked_in") == "yes":
        registrations = registrations.filter(checked_in_at__isnull=False)
    elif filters.get("checked_in") == "no":
        registrations = registrations.filter(checked_in_at__isnull=True)
    for question_id, wanted in _answer_filters(event, filters).items():
        registrations = registrations.filter(
            pk__in=_answered(question_id=question_id, wanted=wanted)
        )
    return registrations.distinct()


def _answer_filters(event, filters: dict) -> dict[int, set[str]]:
    """{question id: answers wanted} from "question_id:answer" pairs, closed
    questions of this event only."""
    wanted: dict[int, set[str]] = {}
    for pair in filters.get("answers") or []:
        question_id, _sep, value = str(pair).partition(":")
        if question_id.isdigit():
            wanted.setdefault(int(question_id), set()).add(value)
    closed = set(
        Question.objects.filter(
            event=event, pk__in=wanted, kind__in=Question.CLOSED_KINDS
        ).values_list("pk", flat=True)
    )
    return {pk: values for pk, values in wanted.items() if pk in closed}


def _answered(*, question_id: int, wanted: set[str]) -> list[int]:
    """Registrations whose answer holds any of `wanted` (a list answer: any item).
    Compared as text in Python: JSON containment differs between databases."""
    matching = []
    answers = Answer.objects.filter(question_id=question_id).values_list(
        "registration_id", "value"
    )
    for registration_id, value in answers:
        items = value if isinstance(value, list) else [value]
        if {answer_text(item) for item in items} & wanted:
            matching.append(registration_id)
    return matching


def answer_text(value) -> str:
    """An answer as the filter's choice value: yes/no for booleans."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def pending_invitations(*, event, filters: dict):
    """The event's invitations still waiting for an answer, when asked for."""
    if not filters.get("invited_pending"):
        return Invitation.objects.none()
    invitations = Invitation.objects.filter(
        event=event, status=Invitation.Status.PENDING
    )
    if filters.get("types"):
        invitations = invitations.filter(registration_type_id__in=filters["types"])
    return invitations


def recipients(*, event, filters: dict | None = None) -> list[Recipient]:
    """Everyone a broadcast with these filters reaches, once per address.

    filters: {"statuses": [...] (absent: confirmed; empty: no registrations),
    "types": [ids], "sessions": [ids, with a confirmed seat], "answers":
    ["question_id:answer", ...], "checked_in": "" | "yes" | "no",
    "invited_pending": bool (add invitations waiting for an answer)}.
    """
    filters = filters or {}
    found: dict[str, Recipient] = {}
    registrations = filtered_registrations(event=event, filters=filters)
    for registration in registrations.select_related("attendee").order_by("pk"):
        person = registration.attendee
        found.setdefault(
            person.email.lower(),
            Recipient(
                key=f"r{registration.pk}",
                email=person.email,
                name=person.name,
                preferred_language=person.preferred_language,
                user=person,
                registration=registration,
            ),
        )
    invitations = pending_invitations(event=event, filters=filters)
    for invitation in invitations.order_by("pk"):
        found.setdefault(
            invitation.email.lower(),
            Recipient(
                key=f"i{invitation.pk}",
                email=invitation.email,
                name=invitation.name,
                preferred_language=getattr(invitation, "language", "") or "",
                invitation=invitation,
            ),
        )
    return list(found.values())


def recipient_count(*, event, filters: dict | None = None) -> int:
    return len(recipients(event=event, filters=filters))


def find_recipient(*, event, filters: dict, key: str) -> Recipient | None:
    """One of the broadcast's recipients by key, or None."""
    chosen = recipients(event=event, filters=filters)
    return next((recipient for recipient in chosen if recipient.key == key), None)


def closed_answer_choices(*, event, include_sensitive: bool) -> list[tuple]:
    """[(question label, [("question_id:answer", answer), ...])] for a filter."""
    questions = Question.objects.filter(event=event, kind__in=Question.CLOSED_KINDS)
    if not include_sensitive:
        questions = questions.filter(is_sensitive=False)
    groups = []
    for question in questions:
        if question.kind == Question.Kind.YES_NO:
            values = ["yes", "no"]
        elif question.kind == Question.Kind.COUNTRY:
            values = sorted(
                {
                    answer_text(v)
                    for v in Answer.objects.filter(question=question).values_list(
                        "value", flat=True
                    )
                }
                - {""}
            )
        else:
            values = [answer_text(choice) for choice in question.choices]
        groups.append(
            (question.label, [(f"{question.pk}:{value}", value) for value in values])
        )
    return groups


# --- the event home ---------------------------------------------------------------


def message_counts(event: Event) -> dict[str, int]:
    """The event's messages per outbox status, every status present."""
    counts = dict(
        Message.objects.filter(event=event)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Message.Status}


@dataclass(frozen=True)
class UntoldChanges:
    changes: int  # session changes no digest has told yet
    sessions: int  # the sessions they are about
    due_at: datetime | None  # when the digest goes out; None: none is waiting


def untold_schedule_changes(event: Event) -> UntoldChanges:
    """Moves, cancellations and restorations of sessions that attendees have not
    been told about yet, and when the waiting digest will tell them.

    Only the kinds a digest tells: other changes (a title, an abstract) update
    the feeds but send nobody a message.
    """
    untold = Q(
        schedule_changes__composed_at__isnull=True,
        schedule_changes__session__isnull=False,
        schedule_changes__kind__in=SESSION_KINDS,
    )
    digest = ScheduleDigest.objects.filter(event=OuterRef("pk")).values("due_at")
    changes, sessions, due_at = (
        Event.objects.filter(pk=event.pk)
        .annotate(
            untold_changes=Count("schedule_changes", filter=untold),
            untold_sessions=Count(
                "schedule_changes__session", filter=untold, distinct=True
            ),
            digest_due_at=Subquery(digest[:1]),
        )
        .values_list("untold_changes", "untold_sessions", "digest_due_at")
        .get()
    )  # one query: the event's row carries both
    return UntoldChanges(changes, sessions, due_at)
