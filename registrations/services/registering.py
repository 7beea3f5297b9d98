"""Registering for an event, cancelling, and rotating the manage link.

Locks are taken in the order that `locks` gives, and capacity is never checked
outside them, so under any concurrency the confirmed count never passes a limit.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import same_email
from events.models import Event, Session
from events.times import show_datetime

from ..models import (
    Activity,
    Answer,
    Invitation,
    Registration,
    RegistrationType,
)
from ..selectors import places
from ..selectors.registrations import live_registration
from ..tokens import new_token
from . import RegistrationError
from .activity import announce, record_activity, seat_summaries, told
from .answers import clean_answers
from .changes import deadline_passed, is_organiser_act
from .invitations import close_invitation
from .locks import (
    lock_event,
    lock_event_and_registration,
    lock_invitation,
    lock_sessions,
)
from .seats import seat_in, vacate_all_seats
from .transitions import transition
from .waitlists import promote_waiting


def _check_window(event, *, by_organiser: bool) -> None:
    now = timezone.now()
    if event.status == Event.Status.CANCELLED:
        raise RegistrationError(_("This event has been cancelled."))
    if event.status != Event.Status.PUBLISHED:
        raise RegistrationError(_("Registration for this event is not open."))
    if now >= event.ends_at:
        raise RegistrationError(_("This event is over."))
    if by_organiser:
        return  # organisers may register people outside the public window
    if event.registration_opens_at and now < event.registration_opens_at:
        raise RegistrationError(
            _("Registration opens on %(date)s.")
            % {"date": show_datetime(event.registration_opens_at, event)}
        )
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise RegistrationError(_("Registration for this event has closed."))


def _resolve_type(event, registration_type, invitation, *, by_organiser):
    if invitation is not None:
        registration_type = invitation.registration_type
    if registration_type is None:
        types = list(event.registration_types.all())  # prefetched by the page
        available = [t for t in types if not t.invitation_only]
        if len(available) == 1:
            registration_type = available[0]
        elif types:
            raise RegistrationError(_("Choose a registration type."))
        else:
            return None
    if registration_type.event_id != event.pk:
        raise RegistrationError(_("That registration type belongs to another event."))
    chosen = registration_type
    if not by_organiser:
        if chosen.invitation_only and invitation is None:
            raise RegistrationError(
                _("“%(type)s” is by invitation only.") % {"type": chosen.name}
            )
        if invitation is None and not chosen.is_on_sale():
            raise RegistrationError(
                _("“%(type)s” is not available now.") % {"type": chosen.name}
            )
    return chosen


def _check_invitation(event, invitation, attendee) -> Invitation:
    invitation = lock_invitation(invitation)
    if invitation.event_id != event.pk:
        raise RegistrationError(_("This invitation is for another event."))
    if invitation.status != Invitation.Status.PENDING:
        raise RegistrationError(_("This invitation has already been answered."))
    if invitation.rsvp_deadline and timezone.now() >= invitation.rsvp_deadline:
        raise RegistrationError(
            _("The deadline for answering this invitation has passed.")
        )
    if not same_email(attendee.email, invitation.email):
        raise RegistrationError(_("This invitation is for another email address."))
    return invitation


def register_attendee(
    *,
    event,
    attendee,
    registration_type=None,
    answers=None,
    session_ids=(),
    privacy_accepted=False,
    invitation=None,
    actor: User | None = None,
    override_capacity=False,
) -> Registration:
    """Register `attendee`: confirmed while places remain, else waitlisted, or
    awaiting approval where the event requires it.

    Idempotent: a repeat returns the live registration. `actor` other than the
    attendee is an organiser registering on someone's behalf; only they may pass
    `override_capacity`, which confirms over every limit and is logged. Chosen
    sessions are booked only when the registration is confirmed. Raises
    RegistrationError with a message safe to show.
    """
    by_organiser = is_organiser_act(attendee, actor=actor)
    _check_window(event, by_organiser=by_organiser)
    if override_capacity and not by_organiser:
        raise RegistrationError(_("Only organisers can register over capacity."))
    # A repeat is found by the one-live-registration constraint when it inserts
    # (below), so a first registration, the usual case, reads nothing for it.
    # An invitation is answered once, so a repeat answer is looked up first.
    if invitation is not None and (existing := live_registration(event, attendee)):
        return existing
    if invitation is None and event.is_invitation_only and not by_organiser:
        raise RegistrationError(
            _("This event is by invitation only: use the link in your invitation.")
        )
    if event.privacy_notice and not privacy_accepted and not by_organiser:
        raise RegistrationError(_("Please accept the privacy notice to register."))
    # Everything that needs no lock is settled before taking it: the event's row
    # lock serialises every registration, so the locked part must stay short.
    registration_type = _resolve_type(
        event, registration_type, invitation, by_organiser=by_organiser
    )
    prepared = {
        "registration_type": registration_type,
        "answers": clean_answers(event, answers),
        "session_ids": sorted({int(pk) for pk in session_ids or ()}),
        "privacy_accepted": privacy_accepted,
    }
    try:
        with transaction.atomic():
            return _register_locked(
                event=event,
                attendee=attendee,
                invitation=invitation,
                actor=actor or attendee,
                by_organiser=by_organiser,
                override_capacity=override_capacity,
                **prepared,
            )
    except IntegrityError:
        # The one-live-registration constraint: a repeat, or a concurrent double
        # submit. Nothing of this attempt was written.
        existing = live_registration(event, attendee)
        if existing is None:
            raise
        return existing


def _register_locked(
    *, event, attendee, registration_type, answers, session_ids, privacy_accepted,
    invitation, actor: User | None = None, by_organiser, override_capacity,
) -> Registration:  # fmt: skip
    # Lock the row that owns the scarce places: concurrent registrations queue
    # here, and read the limits fresh once they hold the lock.
    lock_event(
        event, "capacity", "waitlist_enabled", "approval_required", "privacy_notice"
    )
    if invitation is not None:
        invitation = _check_invitation(event, invitation, attendee)
    if registration_type is not None and registration_type.quota is not None:
        # Quotas change only under the event's lock (capacity services): fresh here.
        registration_type = RegistrationType.objects.get(pk=registration_type.pk)
    sessions = _chosen_sessions(event, session_ids)

    now = timezone.now()
    activities = []
    full_limit = places.full_limit(
        event, registration_type, exclude_invitation=invitation
    )
    has_room = not full_limit
    if event.approval_required and invitation is None and not by_organiser:
        status = Registration.Status.AWAITING_APPROVAL
    elif has_room or override_capacity:
        status = Registration.Status.CONFIRMED
    elif event.waitlist_enabled:
        status = Registration.Status.WAITLISTED
    elif existing := live_registration(event, attendee):
        return existing  # a repeat: full now, but this person is in
    else:
        raise RegistrationError(_("Sorry, this event is full."))

    registration = Registration.objects.create(
        event=event,
        attendee=attendee,
        registration_type=registration_type,
        status=status,
        waitlisted_at=now if status == Registration.Status.WAITLISTED else None,
        privacy_notice_accepted=event.privacy_notice if privacy_accepted else "",
        privacy_accepted_at=now if privacy_accepted else None,
        registered_by=actor if by_organiser else None,
        capacity_override=bool(override_capacity and not has_room),
    )
    Answer.objects.bulk_create(
        Answer(registration=registration, question=q, value=v)
        for q, v in answers.items()
    )
    booked = False
    if status == Registration.Status.CONFIRMED:
        for session in sessions:
            seat_in(
                registration, session, actor=actor, record=False, new_registration=True
            )
            booked = True
    if registration.capacity_override:
        activities.append(
            record_activity(
                verb=Activity.Verb.CAPACITY_OVERRIDDEN,
                event=event,
                registration=registration,
                actor=actor,
                details={"limit": full_limit},
            )
        )
    activities.append(
        _outcome_activity(event, registration, actor=actor, booked=booked)
    )
    if invitation is not None:
        # Its reserved place, if any, is the one this registration now holds.
        activities.append(
            close_invitation(
                event,
                invitation,
                status=Invitation.Status.ACCEPTED,
                verb=Activity.Verb.INVITATION_ACCEPTED,
                actor=actor,
                responded_at=now,
                registration=registration,
                frees_place=False,
            )
        )
    announce(activities)
    return registration


def _chosen_sessions(event, ids) -> list[Session]:
    if not ids:
        return []
    sessions = lock_sessions(ids, event=event)
    if len(sessions) != len(ids):
        raise RegistrationError(
            _("Some of the chosen sessions do not belong to this event.")
        )
    chosen = sorted(sessions.values(), key=lambda s: s.starts_at)
    for a, b in zip(chosen, chosen[1:], strict=False):
        if a.overlaps(b):
            raise RegistrationError(
                _("“%(a)s” and “%(b)s” overlap: choose one of them.")
                % {"a": a.title, "b": b.title}
            )
    return chosen


def _outcome_activity(
    event, registration, *, actor: User | None = None, booked
) -> Activity:
    status = registration.status
    if status == Registration.Status.CONFIRMED:
        verb = Activity.Verb.CONFIRMED
        sessions = seat_summaries(registration) if booked else []
        details: dict = {"sessions": sessions}
    elif status == Registration.Status.WAITLISTED:
        verb = Activity.Verb.WAITLISTED
        details = {"position": places.waitlist_position(registration)}
    else:
        verb, details = Activity.Verb.AWAITING_APPROVAL, {}
    return record_activity(
        verb=verb, event=event, registration=registration, actor=actor, details=details
    )


def cancel_registration(
    *, registration, actor: User | None = None, tell: bool = True
) -> Registration:
    """Cancel: frees the place and every seat, and promotes the waitlists.

    Attendees may cancel until the event's modification deadline; organisers
    (an `actor` other than the attendee) at any time, and may choose not to
    `tell` the person. Cancelling twice is a no-op.
    """
    actor = actor or registration.attendee
    by_organiser = is_organiser_act(registration.attendee, actor=actor)
    with transaction.atomic():
        event, registration = lock_event_and_registration(registration)
        if not registration.is_live:
            return registration
        if not by_organiser and deadline_passed(event):
            raise RegistrationError(
                _("The deadline for changes has passed; please contact the organisers.")
            )
        held_place = registration.status in Registration.PLACE_HOLDING_STATUSES
        activities = [
            transition(
                registration,
                event=event,
                status=Registration.Status.CANCELLED,
                verb=Activity.Verb.CANCELLED,
                actor=actor,
                details=told(
                    {"by": "organiser" if by_organiser else "attendee"},
                    tell=tell or not by_organiser,
                ),
                offer_expires_at=None,
            )
        ]
        activities += vacate_all_seats(registration, actor=actor)
        if held_place:
            activities += promote_waiting(event)
        announce(activities)
    return registration


def regenerate_manage_token(*, registration) -> Registration:
    registration.manage_token = new_token()
    Registration.objects.filter(pk=registration.pk).update(
        manage_token=registration.manage_token
    )
    return registration
