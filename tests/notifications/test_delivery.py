import smtplib
import time
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.utils import timezone

from notifications.models import Message
from notifications.services import outbox
from notifications.services.delivery import deliver, retry_failed
from notifications.services.sweeps import compose_pending, requeue_due
from registrations.models import Activity
from tests.factories import EventFactory, RegistrationFactory

from .brokers import celery_broker

pytestmark = pytest.mark.django_db


def _message(**fields):
    event = fields.pop("event", None) or EventFactory()
    values = {
        "key": f"test:{Message.objects.count()}",
        "kind": "confirmed",
        "to_email": "ada@example.org",
        "subject": "Hello",
        "body_text": "Text",
        "body_html": "<p>Text</p>",
        "event": event,
    } | fields
    return Message.objects.create(**values)


class FlakyBackend:
    """A mailer that fails `failures` times, then accepts."""

    failures = 0
    sent: list = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("connection lost")
        FlakyBackend.sent += messages
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.MAILERS = {
        "default": {"BACKEND": "tests.notifications.test_delivery.FlakyBackend"}
    }
    FlakyBackend.sent = []
    FlakyBackend.failures = 0
    yield FlakyBackend


def test_deliver_sends_once_however_often_it_runs(mailoutbox):
    message = _message()

    assert deliver(message_id=message.pk) == "sent"
    assert deliver(message_id=message.pk) == "skipped"

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert len(mailoutbox) == 1


def test_a_claimed_message_is_not_sent_by_a_second_worker(mailoutbox):
    message = _message()
    Message.objects.filter(pk=message.pk).update(
        status="sending", claimed_at=timezone.now()
    )

    assert deliver(message_id=message.pk) == "skipped"
    assert mailoutbox == []


def test_transient_errors_back_off_then_fail_for_good_and_can_be_retried(
    flaky, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    message = _message()
    flaky.failures = 10

    before = timezone.now()
    assert deliver(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.last_error == "SMTPServerDisconnected: connection lost"
    assert before + timedelta(seconds=59) < message.next_attempt_at
    assert message.next_attempt_at < before + timedelta(seconds=62)
    assert deliver(message_id=message.pk) == "skipped"  # not due yet

    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert deliver(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=110)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert deliver(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)

    flaky.failures = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_failed([message.pk]) == 1
    message.refresh_from_db()
    assert message.status == "sent"
    assert [m.to for m in flaky.sent] == [["ada@example.org"]]


def test_a_permanent_error_fails_at_once(monkeypatch):
    message = _message()

    def broken(message):
        raise ValueError("Header values may not contain linefeed")

    monkeypatch.setattr("notifications.services.delivery.build_email", broken)
    assert deliver(message_id=message.pk) == "failed"

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.last_error == "ValueError: Header values may not contain linefeed"


def test_a_task_running_out_of_time_mid_send_retries_the_message(monkeypatch):
    # Celery's soft time limit (prefork) interrupts the send: no fault of the
    # message, so it is tried again, and the task still stops.
    message = _message()

    class Interrupted:
        def send(self):
            raise SoftTimeLimitExceeded()

    monkeypatch.setattr(
        "notifications.services.delivery.build_email", lambda message: Interrupted()
    )
    with pytest.raises(SoftTimeLimitExceeded):
        deliver(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        "queued",
        1,
        "SoftTimeLimitExceeded: SoftTimeLimitExceeded()",
    )


def test_backoff_never_exceeds_half_the_visibility_timeout(flaky, settings):
    settings.CELERY_VISIBILITY_TIMEOUT = 100
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 1000
    message = _message()
    flaky.failures = 1

    deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.next_attempt_at < timezone.now() + timedelta(seconds=51)


def test_the_email_is_multipart_with_headers_and_attachment(mailoutbox):
    message = _message(
        reply_to="forum@example.org",
        ics_attachment="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        ics_filename="forum.ics",
    )

    deliver(message_id=message.pk)

    (email,) = mailoutbox
    raw = email.message().as_string()
    assert "Auto-Submitted: auto-generated" in raw
    assert "Reply-To: forum@example.org" in raw
    assert "multipart/mixed" in raw and "multipart/alternative" in raw
    assert email.attachments[0][0] == "forum.ics"


def test_publishing_with_the_broker_down_is_quick_and_never_raises():
    messages = [_message(), _message()]

    with celery_broker("redis://127.0.0.1:1/0"):  # nothing listens there
        started = time.monotonic()
        published = outbox.publish([m.pk for m in messages])
        elapsed = time.monotonic() - started

    assert published == 0
    assert elapsed < 3
    assert list(Message.objects.values_list("status", flat=True)) == [
        "queued",
        "queued",
    ]


def test_the_sweep_composes_missed_facts_and_requeues_waiting_messages(
    django_capture_on_commit_callbacks,
):
    registration = RegistrationFactory()
    # A fact whose on-commit receiver never ran (the process died).
    Activity.objects.create(
        event=registration.event,
        registration=registration,
        verb="waitlisted",
        details={"position": 1},
        created_at=timezone.now() - timedelta(minutes=5),
    )
    waiting = _message()
    Message.objects.filter(pk=waiting.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    dead_claim = _message()
    Message.objects.filter(pk=dead_claim.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        compose_pending()  # composes and (eagerly) delivers the fact's message
    assert requeue_due() == 2

    assert sorted(Message.objects.values_list("kind", "status")) == [
        ("confirmed", "sent"),
        ("confirmed", "sent"),
        ("waitlisted", "sent"),
    ]
    assert len(mail.outbox) == 3
