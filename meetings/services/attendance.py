"""Meetings kept: each person records their arrival by scanning the table's QR
during the slot, or both confirm afterwards that they met.

A meeting is kept when both arrived or both confirmed; once its slot has passed
and it is not kept, it is a no-show (selectors_organiser.report says which side
did not come, where the arrivals tell).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Meeting, Table
from . import MeetingError
from .locks import lock_meeting, lock_request

# A person may scan the table's code this long before their slot starts; until
# the slot ends.
EARLY = timedelta(minutes=10)


def _side(meeting: Meeting, person: User) -> str:
    request = meeting.request
    if request.requester.registration.attendee_id == person.pk:
        return "requester"
    if request.recipient.registration.attendee_id == person.pk:
        return "recipient"
    raise MeetingError(_("This meeting is not yours."))


def meeting_now(table: Table, person: User, now: datetime) -> Meeting | None:
    """The person's active meeting at this table whose arrival window is open."""
    return (
        Meeting.objects.filter(
            table=table,
            status=Meeting.Status.ACTIVE,
            starts_at__lte=now + EARLY,
            ends_at__gt=now,
        )
        .filter(
            Q(request__requester__registration__attendee=person)
            | Q(request__recipient__registration__attendee=person)
        )
        .select_related("request__block", "table")
        .first()
    )


def record_arrival(
    *,
    table: Table,
    person: User,
    now: datetime | None = None,
    actor: User | None = None,
) -> Meeting:
    """The person is at the table for their meeting there now; once each."""
    now = now or timezone.now()
    found = meeting_now(table, person, now)
    if found is None:
        raise MeetingError(
            _(
                "You have no meeting at table %(table)s now: scan the code from "
                "%(minutes)d minutes before your meeting until it ends."
            )
            % {"table": table.name, "minutes": EARLY.seconds // 60}
        )
    with transaction.atomic():
        _event, _request = lock_request(found.request)
        meeting = lock_meeting(found)
        if meeting.status != Meeting.Status.ACTIVE or meeting.table_id != table.pk:
            raise MeetingError(_("This meeting has changed: see your meetings."))
        field = f"{_side(found, person)}_arrived_at"
        if getattr(meeting, field) is None:
            setattr(meeting, field, now)
            meeting.save(update_fields=[field])
    return meeting


def confirm_met(
    *,
    meeting: Meeting,
    person: User,
    now: datetime | None = None,
    actor: User | None = None,
) -> Meeting:
    """After the slot, one person says the meeting took place; both make it kept."""
    now = now or timezone.now()
    with transaction.atomic():
        _event, _request = lock_request(meeting.request)
        fresh = lock_meeting(meeting)
        field = f"{_side(meeting, person)}_confirmed_at"
        if fresh.status != Meeting.Status.ACTIVE:
            raise MeetingError(_("This meeting is cancelled."))
        if fresh.ends_at > now:
            raise MeetingError(_("You can confirm a meeting once its time is over."))
        if getattr(fresh, field) is None:
            setattr(fresh, field, now)
            fresh.save(update_fields=[field])
    return fresh
