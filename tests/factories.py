"""factory_boy factories shared by every test module."""

from datetime import UTC, datetime, timedelta

import factory
from django.utils import timezone

from accounts.models import User
from events.models import Event, EventOrganiser, Room, Session, Speaker, Track, Venue
from registrations.models import (
    Bookmark,
    Invitation,
    PersonalCalendar,
    Question,
    Registration,
    RegistrationType,
    SessionSeat,
)


def in_days(days: float, hour: int = 9) -> datetime:
    base = (timezone.now() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return base.astimezone(UTC)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.django.Password("correct horse battery staple")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    address = "Otakaari 1"
    city = "Espoo"
    country = "Finland"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Event {n}")
    starts_at = factory.LazyFunction(lambda: in_days(30, 6))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(days=2, hours=10))
    timezone = "Europe/Helsinki"
    venue = factory.SubFactory(VenueFactory)
    status = Event.Status.PUBLISHED
    visibility = Event.Visibility.PUBLIC
    contact_email = "events@example.org"


class EventOrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventOrganiser

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory, is_staff=True)
    role = EventOrganiser.Role.OWNER


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    event = factory.SubFactory(EventFactory)
    slug = factory.Sequence(lambda n: f"track-{n}")
    name = factory.Sequence(lambda n: f"Track {n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    event = factory.SubFactory(EventFactory)
    name = factory.Faker("name")
    affiliation = "Aalto University"


class SessionFactory(factory.django.DjangoModelFactory):
    """A session on the event's first day (starts one hour after the event)."""

    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at + timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    room = factory.LazyAttribute(
        lambda o: RoomFactory(venue=o.event.venue) if o.event.venue else None
    )
    kind = Session.Kind.TALK


class RegistrationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationType

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Participant {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory)
    label = factory.Sequence(lambda n: f"Question {n}")
    kind = Question.Kind.SHORT_TEXT


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A raw row, for arranging state; behaviour goes through registrations.services."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    attendee = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED
    waitlisted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Registration.Status.WAITLISTED else None
    )


class SessionSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSeat

    registration = factory.SubFactory(RegistrationFactory)
    session = factory.SubFactory(
        SessionFactory, event=factory.SelfAttribute("..registration.event")
    )
    status = SessionSeat.Status.CONFIRMED


class BookmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bookmark

    user = factory.SubFactory(UserFactory)
    session = factory.SubFactory(SessionFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    event = factory.SubFactory(
        EventFactory, visibility=Event.Visibility.INVITATION_ONLY
    )
    registration_type = factory.SubFactory(
        RegistrationTypeFactory, event=factory.SelfAttribute("..event")
    )
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    name = factory.Faker("name")
    institution = "KTH"


class PersonalCalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonalCalendar

    user = factory.SubFactory(UserFactory)
