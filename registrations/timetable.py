"""What registrations adds to the shared timetable: seats left in sessions that
need sign-up, and the person's bookmarks and seats (events.timetable_marks)."""

from django.db.models import CharField, Count, IntegerField, Q, Value

from events.models import Session
from events.timetable_marks import TimetableMarks

from .models import Bookmark, Registration, SessionSeat

LEFT, STAR = "seats-left", "star"  # not seat statuses


def timetable_marks(*, event, user, session_uuids=None, **_kwargs) -> TimetableMarks:
    """One query: seats left, and for a signed-in person their bookmarks and
    seats (a UNION, so one round trip whatever the page holds)."""
    # Plain columns in the order asked for: a UNION lines them up by position, and
    # modeltranslation's rewriting of values_list() would reorder them.
    sessions = Session.objects.rewrite(False).filter(event=event)
    if session_uuids is not None:
        sessions = sessions.filter(uuid__in=session_uuids)
    held = Q(
        seats__status__in=SessionSeat.PLACE_HOLDING_STATUSES,
        seats__registration__status=Registration.Status.CONFIRMED,
    )
    rows = (
        sessions.filter(signup_required=True, capacity__isnull=False)
        .annotate(
            mark=Value(LEFT, output_field=CharField()),
            taken=Count("seats", filter=held),
        )
        .values_list("uuid", "mark", "capacity", "taken")
        .order_by()
    )
    if user.is_authenticated:
        starred = Bookmark.objects.filter(user=user, session__in=sessions).annotate(
            mark=Value(STAR, output_field=CharField()),
            a=Value(0, output_field=IntegerField()),
            b=Value(0, output_field=IntegerField()),
        )
        seats = (
            SessionSeat.objects.live()
            .filter(
                registration__attendee=user,
                registration__status=Registration.Status.CONFIRMED,
                session__in=sessions,
            )
            .annotate(
                a=Value(0, output_field=IntegerField()),
                b=Value(0, output_field=IntegerField()),
            )
        )
        rows = rows.union(
            starred.values_list("session__uuid", "mark", "a", "b").order_by(),
            seats.values_list("session__uuid", "status", "a", "b").order_by(),
            all=True,
        ).order_by()
    marks = TimetableMarks()
    for uuid, kind, capacity, taken in rows:
        if kind == LEFT:
            marks.seats_left[str(uuid)] = max(capacity - taken, 0)
        elif kind == STAR:
            marks.starred.add(str(uuid))
        else:
            marks.seats[str(uuid)] = kind
    return marks


def on_timetable_marks(sender, **kwargs) -> TimetableMarks:
    return timetable_marks(**kwargs)
