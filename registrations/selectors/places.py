"""Places and positions: how many places and seats are taken, and where a person
stands on a waitlist."""

from django.db import connection
from django.db.models import Q

from ..models import Invitation, Registration, SessionSeat
from ..services.activity import session_details

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
    return SessionSeat.objects.filter(
        session=session,
        status__in=SessionSeat.PLACE_HOLDING_STATUSES,
        registration__status=Registration.Status.CONFIRMED,
    ).count()


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
    if session.capacity is None:
        return None
    return max(session.capacity - session_seats_taken(session), 0)


def seat_summaries(registration) -> list[dict]:
    """The person's live seats as session snapshots (for Activity details)."""
    seats = (
        registration.seats.live()
        .select_related("session__room")
        .order_by("session__starts_at")
    )
    return [session_details(s.session) | {"seat_status": s.status} for s in seats]
