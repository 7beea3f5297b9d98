"""Changing capacities: the only way to change them, so waitlists move up at once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from events import services as event_services
from events.models import Event, Session

from ..models import RegistrationType
from . import RegistrationError
from .activity import announce
from .locks import lock_event, lock_registration_type, lock_sessions
from .seats import promote_seats
from .waitlists import promote_waiting


def _check(capacity) -> None:
    if capacity is not None and capacity < 1:
        raise RegistrationError(
            _("A capacity must be at least 1 (or empty for no limit).")
        )


def change_event_capacity(*, event, capacity, actor: User | None = None) -> Event:
    """Set the event's capacity; a larger one promotes people in line at once.

    Lowering it below the places taken removes nobody: it only stops new places.
    """
    _check(capacity)
    with transaction.atomic():
        event = lock_event(event)
        event.capacity = capacity
        event.save(update_fields=["capacity"])
        announce(promote_waiting(event, actor=actor))
    return event


def change_type_quota(
    *, registration_type, capacity, actor: User | None = None
) -> RegistrationType:
    _check(capacity)
    with transaction.atomic():
        event = lock_event(registration_type.event_id)
        locked = lock_registration_type(registration_type)
        locked.quota = capacity
        locked.save(update_fields=["quota"])
        announce(promote_waiting(event, actor=actor))
    registration_type.quota = capacity
    return locked


def change_session_capacity(*, session, capacity, actor: User | None = None) -> Session:
    """Set a session's seats through the schedule service (logged), then fill them."""
    _check(capacity)
    with transaction.atomic():
        try:
            event_services.update_session(
                session=session, actor=actor, capacity=capacity
            )
        except (event_services.ScheduleError, ValidationError) as error:
            raise RegistrationError(str(error)) from error
        # update_session locked the event; the seats change under the session's lock.
        locked = lock_sessions([session.pk])[session.pk]
        announce(promote_seats(locked, actor=actor))
    session.refresh_from_db()
    return session
