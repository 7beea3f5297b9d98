"""Registering a person on their behalf (an assistant asking for a president).

The person's account is found by email or created without a password (they can
sign in later with a login code sent to that address); the registration itself,
capacity override included, is register_attendee's, which logs the override.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User, normalise_email
from accounts.services import find_or_create_person

from ..models import Registration
from . import RegistrationError
from .registering import register_attendee


def register_on_behalf(
    *,
    event,
    email: str,
    name: str,
    affiliation: str = "",
    sort_name: str = "",
    registration_type=None,
    answers=None,
    override_capacity: bool = False,
    actor: User | None = None,
):
    """Register the person with `email`, making their account if they have none.

    Refuses when they hold a live registration already (the organiser should see
    that one, not believe they made a new one).
    """
    email = normalise_email(email)
    try:
        with transaction.atomic():
            user, created = find_or_create_person(
                email=email, name=name, affiliation=affiliation, sort_name=sort_name
            )
            if not created:
                existing = (
                    Registration.objects.live()
                    .filter(event=event, attendee=user)
                    .first()
                )
                if existing is not None:
                    raise RegistrationError(
                        _("%(email)s is registered already (%(status)s).")
                        % {"email": email, "status": existing.get_status_display()}
                    )
            return register_attendee(
                event=event,
                attendee=user,
                registration_type=registration_type,
                answers=answers,
                actor=actor,
                override_capacity=override_capacity,
            )
    except IntegrityError as error:  # the same person was registered a moment ago
        raise RegistrationError(
            _("%(email)s was registered at the same moment; check the list.")
            % {"email": email}
        ) from error
