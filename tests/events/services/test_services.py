"""events.services: sequence, change log, schedule version, signal, refusals."""

import threading
import time
from datetime import UTC, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from events import services
from events.models import Event, EventOrganiser, ScheduleChange, Session
from events.signals import schedule_changed
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """Every schedule_changed call, as (event id, [change ids])."""
    calls = []

    def receiver(sender, event, changes, **kwargs):
        calls.append((event.pk, [c.pk for c in changes]))

    schedule_changed.connect(receiver)
    yield calls
    schedule_changed.disconnect(receiver)


@pytest.fixture
def event():
    return EventFactory()


@pytest.fixture
def room(event):
    return RoomFactory(venue=event.venue, name="Hall A")


@pytest.fixture
def organiser():
    return UserFactory(is_staff=True)


def state(event: Event) -> tuple[int, object]:
    event.refresh_from_db()
    return event.schedule_version, event.schedule_changed_at


def iso(moment) -> str:
    return moment.astimezone(UTC).isoformat()


def test_create_session_logs_once_and_bumps_the_version(event, room, organiser, sent):
    speaker = SpeakerFactory(event=event, name="Aino")
    version = event.schedule_version

    session = services.create_session(
        event=event,
        actor=organiser,
        speakers=[speaker],
        title="Opening",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=1),
        room=room,
    )

    change = ScheduleChange.objects.get()
    assert (change.kind, change.session, change.actor) == (
        ScheduleChange.Kind.CREATED,
        session,
        organiser,
    )
    assert change.snapshot == {
        "uuid": str(session.uuid),
        "title": "Opening",
        "starts_at": iso(session.starts_at),
        "ends_at": iso(session.ends_at),
        "room": "Hall A",
        "status": "scheduled",
        "sequence": 0,
    }
    assert list(session.speakers.all()) == [speaker]
    assert state(event) == (version + 1, change.created_at)
    assert sent == [(event.pk, [change.pk])]


def test_moving_raises_sequence_and_logs_old_and_new(event, room, organiser, sent):
    session = SessionFactory(event=event, room=room)
    old_start, old_end = session.starts_at, session.ends_at
    new_room = RoomFactory(venue=event.venue, name="Hall B")
    version = event.schedule_version

    services.move_session(
        session=session,
        starts_at=old_start + timedelta(hours=2),
        ends_at=old_end + timedelta(hours=2),
        room=new_room,
        actor=organiser,
    )

    session.refresh_from_db()
    change = ScheduleChange.objects.get()
    assert session.sequence == 1
    assert change.kind == ScheduleChange.Kind.MOVED
    assert change.actor == organiser
    assert change.changes == {
        "starts_at": [iso(old_start), iso(old_start + timedelta(hours=2))],
        "ends_at": [iso(old_end), iso(old_end + timedelta(hours=2))],
        "room": ["Hall A", "Hall B"],
    }
    assert change.snapshot["sequence"] == 1
    assert session.changed_at == change.created_at
    assert state(event) == (version + 1, change.created_at)
    assert sent == [(event.pk, [change.pk])]


def test_title_change_is_logged_without_raising_sequence(event, sent):
    session = SessionFactory(event=event, title="Old")
    version = event.schedule_version

    services.update_session(session=session, title="New")

    change = ScheduleChange.objects.get()
    assert (session.sequence, session.title) == (0, "New")
    assert (change.kind, change.changes) == (
        ScheduleChange.Kind.CHANGED,
        {"title": ["Old", "New"]},
    )
    assert change.actor is None
    assert state(event)[0] == version + 1
    assert len(sent) == 1


def test_speaker_change_is_logged_by_name(event):
    session = SessionFactory(event=event)
    aino, bo = (
        SpeakerFactory(event=event, name="Aino"),
        SpeakerFactory(event=event, name="Bo"),
    )
    session.speakers.add(aino)

    services.update_session(session=session, speakers=[bo, aino])

    change = ScheduleChange.objects.get()
    assert change.changes == {"speakers": ["Aino", "Aino, Bo"]}
    assert session.sequence == 0
    assert sorted(s.name for s in session.speakers.all()) == ["Aino", "Bo"]


def test_cancel_and_restore_raise_sequence_each_time(event, organiser, sent):
    session = SessionFactory(event=event)
    version = event.schedule_version

    services.cancel_session(session=session, actor=organiser)
    assert (session.status, session.sequence) == (Session.Status.CANCELLED, 1)
    services.restore_session(session=session, actor=organiser)

    assert (session.status, session.sequence) == (Session.Status.SCHEDULED, 2)
    changes = list(ScheduleChange.objects.all())
    assert [(c.kind, c.changes) for c in changes] == [
        (ScheduleChange.Kind.CANCELLED, {"status": ["scheduled", "cancelled"]}),
        (ScheduleChange.Kind.RESTORED, {"status": ["cancelled", "scheduled"]}),
    ]
    assert state(event)[0] == version + 2
    assert sent == [(event.pk, [changes[0].pk]), (event.pk, [changes[1].pk])]


def test_a_no_op_writes_nothing(event, sent):
    session = SessionFactory(event=event)
    version = event.schedule_version

    services.update_session(session=session, title=session.title)

    assert ScheduleChange.objects.count() == 0
    assert state(event)[0] == version
    assert sent == []


def test_conflict_is_refused_and_changes_nothing(event, room, sent):
    taken = SessionFactory(event=event, room=room, title="Keynote")
    own_room = RoomFactory(venue=event.venue)
    session = SessionFactory(event=event, room=own_room, starts_at=taken.starts_at)
    before = state(event)

    with pytest.raises(services.ScheduleError) as refused:
        services.move_session(session=session, room=room)

    assert str(refused.value).startswith("Hall A is already booked for “Keynote” at ")
    assert [c.kind for c in refused.value.conflicts] == ["room"]
    session.refresh_from_db()
    assert (session.room, session.sequence) == (own_room, 0)
    assert ScheduleChange.objects.count() == 0
    assert state(event) == before
    assert sent == []


def test_create_session_refuses_a_booked_speaker(event):
    speaker = SpeakerFactory(event=event, name="Aino")
    taken = SessionFactory(event=event, title="Keynote")
    taken.speakers.add(speaker)

    with pytest.raises(services.ScheduleError) as refused:
        services.create_session(
            event=event,
            speakers=[speaker],
            title="Panel",
            starts_at=taken.starts_at,
            ends_at=taken.ends_at,
        )

    assert str(refused.value).startswith("Aino also speak(s) in “Keynote” at ")
    assert Session.objects.count() == 1


def test_speakers_of_another_event_are_refused(event):
    with pytest.raises(services.ScheduleError) as refused:
        services.create_session(
            event=event,
            speakers=[SpeakerFactory()],
            title="Panel",
            starts_at=event.starts_at,
            ends_at=event.starts_at + timedelta(hours=1),
        )

    assert str(refused.value) == "Speakers must belong to the session's event."


def test_invalid_fields_raise_validation_error_and_change_nothing(event):
    session = SessionFactory(event=event)

    with pytest.raises(ValidationError) as refused:
        services.move_session(session=session, ends_at=session.starts_at)

    assert refused.value.message_dict == {
        "ends_at": ["The session must end after it starts."]
    }
    assert ScheduleChange.objects.count() == 0


def test_restore_is_refused_when_the_slot_was_taken(event, room):
    session = SessionFactory(event=event, room=room, status=Session.Status.CANCELLED)
    SessionFactory(event=event, room=room, title="Newcomer")

    with pytest.raises(services.ScheduleError):
        services.restore_session(session=session)

    session.refresh_from_db()
    assert (session.status, session.sequence) == (Session.Status.CANCELLED, 0)


def test_an_older_clash_does_not_block_a_title_fix_or_a_cancel(event, room):
    a = SessionFactory(event=event, room=room)
    b = SessionFactory(event=event, room=room)  # stored clash (e.g. an import)

    services.update_session(session=b, title="Renamed")
    services.cancel_session(session=a)

    assert (b.title, a.status) == ("Renamed", Session.Status.CANCELLED)


def test_swap_as_one_call_works_where_two_moves_conflict(event, room, sent):
    a = SessionFactory(event=event, room=room, title="A")
    b = SessionFactory(
        event=event,
        room=room,
        title="B",
        starts_at=a.ends_at,
        ends_at=a.ends_at + timedelta(hours=1),
    )
    a_slot, b_slot = (a.starts_at, a.ends_at), (b.starts_at, b.ends_at)

    with pytest.raises(services.ScheduleError):
        services.move_session(session=a, starts_at=b_slot[0], ends_at=b_slot[1])
    services.move_sessions(
        moves=[
            (a, {"starts_at": b_slot[0], "ends_at": b_slot[1]}),
            (b, {"starts_at": a_slot[0], "ends_at": a_slot[1]}),
        ]
    )

    assert ((a.starts_at, a.ends_at), (b.starts_at, b.ends_at)) == (b_slot, a_slot)
    assert (a.sequence, b.sequence) == (1, 1)
    changes = list(ScheduleChange.objects.order_by("pk"))
    assert [c.kind for c in changes] == [ScheduleChange.Kind.MOVED] * 2
    assert sent == [(event.pk, [c.pk for c in changes])]


def test_moves_in_one_call_are_checked_against_each_other(event, room):
    a = SessionFactory(event=event, room=room)
    b = SessionFactory(event=event, room=RoomFactory(venue=event.venue))

    with pytest.raises(services.ScheduleError):
        services.move_sessions(moves=[(a, {"title": "x"}), (b, {"room": room})])

    assert ScheduleChange.objects.count() == 0


def test_move_sessions_across_events_is_refused(event):
    a = SessionFactory(event=event)
    b = SessionFactory()

    with pytest.raises(services.ScheduleError) as refused:
        services.move_sessions(moves=[(a, {"title": "x"}), (b, {"title": "y"})])

    assert str(refused.value) == "Sessions moved together must belong to one event."
    assert ScheduleChange.objects.count() == 0


def test_create_event_makes_the_actor_its_owner(organiser):
    event = services.create_event(
        actor=organiser,
        slug="spring-forum",
        title="Spring Forum",
        starts_at=EventFactory.build().starts_at,
        ends_at=EventFactory.build().ends_at,
    )

    assert list(event.organisers.values_list("user", "role")) == [
        (organiser.pk, EventOrganiser.Role.OWNER)
    ]


def test_slug_is_fixed_once_published(organiser):
    draft = EventFactory(status=Event.Status.DRAFT, slug="draft")
    published = EventFactory(slug="published")

    services.update_event(event=draft, slug="renamed", actor=organiser)
    with pytest.raises(services.ScheduleError) as refused:
        services.update_event(event=published, slug="renamed-too")

    assert draft.slug == "renamed"
    assert str(refused.value) == "The address of a published event cannot change."
    published.refresh_from_db()
    assert published.slug == "published"


def test_event_title_change_is_logged_without_sequence(event, organiser, sent):
    version = event.schedule_version

    services.update_event(event=event, title="Spring Forum 2027", actor=organiser)

    change = ScheduleChange.objects.get()
    assert (change.kind, change.session, change.actor) == (
        ScheduleChange.Kind.EVENT_CHANGED,
        None,
        organiser,
    )
    assert change.snapshot == {"title": "Spring Forum 2027"}
    assert (event.sequence, event.schedule_version) == (0, version + 1)
    assert sent == [(event.pk, [change.pk])]


def test_event_time_change_raises_sequence_and_cancel_is_logged(event):
    services.update_event(event=event, ends_at=event.ends_at + timedelta(hours=1))
    services.cancel_event(event=event)

    assert event.sequence == 2
    assert [c.kind for c in ScheduleChange.objects.all()] == [
        ScheduleChange.Kind.EVENT_CHANGED,
        ScheduleChange.Kind.EVENT_CANCELLED,
    ]


def test_event_settings_change_is_not_a_schedule_change(event, sent):
    version = event.schedule_version

    services.update_event(event=event, reminder_hours_before=2)

    assert (event.reminder_hours_before, event.schedule_version) == (2, version)
    assert ScheduleChange.objects.count() == 0
    assert sent == []


def test_event_dates_that_strand_sessions_are_refused(event):
    last = SessionFactory(
        event=event, starts_at=event.ends_at - timedelta(hours=2), title="Closing"
    )

    with pytest.raises(services.ScheduleError) as refused:
        services.update_event(
            event=event,
            starts_at=event.starts_at - timedelta(days=3),
            ends_at=event.ends_at - timedelta(days=3),
        )

    assert str(refused.value).startswith("Move or cancel these sessions first: ")
    assert "“Closing”" in str(refused.value)
    event.refresh_from_db()
    assert event.sequence == 0
    assert last.pk in [c.session_ids[0] for c in refused.value.conflicts]


def test_room_edit_bumps_every_event_using_it(event, room):
    other = EventFactory(venue=event.venue)
    unrelated = EventFactory()
    ours, theirs = (
        SessionFactory(event=event, room=room),
        SessionFactory(event=other, room=room),
    )
    versions = [e.schedule_version for e in (event, other, unrelated)]

    services.save_room(room=room, name="Hall A (renamed)")

    for e in (event, other, unrelated):
        e.refresh_from_db()
    assert [e.schedule_version for e in (event, other, unrelated)] == [
        versions[0] + 1,
        versions[1] + 1,
        versions[2],
    ]
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.changed_at == theirs.changed_at == event.schedule_changed_at


def test_venue_edit_bumps_events_held_there_and_in_its_rooms(event):
    visiting = EventFactory(venue=VenueFactory())
    SessionFactory(event=visiting, room=RoomFactory(venue=event.venue))
    unrelated = EventFactory()

    services.save_venue(venue=event.venue, address="Otakaari 24")

    for e in (event, visiting, unrelated):
        e.refresh_from_db()
    assert [e.schedule_version for e in (event, visiting, unrelated)] == [2, 2, 1]


def test_track_and_speaker_edits_bump_their_event(event):
    track = TrackFactory(event=event)
    speaker = SpeakerFactory(event=event)
    with_speaker = SessionFactory(event=event)
    with_speaker.speakers.add(speaker)
    without = SessionFactory(event=event)
    untouched_at = without.changed_at

    services.save_track(track=track, name="Policy")
    services.save_speaker(speaker=speaker, affiliation="KTH")

    event.refresh_from_db()
    with_speaker.refresh_from_db()
    without.refresh_from_db()
    assert event.schedule_version == 3
    assert with_speaker.changed_at == event.schedule_changed_at
    assert without.changed_at == untouched_at


def test_delete_track_keeps_its_sessions(event):
    track = TrackFactory(event=event)
    session = SessionFactory(event=event, track=track)

    services.delete_track(track=track)

    session.refresh_from_db()
    event.refresh_from_db()
    assert (session.track, event.schedule_version) == (None, 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_bookings_of_one_room_by_two_events_queue_on_the_room():
    room = RoomFactory(name="Hall A")
    a = EventFactory(title="Spring Forum", venue=room.venue)
    b = EventFactory(title="Nordic Five", venue=room.venue)
    slot = {"starts_at": a.starts_at, "ends_at": a.starts_at + timedelta(hours=1)}
    booked, release, results = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():  # holds the room until released
                services.create_session(event=a, title="First", room=room, **slot)
                booked.set()
                release.wait(5)
            results["first"] = "booked"
        finally:
            connection.close()

    def second():
        booked.wait(5)
        try:
            services.create_session(event=b, title="Second", room=room, **slot)
            results["second"] = "booked"
        except services.ScheduleError as error:
            results["second"] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    booked.wait(5)
    time.sleep(0.3)  # the second is now waiting for the room's lock
    release.set()
    for thread in threads:
        thread.join(10)

    assert results["first"] == "booked"
    assert results["second"].startswith(
        "Hall A is already booked for “First” of Spring Forum at "
    )
    assert list(Session.objects.values_list("title", flat=True)) == ["First"]
