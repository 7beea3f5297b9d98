"""Invitations: services (invite, answer, substitute, expire) and the invitee's page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from registrations.invitation_import import InviteeRow
from registrations.models import Activity, Invitation, Registration
from registrations.services import invitations as services
from tests.factories import (
    EventFactory,
    InvitationFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    """The presidents' meeting: by invitation, 3 places."""
    return EventFactory(
        title="Nordic Five Tech Presidents' Meeting",
        visibility=Event.Visibility.INVITATION_ONLY,
        capacity=3,
    )


@pytest.fixture
def president(meeting):
    return RegistrationTypeFactory(event=meeting, name="President")


def _row(line, email, registration_type, name="", institution="KTH"):
    return InviteeRow(
        line=line,
        name=name,
        email=email,
        institution=institution,
        registration_type=registration_type,
    )


def verbs(**filters):
    return list(
        Activity.objects.filter(**filters).order_by("pk").values_list("verb", flat=True)
    )


# --- inviting -------------------------------------------------------------------------


def test_invite_creates_a_pending_invitation_and_records_invited(meeting, president):
    organiser = UserFactory()
    deadline = timezone.now() + timedelta(days=7)

    invitation = services.invite(
        event=meeting,
        email=" Sigrid@KTH.se ",
        name="Sigrid Berg",
        institution="KTH",
        registration_type=president,
        rsvp_deadline=deadline,
        actor=organiser,
    )

    assert (invitation.email, invitation.status, invitation.invited_by) == (
        "sigrid@kth.se",
        Invitation.Status.PENDING,
        organiser,
    )
    assert len(invitation.token) >= 43
    activity = Activity.objects.get(invitation=invitation)
    assert (activity.verb, activity.actor, activity.details) == (
        Activity.Verb.INVITED,
        organiser,
        {
            "email": "sigrid@kth.se",
            "name": "Sigrid Berg",
            "rsvp_deadline": deadline.isoformat(),
        },
    )


def test_invite_many_is_all_or_nothing(meeting, president):
    InvitationFactory(event=meeting, registration_type=president, email="b@ntnu.no")
    registered = RegistrationFactory(
        event=meeting, attendee=UserFactory(email="c@dtu.dk")
    )
    rows = [
        _row(1, "a@kth.se", president),
        _row(2, "b@ntnu.no", president),
        _row(3, "c@dtu.dk", president),
    ]

    with pytest.raises(services.InvitationError) as refused:
        services.invite_many(event=meeting, rows=rows)

    assert str(refused.value) == "Nobody was invited."
    assert refused.value.errors == [
        "Line 2: b@ntnu.no already has an open invitation.",
        "Line 3: c@dtu.dk is already registered.",
    ]
    assert Invitation.objects.filter(event=meeting).count() == 1
    assert registered.status == Registration.Status.CONFIRMED
    assert verbs(event=meeting) == []


def test_invite_many_refuses_to_reserve_more_places_than_are_free(meeting, president):
    RegistrationFactory(event=meeting)
    rows = [_row(n, f"p{n}@kth.se", president) for n in (1, 2, 3)]

    with pytest.raises(services.InvitationError) as refused:
        services.invite_many(event=meeting, rows=rows, reserves_seat=True)

    assert str(refused.value) == (
        "Only 2 places are free: reserve places for fewer people or raise the capacity."
    )
    assert Invitation.objects.count() == 0


def test_invite_refuses_a_deadline_in_the_past(meeting, president):
    with pytest.raises(services.InvitationError) as refused:
        services.invite(
            event=meeting,
            email="a@kth.se",
            registration_type=president,
            rsvp_deadline=timezone.now() - timedelta(minutes=1),
        )

    assert str(refused.value) == "The answer deadline must be in the future."


def test_invite_refuses_a_type_of_another_event(meeting):
    other_type = RegistrationTypeFactory(name="Delegate")

    with pytest.raises(services.InvitationError) as refused:
        services.invite(event=meeting, email="a@kth.se", registration_type=other_type)

    assert str(refused.value) == "the registration type belongs to another event."
