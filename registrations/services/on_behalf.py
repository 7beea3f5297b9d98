"""Registering a person on their behalf (an assistant asking for a president).

The person's account is found by email or created without a password (they can
sign in later with a login code sent to that address); the registration itself,
capacity override included, is register_attendee's, which logs the override.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Registration
from . import RegistrationError
from .registering import register_attendee


def register_on_behalf(
    *,
    event,
    email: str,
    name: str,
    affiliation: str = "",
    registration_type=None,
    answers=None,
    override_capacity: bool = False,
    actor,
):
    """Register the person with `email`, making their account if they have none.

    Refuses when they hold a live registration already (the organiser should see
    that one, not believe they made a new one).
    """
    User = get_user_model()
    email = email.strip().lower()
    try:
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email, name=name.strip(), affiliation=affiliation.strip()
                )
            else:
                # Fill gaps only: never overwrite what the person wrote themselves.
                changed = []
                if not user.name and name.strip():
                    user.name = name.strip()
                    changed.append("name")
                if not user.affiliation and affiliation.strip():
                    user.affiliation = affiliation.strip()
                    changed.append("affiliation")
                if changed:
                    user.save(update_fields=changed)
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
