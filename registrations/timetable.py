"""What registrations adds to the shared timetable: seats left in sessions that
need sign-up, and the person's bookmarks and seats (events.timetable_marks)."""

from django.db.models import Count, Q

from events.models import Session
from events.timetable_marks import TimetableMarks

from .models import Bookmark, Registration, SessionSeat


def timetable_marks(*, event, user, session_uuids=None, **_kwargs) -> TimetableMarks:
    """One query for everyone, two more for a signed-in person."""
    sessions = Session.objects.filter(event=event)
    if session_uuids is not None:
        sessions = sessions.filter(uuid__in=session_uuids)
    held = Q(
        seats__status__in=SessionSeat.PLACE_HOLDING_STATUSES,
        seats__registration__status=Registration.Status.CONFIRMED,
    )
    counted = (
        sessions.filter(signup_required=True, capacity__isnull=False)
        .annotate(taken=Count("seats", filter=held))
        .values_list("uuid", "capacity", "taken")
    )
    marks = TimetableMarks(
        seats_left={
            str(uuid): max(capacity - taken, 0) for uuid, capacity, taken in counted
        }
    )
    if not user.is_authenticated:
        return marks
    marks.starred = {
        str(uuid)
        for uuid in Bookmark.objects.filter(
            user=user, session__in=sessions
        ).values_list("session__uuid", flat=True)
    }
    marks.seats = {
        str(uuid): status
        for uuid, status in SessionSeat.objects.live()
        .filter(
            registration__attendee=user,
            registration__status=Registration.Status.CONFIRMED,
            session__in=sessions,
        )
        .values_list("session__uuid", "status")
    }
    return marks


def on_timetable_marks(sender, **kwargs) -> TimetableMarks:
    return timetable_marks(**kwargs)
