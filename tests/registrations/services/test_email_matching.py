"""Every path that matches a person by address uses the one rule, so an account
stored in mixed case is still the same person."""

import pytest

from events.models import Event
from registrations.models import Invitation, Registration
from registrations.services import RegistrationError
from registrations.services import invitations as services
from registrations.services.on_behalf import register_on_behalf
from registrations.services.registering import register_attendee
from tests.factories import EventFactory, RegistrationTypeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return EventFactory(visibility=Event.Visibility.INVITATION_ONLY, capacity=3)


@pytest.fixture
def sigrid():
    # Stored as typed, before addresses were normalised.
    return UserFactory(email="Sigrid@KTH.se", name="Sigrid", affiliation="")


def test_invite_refuses_someone_registered_under_a_mixed_case_address(meeting, sigrid):
    president = RegistrationTypeFactory(event=meeting)
    register_attendee(event=meeting, attendee=sigrid, actor=UserFactory(is_staff=True))

    with pytest.raises(services.InvitationError) as refused:
        services.invite(
            event=meeting, email=" SIGRID@kth.se ", registration_type=president
        )

    assert str(refused.value) == "sigrid@kth.se is already registered."
    assert Invitation.objects.count() == 0


def test_on_behalf_finds_the_account_in_any_case_and_fills_only_gaps(meeting, sigrid):
    organiser = UserFactory(is_staff=True)
    registration = register_on_behalf(
        event=meeting,
        email=" sigrid@KTH.SE",
        name="Someone Else",
        affiliation="KTH",
        actor=organiser,
    )

    sigrid.refresh_from_db()
    assert registration.attendee == sigrid
    assert (sigrid.name, sigrid.affiliation) == ("Sigrid", "KTH")

    with pytest.raises(RegistrationError) as refused:
        register_on_behalf(event=meeting, email="SIGRID@kth.se", name="", actor=sigrid)
    assert str(refused.value) == "sigrid@kth.se is registered already (Confirmed)."
    assert Registration.objects.filter(attendee=sigrid).count() == 1
