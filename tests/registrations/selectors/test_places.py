"""The hand-written place count agrees with the rules it stands for."""

import pytest

from registrations.models import Invitation, Registration
from registrations.selectors import places
from registrations.selectors.registrations import live_registration
from tests.factories import (
    EventFactory,
    InvitationFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_places_taken_counts_held_places_and_reserving_open_invitations():
    event, other = EventFactory(), EventFactory()
    for status in Registration.Status.values:  # one registration in every status
        RegistrationFactory(
            event=event,
            status=status,
            waitlisted_at=event.starts_at,
            offer_expires_at=event.starts_at,
        )
    RegistrationFactory(event=other)  # another event's place
    invitations = {
        (status, reserves): InvitationFactory(
            event=event, status=status, reserves_seat=reserves
        )
        for status in Invitation.Status.values
        for reserves in (True, False)
    }
    InvitationFactory(event=other, reserves_seat=True)

    # confirmed + offered; pending + awaiting approval that reserve a seat
    assert places.places_taken(event) == 2 + 2
    pending = invitations[(Invitation.Status.PENDING, True)]
    assert places.places_taken(event, exclude_invitation=pending) == 3
    not_reserving = invitations[(Invitation.Status.PENDING, False)]
    assert places.places_taken(event, exclude_invitation=not_reserving) == 4
    assert places.places_taken(other) == 2


def test_live_registration_is_the_one_not_cancelled_or_declined():
    event, person = EventFactory(), UserFactory()
    RegistrationFactory(event=event, attendee=person, status="cancelled")
    assert live_registration(event, person) is None

    live = RegistrationFactory(event=event, attendee=person, status="waitlisted",
                               waitlisted_at=event.starts_at)  # fmt: skip

    assert live_registration(event, person) == live
    assert live_registration(EventFactory(), person) is None
