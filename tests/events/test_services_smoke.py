from datetime import timedelta

import pytest

from events import services
from events.models import ScheduleChange, Session
from tests.factories import EventFactory, RoomFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_move_session_bumps_sequence_and_logs_change():
    event = EventFactory()
    session = SessionFactory(event=event)
    new_room = RoomFactory(venue=event.venue)
    version = event.schedule_version

    services.move_session(session=session, room=new_room)

    session.refresh_from_db()
    event.refresh_from_db()
    assert session.sequence == 1
    assert session.room == new_room
    assert event.schedule_version == version + 1
    change = ScheduleChange.objects.get(session=session)
    assert change.kind == ScheduleChange.Kind.MOVED
    assert set(change.changes) == {"room"}


def test_swap_two_sessions_is_one_valid_call():
    event = EventFactory()
    room = RoomFactory(venue=event.venue)
    a = SessionFactory(event=event, room=room)
    b = SessionFactory(
        event=event,
        room=room,
        starts_at=a.ends_at,
        ends_at=a.ends_at + timedelta(hours=1),
    )

    services.move_sessions(
        moves=[
            (a, {"starts_at": b.starts_at, "ends_at": b.ends_at}),
            (b, {"starts_at": a.starts_at, "ends_at": a.ends_at}),
        ]
    )

    a.refresh_from_db()
    b.refresh_from_db()
    assert a.starts_at > b.starts_at
    assert Session.objects.filter(event=event, sequence=1).count() == 2
