"""Who gets a name badge and what it says, in the order of their sort names.

A badge shows the person's name, organisation (their answer to the organisation
question, else their account's affiliation, as the lists show it), registration
type, and the check-in code the door scans. Badges are sorted by sort name (the
surname unless the person or an organiser gave another), then by name, as a
Finnish or Swedish office sorts: accents aside (Č among the Cs, É among the
Es), but Å, Ä and Ö (Æ and Ø with them) after Z, as letters of their own.
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import default_sort_name
from events.models import Event

from ..models import Answer, Registration
from ..models.registration import RegistrationQuerySet
from ..services.questions import ORGANISATION


@dataclass(frozen=True, slots=True)
class Badge:
    name: str
    sort_name: str
    organisation: str
    registration_type: str
    checkin_code: str


# The Nordic letters after Z (and after every Z word), in the Finnish and
# Swedish order: a Z followed by the last code points there are.
AFTER_Z = {
    "å": "z\U0010fff1",
    "ä": "z\U0010fff2",
    "æ": "z\U0010fff2",
    "ö": "z\U0010fff3",
    "ø": "z\U0010fff3",
}


def collation_key(text: str) -> str:
    """`text` as compared first: case folded, accents dropped but the Nordic
    letters' (placed after Z)."""
    letters = []
    for letter in unicodedata.normalize("NFC", text).casefold():
        if letter in AFTER_Z:
            letters.append(AFTER_Z[letter])
            continue
        bare = "".join(
            part
            for part in unicodedata.normalize("NFD", letter)
            if not unicodedata.combining(part)
        )
        letters.append(bare or letter)
    return "".join(letters)


def sort_key(badge: Badge) -> tuple[str, str, str]:
    """By sort name, accents breaking ties (Cudde before Čuđđe), then name."""
    folded = unicodedata.normalize("NFC", badge.sort_name).casefold()
    return collation_key(badge.sort_name), folded, collation_key(badge.name)


def badge_fields(
    name: str,
    email: str,
    sort_name: str,
    affiliation: str,
    organisation_answer: object,
    type_name: str | None,
    code: str,
) -> Badge:
    """What a badge (and the exports' badge columns) shows of one registration:
    the name or else the email, the sort name or else the surname, and the
    organisation answered or else the person's affiliation."""
    shown = name or email
    return Badge(
        name=shown,
        sort_name=sort_name or default_sort_name(shown),
        organisation=organisation_answer
        if isinstance(organisation_answer, str) and organisation_answer
        else affiliation,
        registration_type=type_name or "",
        checkin_code=code,
    )


def badge_registrations(
    event: Event, registrations: RegistrationQuerySet | None = None
) -> QuerySet:
    """The registrations that get a badge: every confirmed one of `event`, or of
    `registrations` (a filtered list) those not cancelled or declined."""
    if registrations is None:
        return Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED
        )
    return registrations.filter(event=event).live()


def badges(registrations: QuerySet) -> list[Badge]:
    """One badge per registration, sorted by sort name. Two queries."""
    rows = registrations.order_by("pk").values_list(
        "pk",
        "attendee__name",
        "attendee__email",
        "attendee__sort_name",
        "attendee__affiliation",
        "registration_type__name",
        "checkin_code",
    )
    organisations = dict(
        Answer.objects.filter(
            registration__in=registrations.values("pk"), question__key=ORGANISATION
        ).values_list("registration_id", "value")
    )
    made = [
        badge_fields(
            name, email, sort_name, affiliation, organisations.get(pk), type_name, code
        )  # fmt: skip
        for pk, name, email, sort_name, affiliation, type_name, code in rows
    ]
    made.sort(key=sort_key)  # stable: equal keys keep the registrations' order
    return made


def badge_of(registration: Registration) -> Badge:
    """The badge of one registration, whatever its status."""
    return badges(Registration.objects.filter(pk=registration.pk))[0]
