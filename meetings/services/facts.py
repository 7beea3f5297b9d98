"""Recording what happened to a request, for the notifications composer."""

from accounts.models import User

from ..models import MeetingFact, MeetingRequest
from ..signals import meeting_fact_recorded


def record(
    verb: str,
    request: MeetingRequest,
    *,
    actor: User | None = None,
    details: dict | None = None,
) -> MeetingFact:
    """One fact per change; it names both people, so the composer tells both."""
    fact = MeetingFact.objects.create(
        verb=verb, request=request, actor=actor, details=details or {}
    )
    # Notifications listens, and composes after commit.
    meeting_fact_recorded.send(sender=MeetingFact, facts=[fact])
    return fact
