from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Message
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _message(n, **fields):
    return Message.objects.create(
        key=f"k:{n}",
        kind="confirmed",
        to_email=f"p{n}@example.org",
        subject="Hi",
        body_text="Text",
        event=fields.pop("event", None) or EventFactory(),
        **fields,
    )


def test_send_queued_delivers_what_is_due_and_outbox_status_counts(capsys, mailoutbox):
    _message(1)
    _message(2)
    _message(3, next_attempt_at=timezone.now() + timedelta(hours=1))
    _message(4, status="failed")

    call_command("send_queued")
    assert capsys.readouterr().out == "sent 2\n"
    call_command("outbox_status")

    out = capsys.readouterr().out.splitlines()
    assert out[:4] == ["queued: 1", "sending: 0", "sent: 2", "failed: 1"]
    assert out[4].startswith("oldest queued: 20")
    assert sorted(m.to[0] for m in mailoutbox) == ["p1@example.org", "p2@example.org"]


def test_run_periodic_once_runs_every_job(capsys):
    call_command("run_periodic", "--once", "--verbosity", "2")

    out = capsys.readouterr().out
    assert "compose uncomposed facts: 0" in out
    assert "reminders due: 0" in out
    assert "schedule digests due: 0" in out
