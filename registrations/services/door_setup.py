"""Setting up the door: check-in lists, and the phones paired to them."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import CheckInDevice, CheckInList, Registration
from ..tokens import new_token
from . import RegistrationError, door, on_behalf


def save_list(
    *,
    checkin_list: CheckInList,
    sessions=(),
    actor: User | None = None,
) -> CheckInList:
    """Create or update a list (its fields set by the form) and its sessions."""
    with transaction.atomic():
        checkin_list.save()
        checkin_list.sessions.set(
            [s for s in sessions if s.event_id == checkin_list.event_id]
        )
    checkin_list.__dict__.pop("_session_ids", None)
    return checkin_list


def add_device(
    *, checkin_list: CheckInList, name: str, actor: User | None = None
) -> CheckInDevice:
    """A new pairing link for one phone at this list."""
    return CheckInDevice.objects.create(
        checkin_list=checkin_list,
        name=name,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def pair_device(*, token: str) -> CheckInDevice | None:
    """The device whose link this is, marked paired; None for a link that is
    unknown, rotated away or revoked."""
    with transaction.atomic():
        device = (
            CheckInDevice.objects.select_for_update()
            .filter(token=token, revoked_at__isnull=True)
            .first()
        )
        if device is not None:
            device.paired_at = timezone.now()
            device.save(update_fields=["paired_at"])
    return device


def revoke_device(*, device: CheckInDevice, actor: User | None = None) -> CheckInDevice:
    """End the device's access at once: its next request is refused."""
    with transaction.atomic():
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
    return device


def rotate_device(*, device: CheckInDevice, actor: User | None = None) -> CheckInDevice:
    """A new link for the device; the old link, and the phone paired with it,
    stop working."""
    with transaction.atomic():
        device.token = new_token()
        device.paired_at = None
        device.save(update_fields=["token", "paired_at"])
    return device


def set_organiser_note(*, registration, note: str, actor: User | None = None) -> None:
    """The organisers' note on a person, shown where a list's verdicts show it."""
    with transaction.atomic():
        registration.organiser_note = note.strip()
        registration.save(update_fields=["organiser_note", "updated_at"])


def register_walk_in(
    *,
    checkin_list: CheckInList,
    email: str,
    name: str,
    registration_type=None,
    override_capacity: bool = False,
    actor: User | None = None,
) -> door.Verdict:
    """Register a person at the door and check them in on the list, in one step.

    A walk-in gets a place or nothing: when the event or the type is full (or
    the registration would wait for approval) it raises RegistrationError and
    nothing is registered, no waitlist place included. `override_capacity` is
    for those who may register people beyond it (owners and editors).
    """
    with transaction.atomic():
        registration = on_behalf.register_on_behalf(
            event=checkin_list.event,
            email=email,
            name=name,
            registration_type=registration_type,
            override_capacity=override_capacity,
            actor=actor,
        )
        if registration.status != Registration.Status.CONFIRMED:
            raise RegistrationError(
                _(
                    "No place for a walk-in: the event or this registration type "
                    "is full (%(status)s). Nothing was registered."
                )
                % {"status": registration.get_status_display()}
            )
        return door.scan(
            checkin_list=checkin_list, registration=registration, actor=actor
        )
