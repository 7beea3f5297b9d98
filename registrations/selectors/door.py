"""What the door shows besides a verdict: running counts, the offline roster,
the duplicates two offline devices made, and people found by name."""

import hashlib
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from ..models import CheckIn, CheckInList, Registration, SessionSeat

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
    """The running count: those the list ever admitted, those it expects (as
    `expected`), and on an entry-and-exit list those inside now."""
    # Every scan answers with it, so it is one hand-written statement: the same
    # counts built through the ORM cost more CPU than the database spends.
    # Only our own table names are formatted in; every value is a parameter.
    checkins = CheckIn._meta.db_table
    sessions = CheckInList.sessions.through._meta.db_table
    inside = (
        "NULL"
        if checkin_list.is_single_entry
        else f"(SELECT COUNT(*) FROM (SELECT registration_id FROM {checkins}"  # noqa: S608
        " WHERE checkin_list_id = %s GROUP BY registration_id"
        " HAVING SUM(CASE WHEN outcome = %s THEN 1 ELSE 0 END)"
        " > SUM(CASE WHEN outcome = %s THEN 1 ELSE 0 END)) inside)"
    )
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {Registration._meta.db_table} r"  # noqa: S608
        " WHERE r.event_id = %s AND r.status = %s"
        f" AND (NOT EXISTS (SELECT 1 FROM {sessions} WHERE checkinlist_id = %s)"
        f" OR EXISTS (SELECT 1 FROM {SessionSeat._meta.db_table} s"
        f" JOIN {sessions} l ON l.session_id = s.session_id"
        " WHERE s.registration_id = r.id AND s.status = %s"
        " AND l.checkinlist_id = %s)))"
        f", (SELECT COUNT(DISTINCT registration_id) FROM {checkins}"
        f" WHERE checkin_list_id = %s AND outcome = %s), {inside}"
    )
    pk = checkin_list.pk
    params: list[int | str] = [
        checkin_list.event_id,
        str(Registration.Status.CONFIRMED),
        pk,
        str(SessionSeat.Status.CONFIRMED),
        pk,
        pk,
        str(Outcome.ADMITTED),
    ]
    if not checkin_list.is_single_entry:
        params += [pk, str(Outcome.ADMITTED), str(Outcome.EXITED)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        expected_count, admitted, inside_count = cursor.fetchone()
    return ListCount(expected_count, admitted, inside_count)


def code_digest(checkin_list: CheckInList, code: str) -> str:
    """How the offline roster names a code: a hash, salted by the list, that
    the scanning page computes the same way (SHA-256 of "list:code")."""
    return hashlib.sha256(f"{checkin_list.pk}:{code}".encode()).hexdigest()[:32]


def roster(checkin_list: CheckInList) -> dict:
    """The least a device needs to decide offline and to find people by name:
    for each person the list admits, their code's digest, their name (never
    their email or answers: a person without a name is found by code only),
    whether the list has admitted them already, and their registration's id,
    which a tap on the name queues."""
    admitted = set(
        CheckIn.objects.filter(
            checkin_list=checkin_list, outcome=Outcome.ADMITTED
        ).values_list("registration_id", flat=True)
    )
    people = expected(checkin_list).values_list("pk", "checkin_code", "attendee__name")
    return {
        "list": checkin_list.pk,
        "single_entry": checkin_list.is_single_entry,
        "people": [
            [code_digest(checkin_list, code), name, pk in admitted, pk]
            for pk, code, name in people
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
