from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from registrations.models import Activity, Registration
from registrations.selectors import places, reports
from registrations.services import RegistrationError
from registrations.services.approval import approve_registrations, decline_registrations
from registrations.services.capacity import change_event_capacity, change_type_quota
from registrations.services.registering import cancel_registration, register_attendee
from registrations.services.waitlists import (
    accept_offer,
    decline_offer,
    expire_offers,
    leave_waitlist,
)
from tests.factories import EventFactory, RegistrationTypeFactory, UserFactory

pytestmark = pytest.mark.django_db


def register_many(event, n, **kwargs):
    return [
        register_attendee(event=event, attendee=UserFactory(), **kwargs)
        for _ in range(n)
    ]


def test_positions_are_computed_first_come_first_served_and_move_up():
    event = EventFactory(capacity=1)
    _holder, a, b, c = register_many(event, 4)

    assert [places.waitlist_position(r) for r in (a, b, c)] == [1, 2, 3]
    leave_waitlist(registration=a)
    b.refresh_from_db()
    c.refresh_from_db()
    assert [places.waitlist_position(r) for r in (b, c)] == [1, 2]
    assert Activity.objects.filter(verb="left_waitlist").count() == 1


def test_leaving_a_waitlist_you_are_not_on_is_refused():
    event = EventFactory()
    (confirmed,) = register_many(event, 1)
    with pytest.raises(RegistrationError, match="not on the waitlist"):
        leave_waitlist(registration=confirmed)


def test_first_eligible_person_is_promoted_when_a_type_is_full():
    event = EventFactory(capacity=2)
    presenter = RegistrationTypeFactory(event=event, name="Presenter", quota=1)
    participant = RegistrationTypeFactory(event=event, name="Participant")
    first = register_attendee(
        event=event, attendee=UserFactory(), registration_type=presenter
    )
    register_attendee(
        event=event, attendee=UserFactory(), registration_type=participant
    )
    waiting_presenter = register_attendee(
        event=event, attendee=UserFactory(), registration_type=presenter
    )
    waiting_participant = register_attendee(
        event=event, attendee=UserFactory(), registration_type=participant
    )
    change_type_quota(registration_type=presenter, capacity=1)

    # A participant place frees: the presenter first in line is not eligible.
    cancel_registration(
        registration=Registration.objects.get(
            registration_type=participant, status="confirmed"
        )
    )

    waiting_presenter.refresh_from_db()
    waiting_participant.refresh_from_db()
    assert waiting_presenter.status == "waitlisted"
    assert waiting_participant.status == "confirmed"
    assert places.waitlist_position(waiting_presenter) == 1
    assert first.status == "confirmed"


def test_raising_capacity_promotes_in_order():
    event = EventFactory(capacity=1)
    _holder, a, b, c = register_many(event, 4)

    change_event_capacity(event=event, capacity=3)

    statuses = [Registration.objects.get(pk=r.pk).status for r in (a, b, c)]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def test_capacity_below_one_is_refused():
    event = EventFactory(capacity=5)
    with pytest.raises(RegistrationError, match="at least 1"):
        change_event_capacity(event=event, capacity=0)
    event.refresh_from_db()
    assert event.capacity == 5


def offer_event():
    return EventFactory(
        capacity=1, waitlist_mode=Event.WaitlistMode.OFFER, offer_hours=24
    )


def test_offer_mode_offers_the_place_and_the_offer_counts_as_taken():
    event = offer_event()
    holder, a, b = register_many(event, 3)

    cancel_registration(registration=holder)

    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "offered"
    assert a.offer_expires_at is not None
    assert b.status == "waitlisted"
    assert places.places_taken(event) == 1
    offered = Activity.objects.get(verb="offered")
    assert offered.details == {"offer_expires_at": a.offer_expires_at.isoformat()}


def test_accepting_an_offer_confirms():
    event = offer_event()
    holder, a = register_many(event, 2)
    cancel_registration(registration=holder)

    accept_offer(registration=a)

    a.refresh_from_db()
    assert (a.status, a.offer_expires_at) == ("confirmed", None)


def test_declining_an_offer_passes_it_on():
    event = offer_event()
    holder, a, b = register_many(event, 3)
    cancel_registration(registration=holder)

    decline_offer(registration=Registration.objects.get(pk=a.pk))

    assert Registration.objects.get(pk=b.pk).status == "offered"


def test_expired_offers_pass_to_the_next_person_once():
    event = offer_event()
    holder, a, b = register_many(event, 3)
    cancel_registration(registration=holder)
    later = timezone.now() + timedelta(hours=25)

    assert expire_offers(now=later) == 1
    assert expire_offers() == 0  # b's fresh offer is not due; a's is not redone

    assert Registration.objects.get(pk=a.pk).status == "cancelled"
    assert Registration.objects.get(pk=b.pk).status == "offered"
    assert Activity.objects.filter(verb="offer_expired").count() == 1


def test_expired_offer_cannot_be_accepted():
    event = offer_event()
    holder, a = register_many(event, 2)
    cancel_registration(registration=holder)
    Registration.objects.filter(pk=a.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(RegistrationError, match="expired"):
        accept_offer(registration=a)


def test_approval_confirms_while_room_and_waitlists_beyond_it():
    event = EventFactory(capacity=1, approval_required=True)
    a, b = register_many(event, 2)
    organiser = UserFactory(is_staff=True)

    approve_registrations(registrations=[a, b], actor=organiser)

    assert [Registration.objects.get(pk=r.pk).status for r in (a, b)] == [
        "confirmed",
        "waitlisted",
    ]
    assert list(
        Activity.objects.filter(actor=organiser).values_list("verb", flat=True)
    ) == ["approved", "waitlisted"]


def test_approval_without_waitlist_refuses_when_full_and_changes_nothing():
    event = EventFactory(capacity=1, approval_required=True, waitlist_enabled=False)
    a, b = register_many(event, 2)
    organiser = UserFactory(is_staff=True)

    with pytest.raises(RegistrationError, match="No place is free"):
        approve_registrations(registrations=[a, b], actor=organiser)
    assert set(Registration.objects.values_list("status", flat=True)) == {
        "awaiting_approval"
    }


def test_declining_a_confirmed_registration_promotes_the_next():
    event = EventFactory(capacity=1)
    a, b = register_many(event, 2)

    decline_registrations(
        registrations=[a], actor=UserFactory(is_staff=True), reason="dup"
    )

    assert Registration.objects.get(pk=a.pk).status == "declined"
    assert Registration.objects.get(pk=b.pk).status == "confirmed"
    assert Activity.objects.get(verb="declined").details == {"reason": "dup"}


def test_event_counts_report_status_type_and_session_numbers():
    event = EventFactory(capacity=1)
    register_many(event, 3)

    counts = reports.event_counts(event)

    assert counts["by_status"]["confirmed"] == 1
    assert counts["by_status"]["waitlisted"] == 2
