"""Claims: how long a `sending` claim belongs to its worker, and what the sweep does
with one whose worker died. The end-to-end kill is in test_worker.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.mail import mailers_from_url
from notifications.models import Message
from notifications.services.delivery import claim, mark_sent, record_failure
from notifications.services.sweeps import (
    recover_stale_claims,
    requeue_due,
    stale_after,
)
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _message(n=0, **fields):
    return Message.objects.create(
        key=f"k:{n}",
        kind="confirmed",
        to_email=f"p{n}@example.org",
        subject="Hi",
        body_text="Text",
        event=EventFactory(),
        **fields,
    )


def test_a_claim_is_stale_after_the_send_deadline_and_one_timeout(settings):
    # Three timeouts for the send's deadline, one for the moments around it.
    settings.CELERY_TASK_TIME_LIMIT = 3600  # no bearing: not every pool keeps it
    settings.MAILERS = mailers_from_url("smtp://mail.example.org", 15)
    assert stale_after() == timedelta(seconds=60)

    settings.MAILERS = mailers_from_url("smtp://mail.example.org", 2)
    assert stale_after() == timedelta(seconds=8)


def test_the_sweep_takes_only_claims_no_live_send_can_hold(mailoutbox):
    now = timezone.now()
    live = _message(1, status="sending", claimed_at=now - timedelta(seconds=59))
    dead = _message(2, status="sending", claimed_at=now - timedelta(seconds=61))

    # Published at once although younger than the sweep's grace for queued ones:
    # no task is on its way for a claim whose worker died.
    assert requeue_due(now=now) == 1

    assert sorted(Message.objects.values_list("pk", "status")) == [
        (live.pk, "sending"),
        (dead.pk, "sent"),
    ]
    assert [m.to for m in mailoutbox] == [["p2@example.org"]]


def test_a_worker_that_outlived_its_claim_cannot_overwrite_the_next_one():
    long_ago = timezone.now() - timedelta(minutes=5)
    message = _message(next_attempt_at=long_ago)
    assert claim(message.pk, now=long_ago)
    late = Message.objects.get(pk=message.pk)  # the first worker's view

    assert recover_stale_claims(older_than=timedelta(minutes=1)) == [message.pk]
    assert claim(message.pk)  # a second worker
    current = Message.objects.get(pk=message.pk)

    record_failure(late, OSError("timed out"))
    mark_sent(late)
    assert Message.objects.filter(
        pk=message.pk, status="sending", claimed_at=current.claimed_at
    ).exists()

    mark_sent(current)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
