"""Waitlists: first come, first served; promotion when places free; timed offers.

Positions are computed from `waitlisted_at` (then pk), never stored. Promotion
runs inside the transaction that freed the place, under the event's row lock.
With type quotas the first *eligible* person in line moves up; someone whose
type is full keeps their place in line.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Event

from ..models import Activity, Registration
from ..selectors import places
from . import RegistrationError
from .activity import announce, told
from .locks import lock_event, lock_event_and_registration, lock_registrations
from .seats import vacate_all_seats
from .transitions import transition

# Who an organiser may move to the waitlist, and who may be offered a place.
MOVABLE_TO_WAITLIST = (
    Registration.Status.AWAITING_APPROVAL,
    Registration.Status.CONFIRMED,
    Registration.Status.OFFERED,
)


def promote_waiting(
    event: Event, *, actor: User | None = None, exclude=()
) -> list[Activity]:
    """Give free places to the people in line. Caller holds the event's lock.

    `exclude`: registrations that keep waiting this time (those an organiser
    has just moved to the line). Returns the activities written (the caller
    announces them).
    """
    if event.status != Event.Status.PUBLISHED:
        return []
    free = places.free_places(event)
    if free == 0:
        return []
    waiting = lock_registrations(
        Registration.objects.filter(event=event)
        .exclude(pk__in=[r.pk for r in exclude])
        .waitlist_order()
        .select_related("registration_type")
    )
    if not waiting:
        return []
    # Quotas change only under the event's lock (capacity services): fresh here.
    type_free = places.free_type_places(event)
    activities = []
    now = timezone.now()
    for registration in waiting:
        if free is not None and free <= 0:
            break
        type_id = registration.registration_type_id
        if type_id in type_free and type_free[type_id] <= 0:
            continue  # their type is full: they keep their place in line
        activities.append(_promote(event, registration, now, actor=actor))
        if free is not None:
            free -= 1
        if type_id in type_free:
            type_free[type_id] -= 1
    return activities


def _promote(event, registration, now, *, actor: User | None = None) -> Activity:
    if event.waitlist_mode == Event.WaitlistMode.OFFER:
        return transition(
            registration,
            event=event,
            status=Registration.Status.OFFERED,
            verb=Activity.Verb.OFFERED,
            actor=actor,
            offer_expires_at=now + timedelta(hours=event.offer_hours),
        )
    return transition(
        registration,
        event=event,
        status=Registration.Status.CONFIRMED,
        verb=Activity.Verb.PROMOTED,
        actor=actor,
    )


def fill_free_places(*, event, actor: User | None = None) -> list[Activity]:
    """Promote people in line into any free places of `event` (own transaction)."""
    with transaction.atomic():
        event = lock_event(event)
        activities = promote_waiting(event, actor=actor)
        announce(activities)
    return activities


def leave_waitlist(*, registration, actor: User | None = None) -> Registration:
    """The person leaves the event's waitlist (their registration is cancelled)."""
    with transaction.atomic():
        event, registration = lock_event_and_registration(registration)
        if registration.status != Registration.Status.WAITLISTED:
            raise RegistrationError(_("You are not on the waitlist."))
        activity = transition(
            registration,
            event=event,
            status=Registration.Status.CANCELLED,
            verb=Activity.Verb.LEFT_WAITLIST,
            actor=actor or registration.attendee,
        )
        announce([activity])
    return registration


def accept_offer(*, registration, actor: User | None = None) -> Registration:
    """Take an offered place before the offer runs out."""
    with transaction.atomic():
        event, registration = lock_event_and_registration(registration)
        if registration.status != Registration.Status.OFFERED:
            raise RegistrationError(_("There is no open offer for this registration."))
        if registration.offer_expires_at <= timezone.now():
            raise RegistrationError(_("This offer has expired."))
        activity = transition(
            registration,
            event=event,
            status=Registration.Status.CONFIRMED,
            verb=Activity.Verb.OFFER_ACCEPTED,
            actor=actor or registration.attendee,
            offer_expires_at=None,
        )
        announce([activity])
    return registration


def decline_offer(*, registration, actor: User | None = None) -> Registration:
    """Turn an offer down: the place goes to the next person in line."""
    with transaction.atomic():
        event, registration = lock_event_and_registration(registration)
        if registration.status != Registration.Status.OFFERED:
            raise RegistrationError(_("There is no open offer for this registration."))
        activities = [
            transition(
                registration,
                event=event,
                status=Registration.Status.CANCELLED,
                verb=Activity.Verb.CANCELLED,
                actor=actor or registration.attendee,
                details={"by": "attendee"},
                offer_expires_at=None,
            )
        ]
        activities += promote_waiting(event)
        announce(activities)
    return registration


def expire_offers(*, now=None) -> int:
    """Pass unanswered offers on to the next person. Idempotent; run periodically."""
    now = now or timezone.now()
    expired = 0
    event_ids = (
        Registration.objects.filter(
            status=Registration.Status.OFFERED, offer_expires_at__lte=now
        )
        .values_list("event_id", flat=True)
        .distinct()
    )
    for event_id in list(event_ids):
        with transaction.atomic():
            event = lock_event(event_id)
            due = lock_registrations(
                Registration.objects.filter(
                    event=event,
                    status=Registration.Status.OFFERED,
                    offer_expires_at__lte=now,
                )
            )
            activities = [
                transition(
                    registration,
                    event=event,
                    status=Registration.Status.CANCELLED,
                    verb=Activity.Verb.OFFER_EXPIRED,
                    now=now,
                )
                for registration in due
            ]
            activities += promote_waiting(event)
            announce(activities)
            expired += len(due)
    return expired


def move_to_waitlist(
    *, registration, actor: User | None = None, tell: bool = True
) -> Registration:
    """An organiser puts a registration at the end of the event's line.

    The person gives up their place (or their open offer) and their seats; a
    place freed goes to whoever was waiting before them. Refused while a place
    would be free for them afterwards (nobody waits while places are free). With
    `tell` off the person is not emailed. Someone already waiting is left as
    they are.
    """
    with transaction.atomic():
        event, registration = lock_event_and_registration(registration)
        if registration.status == Registration.Status.WAITLISTED:
            return registration
        if registration.status not in MOVABLE_TO_WAITLIST:
            raise RegistrationError(
                _("Only live registrations can be moved to the waitlist.")
            )
        held_place = registration.status in Registration.PLACE_HOLDING_STATUSES
        activities = [
            transition(
                registration,
                event=event,
                status=Registration.Status.WAITLISTED,
                verb=Activity.Verb.WAITLISTED,
                actor=actor,
                details=told({}, tell=tell),
                offer_expires_at=None,
            )
        ]
        activities += vacate_all_seats(registration, actor=actor)
        if held_place:
            activities += promote_waiting(event, exclude=[registration])
            # Those promoted were ahead of them: tell the place they now have.
            moved = activities[0]
            moved.details["position"] = places.waitlist_position(registration)
            moved.save(update_fields=["details"])
        if not places.full_limit(event, registration.registration_type):
            # Nobody waits while a place is free: the next promotion would give
            # theirs straight back. Writing nothing is the honest answer.
            raise RegistrationError(
                _(
                    "%(name)s cannot wait for a place while one is free for them: "
                    "lower the capacity first."
                )
                % {"name": registration.attendee}
            )
        announce(activities)
    return registration


def offer_place(*, registration, actor: User | None = None) -> Registration:
    """An organiser offers a free place to one person on the waitlist, out of turn.

    The offer runs for the event's offer hours, as offers do when places free.
    Refused when no place of the event (or of the person's type) is free.
    """
    with transaction.atomic():
        event, registration = lock_event_and_registration(registration)
        if registration.status != Registration.Status.WAITLISTED:
            raise RegistrationError(
                _("Only people on the waitlist can be offered a place.")
            )
        registration_type = registration.registration_type
        if places.full_limit(event, registration_type):
            raise RegistrationError(
                _("No place is free for %(name)s; raise the capacity first.")
                % {"name": registration.attendee}
            )
        activity = transition(
            registration,
            event=event,
            status=Registration.Status.OFFERED,
            verb=Activity.Verb.OFFERED,
            actor=actor,
            offer_expires_at=timezone.now() + timedelta(hours=event.offer_hours),
        )
        announce([activity])
    return registration
