"""The real registration and schedule services, told end to end (in-process)."""

from datetime import timedelta

import pytest

from notifications.models import Message
from registrations.services.registering import cancel_registration, register_attendee
from tests.factories import EventFactory, SessionFactory, UserFactory

from .helpers import calendar_of, vevents

pytestmark = pytest.mark.django_db


def test_register_confirms_once_with_sessions_and_calendar(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(title="Spring Forum", capacity=10)
    sessions = [
        SessionFactory(event=event, signup_required=True, title="Workshop A"),
        SessionFactory(
            event=event,
            signup_required=True,
            title="Workshop B",
            starts_at=event.starts_at + timedelta(hours=3),
            ends_at=event.starts_at + timedelta(hours=4),
        ),
    ]
    ada = UserFactory(email="ada@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        register_attendee(
            event=event, attendee=ada, session_ids=[s.pk for s in sessions]
        )
        register_attendee(event=event, attendee=ada)  # a double submit

    (email,) = mailoutbox
    assert email.subject == "You are registered: Spring Forum"
    assert "Workshop A" in email.body and "Workshop B" in email.body
    assert sorted(str(e["summary"]) for e in vevents(calendar_of(email))) == [
        "Spring Forum",
        "Workshop A",
        "Workshop B",
    ]


def test_cancelling_frees_the_place_for_the_waitlist(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(title="Spring Forum", capacity=1)
    first, second = (
        UserFactory(email="first@example.org"),
        UserFactory(email="second@example.org"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        registration = register_attendee(event=event, attendee=first)
        register_attendee(event=event, attendee=second)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=registration, actor=first)

    assert [(m.to[0], m.subject) for m in mailoutbox[:2]] == [
        ("first@example.org", "You are registered: Spring Forum"),
        ("second@example.org", "You are on the waitlist: Spring Forum"),
    ]
    # Cancel and promote are one transaction: their order is the service's.
    assert sorted((m.to[0], m.subject) for m in mailoutbox[2:]) == [
        ("first@example.org", "Registration cancelled: Spring Forum"),
        ("second@example.org", "A place is yours: Spring Forum"),
    ]
    assert "(position 1)" in mailoutbox[1].body


class DownMailer:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_mail_outage_never_reaches_the_registration(
    settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.notifications.test_through_services.DownMailer"}
    }
    event = EventFactory(title="Spring Forum")

    with django_capture_on_commit_callbacks(execute=True):
        registration = register_attendee(event=event, attendee=UserFactory())

    assert registration.status == "confirmed"
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.last_error == "ConnectionRefusedError: mail server down"
