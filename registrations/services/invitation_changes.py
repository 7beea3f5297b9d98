"""Changing an answer to an invitation: until the answer-by date, a decline may
become an accept, and an accept a decline.

Both run under the caller's locks (event, then invitation). Accepting again goes
through register_attendee, which counts places as for any registration: the
place a declined invitation reserved was given back when it was declined.
Declining after accepting cancels the registration as any cancellation does,
which frees its place for the waitlist.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Event
from events.times import show_datetime

from ..models import Activity, Invitation
from .activity import record_activity
from .invitations import InvitationError, answer_details
from .registering import cancel_registration

ANSWERED = (Invitation.Status.ACCEPTED, Invitation.Status.DECLINED)


def check_changeable(invitation: Invitation, now: datetime | None = None) -> None:
    """Raise InvitationError unless the invitee may still change their answer."""
    now = now or timezone.now()
    event = invitation.event
    if invitation.status not in ANSWERED:
        raise InvitationError(_("This invitation has already been answered."))
    deadline = invitation.rsvp_deadline
    if deadline is not None and now >= deadline:
        raise InvitationError(
            _(
                "The answer-by date, %(deadline)s, has passed: the answer can no "
                "longer be changed. Please write to the organisers if your plans "
                "have changed."
            )
            % {"deadline": show_datetime(deadline, event)}
        )
    if event.is_cancelled or now >= event.starts_at:
        raise InvitationError(
            _(
                "The event has begun or has been cancelled: the answer can no "
                "longer be changed."
            )
        )


def reopen_declined(event: Event, invitation: Invitation) -> None:
    """A declined invitation waits for an answer again, for the invitee to
    accept it in the same transaction."""
    check_changeable(invitation)
    newer = (
        Invitation.objects.filter(
            event=event, email=invitation.email, status__in=Invitation.OPEN_STATUSES
        )
        .exclude(pk=invitation.pk)
        .exists()
    )
    if newer:
        raise InvitationError(
            _("You have a newer invitation to this event: please answer through it.")
        )
    invitation.status = Invitation.Status.PENDING
    invitation.decline_reason = ""
    invitation.save(update_fields=["status", "decline_reason"])


def decline_after_accepting(
    event: Event, invitation: Invitation, *, reason: str, actor: User | None = None
) -> Activity:
    """An accepted invitation becomes declined: its registration is cancelled
    (by its attendee, so they are told), which frees the place. Returns the
    fact for the caller to announce."""
    check_changeable(invitation)
    registration = invitation.registration
    if registration is not None and registration.is_live:
        cancel_registration(registration=registration, actor=registration.attendee)
    invitation.status = Invitation.Status.DECLINED
    invitation.decline_reason = reason
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "decline_reason", "responded_at"])
    return record_activity(
        verb=Activity.Verb.INVITATION_DECLINED,
        event=event,
        invitation=invitation,
        registration=registration,
        actor=actor,
        details=answer_details(invitation),
    )
