"""The registrations admin, one module per model; organiser pages it hosts.

Importing the package registers the admins; `events` extends the event and session
admins with the registration tools.
"""

from . import events, invitations, registrations

__all__ = ["events", "invitations", "registrations"]
