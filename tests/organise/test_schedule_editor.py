"""The timetable editor: the day view, the checks (hard rules refuse, soft rules
warn), stale changes, undo, drafts and who is told."""

import pytest
from django.test import override_settings
from django.urls import reverse

from events import services as schedule
from events.models import ScheduleChange, ScheduleDraft, Session
from notifications.models import Message
from notifications.services.digests import send_digest
from registrations.models import SessionSeat
from tests.factories import (
    BookmarkFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSeatFactory,
    SpeakerFactory,
    UserFactory,
    VenueFactory,
)

from .conftest import helsinki

pytestmark = pytest.mark.django_db


def url(name, event, *args):
    return reverse(f"organise:{name}", args=[event.slug, *args])


@pytest.fixture
def rooms(forum, kaleva):
    return kaleva, RoomFactory(venue=forum.venue, name="Lumituuli", capacity=2)


@pytest.fixture
def talk(forum, rooms):
    return SessionFactory(
        event=forum,
        title="Opening",
        room=rooms[0],
        starts_at=helsinki(2030, 5, 6, 10, 0),
        ends_at=helsinki(2030, 5, 6, 11, 0),
    )


def place(client, event, session, start, end, room, reason="", edit=None):
    return client.post(
        url("schedule_move", event, session.pk),
        {
            "starts_at": start,
            "ends_at": end,
            "room": room.pk if room else "",
            "edit_count": session.edit_count if edit is None else edit,
            "reason": reason,
        },
    )


def check(client, event, session, start, end, room):
    return client.post(
        url("schedule_check", event, session.pk),
        {
            "starts_at": start,
            "ends_at": end,
            "room": room.pk if room else "",
            "edit_count": session.edit_count,
        },
    ).json()


def test_the_day_view_shows_each_session_as_a_block(owner_client, forum, talk):
    response = owner_client.get(url("schedule", forum) + "?day=2030-05-06")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="block-{talk.pk}"' in html
    assert "Opening" in html and "Kaleva" in html


def test_a_free_place_is_allowed_and_the_move_saved(owner_client, forum, talk, rooms):
    answer = check(
        owner_client, forum, talk, "2030-05-06T12:00", "2030-05-06T13:00", rooms[1]
    )
    assert answer == {"allowed": True, "hard": [], "soft": []}
    response = place(
        owner_client, forum, talk, "2030-05-06T12:00", "2030-05-06T13:00", rooms[1]
    )
    assert response.status_code == 200
    talk.refresh_from_db()
    assert (talk.starts_at, talk.room) == (helsinki(2030, 5, 6, 12, 0), rooms[1])
    assert (talk.sequence, talk.edit_count) == (1, 1)


def test_a_taken_room_refuses_the_move_with_its_reason(
    owner_client, forum, talk, rooms
):
    other = SessionFactory(
        event=forum,
        title="Busy",
        room=rooms[1],
        starts_at=helsinki(2030, 5, 6, 12, 0),
        ends_at=helsinki(2030, 5, 6, 13, 0),
    )
    answer = check(
        owner_client, forum, talk, "2030-05-06T12:30", "2030-05-06T13:30", rooms[1]
    )
    assert answer["allowed"] is False
    assert "Lumituuli is already booked for “Busy”" in answer["hard"][0]
    response = place(
        owner_client,
        forum,
        talk,
        "2030-05-06T12:30",
        "2030-05-06T13:30",
        rooms[1],
        reason="anyway",
    )
    assert response.status_code == 422
    talk.refresh_from_db()
    assert talk.room == rooms[0] and other.room == rooms[1]


def test_a_time_outside_the_event_days_is_refused(owner_client, forum, talk, rooms):
    answer = check(
        owner_client, forum, talk, "2030-05-09T10:00", "2030-05-09T11:00", rooms[0]
    )
    assert answer["allowed"] is False
    assert "outside the event's days" in answer["hard"][0]


def test_a_speaker_elsewhere_warns_and_a_reason_lets_it_through(
    owner_client, forum, talk, rooms
):
    speaker = SpeakerFactory(event=forum, name="Aino")
    talk.speakers.add(speaker)
    other = SessionFactory(
        event=forum,
        title="Panel",
        room=rooms[1],
        starts_at=helsinki(2030, 5, 6, 14, 0),
        ends_at=helsinki(2030, 5, 6, 15, 0),
    )
    other.speakers.add(speaker)
    args = ("2030-05-06T14:00", "2030-05-06T15:00", rooms[0])
    answer = check(owner_client, forum, talk, *args)
    assert answer["allowed"] is True
    assert "Aino also speak(s) in “Panel”" in answer["soft"][0]
    assert place(owner_client, forum, talk, *args).status_code == 422
    assert (
        place(owner_client, forum, talk, *args, reason="Aino agreed").status_code == 200
    )
    change = ScheduleChange.objects.filter(session=talk).latest("pk")
    assert change.reason == "Aino agreed"


def test_a_room_smaller_than_the_seats_taken_warns(owner_client, forum, talk, rooms):
    for _ in range(3):
        SessionSeatFactory(session=talk, registration=RegistrationFactory(event=forum))
    answer = check(
        owner_client, forum, talk, "2030-05-06T12:00", "2030-05-06T13:00", rooms[1]
    )
    assert answer["allowed"] is True
    assert answer["soft"] == ["Lumituuli seats 2, but 3 seats are taken."]


def test_seat_holders_in_another_session_at_the_new_time_warn_with_a_count(
    owner_client, forum, talk, rooms
):
    later = SessionFactory(
        event=forum,
        room=rooms[1],
        starts_at=helsinki(2030, 5, 6, 14, 0),
        ends_at=helsinki(2030, 5, 6, 15, 0),
    )
    for _ in range(2):
        registration = RegistrationFactory(event=forum)
        SessionSeatFactory(session=talk, registration=registration)
        SessionSeatFactory(session=later, registration=registration)
    answer = check(
        owner_client, forum, talk, "2030-05-06T14:00", "2030-05-06T15:00", rooms[0]
    )
    assert answer["soft"] == [
        "2 people holding seats here hold seats in another session at the new time."
    ]


def test_a_change_of_building_with_under_ten_minutes_warns(
    owner_client, forum, talk, rooms
):
    speaker = SpeakerFactory(event=forum, name="Aino")
    talk.speakers.add(speaker)
    far = RoomFactory(venue=VenueFactory(name="Otaniemi Hall"), name="Far")
    other = SessionFactory(
        event=forum,
        title="Elsewhere",
        room=far,
        starts_at=helsinki(2030, 5, 6, 13, 0),
        ends_at=helsinki(2030, 5, 6, 14, 0),
    )
    other.speakers.add(speaker)
    answer = check(
        owner_client, forum, talk, "2030-05-06T14:05", "2030-05-06T15:00", rooms[0]
    )
    assert answer["allowed"] is True
    assert "with under 10 minutes between" in answer["soft"][0]


def test_a_stale_change_is_409_and_writes_nothing(owner_client, forum, talk, rooms):
    colleague = UserFactory(name="Maija Meikäläinen")
    schedule.move_session(
        session=talk,
        starts_at=helsinki(2030, 5, 6, 9, 0),
        ends_at=helsinki(2030, 5, 6, 10, 0),
        actor=colleague,
    )
    changes = ScheduleChange.objects.count()
    response = place(
        owner_client,
        forum,
        talk,
        "2030-05-06T15:00",
        "2030-05-06T16:00",
        rooms[1],
        edit=0,
    )
    assert response.status_code == 409
    assert "Maija Meikäläinen" in response.json()["message"]
    talk.refresh_from_db()
    assert talk.starts_at == helsinki(2030, 5, 6, 9, 0) and talk.room == rooms[0]
    assert ScheduleChange.objects.count() == changes


def test_undo_restores_the_earlier_place_with_its_own_log_entry(
    owner_client, forum, talk, rooms
):
    place(owner_client, forum, talk, "2030-05-06T12:00", "2030-05-06T13:00", rooms[1])
    response = owner_client.post(url("schedule_undo", forum))
    assert response.status_code == 302
    talk.refresh_from_db()
    assert (talk.starts_at, talk.room) == (helsinki(2030, 5, 6, 10, 0), rooms[0])
    assert talk.sequence == 2
    undo = ScheduleChange.objects.filter(session=talk).latest("pk")
    assert undo.undoes is not None and undo.kind == ScheduleChange.Kind.MOVED
    owner_client.post(url("schedule_undo", forum))  # nothing left to undo
    talk.refresh_from_db()
    assert talk.sequence == 2


def test_the_plain_form_moves_a_session_without_javascript(
    owner_client, forum, talk, rooms
):
    page = owner_client.get(url("schedule_session", forum, talk.pk))
    assert page.status_code == 200
    response = owner_client.post(
        url("schedule_session", forum, talk.pk),
        {
            "starts_at": "2030-05-07T09:00",
            "ends_at": "2030-05-07T10:00",
            "room": rooms[1].pk,
            "edit_count": 0,
        },
    )
    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.starts_at == helsinki(2030, 5, 7, 9, 0)


def test_a_published_draft_is_one_change_told_once(owner_client, forum, talk, rooms):
    second = SessionFactory(
        event=forum,
        title="Second",
        room=rooms[1],
        starts_at=helsinki(2030, 5, 6, 12, 0),
        ends_at=helsinki(2030, 5, 6, 13, 0),
    )
    person = UserFactory()
    registration = RegistrationFactory(event=forum, attendee=person)
    SessionSeatFactory(
        session=talk, registration=registration, status=SessionSeat.Status.CONFIRMED
    )
    BookmarkFactory(session=second, user=person)
    owner_client.post(url("schedule_draft", forum), {"action": "start"})
    version = type(forum).objects.get(pk=forum.pk).schedule_version
    place(owner_client, forum, talk, "2030-05-07T10:00", "2030-05-07T11:00", rooms[0])
    place(owner_client, forum, second, "2030-05-07T12:00", "2030-05-07T13:00", rooms[0])
    talk.refresh_from_db()
    second.refresh_from_db()
    assert talk.starts_at == helsinki(2030, 5, 6, 10, 0)  # nothing public yet
    assert (talk.sequence, second.sequence) == (0, 0)
    diff = owner_client.get(url("schedule_draft", forum)).content.decode()
    assert "Opening" in diff and "Second" in diff
    owner_client.post(url("schedule_draft", forum), {"action": "publish"})
    talk.refresh_from_db()
    second.refresh_from_db()
    assert talk.starts_at == helsinki(2030, 5, 7, 10, 0)
    assert (talk.sequence, second.sequence) == (1, 1)
    assert type(forum).objects.get(pk=forum.pk).schedule_version == version + 1
    assert ScheduleDraft.objects.get().outcome == ScheduleDraft.Outcome.PUBLISHED
    send_digest(event_id=forum.pk)
    digests = Message.objects.filter(kind="schedule_digest")
    assert list(digests.values_list("to_email", flat=True)) == [person.email]


def test_publishing_over_an_outside_change_is_409(owner_client, forum, talk, rooms):
    owner_client.post(url("schedule_draft", forum), {"action": "start"})
    place(owner_client, forum, talk, "2030-05-07T10:00", "2030-05-07T11:00", rooms[0])
    schedule.update_session(session=talk, title="Opening words")
    response = owner_client.post(url("schedule_draft", forum), {"action": "publish"})
    assert response.status_code == 409
    assert "Opening words" in response.content.decode()
    talk.refresh_from_db()
    assert talk.starts_at == helsinki(2030, 5, 6, 10, 0)


def test_a_correction_is_told_to_nobody(owner_client, forum, talk, rooms):
    registration = RegistrationFactory(event=forum)
    SessionSeatFactory(session=talk, registration=registration)
    place(owner_client, forum, talk, "2030-05-06T12:00", "2030-05-06T13:00", rooms[0])
    change = ScheduleChange.objects.filter(session=talk).latest("pk")
    owner_client.post(
        url("schedule_told", forum), {"action": "correction", "change": change.pk}
    )
    assert send_digest(event_id=forum.pk) == 0
    assert Session.objects.get(pk=talk.pk).sequence == 1  # the feeds still update


def test_check_in_staff_may_not_move_sessions(client, forum, talk, rooms):
    from .conftest import Role, signed_in

    door = signed_in(client, forum, Role.CHECKIN)
    response = place(
        door, forum, talk, "2030-05-06T12:00", "2030-05-06T13:00", rooms[1]
    )
    assert response.status_code == 403
    talk.refresh_from_db()
    assert talk.edit_count == 0


@override_settings(DEBUG=True)
def test_the_editor_shows_the_demo_forums_days(client):
    import io

    from django.core.management import call_command

    from events.models import Event
    from meetings.management.commands.load_demo import ORGANISER_EMAIL
    from tests.conftest import MfaVerifiedClient

    call_command("load_demo", stdout=io.StringIO())
    forum = Event.objects.get(slug="spring-forum")
    organiser = MfaVerifiedClient()
    organiser.force_login(
        type(forum.organisers.first().user).objects.get(email=ORGANISER_EMAIL)
    )
    days = forum.local_days()
    for day in days:
        response = organiser.get(url("schedule", forum) + f"?day={day}")
        view = response.context["view"]
        placed = Session.objects.filter(event=forum).count()
        assert view.day == day and view.days == days
        assert 'class="ed-block' in response.content.decode()
    assert len(days) == 3 and placed == 41


def test_an_empty_cell_opens_the_new_session_form_there(owner_client, forum, rooms):
    response = owner_client.get(
        url("sessions_new", forum) + f"?day=2030-05-07&starts=09:30&room={rooms[1].pk}"
    )
    form = response.context["form"]
    assert (form["day"].value(), form["starts"].value(), form["room"].value()) == (
        "2030-05-07",
        "09:30",
        str(rooms[1].pk),
    )


def test_a_session_taken_to_the_tray_is_cancelled_and_its_seat_holders_told(
    owner_client, forum, talk, rooms
):
    person = UserFactory()
    SessionSeatFactory(
        session=talk, registration=RegistrationFactory(event=forum, attendee=person)
    )
    response = owner_client.post(
        url("schedule_tray", forum, talk.pk), {"edit_count": 0}
    )
    assert response.status_code == 302
    talk.refresh_from_db()
    assert (talk.in_tray, talk.status, talk.sequence) == (True, "cancelled", 1)
    editor = owner_client.get(url("schedule", forum) + "?day=2030-05-06")
    assert f'id="block-{talk.pk}"' not in editor.content.decode()
    assert editor.context["view"].tray == [talk]
    send_digest(event_id=forum.pk)
    digest = Message.objects.get(kind="schedule_digest")
    assert digest.to_email == person.email
    # placed again: restored at its new place, checked like any move
    response = place(
        owner_client, forum, talk, "2030-05-07T09:00", "2030-05-07T10:00", rooms[1]
    )
    assert response.status_code == 200, response.json()
    talk.refresh_from_db()
    assert (talk.in_tray, talk.status, talk.sequence) == (False, "scheduled", 2)
    assert talk.starts_at == helsinki(2030, 5, 7, 9, 0)


def test_a_stale_take_to_the_tray_is_409(owner_client, forum, talk):
    schedule.update_session(session=talk, title="Renamed")
    response = owner_client.post(
        url("schedule_tray", forum, talk.pk),
        {"edit_count": 0},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    talk.refresh_from_db()
    assert (talk.in_tray, talk.status) == (False, "scheduled")
