"""Places and positions: how many places and seats are taken or free, whether a
registration fits, and where a person stands on a waitlist.

The one place that counts them: services ask here under their locks, pages
and reports ask here without. A place is held by a confirmed registration, an
open offer, or an open invitation that reserves one; a seat by a confirmed or
offered seat of a confirmed registration.
"""

from django.db import connection
from django.db.models import Q, QuerySet

from events.models import Session

from ..models import Invitation, Registration, SessionSeat

HOLDING = Registration.PLACE_HOLDING_STATUSES


def _reserving_invitations(exclude_invitation=None):
    qs = Invitation.objects.filter(
        reserves_seat=True, status__in=Invitation.OPEN_STATUSES
    )
    if exclude_invitation is not None:
        qs = qs.exclude(pk=exclude_invitation.pk)
    return qs


def places_taken(event, *, exclude_invitation=None) -> int:
    """Confirmed places, open offers and places reserved by open invitations."""
    # It runs under the event's lock on every registration, so it is one
    # hand-written statement: building the same count through the ORM cost more
    # CPU than the database spends answering it (bench/README.md).
    holding = [str(status) for status in HOLDING]
    reserving = [str(status) for status in Invitation.OPEN_STATUSES]
    # Only our own table names are formatted in; every value is a parameter.
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {Registration._meta.db_table}"  # noqa: S608
        f" WHERE event_id = %s AND status IN ({_placeholders(holding)}))"
        f" + (SELECT COUNT(*) FROM {Invitation._meta.db_table}"
        f" WHERE event_id = %s AND reserves_seat = %s"
        f" AND status IN ({_placeholders(reserving)}) AND id <> %s)"
    )
    excluded = getattr(exclude_invitation, "pk", None) or 0
    params = [event.pk, *holding, event.pk, True, *reserving, excluded]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def type_places_taken(registration_type, *, exclude_invitation=None) -> int:
    held = Registration.objects.filter(
        registration_type=registration_type, status__in=HOLDING
    ).count()
    reserved = (
        _reserving_invitations(exclude_invitation)
        .filter(registration_type=registration_type)
        .count()
    )
    return held + reserved


def reserved_places(event) -> int:
    """Places held for invitees who have not answered yet."""
    return _reserving_invitations().filter(event=event).count()


def free_places(event) -> int | None:
    """Places of the event nobody holds; None when it has no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - places_taken(event), 0)


def free_type_places(event) -> dict[int, int]:
    """Free places per registration type that has a quota, by the type's pk."""
    return {
        registration_type.pk: max(
            registration_type.quota - type_places_taken(registration_type), 0
        )
        for registration_type in event.registration_types.filter(
            quota__isnull=False
        ).order_by("pk")
    }


def full_limit(event, registration_type=None, *, exclude_invitation=None) -> str:
    """Which limit one more place would pass: "event", "type", or "" for none.

    `exclude_invitation` is the invitation being answered: its reserved place is
    the one the answer takes, so it does not count against it.
    """
    if event.capacity is not None and (
        places_taken(event, exclude_invitation=exclude_invitation) >= event.capacity
    ):
        return "event"
    if registration_type is not None and registration_type.quota is not None:
        taken = type_places_taken(
            registration_type, exclude_invitation=exclude_invitation
        )
        if taken >= registration_type.quota:
            return "type"
    return ""


def waitlist_position(registration) -> int | None:
    """1-based place in the event's line; None when not waiting."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def session_seats_taken(session) -> int:
    """Seats held (confirmed or offered) by confirmed registrations."""
    # Under the event's lock on every registration with a seat: one hand-written
    # statement, as places_taken (the ORM's count with its join cost more CPU).
    holding = [str(status) for status in SessionSeat.PLACE_HOLDING_STATUSES]
    seats, registrations = SessionSeat._meta.db_table, Registration._meta.db_table
    sql = (
        f"SELECT COUNT(*) FROM {seats} s JOIN {registrations} r"  # noqa: S608
        f" ON r.id = s.registration_id WHERE s.session_id = %s"
        f" AND s.status IN ({_placeholders(holding)}) AND r.status = %s"
    )
    params = [session.pk, *holding, str(Registration.Status.CONFIRMED)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def session_waitlist_position(seat) -> int | None:
    if seat.status != SessionSeat.Status.WAITLISTED:
        return None
    ahead = SessionSeat.objects.filter(
        session_id=seat.session_id, status=SessionSeat.Status.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=seat.waitlisted_at)
        | Q(waitlisted_at=seat.waitlisted_at, pk__lt=seat.pk)
    )
    return ahead.count() + 1


def seats_left(session) -> int | None:
    """Seats of the session nobody holds; None when it has no limit."""
    if session.capacity is None:
        return None
    return max(session.capacity - session_seats_taken(session), 0)


def seat_sessions(event) -> QuerySet[Session]:
    """The event's scheduled sessions with limited seats, in time order, as a lazy
    queryset: a registration that chooses none never runs it."""
    return (
        event.sessions.filter(
            signup_required=True,
            status=Session.Status.SCHEDULED,
            starts_at__isnull=False,  # never placed: not bookable
        )
        .select_related("room")
        .order_by("starts_at", "title")
    )
