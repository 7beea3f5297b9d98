"""Real parallel connections on PostgreSQL: capacity is never exceeded.

Each thread has its own database connection (Django's are per thread); a barrier
releases them together so the attempts really race.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from registrations.models import Activity, Registration, SessionSeat
from registrations.selectors import places
from registrations.services.registering import cancel_registration, register_attendee
from registrations.services.seats import take_seat
from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(calls):
    """Run every call at once, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            return call()
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            errors.append(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        results = list(pool.map(run, calls))
    assert errors == []
    return results


def test_sixty_parallel_registrations_for_forty_places():
    event = EventFactory(capacity=40)
    people = [UserFactory() for _ in range(60)]

    race([lambda p=p: register_attendee(event=event, attendee=p) for p in people])

    assert Registration.objects.filter(event=event, status="confirmed").count() == 40
    waiting = list(Registration.objects.filter(event=event).waitlist_order())
    assert len(waiting) == 20
    assert [places.waitlist_position(r) for r in waiting] == list(range(1, 21))


def test_one_person_submitting_ten_times_at_once_gets_one_registration():
    # A double-clicked or retried form: the one-live-registration constraint
    # turns every repeat into the same answer, never an error.
    event = EventFactory(capacity=1, waitlist_enabled=False)
    person = UserFactory()

    results = race([lambda: register_attendee(event=event, attendee=person)] * 10)

    assert len({registration.pk for registration in results}) == 1
    assert Registration.objects.filter(event=event).count() == 1
    assert Activity.objects.filter(event=event).count() == 1


def test_sixty_parallel_seat_requests_for_forty_seats():
    event = EventFactory()
    session = SessionFactory(event=event, signup_required=True, capacity=40)
    registrations = [
        register_attendee(event=event, attendee=UserFactory()) for _ in range(60)
    ]

    race(
        [lambda r=r: take_seat(registration=r, session=session) for r in registrations]
    )

    seats = SessionSeat.objects.filter(session=session)
    assert seats.filter(status="confirmed").count() == 40
    waiting = list(seats.filter(status="waitlisted").order_by("waitlisted_at", "pk"))
    assert [places.session_waitlist_position(s) for s in waiting] == list(range(1, 21))


def test_cancellations_racing_registrations_keep_counts_exact():
    event = EventFactory(capacity=40)
    existing = [
        register_attendee(event=event, attendee=UserFactory()) for _ in range(50)
    ]
    confirmed = [r for r in existing if r.status == "confirmed"]
    newcomers = [UserFactory() for _ in range(20)]

    calls = [lambda r=r: cancel_registration(registration=r) for r in confirmed[:10]]
    calls += [lambda p=p: register_attendee(event=event, attendee=p) for p in newcomers]
    race(calls)

    live = Registration.objects.filter(event=event)
    assert live.filter(status="cancelled").count() == 10
    assert live.filter(status="confirmed").count() == 40
    # 50 + 20 people, 10 left: 60 live, 40 of them in places, 20 in line.
    assert live.filter(status="waitlisted").count() == 20
    waiting = list(live.waitlist_order())
    assert [places.waitlist_position(r) for r in waiting] == list(range(1, 21))
