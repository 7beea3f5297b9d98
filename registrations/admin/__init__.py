"""The registrations admin, one module per model; organiser pages it hosts.

Importing the package registers the registration and invitation admins. What
registrations adds to the schedule's event and session admins is exported as
mixins, which config/admin.py composes and registers.
"""

from . import invitations, registrations
from .events import EventAdminRegistrationsMixin, SessionAdminRegistrationsMixin

__all__ = [
    "EventAdminRegistrationsMixin",
    "SessionAdminRegistrationsMixin",
    "invitations",
    "registrations",
]
