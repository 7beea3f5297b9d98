"""Bulk operations: fixed targets, batches whose effects and progress commit
together, hand-back after the time budget, recovery of a lost run, and the
periodic pickup that runs them in embedded mode."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registrations.models import Activity, BulkOperation, Registration
from registrations.services import RegistrationError, bulk
from registrations.tasks import task_run_pending_bulk
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = BulkOperation.Kind


@pytest.fixture
def five(monkeypatch):
    """Five confirmed registrations, worked through two at a time."""
    monkeypatch.setattr(bulk, "BATCH_SIZE", 2)
    event = EventFactory()
    people = [RegistrationFactory(event=event) for _ in range(5)]
    return event, people


def statuses(people) -> list[str]:
    return [Registration.objects.get(pk=p.pk).status for p in people]


def test_starting_fixes_the_eligible_targets_and_does_nothing_yet(five):
    event, people = five
    Registration.objects.filter(pk=people[0].pk).update(status="cancelled")
    theirs = RegistrationFactory()  # another event's: never a target
    actor = UserFactory()

    operation = bulk.start_bulk_operation(
        event=event,
        kind=Kind.CANCEL,
        queryset=Registration.objects.filter(
            pk__in=[p.pk for p in people] + [theirs.pk]
        ),
        actor=actor,
        tell=False,
    )

    assert (operation.target_ids, operation.total, operation.status) == (
        [p.pk for p in people[1:]],
        4,
        BulkOperation.Status.PENDING,
    )
    assert (operation.tell, operation.actor) == (False, actor)
    assert statuses(people) == ["cancelled"] + ["confirmed"] * 4


def test_an_action_that_applies_to_nobody_is_refused(five):
    event, people = five

    with pytest.raises(RegistrationError, match="applies to none"):
        bulk.start_bulk_operation(
            event=event,
            kind=Kind.APPROVE,  # nobody awaits approval
            queryset=Registration.objects.all(),
            actor=UserFactory(),
        )
    assert BulkOperation.objects.count() == 0


def test_only_the_actions_where_silence_is_legitimate_can_be_silent(five):
    event, people = five
    Registration.objects.filter(pk=people[0].pk).update(
        status="waitlisted", waitlisted_at=timezone.now()
    )

    offer = bulk.start_bulk_operation(
        event=event,
        kind=Kind.OFFER,
        queryset=Registration.objects.all(),
        actor=UserFactory(),
        tell=False,
    )

    assert offer.tell is True


def test_a_run_works_through_every_batch_and_records_its_progress(five):
    event, people = five
    actor = UserFactory()
    operation = bulk.start_bulk_operation(
        event=event,
        kind=Kind.CANCEL,
        queryset=Registration.objects.all(),
        actor=actor,
        tell=False,
    )

    done = bulk.run_bulk_operation(operation_id=operation.pk)

    assert (done.status, done.done, done.changed, done.errors) == (
        BulkOperation.Status.DONE,
        5,
        5,
        [],
    )
    assert done.started_at is not None and done.finished_at is not None
    assert statuses(people) == ["cancelled"] * 5
    assert (
        list(Activity.objects.filter(verb="cancelled").values_list("actor", "details"))
        == [(actor.pk, {"by": "organiser", "silent": True})] * 5
    )
    assert bulk.run_bulk_operation(operation_id=operation.pk) is None  # done already


def test_a_run_hands_the_operation_back_after_its_budget(five):
    event, people = five
    operation = bulk.start_bulk_operation(
        event=event, kind=Kind.CANCEL, queryset=Registration.objects.all(), actor=None
    )

    first = bulk.run_bulk_operation(operation_id=operation.pk, budget=0)
    second = bulk.run_bulk_operation(operation_id=operation.pk, budget=0)

    assert (first.status, first.done) == (BulkOperation.Status.PENDING, 2)
    assert (second.status, second.done) == (BulkOperation.Status.PENDING, 4)
    assert statuses(people) == ["cancelled"] * 4 + ["confirmed"]


def test_refusals_are_recorded_and_the_others_go_on(five):
    event, people = five
    EventFactory._meta.model.objects.filter(pk=event.pk).update(capacity=2)
    waiting = [
        RegistrationFactory(
            event=event,
            status="waitlisted",
            attendee=UserFactory(name=name),
        )
        for name in ("Ann", "Ben")
    ]
    Registration.objects.filter(pk__in=[p.pk for p in people[2:]]).update(
        status="cancelled"
    )
    Registration.objects.filter(pk=people[1].pk).update(status="cancelled")
    operation = bulk.start_bulk_operation(
        event=event,
        kind=Kind.OFFER,
        queryset=Registration.objects.all(),
        actor=UserFactory(),
    )

    done = bulk.run_bulk_operation(operation_id=operation.pk)

    # One place was free: Ann gets it; for Ben none is left.
    assert statuses(waiting) == ["offered", "waitlisted"]
    assert (done.done, done.changed, done.errors) == (
        2,
        1,
        ["Ben: No place is free for Ben; raise the capacity first."],
    )


def test_a_batch_that_fails_half_way_leaves_no_trace(five, monkeypatch):
    event, people = five
    operation = bulk.start_bulk_operation(
        event=event, kind=Kind.CANCEL, queryset=Registration.objects.all(), actor=None
    )
    calls = []
    cancel = bulk.ACTIONS[Kind.CANCEL]

    def crash_on_the_second(operation, registration):
        calls.append(registration.pk)
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        return cancel(operation, registration)

    monkeypatch.setitem(bulk.ACTIONS, Kind.CANCEL, crash_on_the_second)

    with pytest.raises(RuntimeError):
        bulk.run_bulk_operation(operation_id=operation.pk)

    operation.refresh_from_db()
    assert (operation.status, operation.done) == (BulkOperation.Status.RUNNING, 0)
    assert statuses(people) == ["confirmed"] * 5  # the first cancel rolled back too
    assert Activity.objects.filter(verb="cancelled").count() == 0


def test_a_lost_run_is_taken_up_again_only_once_it_has_gone_quiet(five):
    event, people = five
    operation = bulk.start_bulk_operation(
        event=event, kind=Kind.CANCEL, queryset=Registration.objects.all(), actor=None
    )
    BulkOperation.objects.filter(pk=operation.pk).update(
        status=BulkOperation.Status.RUNNING, heartbeat_at=timezone.now()
    )

    busy = bulk.run_bulk_operation(operation_id=operation.pk)
    BulkOperation.objects.filter(pk=operation.pk).update(
        heartbeat_at=timezone.now() - bulk.STALE_AFTER - timedelta(seconds=1)
    )
    resumed = bulk.run_bulk_operation(operation_id=operation.pk)

    assert busy is None
    assert (resumed.status, resumed.done) == (BulkOperation.Status.DONE, 5)


def test_the_periodic_job_runs_what_is_waiting(five):
    event, people = five
    first = bulk.start_bulk_operation(
        event=event,
        kind=Kind.CANCEL,
        queryset=Registration.objects.filter(pk__in=[p.pk for p in people[:2]]),
        actor=None,
    )
    second = bulk.start_bulk_operation(
        event=event,
        kind=Kind.DECLINE,
        queryset=Registration.objects.filter(pk__in=[p.pk for p in people[2:]]),
        actor=None,
    )

    finished = task_run_pending_bulk()

    assert finished == 2
    assert [BulkOperation.objects.get(pk=op.pk).status for op in (first, second)] == [
        "done",
        "done",
    ]
    assert statuses(people) == ["cancelled"] * 2 + ["declined"] * 3
    assert task_run_pending_bulk() == 0
