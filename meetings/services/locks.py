"""The one lock order of meeting services (see services/__init__)."""

from events.models import Event
from registrations.models import Registration
from registrations.services.locks import lock_event, lock_registrations

from ..models import MeetingRequest, Profile


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
