"""The one lock order of meeting services (see services/__init__): the event,
the people's registrations by pk, the request, then its meeting."""

from django.db.models import QuerySet

from events.models import Event
from registrations.models import Registration
from registrations.services.locks import lock_event, lock_registrations

from ..models import Meeting, MeetingRequest, Profile


def lock_people(event_id: int, *profiles: Profile) -> Event:
    """Lock the event, then the people's registrations by pk."""
    event = lock_event(event_id)
    ids = sorted({p.registration_id for p in profiles})
    lock_registrations(Registration.objects.filter(pk__in=ids).order_by("pk"))
    return event


def lock_request(request: MeetingRequest) -> tuple[Event, MeetingRequest]:
    """Lock the request's event, both people and the request; all fresh."""
    event = lock_people(request.block.event_id, request.requester, request.recipient)
    fresh = (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related(
            "block",
            "requester__registration__attendee",
            "recipient__registration__attendee",
        )
        .get(pk=request.pk)
    )
    return event, fresh


def lock_requests(requests: QuerySet[MeetingRequest]) -> list[MeetingRequest]:
    """These requests' rows by pk; after their people's locks."""
    return list(requests.select_for_update(of=("self",)).order_by("pk"))


def lock_meeting(meeting: Meeting) -> Meeting:
    """The meeting's row, fresh, with its table; after its request's lock."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("table")
        .get(pk=meeting.pk)
    )


def lock_meetings_of(request: MeetingRequest) -> Meeting | None:
    """The request's active meeting, if any, locked; after the request's lock."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("table")
        .filter(request=request, status=Meeting.Status.ACTIVE)
        .first()
    )
