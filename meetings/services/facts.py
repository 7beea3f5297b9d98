"""Recording what happened to a request, for the notifications composer."""

from accounts.models import User

from ..models import MeetingFact, MeetingRequest


def record(
    verb: str,
    request: MeetingRequest,
    *,
    actor: User | None = None,
    details: dict | None = None,
) -> MeetingFact:
    """One fact per change; it names both people, so the composer tells both."""
    return MeetingFact.objects.create(
        verb=verb, request=request, actor=actor, details=details or {}
    )
