"""The checks every request step shares. Callers hold the locks."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from events.models import Event
from events.times import show_day_time
from registrations.models import Registration
from registrations.services.commitments import clash

from ..models import (
    Meeting,
    MeetingBlock,
    MeetingRequest,
    MeetingSettings,
    Profile,
    TypeLimits,
)
from . import MeetingError

MESSAGE_LIMIT = 300


def settings_of(event: Event) -> MeetingSettings:
    found = MeetingSettings.objects.filter(event=event).first()
    if found is None or not found.enabled:
        raise MeetingError(_("Meetings are not open at this event."))
    return found


def name(profile: Profile) -> str:
    person = profile.registration.attendee
    return person.get_full_name() or person.email


def check_people(requester: Profile, recipient: Profile, event: Event) -> None:
    if requester.pk == recipient.pk:
        raise MeetingError(_("You cannot request a meeting with yourself."))
    for profile in (requester, recipient):
        registration = profile.registration
        if registration.event_id != event.pk:
            raise MeetingError(_("That person is not at this event."))
        if registration.status != Registration.Status.CONFIRMED:
            raise MeetingError(
                _("%(name)s is not a confirmed participant.") % {"name": name(profile)}
            )
        if not profile.opted_in:
            raise MeetingError(
                _("%(name)s is not open to meetings.") % {"name": name(profile)}
            )


def check_slot(block: MeetingBlock, slot_start: datetime, event: Event) -> None:
    if block.event_id != event.pk:
        raise MeetingError(_("That meeting block belongs to another event."))
    if slot_start not in block.slot_starts():
        raise MeetingError(_("That time is not a slot of the meeting block."))
    if slot_start <= timezone.now():
        raise MeetingError(_("That slot has already begun."))


def check_free(
    profile: Profile,
    block: MeetingBlock,
    slot_start: datetime,
    event: Event,
    *,
    ignore: MeetingRequest | None = None,
) -> None:
    """The person has no request, meeting, seat or unavailability at that slot."""
    when = show_day_time(slot_start, event)
    who = {"name": name(profile), "time": when}
    if profile.unavailable.filter(slot_start=slot_start).exists():
        raise MeetingError(_("%(name)s is not available at %(time)s.") % who)
    holding = MeetingRequest.objects.filter(
        status__in=MeetingRequest.HOLDING_STATUSES, slot_start=slot_start
    ).filter(party(profile))
    if ignore is not None:
        holding = holding.exclude(pk=ignore.pk)
    if holding.exists():
        raise MeetingError(
            _("%(name)s already has a meeting or request at %(time)s.") % who
        )
    ends_at = slot_start + block.slot_length
    if clash(
        person=profile.registration.attendee, starts_at=slot_start, ends_at=ends_at
    ):
        raise MeetingError(_("%(name)s holds a seat or meeting at %(time)s.") % who)


def party(profile: Profile, prefix: str = "") -> Q:
    """Rows where the person is either side (prefix: the path to the request)."""
    return Q(**{f"{prefix}requester": profile}) | Q(**{f"{prefix}recipient": profile})


@dataclass(frozen=True)
class Limits:
    """One person's limits: their registration type's where it sets one, else
    the event's. `open_type` and `block_type` name the type whose limit
    applies (empty: the event's)."""

    open_requests: int
    per_block: int | None
    open_type: str = ""
    block_type: str = ""


def limits_of(profile: Profile, settings: MeetingSettings) -> Limits:
    own = (
        TypeLimits.objects.filter(
            registration_type_id=profile.registration.registration_type_id
        )
        .select_related("registration_type")
        .first()
        if profile.registration.registration_type_id
        else None
    )
    open_requests = settings.open_requests_limit
    per_block = settings.meetings_per_block_limit
    open_type = block_type = ""
    if own is not None and own.open_requests_limit is not None:
        open_requests, open_type = own.open_requests_limit, own.registration_type.name
    if own is not None and own.meetings_per_block_limit is not None:
        per_block, block_type = own.meetings_per_block_limit, own.registration_type.name
    return Limits(open_requests, per_block, open_type, block_type)


def check_open_requests(profile: Profile, settings: MeetingSettings) -> None:
    limits = limits_of(profile, settings)
    open_count = profile.requests_sent.filter(
        status=MeetingRequest.Status.PENDING
    ).count()
    if open_count < limits.open_requests:
        return
    said = {"count": open_count, "limit": limits.open_requests}
    if limits.open_type:
        text = ngettext(
            "You already have %(count)d open request; the limit for %(type)s is "
            "%(limit)d open requests per person. Wait for an answer or withdraw one.",
            "You already have %(count)d open requests; the limit for %(type)s is "
            "%(limit)d open requests per person. Wait for an answer or withdraw one.",
            open_count,
        ) % (said | {"type": limits.open_type})
    else:
        text = (
            ngettext(
                "You already have %(count)d open request; the limit is %(limit)d open "
                "requests per person. Wait for an answer or withdraw one.",
                "You already have %(count)d open requests; the limit is %(limit)d open "
                "requests per person. Wait for an answer or withdraw one.",
                open_count,
            )
            % said
        )
    raise MeetingError(text)


def check_block_limit(
    profile: Profile, block: MeetingBlock, settings: MeetingSettings
) -> None:
    limits = limits_of(profile, settings)
    if limits.per_block is None:
        return
    held = (
        Meeting.objects.filter(status=Meeting.Status.ACTIVE, request__block=block)
        .filter(party(profile, "request__"))
        .count()
    )
    if held < limits.per_block:
        return
    said = {"name": name(profile), "count": held, "limit": limits.per_block}
    if limits.block_type:
        text = ngettext(
            "%(name)s already has %(count)d meeting in this block; the limit for "
            "%(type)s is %(limit)d meetings per person per block.",
            "%(name)s already has %(count)d meetings in this block; the limit for "
            "%(type)s is %(limit)d meetings per person per block.",
            held,
        ) % (said | {"type": limits.block_type})
    else:
        text = (
            ngettext(
                "%(name)s already has %(count)d meeting in this block; the limit is "
                "%(limit)d meetings per person per block.",
                "%(name)s already has %(count)d meetings in this block; the limit is "
                "%(limit)d meetings per person per block.",
                held,
            )
            % said
        )
    raise MeetingError(text)


def check_message(text: str, label: str) -> str:
    text = (text or "").strip()
    if len(text) > MESSAGE_LIMIT:
        raise MeetingError(
            _("The %(label)s may be at most %(limit)d characters (it has %(count)d).")
            % {"label": label, "limit": MESSAGE_LIMIT, "count": len(text)}
        )
    return text


def check_party(
    request: MeetingRequest, *, actor: User | None = None, recipient_only=False
) -> None:
    if actor is None:
        return
    people = [request.recipient.registration.attendee_id]
    if not recipient_only:
        people.append(request.requester.registration.attendee_id)
    if actor.pk not in people:
        raise MeetingError(_("This request is not yours to answer."))
