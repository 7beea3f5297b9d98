"""Organisers moving people: to the end of the waitlist, a place offered out of
turn, and changes made without telling the person (logged as silent)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from registrations.models import Activity, Registration
from registrations.selectors import places
from registrations.services import RegistrationError
from registrations.services.approval import decline_registrations
from registrations.services.capacity import change_event_capacity
from registrations.services.registering import cancel_registration, register_attendee
from registrations.services.waitlists import move_to_waitlist, offer_place
from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def register_many(event, n):
    return [register_attendee(event=event, attendee=UserFactory()) for _ in range(n)]


def fresh(*registrations):
    return [Registration.objects.get(pk=r.pk).status for r in registrations]


def test_moving_a_confirmed_person_gives_their_place_to_the_first_in_line():
    event = EventFactory(capacity=2)
    organiser = UserFactory()
    ada, bob, waiting = register_many(event, 3)
    seat = SessionFactory(event=event, capacity=5, signup_required=True)
    from registrations.services.seats import take_seat

    take_seat(registration=ada, session=seat)

    move_to_waitlist(registration=ada, actor=organiser)

    ada.refresh_from_db()
    assert fresh(ada, bob, waiting) == ["waitlisted", "confirmed", "confirmed"]
    assert places.waitlist_position(ada) == 1  # at the end of the (now short) line
    assert ada.seats.live().count() == 0
    moved = Activity.objects.filter(registration=ada).latest("pk")
    assert (moved.verb, moved.actor, moved.details) == (
        "waitlisted",
        organiser,
        {"position": 1},
    )


def test_moving_someone_while_a_place_would_be_free_for_them_is_refused():
    event = EventFactory(capacity=3)
    ada, _bob = register_many(event, 2)

    with pytest.raises(RegistrationError, match="lower the capacity first"):
        move_to_waitlist(registration=ada, actor=UserFactory())

    assert fresh(ada) == ["confirmed"]
    assert not Activity.objects.filter(registration=ada, verb="waitlisted").exists()


def test_after_lowering_the_capacity_people_can_be_moved_silently():
    event = EventFactory(capacity=3)
    ada, bob, cy = register_many(event, 3)
    change_event_capacity(event=event, capacity=1)

    for person in (bob, cy):
        move_to_waitlist(registration=person, actor=UserFactory(), tell=False)

    assert fresh(ada, bob, cy) == ["confirmed", "waitlisted", "waitlisted"]
    assert [
        a.details for a in Activity.objects.filter(verb="waitlisted").order_by("pk")
    ] == [{"position": 1, "silent": True}, {"position": 2, "silent": True}]


def test_moving_someone_awaiting_approval_to_a_full_events_line():
    event = EventFactory(capacity=1, approval_required=True)
    register_attendee(event=event, attendee=UserFactory(), actor=UserFactory())
    awaiting = register_attendee(event=event, attendee=UserFactory())

    move_to_waitlist(registration=awaiting, actor=UserFactory())

    assert fresh(awaiting) == ["waitlisted"]


def test_a_place_is_offered_out_of_turn_for_the_events_offer_hours():
    event = EventFactory(capacity=2, offer_hours=24)
    _ada, bob, first, second = register_many(event, 4)
    Event.objects.filter(pk=event.pk).update(capacity=3)
    event.refresh_from_db()

    before = timezone.now()
    offer_place(registration=second, actor=UserFactory())

    second.refresh_from_db()
    assert fresh(first, second) == ["waitlisted", "offered"]
    assert before + timedelta(hours=24) <= second.offer_expires_at
    assert second.offer_expires_at <= timezone.now() + timedelta(hours=24)
    assert Activity.objects.filter(registration=second).latest("pk").verb == "offered"


def test_no_offer_without_a_free_place_and_none_to_someone_not_waiting():
    event = EventFactory(capacity=1)
    holder, waiting = register_many(event, 2)

    with pytest.raises(RegistrationError, match="No place is free"):
        offer_place(registration=waiting, actor=UserFactory())
    with pytest.raises(RegistrationError, match="Only people on the waitlist"):
        offer_place(registration=holder, actor=UserFactory())
    assert fresh(holder, waiting) == ["confirmed", "waitlisted"]


def test_cancelling_and_declining_without_telling_are_logged_as_silent():
    event = EventFactory()
    ada, bob = register_many(event, 2)
    organiser = UserFactory()

    cancel_registration(registration=ada, actor=organiser, tell=False)
    decline_registrations(registrations=[bob], actor=organiser, reason="", tell=False)

    assert list(
        Activity.objects.filter(verb__in=["cancelled", "declined"])
        .order_by("pk")
        .values_list("verb", "details")
    ) == [
        ("cancelled", {"by": "organiser", "silent": True}),
        ("declined", {"reason": "", "silent": True}),
    ]


def test_attendees_cancelling_themselves_are_always_told():
    event = EventFactory()
    (ada,) = register_many(event, 1)

    cancel_registration(registration=ada, tell=False)

    assert Activity.objects.get(verb="cancelled").details == {"by": "attendee"}
