"""Invitations, the organisers' side: invite one person or a list, send a new
link, approve a substitute. The invitee's answers are in invitation_answers,
the expiry of unanswered ones in invitation_expiry.

An open invitation that reserves a place counts as a taken place (selectors count
it), so every change that closes one frees that place in the same transaction and
lets the waitlist move up. Locks follow the order in `locks`: event, then invitation.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User, normalise_email
from events.models import Event

from ..invitation_import import InviteeRow
from ..models import Activity, Invitation, Registration
from ..selectors import places
from ..tokens import new_token
from . import RegistrationError
from .activity import announce, record_activity
from .locks import lock_event, lock_event_and_invitation
from .waitlists import fill_free_places


class InvitationError(RegistrationError):
    """An invitation action was refused; `errors` lists per-line problems, if any."""

    def __init__(self, message: str, errors=()):
        super().__init__(message)
        self.errors = list(errors)


def check_answerable(invitation: Invitation, now=None) -> None:
    """Raise InvitationError unless the invitee can still answer `invitation`."""
    now = now or timezone.now()
    if invitation.status == Invitation.Status.AWAITING_APPROVAL:
        raise InvitationError(
            _(
                "The organisers have not yet approved this invitation. You will get an "
                "email when they do."
            )
        )
    if invitation.status == Invitation.Status.REVOKED:
        raise InvitationError(
            _(
                "The organisers have withdrawn this invitation. Please contact them "
                "if you think this is a mistake."
            )
        )
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationError(_("This invitation has already been answered."))
    if invitation.rsvp_deadline is not None and now >= invitation.rsvp_deadline:
        raise InvitationError(
            _("The deadline for answering this invitation has passed.")
        )
    if invitation.event.is_cancelled or now >= invitation.event.ends_at:
        raise InvitationError(_("This event is over or has been cancelled."))


def _invited_details(invitation: Invitation) -> dict:
    deadline = invitation.rsvp_deadline
    return {
        "email": invitation.email,
        "name": invitation.name,
        "rsvp_deadline": deadline.isoformat() if deadline else None,
        "message": invitation.message,
        "language": invitation.language,
    }


def answer_details(invitation: Invitation) -> dict:
    reason = {"reason": r} if (r := invitation.decline_reason) else {}
    return {"email": invitation.email, "name": invitation.name} | reason


def release_place(event: Event, invitation: Invitation) -> None:
    """A closed invitation no longer holds its place: give it to the waitlist."""
    if invitation.reserves_seat:
        fill_free_places(event=event)


def close_invitation(
    event: Event,
    invitation: Invitation,
    *,
    status,
    verb,
    actor: User | None = None,
    responded_at=None,
    registration=None,
    frees_place: bool = True,
) -> Activity:
    """Close an open invitation under the caller's locks: its new status (and the
    registration it became), the fact, and its reserved place given to the
    waitlist unless the registration it became holds it (`frees_place=False`).
    The caller announces the fact."""
    invitation.status = status
    invitation.responded_at = responded_at or invitation.responded_at
    invitation.registration = registration or invitation.registration
    invitation.save(
        update_fields=["status", "responded_at", "registration", "decline_reason"]
    )
    activity = record_activity(
        verb=verb,
        event=event,
        invitation=invitation,
        registration=registration,
        actor=actor,
        details=answer_details(invitation),
    )
    if frees_place:
        release_place(event, invitation)
    return activity


def substitute_details(invitation: Invitation) -> dict:
    original = invitation.substitute_for
    return _invited_details(invitation) | {
        "substitute_for_name": (original.name or original.email) if original else ""
    }


# --- Organisers -------------------------------------------------------------------


def invite_many(
    *,
    event: Event,
    rows: list[InviteeRow],
    rsvp_deadline=None,
    reserves_seat: bool = False,
    message: str = "",
    language: str = "",
    actor: User | None = None,
) -> list[Invitation]:
    """Invite everyone in `rows` (from `parse_invitees`), all or nothing.

    `message` is the organiser's personal message to each; `language` the
    invitees' language, for rows that name none. Refuses, writing nothing, when
    any address already has an open invitation or a live registration for the
    event, or when the reserved places would not fit. Each invitee gets an
    `invited` activity, from which notifications sends the link.
    """
    if not rows:
        raise InvitationError(_("Nobody to invite."))
    check_language(language)
    now = timezone.now()
    if rsvp_deadline is not None and rsvp_deadline <= now:
        raise InvitationError(_("The answer deadline must be in the future."))
    with transaction.atomic():
        event = lock_event(event)
        if event.is_cancelled or now >= event.ends_at:
            raise InvitationError(_("This event is over or has been cancelled."))
        errors = _conflicts(event, rows)
        if errors:
            raise InvitationError(_("Nobody was invited."), errors)
        free = places.free_places(event) if reserves_seat else None
        if free is not None and len(rows) > free:
            raise InvitationError(
                _(
                    "Only %(free)d places are free: reserve places for fewer people "
                    "or raise the capacity."
                )
                % {"free": free}
            )
        invitations, activities = [], []
        for row in rows:
            invitation = Invitation.objects.create(
                event=event,
                registration_type=row.registration_type,
                email=row.email,
                name=row.name,
                institution=row.institution,
                rsvp_deadline=rsvp_deadline,
                reserves_seat=reserves_seat,
                message=message.strip(),
                language=row.language or language,
                invited_by=actor if getattr(actor, "pk", None) else None,
            )
            invitations.append(invitation)
            activities.append(
                record_activity(
                    verb=Activity.Verb.INVITED,
                    event=event,
                    invitation=invitation,
                    actor=actor,
                    details=_invited_details(invitation),
                )
            )
        announce(activities)
    return invitations


def _conflicts(event: Event, rows) -> list[str]:
    """Per-line reasons why these rows cannot be invited now (under the event lock)."""
    emails = [row.email for row in rows]
    open_invited = set(
        Invitation.objects.filter(
            event=event, email__in=emails, status__in=Invitation.OPEN_STATUSES
        ).values_list("email", flat=True)
    )
    # Rows carry normalised addresses; accounts may hold older mixed-case ones.
    registered = set(
        Registration.objects.live()
        .filter(event=event)
        .annotate(address=Lower("attendee__email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )
    errors = []
    for row in rows:
        if row.registration_type.event_id != event.pk:
            problem = _("the registration type belongs to another event.")
        elif row.email in open_invited:
            problem = _("%(email)s already has an open invitation.")
        elif row.email in registered:
            problem = _("%(email)s is already registered.")
        else:
            continue
        errors.append(
            _("Line %(line)d: %(problem)s")
            % {"line": row.line, "problem": problem % {"email": row.email}}
        )
    return errors


def invite(
    *,
    event: Event,
    email: str,
    registration_type,
    name: str = "",
    institution: str = "",
    rsvp_deadline=None,
    reserves_seat: bool = False,
    message: str = "",
    language: str = "",
    actor: User | None = None,
) -> Invitation:
    """Invite one person; see `invite_many`."""
    row = InviteeRow(
        line=1,
        name=name.strip(),
        email=normalise_email(email),
        institution=institution.strip(),
        registration_type=registration_type,
    )
    try:
        [invitation] = invite_many(
            event=event,
            rows=[row],
            rsvp_deadline=rsvp_deadline,
            reserves_seat=reserves_seat,
            message=message,
            language=language,
            actor=actor,
        )
    except InvitationError as error:
        if error.errors:  # one person: say it without the line number
            raise InvitationError(error.errors[0].split(": ", 1)[1]) from error
        raise
    return invitation


def check_language(language: str) -> None:
    """Refuse a language the site cannot write emails in ("" is the default)."""
    if language and language not in dict(settings.LANGUAGES):
        raise InvitationError(
            _("“%(language)s” is not a language of this site.") % {"language": language}
        )


def remind_invitation(
    *, invitation: Invitation, actor: User | None = None
) -> Invitation:
    """Remind an invitee who has not answered yet; the link stays the same."""
    with transaction.atomic():
        event, invitation = lock_event_and_invitation(invitation)
        if invitation.status != Invitation.Status.PENDING:
            raise InvitationError(
                _("Only invitations waiting for an answer can be reminded of.")
            )
        activity = record_activity(
            verb=Activity.Verb.INVITATION_REMINDED,
            event=event,
            invitation=invitation,
            actor=actor,
            details=_invited_details(invitation),
        )
        announce([activity])
    return invitation


def resend_invitation(
    *, invitation: Invitation, actor: User | None = None
) -> Invitation:
    """Give an open invitation a new link (the old one then 404s); send it again."""
    with transaction.atomic():
        event, invitation = lock_event_and_invitation(invitation)
        if invitation.status != Invitation.Status.PENDING:
            raise InvitationError(
                _("Only invitations waiting for an answer can be resent.")
            )
        invitation.token = new_token()
        invitation.save(update_fields=["token"])
        activity = record_activity(
            verb=Activity.Verb.INVITED,
            event=event,
            invitation=invitation,
            actor=actor,
            details=_invited_details(invitation),
        )
        announce([activity])
    return invitation


def withdraw_invitation(
    *, invitation: Invitation, actor: User | None = None
) -> Invitation:
    """Take back an invitation nobody has answered yet: its link stops working
    (404, like an old link) and the place it reserved goes to the waitlist.
    Answered ones stay as they are (cancel the registration instead)."""
    with transaction.atomic():
        event, invitation = lock_event_and_invitation(invitation)
        if invitation.status not in Invitation.OPEN_STATUSES:
            raise InvitationError(
                _("Only invitations nobody has answered yet can be withdrawn.")
            )
        activity = close_invitation(
            event,
            invitation,
            status=Invitation.Status.REVOKED,
            verb=Activity.Verb.INVITATION_WITHDRAWN,
            actor=actor,
        )
        announce([activity])
    return invitation


def approve_substitute(
    *, invitation: Invitation, actor: User | None = None
) -> Invitation:
    """Let a substitute who awaits approval answer; sends them their link."""
    with transaction.atomic():
        event, invitation = lock_event_and_invitation(invitation)
        if invitation.status != Invitation.Status.AWAITING_APPROVAL:
            raise InvitationError(_("This invitation is not awaiting approval."))
        invitation.status = Invitation.Status.PENDING
        invitation.save(update_fields=["status"])
        activity = record_activity(
            verb=Activity.Verb.SUBSTITUTE_INVITED,
            event=event,
            invitation=invitation,
            actor=actor,
            details=substitute_details(invitation),
        )
        announce([activity])
    return invitation
