"""An organiser's own settings for an event they organise."""

from ..models import EventOrganiser


def set_invitation_news(*, organiser: EventOrganiser, choice: str) -> EventOrganiser:
    """How the organiser hears of invitees' answers: off, at once, or daily."""
    if choice not in EventOrganiser.InvitationNews.values:
        raise ValueError(f"unknown invitation news choice: {choice!r}")
    EventOrganiser.objects.filter(pk=organiser.pk).update(invitation_news=choice)
    organiser.invitation_news = choice
    return organiser
