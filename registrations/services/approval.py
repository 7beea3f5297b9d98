"""Organiser approval of registrations, one by one or in bulk.

Capacity still holds when approving: an approved person for whom no place is
free goes on the waitlist (first come from the moment of approval) and is told
so; with the waitlist off, approval is refused with a message.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event

from ..models import Activity, Registration
from ..selectors import places
from . import RegistrationError
from .activity import announce, record_activity
from .registering import _has_room
from .seats import vacate
from .waitlists import promote_waiting


def _lock_all(event_id, registrations) -> tuple[Event, list[Registration]]:
    event = Event.objects.select_for_update().get(pk=event_id)
    ids = sorted({r.pk for r in registrations})
    locked = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, event=event)
        .select_related("registration_type", "attendee")
        .order_by("created_at", "pk")
    )
    if len(locked) != len(ids):
        raise RegistrationError(
            _("Registrations approved together must be of one event.")
        )
    return event, locked


def _single_event(registrations) -> int:
    event_ids = {r.event_id for r in registrations}
    if len(event_ids) != 1:
        raise RegistrationError(
            _("Registrations approved together must be of one event.")
        )
    return event_ids.pop()


def approve_registrations(*, registrations, actor) -> list[Registration]:
    """Approve registrations awaiting approval (oldest first); others are skipped."""
    registrations = list(registrations)
    if not registrations:
        return []
    with transaction.atomic():
        event, locked = _lock_all(_single_event(registrations), registrations)
        activities, done = [], []
        now = timezone.now()
        for registration in locked:
            if registration.status != Registration.Status.AWAITING_APPROVAL:
                continue
            has_room, _limit = _has_room(event, registration.registration_type, None)
            if has_room:
                registration.status = Registration.Status.CONFIRMED
                registration.save(update_fields=["status", "updated_at"])
                activities.append(
                    record_activity(
                        verb=Activity.Verb.APPROVED,
                        event=event,
                        registration=registration,
                        actor=actor,
                        details={"sessions": places.seat_summaries(registration)},
                    )
                )
            elif event.waitlist_enabled:
                registration.status = Registration.Status.WAITLISTED
                registration.waitlisted_at = now
                registration.save(
                    update_fields=["status", "waitlisted_at", "updated_at"]
                )
                activities.append(
                    record_activity(
                        verb=Activity.Verb.WAITLISTED,
                        event=event,
                        registration=registration,
                        actor=actor,
                        details={"position": places.waitlist_position(registration)},
                    )
                )
            else:
                raise RegistrationError(
                    _("No place is free for %(name)s; raise the capacity first.")
                    % {"name": registration.attendee}
                )
            done.append(registration)
        announce(activities)
    return done


def decline_registrations(*, registrations, actor, reason="") -> list[Registration]:
    """Decline registrations; a declined place (or seat) goes to the next in line."""
    registrations = list(registrations)
    if not registrations:
        return []
    with transaction.atomic():
        event, locked = _lock_all(_single_event(registrations), registrations)
        activities, done, freed = [], [], False
        for registration in locked:
            if not registration.is_live:
                continue
            freed |= registration.status in Registration.PLACE_HOLDING_STATUSES
            registration.status = Registration.Status.DECLINED
            registration.offer_expires_at = None
            registration.save(
                update_fields=["status", "offer_expires_at", "updated_at"]
            )
            activities.append(
                record_activity(
                    verb=Activity.Verb.DECLINED,
                    event=event,
                    registration=registration,
                    actor=actor,
                    details={"reason": reason},
                )
            )
            for seat in registration.seats.live().select_related("session"):
                activities += vacate(seat, actor=actor, record=False)
            done.append(registration)
        if freed:
            activities += promote_waiting(event)
        announce(activities)
    return done
