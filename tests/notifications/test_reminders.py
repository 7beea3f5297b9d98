from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Message
from notifications.services.reminders import (
    send_due_invitation_reminders,
    send_due_reminders,
)
from registrations.models import Invitation
from tests.factories import (
    EventFactory,
    InvitationFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSeatFactory,
)

pytestmark = pytest.mark.django_db


def test_event_reminder_goes_once_to_confirmed_people_within_its_window(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(
        starts_at=timezone.now() + timedelta(hours=30),
        ends_at=timezone.now() + timedelta(hours=60),
    )
    session = SessionFactory(event=event, title="Opening plenary")
    confirmed = RegistrationFactory(event=event, attendee__email="in@example.org")
    SessionSeatFactory(registration=confirmed, session=session)
    RegistrationFactory(event=event, status="cancelled")

    assert send_due_reminders(now=timezone.now()) == 0  # 30 h ahead, 24 h lead
    later = timezone.now() + timedelta(hours=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now=later) == 1
        send_due_reminders(now=later)  # beat ran twice
        send_due_reminders(now=later + timedelta(minutes=5))  # and again later

    assert [m.to for m in mailoutbox] == [["in@example.org"]]
    assert "Opening plenary" in mailoutbox[0].body
    assert confirmed.checkin_code in mailoutbox[0].body


def test_session_reminder_only_when_turned_on(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(
        starts_at=timezone.now() + timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(hours=8),
        reminder_hours_before=0,
    )
    session = SessionFactory(
        event=event,
        signup_required=True,
        starts_at=timezone.now() + timedelta(minutes=20),
        ends_at=timezone.now() + timedelta(minutes=80),
    )
    SessionSeatFactory(registration=RegistrationFactory(event=event), session=session)

    assert send_due_reminders() == 0  # session_reminder_minutes is 0: off
    event.session_reminder_minutes = 30
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 1  # still queued-or-sent: the same one
    assert list(Message.objects.values_list("kind", flat=True)) == ["session_reminder"]
    assert len(mailoutbox) == 1


def test_invitation_reminder_once_before_the_deadline(
    django_capture_on_commit_callbacks, mailoutbox
):
    invitation = InvitationFactory(
        email="dean@example.edu", rsvp_deadline=timezone.now() + timedelta(hours=30)
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=5)
    )
    answered = InvitationFactory(
        rsvp_deadline=timezone.now() + timedelta(hours=30),
        status=Invitation.Status.ACCEPTED,
    )
    Invitation.objects.filter(pk=answered.pk).update(
        created_at=timezone.now() - timedelta(days=5)
    )

    with django_capture_on_commit_callbacks(execute=True):
        send_due_invitation_reminders()
        send_due_invitation_reminders()

    assert [m.to for m in mailoutbox] == [["dean@example.edu"]]
    assert invitation.token in mailoutbox[0].body
