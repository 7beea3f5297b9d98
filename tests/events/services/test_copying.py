"""events.services.copy_event: last year's event on a new date."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from events import services
from events.models import Event, EventOrganiser, Track
from tests.factories import EventFactory, TrackFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(*args) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


@pytest.fixture
def last_year():
    event = EventFactory(
        slug="forum-2026",
        title="Spring Forum 2026",
        # Summer time (UTC+3) in May; the copy below starts in March (UTC+2).
        starts_at=helsinki(2026, 5, 5, 9, 0),
        ends_at=helsinki(2026, 5, 7, 16, 0),
        registration_opens_at=helsinki(2026, 2, 1, 12, 0),
        registration_closes_at=helsinki(2026, 4, 20, 23, 59),
        modification_deadline=helsinki(2026, 4, 28, 12, 0),
        capacity=450,
        waitlist_mode=Event.WaitlistMode.OFFER,
        offer_hours=36,
        approval_required=True,
        privacy_notice="We keep your data for a year.",
        reminder_hours_before=48,
        contact_email="forum@example.org",
        status=Event.Status.PUBLISHED,
        venue=VenueFactory(name="Dipoli"),
    )
    TrackFactory(event=event, slug="strategy", name="Strategy", colour="#8250df")
    TrackFactory(event=event, slug="networks", name="Networks", colour="#1a7f37")
    return event


def test_copy_event_moves_every_date_on_the_event_clocks(last_year):
    owner = UserFactory()

    copy = services.copy_event(
        source=last_year,
        starts_at=helsinki(2027, 3, 9, 9, 0),
        slug="forum-2027",
        title="Spring Forum 2027",
        actor=owner,
    )

    copy.refresh_from_db()
    local = {
        name: getattr(copy, name).astimezone(HELSINKI).replace(tzinfo=None)
        for name in [
            "starts_at",
            "ends_at",
            "registration_opens_at",
            "registration_closes_at",
            "modification_deadline",
        ]
    }
    # 308 days later, at the same clock times, across the change of summer time.
    assert local == {
        "starts_at": datetime(2027, 3, 9, 9, 0),
        "ends_at": datetime(2027, 3, 11, 16, 0),
        "registration_opens_at": datetime(2026, 12, 6, 12, 0),
        "registration_closes_at": datetime(2027, 2, 22, 23, 59),
        "modification_deadline": datetime(2027, 3, 2, 12, 0),
    }


def test_copy_event_copies_settings_venue_and_tracks_as_a_draft(last_year):
    owner = UserFactory()

    copy = services.copy_event(
        source=last_year,
        starts_at=helsinki(2027, 5, 4, 9, 0),
        slug="forum-2027",
        title="Spring Forum 2027",
        actor=owner,
    )

    assert (copy.slug, copy.title, copy.status) == (
        "forum-2027",
        "Spring Forum 2027",
        Event.Status.DRAFT,
    )
    assert (
        copy.venue,
        copy.capacity,
        copy.waitlist_mode,
        copy.offer_hours,
        copy.approval_required,
        copy.privacy_notice,
        copy.reminder_hours_before,
        copy.contact_email,
        copy.timezone,
    ) == (
        last_year.venue,
        450,
        Event.WaitlistMode.OFFER,
        36,
        True,
        "We keep your data for a year.",
        48,
        "forum@example.org",
        "Europe/Helsinki",
    )
    assert copy.uuid != last_year.uuid
    assert sorted(
        Track.objects.filter(event=copy).values_list("slug", "name", "colour")
    ) == [
        ("networks", "Networks", "#1a7f37"),
        ("strategy", "Strategy", "#8250df"),
    ]
    assert list(copy.organisers.values_list("user", "role")) == [
        (owner.pk, EventOrganiser.Role.OWNER)
    ]
    assert last_year.tracks.count() == 2  # the source keeps its own


def test_copy_event_refuses_an_address_in_use_and_writes_nothing(last_year):
    with pytest.raises(ValidationError) as refused:
        services.copy_event(
            source=last_year,
            starts_at=helsinki(2027, 5, 4, 9, 0),
            slug="forum-2026",
            title="Again",
            actor=UserFactory(),
        )

    assert "slug" in refused.value.message_dict
    assert Event.objects.count() == 1
    assert Track.objects.count() == 2


def test_moved_keeps_none():
    event = EventFactory()

    assert services.moved(None, source=event, copy=event) is None
