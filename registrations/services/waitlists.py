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

from events.models import Event

from ..models import Activity, Registration, RegistrationType
from ..selectors import places
from . import RegistrationError
from .activity import announce, record_activity


def lock_event(event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def promote_waiting(event: Event, *, actor=None) -> list[Activity]:
    """Give free places to the people in line. Caller holds the event's lock.

    Returns the activities written (the caller announces them).
    """
    if event.status != Event.Status.PUBLISHED:
        return []
    free = None
    if event.capacity is not None:
        free = event.capacity - places.places_taken(event)
        if free <= 0:
            return []
    waiting = list(
        Registration.objects.filter(event=event)
        .waitlist_order()
        .select_for_update(of=("self",))
        .select_related("registration_type")
    )
    if not waiting:
        return []
    type_free = _type_room(event)
    activities = []
    now = timezone.now()
    for registration in waiting:
        if free is not None and free <= 0:
            break
        type_id = registration.registration_type_id
        if type_id in type_free and type_free[type_id] <= 0:
            continue  # their type is full: they keep their place in line
        activities.append(_promote(event, registration, now, actor))
        if free is not None:
            free -= 1
        if type_id in type_free:
            type_free[type_id] -= 1
    return activities


def _type_room(event) -> dict[int, int]:
    """Free places per registration type that has a quota."""
    room = {}
    types = RegistrationType.objects.filter(event=event, quota__isnull=False)
    for registration_type in types.select_for_update().order_by("pk"):
        taken = places.type_places_taken(registration_type)
        room[registration_type.pk] = registration_type.quota - taken
    return room


def _promote(event, registration, now, actor) -> Activity:
    if event.waitlist_mode == Event.WaitlistMode.OFFER:
        registration.status = Registration.Status.OFFERED
        registration.offer_expires_at = now + timedelta(hours=event.offer_hours)
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        return record_activity(
            verb=Activity.Verb.OFFERED,
            event=event,
            registration=registration,
            actor=actor,
            details={"offer_expires_at": registration.offer_expires_at.isoformat()},
        )
    registration.status = Registration.Status.CONFIRMED
    registration.save(update_fields=["status", "updated_at"])
    return record_activity(
        verb=Activity.Verb.PROMOTED,
        event=event,
        registration=registration,
        actor=actor,
        details={"sessions": places.seat_summaries(registration)},
    )


def fill_free_places(*, event, actor=None) -> list[Activity]:
    """Promote people in line into any free places of `event` (own transaction)."""
    with transaction.atomic():
        event = lock_event(event)
        activities = promote_waiting(event, actor=actor)
        announce(activities)
    return activities


def _lock_registration(registration) -> tuple[Event, Registration]:
    event = lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    return event, registration


def leave_waitlist(*, registration, actor=None) -> Registration:
    """The person leaves the event's waitlist (their registration is cancelled)."""
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if registration.status != Registration.Status.WAITLISTED:
            raise RegistrationError(_("You are not on the waitlist."))
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        activity = record_activity(
            verb=Activity.Verb.LEFT_WAITLIST,
            event=event,
            registration=registration,
            actor=actor or registration.attendee,
        )
        announce([activity])
    return registration


def accept_offer(*, registration, actor=None) -> Registration:
    """Take an offered place before the offer runs out."""
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if registration.status != Registration.Status.OFFERED:
            raise RegistrationError(_("There is no open offer for this registration."))
        if registration.offer_expires_at <= timezone.now():
            raise RegistrationError(_("This offer has expired."))
        registration.status = Registration.Status.CONFIRMED
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        activity = record_activity(
            verb=Activity.Verb.OFFER_ACCEPTED,
            event=event,
            registration=registration,
            actor=actor or registration.attendee,
            details={"sessions": places.seat_summaries(registration)},
        )
        announce([activity])
    return registration


def decline_offer(*, registration, actor=None) -> Registration:
    """Turn an offer down: the place goes to the next person in line."""
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if registration.status != Registration.Status.OFFERED:
            raise RegistrationError(_("There is no open offer for this registration."))
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.offer_expires_at = None
        registration.save(
            update_fields=["status", "cancelled_at", "offer_expires_at", "updated_at"]
        )
        activities = [
            record_activity(
                verb=Activity.Verb.CANCELLED,
                event=event,
                registration=registration,
                actor=actor or registration.attendee,
                details={"by": "attendee"},
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
            event = Event.objects.select_for_update().get(pk=event_id)
            due = list(
                Registration.objects.select_for_update().filter(
                    event=event,
                    status=Registration.Status.OFFERED,
                    offer_expires_at__lte=now,
                )
            )
            activities = []
            for registration in due:
                registration.status = Registration.Status.CANCELLED
                registration.cancelled_at = now
                registration.save(
                    update_fields=["status", "cancelled_at", "updated_at"]
                )
                activities.append(
                    record_activity(
                        verb=Activity.Verb.OFFER_EXPIRED,
                        event=event,
                        registration=registration,
                    )
                )
            activities += promote_waiting(event)
            announce(activities)
            expired += len(due)
    return expired
