"""Recording facts: one Activity row per state change, then the explicit signal."""

from django.utils import timezone

from accounts.models import User

from ..models import Activity
from ..signals import activity_recorded


def session_details(session) -> dict:
    """The snapshot of a session that messages about it need."""
    return {
        "session_uuid": str(session.uuid),
        "session_title": session.title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "room": session.room.name if session.room_id else "",
        "session_status": session.status,
    }


def seat_summaries(registration) -> list[dict]:
    """The person's live seats as session snapshots (for Activity details)."""
    seats = (
        registration.seats.live()
        .select_related("session__room")
        .order_by("session__starts_at")
    )
    return [session_details(s.session) | {"seat_status": s.status} for s in seats]


def told(details: dict, *, tell: bool) -> dict:
    """`details` of a fact the person is (or, with `tell` off, is not) told of.

    An organiser may change a registration without emailing the person (a
    duplicate cancelled, a list tidied); the fact is logged all the same, marked
    `silent`, and notifications composes nothing from it for that person.
    """
    return details if tell else details | {"silent": True}


def record_activity(
    *,
    verb: str,
    event=None,
    event_id: int | None = None,
    registration=None,
    invitation=None,
    session=None,
    actor: User | None = None,
    details: dict | None = None,
) -> Activity:
    """Write one Activity of `event` (or of the event with `event_id`, where
    its row is not at hand). Call inside the service's transaction, then
    `announce`."""
    snapshot = dict(details or {})
    if session is not None:
        snapshot = session_details(session) | snapshot
    of_event = {"event": event} if event is not None else {"event_id": event_id}
    return Activity.objects.create(
        verb=verb,
        **of_event,
        registration=registration,
        invitation=invitation,
        session=session,
        actor=actor if getattr(actor, "pk", None) else None,
        details=snapshot,
        created_at=timezone.now(),
    )


def announce(activities) -> None:
    """Tell listeners (notifications) about new facts; they act after commit."""
    activities = [a for a in activities if a is not None]
    if activities:
        activity_recorded.send(sender=Activity, activities=activities)
