"""Checking people in at the door, by the code on their page or by name."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Activity, Registration
from . import RegistrationError
from .activity import announce, record_activity
from .locks import lock_registration


def check_in(*, registration, actor: User | None = None, method="name") -> Registration:
    """Mark a confirmed registration as attended. Checking in twice is harmless:

    the registration comes back with `already_checked_in` set.
    """
    with transaction.atomic():
        registration = lock_registration(registration, related=("attendee", "event"))
        if registration.status != Registration.Status.CONFIRMED:
            raise RegistrationError(
                _("%(name)s's registration is not confirmed (%(status)s).")
                % {
                    "name": registration.attendee,
                    "status": registration.get_status_display(),
                }
            )
        registration.already_checked_in = registration.checked_in_at is not None
        if registration.already_checked_in:
            return registration
        registration.checked_in_at = timezone.now()
        registration.checked_in_by = actor
        registration.save(
            update_fields=["checked_in_at", "checked_in_by", "updated_at"]
        )
        announce(
            [
                record_activity(
                    verb=Activity.Verb.CHECKED_IN,
                    event=registration.event,
                    registration=registration,
                    actor=actor,
                    details={"method": method},
                )
            ]
        )
    return registration


class UnknownCheckInCode(RegistrationError):
    """No registration of the event has the code: a typo, or someone guessing."""


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def check_in_by_code(*, event, code, actor: User | None = None) -> Registration:
    registration = Registration.objects.filter(
        event=event, checkin_code=normalise_code(code)
    ).first()
    if registration is None:
        raise UnknownCheckInCode(_("No registration for this event has that code."))
    return check_in(registration=registration, actor=actor, method="code")
