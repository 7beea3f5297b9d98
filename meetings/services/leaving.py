"""A participant who is no longer confirmed holds no meetings or requests.

Registrations cannot call meetings (the imports point the other way), so the
meetings app hears of a registration's changes through `activity_recorded`,
inside the causing transaction: the meetings end in the same commit as the
registration, and each one's fact tells the other person.
"""

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from registrations.models import Commitment, Registration
from registrations.services.commitments import release

from ..models import Meeting, MeetingFact, MeetingRequest, Profile
from .facts import record
from .locks import lock_meetings_of, lock_people, lock_requests

Status = MeetingRequest.Status
# The reason a fact records when the person left the event.
LEFT = "registration_ended"


def release_participant(*, profile: Profile, actor: User | None = None) -> int:
    """Cancel the person's meetings and close their pending requests.

    Call inside the transaction that ended the registration. Returns how many
    meetings and requests were closed; each gets a CANCELLED fact naming the
    person who left, so the composer tells only the other one.
    """
    rows = MeetingRequest.objects.filter(
        Q(requester=profile) | Q(recipient=profile),
        status__in=MeetingRequest.HOLDING_STATUSES,
    ).select_related("requester", "recipient")
    others = [
        r.recipient if r.requester_id == profile.pk else r.requester for r in rows
    ]
    if not others:
        return 0
    lock_people(profile.registration.event_id, profile, *others)
    closed = 0
    now = timezone.now()
    for request in lock_requests(rows):
        details = {"reason": LEFT, "left": profile.pk}
        if request.status == Status.ACCEPTED:
            details |= _cancel_meeting_of(request)
        request.status = Status.CANCELLED
        request.answered_at = request.answered_at or now
        request.save(update_fields=["status", "answered_at"])
        record(MeetingFact.Verb.CANCELLED, request, actor=actor, details=details)
        closed += 1
    return closed


def _cancel_meeting_of(request: MeetingRequest) -> dict:
    meeting = lock_meetings_of(request)
    if meeting is None:
        return {}
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    release(
        kind=Commitment.Kind.MEETING,
        source_uuid=meeting.uuid,
        sequence=meeting.sequence,
    )
    return {
        "meeting": str(meeting.uuid),
        "table": meeting.table.name,
        "starts_at": meeting.starts_at.isoformat(),
        "sequence": meeting.sequence,
    }


def on_activity_recorded(sender, *, activities, **kwargs) -> None:
    """Release the meetings of every registration these facts took out of
    the confirmed status (cancelled, moved to the waitlist, declined, ...)."""
    # The facts carry the registration they changed: no query while every one
    # is still confirmed (registering, seats), which is nearly always.
    ids = {
        a.registration_id
        for a in activities
        if a.registration_id and a.registration.status != Registration.Status.CONFIRMED
    }
    if not ids:
        return
    profiles = Profile.objects.filter(registration_id__in=ids).exclude(
        registration__status=Registration.Status.CONFIRMED
    )
    actors = {a.registration_id: a.actor for a in activities if a.registration_id}
    for profile in profiles.select_related("registration").order_by("pk"):
        release_participant(profile=profile, actor=actors.get(profile.registration_id))
