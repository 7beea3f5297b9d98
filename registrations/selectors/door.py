"""What the door shows besides a verdict: running counts, the offline roster,
the duplicates two offline devices made, and people found by name."""

import hashlib
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from ..models import CheckIn, CheckInList, Registration

Outcome = CheckIn.Outcome


@dataclass(frozen=True)
class ListCount:
    expected: int
    checked_in: int  # ever admitted
    inside: int | None  # entry-and-exit lists only


def expected(checkin_list: CheckInList) -> QuerySet:
    """The registrations this list admits: confirmed, with a confirmed seat in
    one of its sessions when it names any."""
    rows = Registration.objects.filter(
        event_id=checkin_list.event_id, status=Registration.Status.CONFIRMED
    )
    session_ids = checkin_list.session_ids()
    if session_ids:
        rows = rows.filter(
            seats__session_id__in=session_ids, seats__status="confirmed"
        ).distinct()
    return rows


def count(checkin_list: CheckInList) -> ListCount:
    rows = CheckIn.objects.filter(checkin_list=checkin_list)
    admitted = (
        rows.filter(outcome=Outcome.ADMITTED)
        .values("registration_id")
        .distinct()
        .count()
    )
    inside = None
    if not checkin_list.is_single_entry:
        inside = (
            rows.values("registration_id")
            .annotate(
                ins=Count("pk", filter=Q(outcome=Outcome.ADMITTED)),
                outs=Count("pk", filter=Q(outcome=Outcome.EXITED)),
            )
            .filter(ins__gt=F("outs"))
            .count()
        )
    return ListCount(expected(checkin_list).count(), admitted, inside)


def code_digest(checkin_list: CheckInList, code: str) -> str:
    """How the offline roster names a code: a hash, salted by the list, that
    the scanning page computes the same way (SHA-256 of "list:code")."""
    return hashlib.sha256(f"{checkin_list.pk}:{code}".encode()).hexdigest()[:32]


def roster(checkin_list: CheckInList) -> dict:
    """The least a device needs to decide offline: each admitted code's digest,
    the name to greet, and whether the list has admitted them already."""
    admitted = set(
        CheckIn.objects.filter(
            checkin_list=checkin_list, outcome=Outcome.ADMITTED
        ).values_list("registration_id", flat=True)
    )
    people = expected(checkin_list).values_list(
        "pk", "checkin_code", "attendee__name", "attendee__email"
    )
    return {
        "list": checkin_list.pk,
        "single_entry": checkin_list.is_single_entry,
        "people": [
            [code_digest(checkin_list, code), name or email, pk in admitted]
            for pk, code, name, email in people
        ],
    }


def offline_duplicates(event) -> QuerySet:
    """Second scans of one person on a single-entry list where one of the two
    was made offline: the organisers see both times."""
    return (
        CheckIn.objects.filter(
            checkin_list__event=event, outcome=Outcome.DUPLICATE, first__isnull=False
        )
        .filter(Q(offline=True) | Q(first__offline=True))
        .select_related(
            "checkin_list", "registration__attendee", "device", "by", "first__device"
        )
        .select_related("first__by")
        .order_by("-scanned_at")
    )


def search(checkin_list: CheckInList, query: str) -> list[Registration]:
    """People of the event by name, email or affiliation, for one-tap check-in."""
    if not query:
        return []
    rows = (
        Registration.objects.live()
        .filter(event_id=checkin_list.event_id)
        .filter(
            Q(attendee__name__icontains=query)
            | Q(attendee__email__icontains=query)
            | Q(attendee__affiliation__icontains=query)
        )
        .select_related("attendee", "registration_type")
        .order_by("attendee__name")[:50]
    )
    admitted = set(
        CheckIn.objects.filter(
            checkin_list=checkin_list, outcome=Outcome.ADMITTED
        ).values_list("registration_id", flat=True)
    )
    found = list(rows)
    for registration in found:
        registration.admitted_here = registration.pk in admitted
    return found
