"""The seats on a registration's own page: read as pairs, their sessions from
the event's cached facts, and shown as they are now."""

from datetime import timedelta

import pytest

from events import services
from registrations.services.registering import register_attendee
from registrations.services.seats import leave_seat, take_seat
from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(capacity=10)


def workshop(event, title, hours):
    return SessionFactory(
        event=event,
        title=title,
        signup_required=True,
        capacity=5,
        starts_at=event.starts_at + timedelta(hours=hours),
        ends_at=event.starts_at + timedelta(hours=hours + 1),
    )


def sessions_shown(client, registration) -> str:
    html = client.get(registration.manage_path()).content.decode()
    return html[
        html.index('id="sessions-heading"') : html.index(
            "</section>", html.index('id="sessions-heading"')
        )
    ]


def test_the_seats_show_in_time_order_with_their_rooms(client, event):
    late, early = workshop(event, "Open data", 5), workshop(event, "Grant writing", 2)
    registration = register_attendee(event=event, attendee=UserFactory())
    take_seat(registration=registration, session=late)
    take_seat(registration=registration, session=early)

    shown = sessions_shown(client, registration)

    assert shown.index("Grant writing") < shown.index("Open data")
    assert early.room.name in shown and "Seat confirmed" in shown


def test_a_seat_left_is_not_shown(client, event):
    first, second = workshop(event, "Grant writing", 2), workshop(event, "Open data", 5)
    registration = register_attendee(event=event, attendee=UserFactory())
    take_seat(registration=registration, session=first)
    take_seat(registration=registration, session=second)
    sessions_shown(client, registration)

    leave_seat(registration=registration, session=first)

    shown = sessions_shown(client, registration)
    assert "Grant writing" not in shown and "Open data" in shown


def test_changes_to_a_seat_s_session_show_at_once(client, event):
    session = workshop(event, "Grant writing", 2)
    registration = register_attendee(event=event, attendee=UserFactory())
    take_seat(registration=registration, session=session)
    sessions_shown(client, registration)  # the event's facts are kept

    services.update_session(session=session, title="Writing grants")
    services.cancel_session(session=session)

    shown = sessions_shown(client, registration)
    assert "Writing grants" in shown and "Cancelled" in shown


def test_a_seat_in_a_session_that_no_longer_takes_seats_stays_shown(client, event):
    session = workshop(event, "Grant writing", 2)
    registration = register_attendee(event=event, attendee=UserFactory())
    take_seat(registration=registration, session=session)

    services.update_session(session=session, signup_required=False)

    assert "Grant writing" in sessions_shown(client, registration)
