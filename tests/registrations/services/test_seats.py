from datetime import timedelta

import pytest

from events.services import cancel_session
from registrations.models import Activity, Bookmark, SessionSeat
from registrations.selectors import places
from registrations.services import RegistrationError
from registrations.services.capacity import change_session_capacity
from registrations.services.checkin import check_in, check_in_by_code
from registrations.services.registering import (
    cancel_registration,
    regenerate_manage_token,
    register_attendee,
)
from registrations.services.seats import (
    add_bookmark,
    leave_seat,
    remove_bookmark,
    set_sessions,
    take_seat,
)
from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory()


def workshop(event, **kwargs):
    return SessionFactory(event=event, signup_required=True, **kwargs)


def confirmed(event):
    return register_attendee(event=event, attendee=UserFactory())


def test_full_session_puts_people_in_its_line_and_leaving_promotes(event):
    session = workshop(event, capacity=1)
    a, b, c = confirmed(event), confirmed(event), confirmed(event)

    seats = [take_seat(registration=r, session=session) for r in (a, b, c)]

    assert [s.status for s in seats] == ["confirmed", "waitlisted", "waitlisted"]
    assert [places.session_waitlist_position(s) for s in seats[1:]] == [1, 2]
    assert (
        Activity.objects.get(verb="seat_waitlisted", registration=b).details["position"]
        == 1
    )

    leave_seat(registration=a, session=session)

    assert SessionSeat.objects.get(pk=seats[1].pk).status == "confirmed"
    assert Activity.objects.filter(verb="seat_promoted", registration=b).count() == 1


def test_overlapping_seat_is_refused_naming_the_clash(event):
    first = workshop(event, title="Data workshop")
    overlapping = workshop(
        event,
        title="Mobility clinic",
        starts_at=first.starts_at + timedelta(minutes=30),
    )
    registration = confirmed(event)
    take_seat(registration=registration, session=first)

    with pytest.raises(RegistrationError, match="overlaps “Data workshop”"):
        take_seat(registration=registration, session=overlapping)
    assert registration.seats.count() == 1


def test_seats_only_for_confirmed_and_bookable_sessions(event):
    plain = SessionFactory(event=event, signup_required=False)
    other_event_session = workshop(EventFactory())
    registration = confirmed(event)

    with pytest.raises(RegistrationError, match="needs no sign-up"):
        take_seat(registration=registration, session=plain)
    with pytest.raises(RegistrationError, match="another event"):
        take_seat(registration=registration, session=other_event_session)
    full = EventFactory(capacity=1)
    confirmed(full)
    waiting = confirmed(full)
    with pytest.raises(RegistrationError, match="confirmed registrations only"):
        take_seat(registration=waiting, session=workshop(full))


def test_take_seat_twice_is_idempotent(event):
    session = workshop(event)
    registration = confirmed(event)

    first = take_seat(registration=registration, session=session)
    again = take_seat(registration=registration, session=session)

    assert first.pk == again.pk
    assert Activity.objects.filter(verb="seat_taken").count() == 1


def test_cancelled_session_keeps_seat_rows(event):
    session = workshop(event)
    registration = confirmed(event)
    take_seat(registration=registration, session=session)

    cancel_session(session=session)

    assert list(registration.seats.values_list("status", flat=True)) == ["confirmed"]


def test_set_sessions_swaps_choices_in_one_change(event):
    a = workshop(event, title="A")
    b = workshop(
        event, title="B", starts_at=a.ends_at, ends_at=a.ends_at + timedelta(hours=1)
    )
    registration = confirmed(event)
    take_seat(registration=registration, session=a)

    set_sessions(registration=registration, session_ids=[b.pk])

    assert list(registration.seats.live().values_list("session__title", flat=True)) == [
        "B"
    ]


def test_cancelling_registration_frees_seats_for_the_line(event):
    session = workshop(event, capacity=1)
    a, b = confirmed(event), confirmed(event)
    take_seat(registration=a, session=session)
    take_seat(registration=b, session=session)

    cancel_registration(registration=a)

    assert b.seats.get().status == "confirmed"


def test_raising_session_capacity_promotes_and_is_logged(event):
    session = workshop(event, capacity=1)
    a, b = confirmed(event), confirmed(event)
    take_seat(registration=a, session=session)
    take_seat(registration=b, session=session)

    change_session_capacity(session=session, capacity=2)

    assert b.seats.get().status == "confirmed"
    assert session.changes.filter(kind="changed").count() == 1


def test_bookmarks_are_idempotent_and_removable(event):
    session = SessionFactory(event=event)
    user = UserFactory()

    add_bookmark(user=user, session=session)
    add_bookmark(user=user, session=session)
    assert Bookmark.objects.filter(user=user).count() == 1
    remove_bookmark(user=user, session=session)
    assert Bookmark.objects.filter(user=user).count() == 0


def test_check_in_by_code_is_case_insensitive_and_idempotent(event):
    registration = confirmed(event)
    staff = UserFactory(is_staff=True)

    first = check_in_by_code(
        event=event, code=registration.checkin_code.lower(), actor=staff
    )
    again = check_in_by_code(event=event, code=registration.checkin_code, actor=staff)

    assert first.already_checked_in is False
    assert again.already_checked_in is True
    assert Activity.objects.filter(verb="checked_in").count() == 1
    with pytest.raises(RegistrationError, match="No registration"):
        check_in_by_code(event=event, code="NOPE", actor=staff)


def test_check_in_refuses_unconfirmed(event):
    full = EventFactory(capacity=1)
    confirmed(full)
    waiting = confirmed(full)
    with pytest.raises(RegistrationError, match="waitlist"):
        check_in(registration=waiting, actor=UserFactory())


def test_regenerated_manage_token_replaces_the_old(event):
    registration = confirmed(event)
    old = registration.manage_token

    regenerate_manage_token(registration=registration)

    registration.refresh_from_db()
    assert registration.manage_token != old
    assert len(registration.manage_token) >= 43
