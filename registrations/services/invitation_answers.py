"""Invitations, the invitee's side: accept, decline or name a substitute through
the secret link bound to their email address, and change the answer until the
answer-by date (invitation_changes).

Accepting registers a person (register_attendee does the counting); the link
proves the address, so accepting marks it verified, and an invitee without an
account gets one without a password (they sign in with a code sent to the
address). The link never signs anyone in. Closing an invitation that reserved a
place gives the place to the waitlist in the same transaction.
"""

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User, normalise_email
from accounts.services import find_or_create_person, same_email

from ..models import Activity, Invitation, Registration
from .activity import announce, record_activity
from .invitation_changes import decline_after_accepting, reopen_declined
from .invitations import (
    InvitationError,
    answer_details,
    check_answerable,
    close_invitation,
    substitute_details,
)
from .locks import lock_event_and_invitation
from .registering import register_attendee


def is_invitee(invitation: Invitation, user) -> bool:
    """Whether `user`'s account has the invited address (only they may accept)."""
    return same_email(user.email, invitation.email)


def mark_email_verified(*, user, email: str) -> None:
    """The invitation link reached `email`: record the address as verified."""
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        address = EmailAddress.objects.create(
            user=user,
            email=normalise_email(email),
            primary=not has_primary,
            verified=True,
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def accept_invitation(
    *,
    invitation: Invitation,
    user,
    answers=None,
    session_ids=(),
    privacy_accepted: bool = False,
    actor: User | None = None,
) -> Registration:
    """Register `user` through `invitation`; they must own the invited address.

    The registration itself (capacity, approval, questions) is register_attendee's;
    this closes the invitation in the same transaction and marks the address
    verified, since the link proved it. A declined invitation may be accepted
    until the answer-by date: its place is counted anew.
    """
    if not is_invitee(invitation, user):
        raise InvitationError(
            _(
                "This invitation is for %(invited)s, but you are signed in as "
                "%(current)s. Sign out and sign in (or create an account) with "
                "%(invited)s to accept it."
            )
            % {"invited": invitation.email, "current": user.email}
        )
    with transaction.atomic():
        event, invitation = lock_event_and_invitation(invitation)
        if invitation.status == Invitation.Status.DECLINED:
            reopen_declined(event, invitation)
        else:
            check_answerable(invitation)
        registration = register_attendee(
            event=event,
            attendee=user,
            registration_type=invitation.registration_type,
            answers=answers,
            session_ids=session_ids,
            privacy_accepted=privacy_accepted,
            invitation=invitation,
            actor=actor or user,
        )
        _close_accepted(event, invitation, registration, user)
        mark_email_verified(user=user, email=invitation.email)
    return registration


def _close_accepted(event, invitation, registration, user) -> None:
    """Close the invitation if register_attendee did not.

    It does, except when the person was registered already (say, by an organiser
    on their behalf): then it returns that registration and leaves the invitation
    open, holding a second place. Close it here and give any reserved place back.
    """
    invitation.refresh_from_db()
    if invitation.status == Invitation.Status.ACCEPTED:
        return
    activity = close_invitation(
        event,
        invitation,
        status=Invitation.Status.ACCEPTED,
        verb=Activity.Verb.INVITATION_ACCEPTED,
        actor=user,
        responded_at=timezone.now(),
        registration=registration,
    )
    announce([activity])


def accept_by_link(
    *,
    invitation: Invitation,
    name: str = "",
    answers=None,
    session_ids=(),
    privacy_accepted: bool = False,
    actor: User | None = None,
) -> tuple[User, Registration]:
    """Accept for the invited address through the link alone; returns (person,
    registration). The person's account is made if there is none, without a
    password; an existing account is used as it is (only an empty name is
    filled in). Nobody is signed in.

    All or nothing: if the registration is refused, no account is left behind.
    """
    if invitation.status != Invitation.Status.DECLINED:
        check_answerable(invitation)
    try:
        with transaction.atomic():
            user, _created = find_or_create_person(email=invitation.email, name=name)
            mark_email_verified(user=user, email=invitation.email)
            registration = accept_invitation(
                invitation=invitation,
                user=user,
                answers=answers,
                session_ids=session_ids,
                privacy_accepted=privacy_accepted,
                actor=actor,
            )
    except IntegrityError as error:  # the same address signed up a moment ago
        raise InvitationError(
            _("An account for %(email)s was made a moment ago: please try again.")
            % {"email": invitation.email}
        ) from error
    return user, registration


def decline_invitation(
    *, invitation: Invitation, reason: str = "", actor: User | None = None
) -> Invitation:
    """The invitee will not come: close the invitation and free its place.

    `reason` (optional) is kept for the organisers. An accepted invitation may be
    declined until the answer-by date: its registration is cancelled.
    """
    reason = reason.strip()
    with transaction.atomic():
        event, invitation = lock_event_and_invitation(invitation)
        if invitation.status == Invitation.Status.ACCEPTED:
            activity = decline_after_accepting(
                event, invitation, reason=reason, actor=actor
            )
        else:
            check_answerable(invitation)
            invitation.decline_reason = reason
            activity = close_invitation(
                event,
                invitation,
                status=Invitation.Status.DECLINED,
                verb=Activity.Verb.INVITATION_DECLINED,
                actor=actor,
                responded_at=timezone.now(),
            )
        announce([activity])
    return invitation


def name_substitute(
    *, invitation: Invitation, name: str, email: str, actor: User | None = None
) -> Invitation:
    """Pass the invitation to someone from the same institution; returns theirs.

    The substitute's invitation keeps the type, deadline and reserved place. When
    the event wants substitutes approved it waits for an organiser, and the
    substitute hears of it only then.
    """
    name, email = name.strip(), normalise_email(email)
    if not name:
        raise InvitationError(_("Give the substitute's name."))
    with transaction.atomic():
        event, invitation = lock_event_and_invitation(invitation)
        check_answerable(invitation)
        if same_email(email, invitation.email):
            raise InvitationError(_("The substitute must be someone else."))
        if Invitation.objects.filter(
            event=event, email=email, status__in=Invitation.OPEN_STATUSES
        ).exists() or (
            Registration.objects.live()
            .filter(event=event, attendee__email__iexact=email)
            .exists()
        ):
            raise InvitationError(
                _("%(email)s is already invited to or registered for this event.")
                % {"email": email}
            )
        needs_approval = event.substitutes_need_approval
        invitation.status = Invitation.Status.SUBSTITUTED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
        substitute = Invitation.objects.create(
            event=event,
            registration_type=invitation.registration_type,
            email=email,
            name=name,
            institution=invitation.institution,
            rsvp_deadline=invitation.rsvp_deadline,
            reserves_seat=invitation.reserves_seat,
            # Most substitutes are colleagues: the invitee's language is the guess.
            language=invitation.language,
            invited_by=invitation.invited_by,
            substitute_for=invitation,
            status=(
                Invitation.Status.AWAITING_APPROVAL
                if needs_approval
                else Invitation.Status.PENDING
            ),
        )
        activities = [
            record_activity(
                verb=Activity.Verb.INVITATION_SUBSTITUTED,
                event=event,
                invitation=invitation,
                actor=actor,
                details=answer_details(invitation)
                | {"substitute_name": name, "substitute_email": email},
            )
        ]
        if not needs_approval:
            activities.append(
                record_activity(
                    verb=Activity.Verb.SUBSTITUTE_INVITED,
                    event=event,
                    invitation=substitute,
                    actor=actor,
                    details=substitute_details(substitute),
                )
            )
        announce(activities)
    return substitute
