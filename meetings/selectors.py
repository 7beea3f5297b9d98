"""Reading meetings: the directory of profiles, and free slots."""

from datetime import date, datetime

from django.db.models import Q

from accounts.models import User
from events.models import Event
from events.times import local_time
from registrations.models import Registration

from .models import Meeting, MeetingBlock, MeetingRequest, Profile


def own_profile(user: User, event: Event) -> Profile | None:
    return Profile.objects.filter(
        registration__event=event,
        registration__attendee=user,
        registration__status=Registration.Status.CONFIRMED,
    ).first()


def visible_profiles(
    *,
    viewer: User,
    event: Event,
    organisation: str = "",
    country: str = "",
    interest: str = "",
    partner: str = "",
) -> list[Profile]:
    """Opted-in profiles of the event's confirmed participants, seen only by
    someone who has opted in there too (never their own)."""
    mine = own_profile(viewer, event)
    if mine is None or not mine.opted_in:
        return []
    rows = (
        Profile.objects.filter(
            opted_in=True,
            registration__event=event,
            registration__status=Registration.Status.CONFIRMED,
        )
        .exclude(pk=mine.pk)
        .select_related("registration__attendee")
        .order_by("organisation", "pk")
    )
    if organisation:
        rows = rows.filter(organisation__icontains=organisation)
    if country:
        rows = rows.filter(country=country.upper())
    found = list(rows)
    # JSON lists: filtered here, as SQLite has no JSON containment lookup.
    if interest:
        found = [p for p in found if interest in p.interests]
    if partner:
        wanted = partner.casefold()
        found = [
            p
            for p in found
            if any(wanted in org.casefold() for org in p.partner_organisations)
        ]
    return found


def visible_profile(*, viewer: User, event: Event, pk: int) -> Profile | None:
    """One opted-in profile of the event, if the viewer may see it (as
    visible_profiles, without reading the whole directory)."""
    mine = own_profile(viewer, event)
    if mine is None or not mine.opted_in or mine.pk == pk:
        return None
    return (
        Profile.objects.filter(
            pk=pk,
            opted_in=True,
            registration__event=event,
            registration__status=Registration.Status.CONFIRMED,
        )
        .select_related("registration__attendee")
        .first()
    )


def held_slots(profile: Profile) -> set[datetime]:
    """Slot starts the person's pending or accepted requests hold."""
    rows = MeetingRequest.objects.filter(
        status__in=MeetingRequest.HOLDING_STATUSES
    ).filter(requester=profile) | MeetingRequest.objects.filter(
        status__in=MeetingRequest.HOLDING_STATUSES, recipient=profile
    )
    return set(rows.values_list("slot_start", flat=True))


def free_slots(block: MeetingBlock, *profiles: Profile) -> list[datetime]:
    """The block's slots none of these people holds or marked unavailable."""
    taken = set()
    for profile in profiles:
        taken |= held_slots(profile)
        taken |= set(profile.unavailable.values_list("slot_start", flat=True))
    return [start for start in block.slot_starts() if start not in taken]


def participant(user: User, event: Event) -> Registration | None:
    """The person's confirmed registration at the event, if any."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(
            event=event, attendee=user, status=Registration.Status.CONFIRMED
        )
        .select_related("event")
        .first()
    )


def slot_choices(event: Event) -> list[tuple[MeetingBlock, datetime]]:
    """Every (block, slot start) of the event, in time order."""
    blocks = MeetingBlock.objects.filter(event=event).order_by("starts_at")
    return [(block, start) for block in blocks for start in block.slot_starts()]


def my_requests(profile: Profile) -> dict[str, list]:
    """The person's open requests, received and sent, and their meetings."""
    rows = MeetingRequest.objects.select_related(
        "block",
        "requester__registration__attendee",
        "recipient__registration__attendee",
    )
    pending = rows.filter(status=MeetingRequest.Status.PENDING)
    return {
        "received": list(pending.filter(recipient=profile)),
        "sent": list(pending.filter(requester=profile)),
        "meetings": list(
            Meeting.objects.filter(status=Meeting.Status.ACTIVE)
            .filter(Q(request__requester=profile) | Q(request__recipient=profile))
            .select_related(
                "table",
                "request__requester__registration__attendee",
                "request__recipient__registration__attendee",
            )
        ),
    }


def sheet_of(profile: Profile, event: Event) -> list[tuple[date, list[dict]]]:
    """The person's active meetings by day (event's clocks): time, table and
    the other person, for the printable sheet."""
    days: dict[date, list[dict]] = {}
    for meeting in my_requests(profile)["meetings"]:
        request = meeting.request
        other = (
            request.recipient
            if request.requester_id == profile.pk
            else request.requester
        )
        day = local_time(meeting.starts_at, event).date()
        days.setdefault(day, []).append({"meeting": meeting, "other": other})
    return sorted(days.items())
