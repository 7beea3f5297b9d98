"""Moving a registration from one status to another, the one way it is done.

Every change of a registration's status after it was made (promotion, offers,
approval, declining, cancelling, leaving the line) goes through `transition`:
it sets the status, stamps when the change happened, saves the changed fields
and records the fact with the details the contract gives for its verb.
"""

from django.utils import timezone

from accounts.models import User

from ..models import Activity, Registration
from ..selectors import places
from .activity import record_activity, seat_summaries

Status = Registration.Status
Verb = Activity.Verb

# The time a status is entered at, kept on the row (the waitlist is ordered by it).
STAMPED_AT: dict[str, str] = {
    Status.CANCELLED: "cancelled_at",
    Status.WAITLISTED: "waitlisted_at",
}
# Facts that tell the person they are in: they list the seats they hold.
SEAT_LISTING_VERBS = {Verb.CONFIRMED, Verb.PROMOTED, Verb.APPROVED, Verb.OFFER_ACCEPTED}


def transition(
    registration: Registration,
    *,
    event,
    status: str,
    verb: str,
    actor: User | None = None,
    details: dict | None = None,
    now=None,
    **fields,
) -> Activity:
    """Move `registration` (of `event`) to `status` and record `verb`.

    Call under the caller's locks (see locks); the caller announces the fact.
    `fields` are other columns the change sets (an offer's deadline, or None to
    clear it). `details` add to what the verb's facts always carry: the seats
    held, the place in line, or the offer's deadline.
    """
    registration.status = status
    changed = ["status", *fields]
    if stamp := STAMPED_AT.get(status):
        setattr(registration, stamp, now or timezone.now())
        changed.append(stamp)
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save(update_fields=[*changed, "updated_at"])
    return record_activity(
        verb=verb,
        event=event,
        registration=registration,
        actor=actor,
        details=_state_details(registration, verb) | (details or {}),
    )


def _state_details(registration: Registration, verb: str) -> dict:
    if verb in SEAT_LISTING_VERBS:
        return {"sessions": seat_summaries(registration)}
    if verb == Verb.WAITLISTED:
        return {"position": places.waitlist_position(registration)}
    if verb == Verb.OFFERED:
        return {"offer_expires_at": registration.offer_expires_at.isoformat()}  # type: ignore[union-attr]
    return {}
