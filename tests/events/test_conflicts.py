"""Every conflict rule, through check_session (one session) and find_conflicts."""

from datetime import datetime, time, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.conflicts import check_session, conflicting_session_ids, find_conflicts
from events.models import Event, Session
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def kinds(conflicts) -> list[str]:
    return sorted(c.kind for c in conflicts)


def at(event, day: int, hour: int, minute: int = 0) -> datetime:
    """A local time on the event's `day` (0-based), as an aware datetime."""
    first = event.local_days()[0]
    return datetime.combine(
        first + timedelta(days=day), time(hour, minute), tzinfo=event.tzinfo
    )


@pytest.fixture
def event():
    return EventFactory(title="Spring Forum", timezone="Europe/Helsinki")


@pytest.fixture
def room(event):
    return RoomFactory(venue=event.venue, name="Hall A")


def slot(event, room, day=0, hour=10, hours=1, **extra):
    return SessionFactory(
        event=event,
        room=room,
        starts_at=at(event, day, hour),
        ends_at=at(event, day, hour) + timedelta(hours=hours),
        **extra,
    )


def test_room_double_booking_is_a_conflict(event, room):
    first = slot(event, room, title="Opening")
    second = Session(
        event=event,
        room=room,
        title="Clash",
        starts_at=first.starts_at + timedelta(minutes=30),
        ends_at=first.ends_at + timedelta(minutes=30),
    )

    conflicts = check_session(second, speaker_ids=[])

    assert kinds(conflicts) == ["room"]
    local = first.starts_at.astimezone(event.tzinfo)
    expected_time = local.strftime("%a %-d %b, %H:%M")
    assert conflicts[0].message == (
        f"Hall A is already booked for “Opening” at {expected_time}."
    )


def test_room_double_booking_across_events_sharing_the_room(event, room):
    other_event = EventFactory(
        title="Nordic Five",
        venue=event.venue,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
    )
    theirs = slot(other_event, room, title="Presidents' meeting")
    ours = slot(event, room, title="Workshop")

    assert kinds(check_session(ours)) == ["room"]
    assert "of Nordic Five" in check_session(ours)[0].message
    found = find_conflicts(event)
    assert [(c.kind, c.session_ids) for c in found] == [("room", (ours.pk, theirs.pk))]
    assert conflicting_session_ids(event) == {ours.pk, theirs.pk}


def test_sessions_of_a_cancelled_event_free_their_rooms(event, room):
    other_event = EventFactory(
        venue=event.venue,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        status=Event.Status.CANCELLED,
    )
    slot(other_event, room)
    ours = slot(event, room)

    assert check_session(ours) == []
    assert find_conflicts(event) == []


def test_speaker_double_booking_is_a_conflict(event):
    speaker = SpeakerFactory(event=event, name="Aino Virtanen")
    talk = slot(event, RoomFactory(venue=event.venue), title="Keynote")
    talk.speakers.add(speaker)
    panel = slot(event, RoomFactory(venue=event.venue), title="Panel")

    conflicts = check_session(panel, speaker_ids=[speaker.pk])

    assert kinds(conflicts) == ["speaker"]
    assert conflicts[0].message.startswith(
        "Aino Virtanen also speak(s) in “Keynote” at "
    )
    panel.speakers.add(speaker)
    assert kinds(find_conflicts(event)) == ["speaker"]


def test_sessions_without_rooms_do_not_clash_on_rooms(event):
    a = slot(event, None)
    slot(event, None)

    assert check_session(a) == []
    assert find_conflicts(event) == []


def test_session_outside_the_events_days_is_a_conflict(event, room):
    before = slot(event, room, day=-1, hour=18, title="Pre-dinner")
    last_day = len(event.local_days()) - 1
    after = slot(event, room, day=last_day + 1, hour=9, title="Excursion")

    assert kinds(check_session(before)) == ["outside_event"]
    assert kinds(check_session(after)) == ["outside_event"]
    assert check_session(before)[0].message.startswith(
        "“Pre-dinner” ("
    ) and check_session(before)[0].message.endswith("is outside the event's days.")
    assert kinds(find_conflicts(event)) == ["outside_event", "outside_event"]


def test_evening_of_the_last_day_is_within_the_events_days(event, room):
    last_day = len(event.local_days()) - 1
    dinner = slot(event, room, day=last_day, hour=20, hours=3)  # until 23:00 local

    assert event.ends_at < dinner.starts_at
    assert check_session(dinner) == []


def test_cancelled_sessions_do_not_conflict(event, room):
    first = slot(event, room)
    second = slot(event, room, status=Session.Status.CANCELLED)

    assert check_session(second) == []
    assert check_session(first) == []
    assert find_conflicts(event) == []


def test_touching_slots_do_not_conflict(event, room):
    speaker = SpeakerFactory(event=event)
    first = slot(event, room, hour=10)
    second = slot(event, room, hour=11)
    first.speakers.add(speaker)
    second.speakers.add(speaker)

    assert first.ends_at == second.starts_at
    assert check_session(second) == []
    assert find_conflicts(event) == []


def test_pending_moves_are_checked_against_each_other(event, room):
    a = slot(event, room, hour=10)
    b = slot(event, RoomFactory(venue=event.venue), hour=12)
    b.room = room
    b.starts_at, b.ends_at = a.starts_at, a.ends_at
    a._pending_speaker_ids = b._pending_speaker_ids = []

    conflicts = check_session(b, speaker_ids=[], exclude_ids={a.pk}, pending=[a, b])

    assert kinds(conflicts) == ["room"]


def test_find_conflicts_reports_each_pair_once(event, room):
    a = slot(event, room, hour=10)
    b = slot(event, room, hour=10)
    c = slot(event, VenueFactory().rooms.create(name="Elsewhere"), hour=10)

    found = find_conflicts(event)

    assert [(x.kind, set(x.session_ids)) for x in found] == [("room", {a.pk, b.pk})]
    assert c.pk not in conflicting_session_ids(event)


def test_find_conflicts_of_a_cancelled_event_is_empty(event, room):
    slot(event, room)
    slot(event, room)
    event.status = Event.Status.CANCELLED

    assert find_conflicts(event) == []


def test_find_conflicts_query_count(event, room, django_assert_num_queries):
    for hour in range(9, 15):
        slot(event, room, hour=hour)

    with django_assert_num_queries(3):  # sessions, their speakers, shared rooms
        assert find_conflicts(event) == []


def test_a_room_taken_across_midnight_clashes_on_either_day(event, room):
    late = slot(event, room, day=0, hour=23, hours=2, title="Night session")
    after = Session(
        event=event,
        room=room,
        title="Early",
        starts_at=at(event, 1, 0, 30),
        ends_at=at(event, 1, 1, 30),
    )
    before = Session(
        event=event,
        room=room,
        title="Late",
        starts_at=at(event, 0, 22, 30),
        ends_at=at(event, 0, 23, 5),
    )

    for moved in (after, before):
        conflicts = check_session(moved, speaker_ids=[])
        assert [(c.kind, c.session_ids[1]) for c in conflicts] == [("room", late.pk)]


def test_a_session_over_the_edge_of_the_new_time_clashes(event, room):
    # starts before the new time and ends five minutes into it
    edge = slot(event, room, hour=9, hours=1)
    edge.ends_at += timedelta(minutes=5)
    edge.save()
    moved = Session(
        event=event, room=room, title="Next", starts_at=at(event, 0, 10),
        ends_at=at(event, 0, 11),
    )  # fmt: skip

    assert kinds(check_session(moved, speaker_ids=[])) == ["room"]


def test_the_room_and_a_speaker_taken_by_two_other_sessions_are_both_told(event, room):
    speaker = SpeakerFactory(event=event, name="Aino")
    in_the_room = slot(event, room, title="Same room")
    elsewhere = slot(event, RoomFactory(venue=event.venue), title="Other room")
    elsewhere.speakers.add(speaker)
    moved = slot(event, RoomFactory(venue=event.venue), hour=14, title="Moved")
    moved.starts_at, moved.ends_at, moved.room = (
        in_the_room.starts_at,
        in_the_room.ends_at,
        room,
    )

    conflicts = check_session(moved, speaker_ids=[speaker.pk])

    assert sorted((c.kind, c.session_ids[1]) for c in conflicts) == [
        ("room", in_the_room.pk),
        ("speaker", elsewhere.pk),
    ]


def test_a_free_place_costs_one_query(event, room, django_assert_num_queries):
    speaker = SpeakerFactory(event=event)
    for hour in range(9, 15):
        slot(event, RoomFactory(venue=event.venue), hour=hour).speakers.add(
            SpeakerFactory(event=event)
        )
    moved = slot(event, room, hour=16)
    moved.starts_at = at(event, 0, 12)

    with django_assert_num_queries(1):
        assert check_session(moved, speaker_ids=[speaker.pk]) == []


slots = st.lists(
    st.tuples(
        st.integers(0, 16),  # start, in half hours from 08:00
        st.integers(1, 4),  # length, in half hours
        st.sampled_from([0, 1, 2, None]),  # room
        st.sets(st.integers(0, 2), max_size=2),  # speakers
        st.booleans(),  # cancelled
    ),
    max_size=7,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=slots)
def test_find_conflicts_matches_a_pairwise_check(event, rows):
    with transaction.atomic():
        rooms = [RoomFactory(venue=event.venue) for _ in range(3)]
        speakers = [SpeakerFactory(event=event) for _ in range(3)]
        made = []
        for start, length, room, who, cancelled in rows:
            begin = at(event, 0, 8) + timedelta(minutes=30 * start)
            session = SessionFactory(
                event=event,
                starts_at=begin,
                ends_at=begin + timedelta(minutes=30 * length),
                room=None if room is None else rooms[room],
                status=Session.Status.CANCELLED if cancelled else "scheduled",
            )
            session.speakers.set([speakers[i] for i in who])
            made.append((session, {speakers[i].pk for i in who}))

        expected = set()
        for i, (a, a_speakers) in enumerate(made):
            for b, b_speakers in made[i + 1 :]:
                live = not (a.is_cancelled or b.is_cancelled)
                if not (live and a.overlaps(b)):
                    continue
                if a.room_id and a.room_id == b.room_id:
                    expected.add(("room", frozenset({a.pk, b.pk})))
                if a_speakers & b_speakers:
                    expected.add(("speaker", frozenset({a.pk, b.pk})))

        found = [(c.kind, frozenset(c.session_ids)) for c in find_conflicts(event)]
        assert sorted(found, key=str) == sorted(expected, key=str)
        for session, who in made:
            own = {
                (c.kind, frozenset(c.session_ids))
                for c in check_session(session, speaker_ids=sorted(who))
            }
            assert own == {pair for pair in expected if session.pk in pair[1]}
        transaction.set_rollback(True)
