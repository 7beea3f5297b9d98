"""What each answer of a real SMTP server does to a message.

A 5xx to the sender, recipient or message fails that message at once with the
server's reply; a 5xx to the connection, greeting or login pauses delivery and
fails nothing; 4xx and lost connections retry with backoff. Plus the bounds of a
send: the deadline over the whole conversation, and a QUIT that cannot undo a
delivery.
"""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.mail import mailers_from_url
from notifications.models import DeliveryPause, Message
from notifications.services.delivery import deliver
from notifications.services.sweeps import requeue_due
from tests.factories import EventFactory, EventOrganiserFactory

from .infra import greeting_server, smtp_server

pytestmark = pytest.mark.django_db

TIMEOUT = 1  # EMAIL_TIMEOUT for these tests: the send deadline is 3 s


def _message(**fields):
    values = {
        "key": f"test:{Message.objects.count()}",
        "kind": "confirmed",
        "to_email": "ada@example.org",
        "subject": "Hello",
        "body_text": "Text",
        "event": fields.pop("event", None) or EventFactory(),
    } | fields
    return Message.objects.create(**values)


def use_mail_server(settings, port, *, credentials=""):
    # The mailer exactly as EMAIL_URL and EMAIL_TIMEOUT would configure it.
    settings.MAILERS = mailers_from_url(
        f"smtp://{credentials}127.0.0.1:{port}", TIMEOUT
    )


@pytest.fixture
def server(settings):
    with smtp_server() as (inbox, port):
        use_mail_server(settings, port)
        yield inbox


def outcome(message):
    message.refresh_from_db()
    return message.status, message.attempts, message.last_error


# --- 5xx to the sender, the recipient or the message: that message fails ----------


@pytest.mark.parametrize(
    ("command", "reply", "error"),
    [
        (
            "RCPT",
            "550 5.1.1 <ada@example.org>: Recipient address rejected: User unknown",
            "SMTPRecipientsRefused: 550 5.1.1 <ada@example.org>: "
            "Recipient address rejected: User unknown",
        ),
        (
            "DATA",
            "554 5.7.1 Message rejected as spam",
            "SMTPDataError: 554 5.7.1 Message rejected as spam",
        ),
        (
            "MAIL",
            "553 5.7.1 Sender address rejected: not owned by user",
            "SMTPSenderRefused: 553 5.7.1 Sender address rejected: not owned by user",
        ),
    ],
)
def test_a_5xx_for_the_message_fails_it_at_once_with_the_reply(
    server, command, reply, error
):
    server.replies[command] = reply
    refused = _message()

    assert deliver(message_id=refused.pk) == "failed"
    assert outcome(refused) == ("failed", 1, error)
    assert server.received == []

    # Only that message: delivery goes on for the others.
    del server.replies[command]
    other = _message(to_email="grace@example.org")
    assert deliver(message_id=other.pk) == "sent"
    assert [str(m["To"]) for m in server.received] == ["grace@example.org"]
    assert DeliveryPause.objects.count() == 0


def test_the_operator_sees_the_refusal(server, admin_client, capsys):
    membership = EventOrganiserFactory(event__title="Spring Forum")
    server.replies["RCPT"] = "550 5.1.1 <ada@example.org>: User unknown"
    refused = _message(event=membership.event)
    deliver(message_id=refused.pk)

    page = admin_client.get(reverse("admin:notifications_message_changelist"))
    call_command("outbox_status")

    assert page.status_code == 200
    row = page.content.decode()
    assert '<td class="field-status">Failed</td>' in row
    assert (
        '<td class="field-short_error">SMTPRecipientsRefused: 550 5.1.1 '
        "&lt;ada@example.org&gt;: User unknown</td>"
    ) in row
    assert capsys.readouterr().out.splitlines()[4:] == [
        "oldest queued: -",
        "delivery: running",
        f"failed #{refused.pk} to ada@example.org: "
        "SMTPRecipientsRefused: 550 5.1.1 <ada@example.org>: User unknown",
    ]


# --- 5xx at connect, HELO/EHLO or AUTH: our configuration, delivery pauses -------


def assert_paused(message, error, caplog, client):
    """The message waits, queued, unfailed; the operator sees why, with the reply."""
    assert outcome(message) == ("queued", 0, error)
    pause = DeliveryPause.objects.get()
    assert pause.error == error
    assert [
        (record.levelname, record.getMessage())
        for record in caplog.records
        if record.name == "notifications.services.pauses"
    ] == [
        (
            "ERROR",
            f"mail delivery paused until {pause.until.isoformat()}: the mail server "
            f"refused the connection, greeting or login ({error}); check EMAIL_URL",
        )
    ]
    health = client.get("/healthz")
    assert (health.status_code, health.json()["status"]) == (200, "degraded")
    assert health.json()["checks"]["mail"] == {
        "status": "paused",
        "until": pause.until.isoformat(),
        "error": error.partition(":")[0],
    }


def test_a_535_at_login_pauses_delivery_without_failing_messages(
    settings, caplog, client, capsys
):
    with smtp_server(password="right") as (inbox, port):
        use_mail_server(settings, port, credentials="events:wrong@")
        first, second = _message(), _message(to_email="grace@example.org")

        assert deliver(message_id=first.pk) == "paused"
        assert deliver(message_id=second.pk) == "paused"  # without a second login

        assert_paused(
            first,
            "SMTPAuthenticationError: 535 5.7.8 Authentication credentials invalid",
            caplog,
            client,
        )
        assert outcome(second) == ("queued", 0, "")
        assert inbox.sessions == 1
        assert requeue_due(grace=timedelta(0)) == 0  # the sweep waits too
        assert inbox.sessions == 1

        # The operator fixes the password and resumes: both go, once each.
        use_mail_server(settings, port, credentials="events:right@")
        call_command("send_queued", "--resume")

        assert capsys.readouterr().out == "delivery resumed\nsent 2\n"
        assert sorted(str(m["To"]) for m in inbox.received) == [
            "ada@example.org",
            "grace@example.org",
        ]
        assert (outcome(first)[:2], outcome(second)[:2]) == (("sent", 1), ("sent", 1))


def test_a_5xx_to_ehlo_and_helo_pauses_delivery(server, caplog, client):
    server.replies["EHLO"] = "554 5.7.1 <127.0.0.1>: Client host rejected"
    message = _message()

    assert deliver(message_id=message.pk) == "paused"

    assert_paused(
        message,
        "SMTPHeloError: 554 5.7.1 <127.0.0.1>: Client host rejected",
        caplog,
        client,
    )


def test_a_5xx_greeting_pauses_delivery(settings, caplog, client):
    with greeting_server("554 5.3.2 mail.example.org: no service for you") as port:
        use_mail_server(settings, port)
        message = _message()

        assert deliver(message_id=message.pk) == "paused"

    assert_paused(
        message,
        "SMTPConnectError: 554 5.3.2 mail.example.org: no service for you",
        caplog,
        client,
    )


def test_delivery_goes_on_by_itself_when_the_pause_ends(server, settings):
    server.replies["EHLO"] = "554 5.7.1 Client host rejected"
    message = _message()
    assert deliver(message_id=message.pk) == "paused"
    del server.replies["EHLO"]

    # The first sweep after the pause publishes what waited (eagerly here).
    later = DeliveryPause.objects.get().until + timedelta(seconds=1)
    Message.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=2))
    DeliveryPause.objects.update(until=timezone.now())
    assert requeue_due(now=later) == 1

    assert outcome(message)[:2] == ("sent", 1)
    assert len(server.received) == 1


# --- 4xx and lost connections: try again later, as before ------------------------


@pytest.mark.parametrize(
    ("command", "reply", "error"),
    [
        (
            "RCPT",
            "421 4.7.0 Too many connections, try later",
            "SMTPRecipientsRefused: 421 4.7.0 Too many connections, try later",
        ),
        (
            "DATA",
            "451 4.3.0 Local error in processing",
            "SMTPDataError: 451 4.3.0 Local error in processing",
        ),
    ],
)
def test_a_4xx_retries_with_backoff(server, command, reply, error):
    server.replies[command] = reply
    message = _message()

    before = timezone.now()
    assert deliver(message_id=message.pk) == "retry"

    assert outcome(message) == ("queued", 1, error)
    assert before + timedelta(seconds=59) < message.next_attempt_at
    assert message.next_attempt_at < before + timedelta(seconds=62)
    assert DeliveryPause.objects.count() == 0


def test_a_4xx_at_login_retries(settings):
    with smtp_server(password="right") as (inbox, port):
        inbox.auth_reply = "454 4.7.0 Temporary authentication failure"
        use_mail_server(settings, port, credentials="events:wrong@")
        message = _message()

        assert deliver(message_id=message.pk) == "retry"

    assert outcome(message) == (
        "queued",
        1,
        "SMTPAuthenticationError: 454 4.7.0 Temporary authentication failure",
    )
    assert DeliveryPause.objects.count() == 0


def test_a_421_greeting_retries(settings):
    with greeting_server("421 4.3.2 mail.example.org: shutting down") as port:
        use_mail_server(settings, port)
        message = _message()

        assert deliver(message_id=message.pk) == "retry"

    assert outcome(message) == (
        "queued",
        1,
        "SMTPConnectError: 421 4.3.2 mail.example.org: shutting down",
    )
    assert DeliveryPause.objects.count() == 0


# --- The bounds of one send ------------------------------------------------------


def test_a_send_ends_at_its_deadline_however_slowly_the_server_trickles(server):
    # Every line within the timeout, the whole reply far past it: no timeout
    # catches this, the deadline (3 x EMAIL_TIMEOUT) does.
    server.slow_ehlo = (8, 0.5 * TIMEOUT)
    message = _message()

    started = time.monotonic()
    assert deliver(message_id=message.pk) == "retry"
    elapsed = time.monotonic() - started

    assert outcome(message) == (
        "queued",
        1,
        "SMTPServerDisconnected: no reply within the send deadline of 3 s",
    )
    assert 3 * TIMEOUT <= elapsed < 4 * TIMEOUT
    assert server.received == []


def test_a_server_that_hangs_at_quit_does_not_undo_the_delivery(server):
    # The message is accepted; a QUIT timing out after that is no reason to send
    # it again.
    server.stall_quit.set()
    message = _message()
    try:
        assert deliver(message_id=message.pk) == "sent"
    finally:
        server.stall_quit.clear()

    assert outcome(message) == ("sent", 1, "")
    assert len(server.received) == 1
