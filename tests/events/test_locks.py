"""The one way to lock an event's row, and its sessions and rooms."""

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from events.locks import lock_event, lock_sessions
from events.models import Event
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_lock_reloads_the_named_fields():
    event = EventFactory(capacity=10, waitlist_enabled=True, privacy_notice="")
    Event.objects.filter(pk=event.pk).update(
        capacity=3, waitlist_enabled=False, privacy_notice="New <notice>", title="X"
    )

    with transaction.atomic():
        lock_event(event, "capacity", "waitlist_enabled", "privacy_notice")

    assert (event.capacity, event.waitlist_enabled) == (3, False)
    assert event.privacy_notice == "New <notice>"
    assert event.title != "X"  # only the named fields are read


def test_lock_of_a_deleted_event_says_so():
    event = EventFactory()
    Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(Event.DoesNotExist), transaction.atomic():
        lock_event(event, "capacity")


@pytest.mark.django_db(transaction=True)
def test_lock_outside_a_transaction_is_refused():
    event = EventFactory()
    with pytest.raises(TransactionManagementError):
        lock_event(event, "capacity")
    with pytest.raises(TransactionManagementError):
        lock_event(event)


def test_lock_without_fields_returns_the_stored_row_and_leaves_the_callers():
    event = EventFactory(title="Old", capacity=10)
    Event.objects.filter(pk=event.pk).update(title="Stored", capacity=3)
    event.title = "Edited"

    with transaction.atomic():
        by_instance = lock_event(event)
        by_id = lock_event(event.pk)

    assert (by_instance.title, by_instance.capacity) == ("Stored", 3)
    assert (by_id.pk, by_id.title) == (event.pk, "Stored")
    assert by_instance is not event
    assert (event.title, event.capacity) == ("Edited", 10)


def test_lock_reloads_fields_only_into_an_event():
    event = EventFactory()
    with pytest.raises(TypeError), transaction.atomic():
        lock_event(event.pk, "capacity")


def test_lock_sessions_answers_by_pk_and_only_for_the_event_given():
    event = EventFactory()
    first, second = SessionFactory(event=event), SessionFactory(event=event)
    elsewhere = SessionFactory()

    with transaction.atomic():
        everything = lock_sessions([second.pk, first.pk, elsewhere.pk])
        ours = lock_sessions([second.pk, elsewhere.pk, first.pk], event=event)
        nothing = lock_sessions([])

    assert sorted(everything) == sorted([first.pk, second.pk, elsewhere.pk])
    assert ours == {first.pk: first, second.pk: second}
    assert nothing == {}
