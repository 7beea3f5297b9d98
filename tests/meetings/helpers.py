"""Arranging a meeting event: settings on, one block, tables, opted-in people."""

from datetime import timedelta

from meetings.models import MeetingBlock, MeetingSettings, Profile, Table
from registrations.services.registering import register_attendee
from tests.factories import EventFactory, UserFactory


def meeting_event(*, tables: int = 2, slots: int = 3, **settings):
    """An event with meetings on: one block of `slots` 20-minute slots."""
    event = EventFactory()
    MeetingSettings.objects.create(event=event, enabled=True, **settings)
    starts_at = event.starts_at + timedelta(hours=6)
    block = MeetingBlock.objects.create(
        event=event,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=20 * slots),
        slot_minutes=20,
    )
    for n in range(tables):
        Table.objects.create(event=event, name=f"T{n + 1:02d}")
    return event, block


def person(
    event, name: str = "", *, opted_in: bool = True, registration_type=None, **profile
) -> Profile:
    """An opted-in participant; of the event's last registration type unless
    told (an event with types asks for one)."""
    user = UserFactory(name=name)
    registration_type = (
        registration_type or event.registration_types.order_by("pk").last()
    )
    registration = register_attendee(
        event=event, attendee=user, registration_type=registration_type
    )
    return Profile.objects.create(
        registration=registration, opted_in=opted_in, **profile
    )


def slot(block, index: int):
    return block.slot_starts()[index]
