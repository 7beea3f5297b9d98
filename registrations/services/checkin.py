"""Checking a person in on the event's main list, for callers that want the
registration back rather than a verdict (door.scan decides and records)."""

from django.utils.translation import gettext as _

from ..models import Registration
from . import RegistrationError, door


class UnknownCheckInCode(RegistrationError):
    """No registration of the event has the code: a typo, or someone guessing."""


def check_in(*, registration, actor, method="name") -> Registration:
    """Check the registration in on the main list; checking in twice is harmless:
    the registration comes back with `already_checked_in` set. Refuses a
    registration that is not confirmed."""
    verdict = door.scan(
        checkin_list=door.main_list(registration.event),
        registration=registration,
        actor=actor,
    )
    if verdict.colour == door.RED:
        raise RegistrationError(
            _("%(name)s: %(reason)s")
            % {"name": verdict.registration.attendee, "reason": verdict.reason}
        )
    checked = verdict.registration
    checked.already_checked_in = verdict.colour == door.AMBER
    return checked


def check_in_by_code(*, event, code, actor) -> Registration:
    registration = door.find_code(door.main_list(event), code)
    if registration is None:
        raise UnknownCheckInCode(_("No registration for this event has that code."))
    return check_in(registration=registration, actor=actor, method="code")
