"""Free places and seats, and which limit a registration would pass: the one
module that counts them."""

import pytest

from registrations.selectors import places
from tests.factories import (
    EventFactory,
    InvitationFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    SessionSeatFactory,
)

pytestmark = pytest.mark.django_db


def test_free_places_is_none_without_a_limit_and_never_below_zero():
    unlimited, small = EventFactory(capacity=None), EventFactory(capacity=2)
    RegistrationFactory(event=unlimited)
    assert places.free_places(unlimited) is None
    assert places.free_places(small) == 2

    RegistrationFactory(event=small)
    InvitationFactory(event=small, reserves_seat=True)
    RegistrationFactory(event=small)  # over the limit, by an organiser's override
    assert places.free_places(small) == 0
    assert places.reserved_places(small) == 1


def test_free_type_places_lists_types_with_a_quota():
    event = EventFactory()
    quota = RegistrationTypeFactory(event=event, quota=2)
    RegistrationTypeFactory(event=event)  # no quota: not listed
    full = RegistrationTypeFactory(event=event, quota=1)
    RegistrationFactory(event=event, registration_type=quota)
    RegistrationFactory(event=event, registration_type=full)
    InvitationFactory(event=event, registration_type=full, reserves_seat=True)

    assert places.free_type_places(event) == {quota.pk: 1, full.pk: 0}


def test_full_limit_names_the_first_limit_one_more_place_would_pass():
    event = EventFactory(capacity=2)
    kind = RegistrationTypeFactory(event=event, quota=1)
    assert places.full_limit(event, kind) == ""

    RegistrationFactory(event=event, registration_type=kind)
    assert places.full_limit(event, kind) == "type"
    assert places.full_limit(event) == ""

    invitation = InvitationFactory(event=event, reserves_seat=True)
    assert places.full_limit(event, kind) == "event"
    # Answering the invitation takes the place it reserved.
    assert places.full_limit(event, exclude_invitation=invitation) == ""


def test_seats_left_counts_seats_of_confirmed_registrations():
    session = SessionFactory(capacity=2, signup_required=True)
    SessionSeatFactory(session=session)
    SessionSeatFactory(
        session=session,
        registration=RegistrationFactory(event=session.event, status="cancelled"),
    )
    assert places.seats_left(session) == 1
    assert places.seats_left(SessionFactory(capacity=None)) is None
