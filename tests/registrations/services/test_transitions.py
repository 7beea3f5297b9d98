"""The one way a registration changes status: stamp, save, record."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from registrations.models import Activity, Registration
from registrations.services.transitions import transition
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_cancelling_stamps_the_time_saves_and_records_the_fact():
    event = EventFactory()
    registration = RegistrationFactory(
        event=event, status="offered", offer_expires_at=event.starts_at
    )
    actor, now = UserFactory(), timezone.now()

    with transaction.atomic():
        activity = transition(
            registration,
            event=event,
            status=Registration.Status.CANCELLED,
            verb=Activity.Verb.CANCELLED,
            actor=actor,
            details={"by": "organiser"},
            now=now,
            offer_expires_at=None,
        )

    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.status, stored.cancelled_at, stored.offer_expires_at) == (
        "cancelled",
        now,
        None,
    )
    assert (activity.verb, activity.actor, activity.registration) == (
        "cancelled",
        actor,
        registration,
    )
    assert activity.details == {"by": "organiser"}


def test_each_verb_carries_what_its_facts_always_say():
    event = EventFactory()
    ahead = RegistrationFactory(
        event=event, status="waitlisted", waitlisted_at=timezone.now()
    )
    waiting = RegistrationFactory(event=event, status="awaiting_approval")
    promoted = RegistrationFactory(
        event=event, status="waitlisted", waitlisted_at=ahead.waitlisted_at
    )
    seat = SessionSeatFactory(
        registration=promoted, session=SessionFactory(event=event, title="Lab")
    )
    offered = RegistrationFactory(
        event=event, status="waitlisted", waitlisted_at=ahead.waitlisted_at
    )
    deadline = timezone.now() + timedelta(hours=24)

    in_place = transition(
        promoted, event=event, status="confirmed", verb=Activity.Verb.PROMOTED
    )
    offer = transition(
        offered,
        event=event,
        status="offered",
        verb=Activity.Verb.OFFERED,
        offer_expires_at=deadline,
    )
    in_line = transition(
        waiting, event=event, status="waitlisted", verb=Activity.Verb.WAITLISTED
    )

    # Only `ahead` still waits before them: the other two have moved on.
    assert in_line.details == {"position": 2}
    assert waiting.waitlisted_at is not None
    assert [s["session_title"] for s in in_place.details["sessions"]] == ["Lab"]
    assert in_place.details["sessions"][0]["seat_status"] == seat.status
    assert offer.details == {"offer_expires_at": deadline.isoformat()}
