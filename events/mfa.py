"""Who must pass a second factor before the organiser pages.

Those who can change an event or see its people's data: superusers, the owners
and editors of any event, and staff who were given Django permissions (they edit
through the admin). Check-in staff only are exempt: they work at the door on
shared devices, and a device paired to one check-in list is their safeguard.
"""

from django.contrib.auth.base_user import AbstractBaseUser

from .models import EventOrganiser

EDIT_ROLES = (EventOrganiser.Role.OWNER, EventOrganiser.Role.EDITOR)


def must_use_mfa(user: AbstractBaseUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if EventOrganiser.objects.filter(user=user, role__in=EDIT_ROLES).exists():
        return True
    return user.is_staff and bool(user.get_all_permissions())
