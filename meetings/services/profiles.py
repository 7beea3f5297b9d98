"""A participant's meeting profile and the slots they are not available."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from registrations.models import Registration

from ..models import MeetingBlock, Profile, Unavailability
from . import MeetingError
from .locks import lock_people
from .rules import settings_of


def save_profile(
    *,
    registration: Registration,
    organisation: str = "",
    role: str = "",
    country: str = "",
    interests: list[str] | None = None,
    text: str = "",
    partner_organisations: list[str] | None = None,
    opted_in: bool = True,
    unavailable: list[datetime] | None = None,
    reminders: bool = True,
    actor: User | None = None,
) -> Profile:
    """Create or update the person's profile and their unavailable slots.

    Only a confirmed participant of an event with meetings on has one; the
    interests must come from the organiser's list. Opting out keeps the profile
    (and any meetings) but hides the person from the directory.
    """
    event = registration.event
    settings = settings_of(event)
    if registration.status != Registration.Status.CONFIRMED:
        raise MeetingError(_("Meetings are for confirmed participants."))
    unknown = set(interests or []) - set(settings.interests())
    if unknown:
        raise MeetingError(_("Choose interests from the organisers' list."))
    slots = {
        start
        for block in MeetingBlock.objects.filter(event=event)
        for start in block.slot_starts()
    }
    if set(unavailable or []) - slots:
        raise MeetingError(_("That time is not a slot of the meeting block."))
    with transaction.atomic():
        profile, _created = Profile.objects.get_or_create(registration=registration)
        lock_people(event.pk, profile)
        profile.organisation = organisation.strip()[:200]
        profile.role = role.strip()[:200]
        profile.country = country.strip().upper()[:2]
        profile.interests = list(interests or [])
        profile.text = text.strip()[:1000]
        profile.partner_organisations = [
            name.strip()[:200] for name in partner_organisations or [] if name.strip()
        ]
        profile.opted_in = opted_in
        profile.reminders = reminders
        profile.save()
        profile.unavailable.exclude(slot_start__in=list(unavailable or [])).delete()
        Unavailability.objects.bulk_create(
            [Unavailability(profile=profile, slot_start=s) for s in unavailable or []],
            ignore_conflicts=True,
        )
    return profile
