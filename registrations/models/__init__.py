"""Who comes: the registration app's models, one module per concept."""

from .activity import Activity, PersonalCalendar
from .bulk import BulkOperation
from .checkin import CheckIn, CheckInDevice, CheckInList
from .commitments import Commitment, CommitmentQuerySet
from .invitation import Invitation
from .registration import Answer, Registration, RegistrationQuerySet
from .seats import Bookmark, SessionSeat, SessionSeatQuerySet
from .types import Question, RegistrationType

__all__ = [
    "Activity",
    "Answer",
    "Bookmark",
    "CheckIn",
    "CheckInDevice",
    "CheckInList",
    "Commitment",
    "CommitmentQuerySet",
    "BulkOperation",
    "Invitation",
    "PersonalCalendar",
    "Question",
    "Registration",
    "RegistrationQuerySet",
    "RegistrationType",
    "SessionSeat",
    "SessionSeatQuerySet",
]
