"""Organiser approval of registrations, one by one or in bulk.

Capacity still holds when approving: an approved person for whom no place is
free goes on the waitlist (first come from the moment of approval) and is told
so; with the waitlist off, approval is refused with a message.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Event

from ..models import Activity, Registration
from ..selectors import places
from . import RegistrationError
from .activity import announce, told
from .locks import lock_event, lock_registrations
from .seats import vacate_all_seats
from .transitions import transition
from .waitlists import promote_waiting


def _lock_all(event_id, registrations) -> tuple[Event, list[Registration]]:
    event = lock_event(event_id)
    ids = sorted({r.pk for r in registrations})
    locked = lock_registrations(
        Registration.objects.filter(pk__in=ids, event=event)
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


def approve_registrations(
    *, registrations, actor: User | None = None
) -> list[Registration]:
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
            full = places.full_limit(event, registration.registration_type)
            if not full:
                status, verb = Registration.Status.CONFIRMED, Activity.Verb.APPROVED
            elif event.waitlist_enabled:
                status, verb = Registration.Status.WAITLISTED, Activity.Verb.WAITLISTED
            else:
                raise RegistrationError(
                    _("No place is free for %(name)s; raise the capacity first.")
                    % {"name": registration.attendee}
                )
            activities.append(
                transition(
                    registration,
                    event=event,
                    status=status,
                    verb=verb,
                    actor=actor,
                    now=now,
                )
            )
            done.append(registration)
        announce(activities)
    return done


def decline_registrations(
    *, registrations, actor: User | None = None, reason: str = "", tell: bool = True
) -> list[Registration]:
    """Decline registrations; a declined place (or seat) goes to the next in line.

    With `tell` off the people are not emailed (the fact is logged as silent).
    """
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
            activities.append(
                transition(
                    registration,
                    event=event,
                    status=Registration.Status.DECLINED,
                    verb=Activity.Verb.DECLINED,
                    actor=actor,
                    details=told({"reason": reason}, tell=tell),
                    offer_expires_at=None,
                )
            )
            activities += vacate_all_seats(registration, actor=actor)
            done.append(registration)
        if freed:
            activities += promote_waiting(event)
        announce(activities)
    return done
