"""The organiser's side of meetings: settings, limits by registration type,
blocks and tables.

Each function validates the row as the database would (a clear refusal, never an
integrity error) and saves it in its own transaction. A block or table that
already holds meetings is not deleted: its meetings would lose their place.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Event
from registrations.models import RegistrationType
from registrations.services.locks import lock_event

from ..models import Meeting, MeetingBlock, MeetingSettings, Table, TypeLimits
from . import MeetingError


def settings_for(event: Event) -> MeetingSettings:
    """The event's settings, unsaved defaults if it has none yet."""
    found = MeetingSettings.objects.filter(event=event).first()
    return found or MeetingSettings(event=event)


def save_settings(
    *,
    event: Event,
    enabled: bool,
    request_expiry: timedelta,
    open_requests_limit: int,
    meetings_per_block_limit: int | None,
    interest_choices: str,
    actor: User | None = None,
) -> MeetingSettings:
    if not timedelta(hours=1) <= request_expiry <= timedelta(days=7):
        raise MeetingError(_("Requests expire after between 1 hour and 7 days."))
    with transaction.atomic():
        found, _created = MeetingSettings.objects.select_for_update().get_or_create(
            event=event
        )
        found.enabled = enabled
        found.request_expiry = request_expiry
        found.open_requests_limit = open_requests_limit
        found.meetings_per_block_limit = meetings_per_block_limit
        found.interest_choices = "\n".join(
            line.strip() for line in interest_choices.splitlines() if line.strip()
        )
        found.save()
    return found


def save_block(
    *,
    event: Event,
    starts_at: datetime,
    ends_at: datetime,
    slot_minutes: int,
    block: MeetingBlock | None = None,
    actor: User | None = None,
) -> MeetingBlock:
    if ends_at <= starts_at:
        raise MeetingError(_("A block ends after it starts."))
    if not 10 <= slot_minutes <= 60:
        raise MeetingError(_("Slots last between 10 and 60 minutes."))
    if ends_at - starts_at < timedelta(minutes=slot_minutes):
        raise MeetingError(_("The block is shorter than one slot."))
    with transaction.atomic():
        if block is None:
            block = MeetingBlock(event=event)
        elif _has_meetings(block) and (
            block.starts_at != starts_at or block.slot_minutes != slot_minutes
        ):
            raise MeetingError(
                _("The block has meetings: its start and slot length stay.")
            )
        block.starts_at, block.ends_at = starts_at, ends_at
        block.slot_minutes = slot_minutes
        block.save()
    return block


def _has_meetings(block: MeetingBlock) -> bool:
    return Meeting.objects.filter(
        request__block=block, status=Meeting.Status.ACTIVE
    ).exists()


def delete_block(*, block: MeetingBlock, actor: User | None = None) -> None:
    with transaction.atomic():
        if block.requests.exists():
            raise MeetingError(_("The block has meeting requests: it stays."))
        block.delete()


def save_table(
    *,
    event: Event,
    name: str,
    capacity: int,
    table: Table | None = None,
    actor: User | None = None,
) -> Table:
    name = name.strip()
    if not name:
        raise MeetingError(_("A table needs a name."))
    if capacity < 2:
        raise MeetingError(_("A table seats at least two people."))
    taken = Table.objects.filter(event=event, name=name)
    if table is not None and table.pk:
        taken = taken.exclude(pk=table.pk)
    if taken.exists():
        raise MeetingError(_("Another table has that name."))
    with transaction.atomic():
        table = table or Table(event=event)
        table.name, table.capacity = name, capacity
        try:
            table.full_clean(exclude=["event"])
        except ValidationError as invalid:
            raise MeetingError(" ".join(invalid.messages)) from invalid
        table.save()
    return table


def delete_table(*, table: Table, actor: User | None = None) -> None:
    with transaction.atomic():
        if table.meetings.exists():
            raise MeetingError(_("The table has meetings: it stays."))
        table.delete()


def save_type_limits(
    *,
    event: Event,
    limits: dict[int, tuple[int | None, int | None]],
    actor: User | None = None,
) -> list[TypeLimits]:
    """Each registration type's limits (type pk: (open requests, meetings per
    block)); None keeps the event's own. A type with neither has no row."""
    types = {t.pk: t for t in RegistrationType.objects.filter(event=event)}
    if set(limits) - set(types):
        raise MeetingError(_("That registration type belongs to another event."))
    for open_requests, per_block in limits.values():
        if open_requests is not None and open_requests < 1:
            raise MeetingError(_("Allow at least one open request per person."))
        if per_block is not None and per_block < 0:
            raise MeetingError(_("A limit cannot be negative."))
    saved = []
    with transaction.atomic():
        lock_event(event.pk)
        for type_id, (open_requests, per_block) in limits.items():
            if open_requests is None and per_block is None:
                TypeLimits.objects.filter(registration_type_id=type_id).delete()
                continue
            row, _created = TypeLimits.objects.update_or_create(
                registration_type=types[type_id],
                defaults={
                    "open_requests_limit": open_requests,
                    "meetings_per_block_limit": per_block,
                },
            )
            saved.append(row)
    return saved
