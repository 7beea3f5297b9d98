"""The events models' invariants: DB constraints and the messages clean() gives."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event, Room, Session, Track, Venue
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    TrackFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_db(model, **values):
    """True when the database itself refuses an update of one row."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=values.pop("pk")).update(**values)
    return True


def messages_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_event_must_end_after_it_starts():
    event = EventFactory()

    assert refused_by_db(Event, pk=event.pk, ends_at=event.starts_at)
    event.ends_at = event.starts_at
    assert messages_of(event)["ends_at"] == ["The event must end after it starts."]


def test_event_registration_must_close_after_it_opens():
    event = EventFactory()
    opens = event.starts_at - timedelta(days=10)

    assert refused_by_db(
        Event, pk=event.pk, registration_opens_at=opens, registration_closes_at=opens
    )
    event.registration_opens_at = event.registration_closes_at = opens
    assert messages_of(event)["registration_closes_at"] == [
        "Registration must close after it opens."
    ]


def test_event_capacity_must_be_positive():
    event = EventFactory()

    assert refused_by_db(Event, pk=event.pk, capacity=0)
    event.capacity = 0
    assert messages_of(event)["capacity"] == [
        "Ensure this value is greater than or equal to 1."
    ]
    event.capacity = None
    event.full_clean()  # unlimited is fine


def test_event_offer_hours_must_be_positive():
    event = EventFactory()

    assert refused_by_db(Event, pk=event.pk, offer_hours=0)
    event.offer_hours = 0
    assert messages_of(event)["offer_hours"] == [
        "Ensure this value is greater than or equal to 1."
    ]


def test_event_slug_is_unique():
    first = EventFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(slug=first.slug)
    assert messages_of(EventFactory.build(slug=first.slug, venue=None))["slug"] == [
        "Event with this Short name in URLs already exists."
    ]


def test_event_uuid_is_unique():
    first = EventFactory()
    second = EventFactory()

    assert refused_by_db(Event, pk=second.pk, uuid=first.uuid)


def test_session_uuid_is_unique():
    first = SessionFactory()
    second = SessionFactory(event=first.event)

    assert refused_by_db(Session, pk=second.pk, uuid=first.uuid)
    assert first.uuid != second.uuid
    assert isinstance(first.uuid, uuid.UUID)


def test_event_timezone_must_be_an_iana_name():
    event = EventFactory.build(timezone="Mars/Olympus_Mons", venue=None)

    assert messages_of(event)["timezone"] == [
        "“Mars/Olympus_Mons” is not an IANA time zone name (like Europe/Helsinki)."
    ]
    event.timezone = "America/New_York"
    event.full_clean()
    assert str(event.tzinfo) == "America/New_York"


def test_event_local_days_are_dates_in_its_time_zone():
    event = EventFactory.build(timezone="Europe/Helsinki")
    event.starts_at = event.starts_at.replace(hour=22, minute=30)  # UTC: next day
    event.ends_at = event.starts_at + timedelta(hours=3)

    local_start = event.starts_at.astimezone(event.tzinfo).date()
    assert event.local_days() == [local_start]


def test_session_must_end_after_it_starts():
    session = SessionFactory()

    assert refused_by_db(Session, pk=session.pk, ends_at=session.starts_at)
    session.ends_at = session.starts_at - timedelta(minutes=1)
    assert messages_of(session)["ends_at"] == ["The session must end after it starts."]


def test_session_capacity_must_be_positive():
    session = SessionFactory()

    assert refused_by_db(Session, pk=session.pk, capacity=0)
    session.capacity = 0
    assert messages_of(session)["capacity"] == [
        "Ensure this value is greater than or equal to 1."
    ]


def test_session_track_must_belong_to_its_event():
    session = SessionFactory()
    session.track = TrackFactory()  # another event's

    assert messages_of(session)["track"] == ["This track belongs to another event."]


def test_track_slug_is_unique_per_event():
    track = TrackFactory(slug="policy")
    TrackFactory(slug="policy")  # another event may use it

    with pytest.raises(IntegrityError), transaction.atomic():
        Track.objects.create(event=track.event, slug="policy", name="Again")
    duplicate = Track(event=track.event, slug="policy", name="Again")
    assert messages_of(duplicate)["__all__"] == [
        "This event already has a track with that short name."
    ]


def test_room_name_is_unique_per_venue():
    room = RoomFactory(name="Hall A")
    RoomFactory(name="Hall A")  # another venue may have one

    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(venue=room.venue, name="Hall A")
    assert messages_of(Room(venue=room.venue, name="Hall A"))["__all__"] == [
        "This venue already has a room of that name."
    ]


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(Decimal("91"), Decimal("24")), (Decimal("60"), Decimal("-181"))],
)
def test_venue_coordinates_must_be_on_earth(latitude, longitude):
    venue = VenueFactory()

    assert refused_by_db(Venue, pk=venue.pk, latitude=latitude, longitude=longitude)


def test_venue_coordinate_range_messages():
    venue = VenueFactory.build(latitude=Decimal("91"), longitude=Decimal("-181"))

    errors = messages_of(venue)
    assert errors["latitude"] == ["Ensure this value is less than or equal to 90."]
    assert errors["longitude"] == [
        "Ensure this value is greater than or equal to -180."
    ]


def test_venue_needs_both_coordinates_or_neither():
    venue = VenueFactory()

    assert refused_by_db(Venue, pk=venue.pk, latitude=Decimal("60.18"))
    venue.latitude = Decimal("60.18")
    assert messages_of(venue)["__all__"] == [
        "Give both latitude and longitude, or neither."
    ]
    venue.longitude = Decimal("24.83")
    venue.full_clean()


def test_event_open_for_registration_follows_window_and_status():
    event = EventFactory.build()
    now = event.starts_at - timedelta(days=5)
    event.registration_opens_at = now - timedelta(days=1)
    event.registration_closes_at = now + timedelta(days=1)

    assert event.is_open_for_registration(now) is True
    assert event.is_open_for_registration(event.registration_closes_at) is False
    event.status = Event.Status.DRAFT
    assert event.is_open_for_registration(now) is False


def test_sessions_that_touch_do_not_overlap():
    event = EventFactory.build()
    a = Session(event=event, starts_at=event.starts_at, ends_at=event.ends_at)
    b = Session(event=event, starts_at=event.ends_at, ends_at=event.ends_at)

    assert a.overlaps(b) is False
