"""One composing task at a time: a rush of registrations publishes a handful of
tasks, not one each, and no fact waits for the sweep while tasks run.

The request lives in the broker's Redis: these point Celery at the test Redis
(publishing itself is replaced, so nothing is queued there)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from notifications import tasks
from notifications.models import Message
from notifications.services import compose, composition_requests
from registrations.models import Activity
from registrations.services.registering import register_attendee
from tests.factories import EventFactory, UserFactory

from .brokers import celery_broker

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(redis_url):
    with celery_broker(redis_url):
        composition_requests.withdraw_request()  # none left by an earlier test
        yield
        composition_requests.withdraw_request()


def register(event, n, capture):
    with capture(execute=True):
        register_attendee(event=event, attendee=UserFactory(email=f"p{n}@example.org"))


def test_a_rush_publishes_one_task_that_composes_every_fact(
    broker, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=3)
    with mock.patch.object(tasks.task_compose_recent, "apply_async") as publish:
        for n in range(5):
            register(event, n, django_capture_on_commit_callbacks)

    assert publish.call_count == 1  # the first asked; the others saw it waiting
    assert Activity.objects.filter(composed_at__isnull=True).count() == 5

    assert compose.compose_recent() == 5  # what that one task does
    assert Activity.objects.filter(composed_at__isnull=True).count() == 0
    assert (
        sorted(Message.objects.values_list("kind", flat=True))
        == ["confirmed"] * 3 + ["waitlisted"] * 2
    )


def test_the_task_clears_the_request_so_the_next_fact_asks_again(
    broker, django_capture_on_commit_callbacks
):
    event = EventFactory()
    with mock.patch.object(tasks.task_compose_recent, "apply_async") as publish:
        register(event, 0, django_capture_on_commit_callbacks)
        compose.compose_recent()
        register(event, 1, django_capture_on_commit_callbacks)

    assert publish.call_count == 2


def test_a_failed_publish_withdraws_the_request(
    broker, django_capture_on_commit_callbacks
):
    event = EventFactory()
    with mock.patch.object(
        tasks.task_compose_recent, "apply_async", side_effect=OSError("broker down")
    ) as publish:
        register(event, 0, django_capture_on_commit_callbacks)
        register(event, 1, django_capture_on_commit_callbacks)

    assert publish.call_count == 2  # the first failure did not block the second
    assert composition_requests.request_composition()  # nothing holds it now


def test_compose_recent_leaves_old_facts_to_the_sweep_and_each_fact_composes_once(
    broker, django_capture_on_commit_callbacks
):
    event = EventFactory()
    with mock.patch.object(tasks.task_compose_recent, "apply_async"):
        register(event, 0, django_capture_on_commit_callbacks)
        register(event, 1, django_capture_on_commit_callbacks)
    old = Activity.objects.order_by("pk").first()
    Activity.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - compose.RECENT - timedelta(minutes=1)
    )

    assert compose.compose_recent() == 1
    assert compose.compose_recent() == 0  # nothing twice
    assert list(
        Activity.objects.filter(composed_at__isnull=True).values_list("pk", flat=True)
    ) == [old.pk]


def test_in_embedded_mode_the_task_runs_at_once(django_capture_on_commit_callbacks):
    # Eager Celery (no broker): the registration's own commit composes and sends.
    event = EventFactory()
    register(event, 0, django_capture_on_commit_callbacks)
    register(event, 1, django_capture_on_commit_callbacks)

    assert sorted(Message.objects.values_list("to_email", "status")) == [
        ("p0@example.org", "sent"),
        ("p1@example.org", "sent"),
    ]


def test_an_unreachable_broker_never_blocks_a_registration(
    django_capture_on_commit_callbacks,
):
    # Nothing listens on port 1: asking answers "publish", publishing fails, and
    # the fact waits for the sweep; the registration itself succeeds.
    with celery_broker("redis://127.0.0.1:1/0"):
        register(EventFactory(), 0, django_capture_on_commit_callbacks)

    assert Activity.objects.filter(composed_at__isnull=True).count() == 1
