"""Sessions without a time: created into the timetable editor's tray, public
nowhere until placed; placing one publishes it new (SEQUENCE 0, nobody told);
a published session taken back to the tray is cancelled as before."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from events import ical
from events import services as schedule
from events.models import ScheduleChange, Session
from notifications.models import Message
from notifications.services.digests import send_digest
from registrations.services import RegistrationError
from registrations.services.seats import add_bookmark, set_sessions, take_seat
from tests.events.icalcheck import entries_by_uid, parse
from tests.factories import (
    PersonalCalendarFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)

from .conftest import helsinki

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def url(name, event, *args):
    return reverse(f"organise:{name}", args=[event.slug, *args])


@pytest.fixture
def waiting(forum):
    """A workshop created without a time: in the tray, never public."""
    return schedule.create_unplaced_session(
        event=forum, title="Hidden workshop", length=45, signup_required=True,
        capacity=20,
    )  # fmt: skip


def new_session_form(**overrides) -> dict:
    return {
        "title_en": "Hidden workshop",
        "kind": "workshop",
        "length": "45",
        "unplaced": "on",
        "signup_required": "on",
        "capacity": "20",
    } | overrides


def test_the_form_creates_a_session_without_a_time_into_the_tray(owner_client, forum):
    version = type(forum).objects.get(pk=forum.pk).schedule_version
    response = owner_client.post(url("sessions_new", forum), new_session_form())

    assert response.status_code == 302
    session = Session.objects.get(event=forum)
    assert (session.starts_at, session.ends_at, session.room, session.length) == (
        None, None, None, 45,
    )  # fmt: skip
    assert (session.in_tray, session.status, session.sequence) == (
        True, "scheduled", 0,
    )  # fmt: skip
    # nothing public changed: no log entry, no version bump, nobody to tell
    assert not ScheduleChange.objects.filter(event=forum).exists()
    assert type(forum).objects.get(pk=forum.pk).schedule_version == version
    editor = owner_client.get(url("schedule", forum) + "?day=2030-05-06")
    assert editor.context["view"].tray == [session]
    html = editor.content.decode()
    assert f'id="tray-{session.pk}"' in html and 'data-minutes="45"' in html


def test_without_no_time_yet_the_form_asks_for_the_time(owner_client, forum):
    response = owner_client.post(
        url("sessions_new", forum), new_session_form(unplaced="")
    )

    assert response.status_code == 200
    assert "starts" in response.context["form"].errors
    assert not Session.objects.exists()


def test_an_unplaced_session_is_on_no_public_page_or_feed(client, forum, waiting):
    placed = SessionFactory(
        event=forum,
        title="Opening",
        starts_at=helsinki(2030, 5, 6, 10),
        ends_at=helsinki(2030, 5, 6, 11),
    )
    timetable = client.get(reverse("events:schedule", args=[forum.slug]))
    feed = client.get(reverse("events:schedule_feed", args=[forum.slug]))
    page = client.get(waiting.get_absolute_url())
    one = client.get(reverse("events:session_feed", args=[forum.slug, waiting.uuid]))

    assert "Opening" in timetable.content.decode()
    assert "Hidden workshop" not in timetable.content.decode()
    assert set(entries_by_uid(parse(feed.content))) == {ical.session_uid(placed)}
    assert (page.status_code, one.status_code) == (404, 404)


def test_an_unplaced_session_cannot_be_booked_or_bookmarked(forum, waiting):
    person = UserFactory()
    registration = RegistrationFactory(event=forum, attendee=person)

    with pytest.raises(RegistrationError):
        take_seat(registration=registration, session=waiting)
    with pytest.raises(RegistrationError):
        set_sessions(registration=registration, session_ids=[waiting.pk])
    with pytest.raises(RegistrationError):
        add_bookmark(user=person, session=waiting)
    assert not waiting.seats.exists()


def test_an_unplaced_session_is_not_offered_at_registration(client, forum, waiting):
    response = client.get(reverse("registrations:register", args=[forum.slug]))

    assert "Hidden workshop" not in response.content.decode()


def test_placing_it_publishes_it_new_and_tells_nobody(
    owner_client, client, forum, kaleva, waiting, django_capture_on_commit_callbacks
):
    version = type(forum).objects.get(pk=forum.pk).schedule_version
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            url("schedule_move", forum, waiting.pk),
            {
                "starts_at": "2030-05-07T13:00",
                "ends_at": "2030-05-07T13:45",
                "room": kaleva.pk,
                "edit_count": waiting.edit_count,
            },
        )

    assert response.status_code == 200, response.json()
    waiting.refresh_from_db()
    assert (waiting.in_tray, waiting.status, waiting.sequence, waiting.length) == (
        False, "scheduled", 0, None,
    )  # fmt: skip
    assert (waiting.starts_at, waiting.room) == (helsinki(2030, 5, 7, 13), kaleva)
    change = ScheduleChange.objects.get(session=waiting)
    assert (change.kind, change.snapshot["sequence"]) == ("created", 0)
    assert type(forum).objects.get(pk=forum.pk).schedule_version == version + 1
    # public now, new at SEQUENCE 0; no "schedule changed" message to anyone
    feed = client.get(reverse("events:schedule_feed", args=[forum.slug]))
    entry = entries_by_uid(parse(feed.content))[ical.session_uid(waiting)]
    assert (entry["STATUS"], int(entry["SEQUENCE"])) == ("CONFIRMED", 0)
    send_digest(event_id=forum.pk)
    assert not Message.objects.filter(kind="schedule_digest").exists()
    editor = owner_client.get(url("schedule", forum) + "?day=2030-05-06")
    assert editor.context["untold_rows"] == []


def test_the_plain_place_form_places_it_by_its_length(owner_client, forum, waiting):
    response = owner_client.post(
        url("schedule_session", forum, waiting.pk),
        {"starts_at": "2030-05-08T09:00", "ends_at": "", "room": "",
         "edit_count": waiting.edit_count},
    )  # fmt: skip

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.starts_at, waiting.ends_at, waiting.sequence) == (
        helsinki(2030, 5, 8, 9), helsinki(2030, 5, 8, 9, 45), 0,
    )  # fmt: skip


def test_placing_it_where_the_room_is_taken_is_refused(
    owner_client, forum, kaleva, waiting
):
    SessionFactory(
        event=forum, room=kaleva,
        starts_at=helsinki(2030, 5, 6, 10), ends_at=helsinki(2030, 5, 6, 11),
    )  # fmt: skip
    response = owner_client.post(
        url("schedule_move", forum, waiting.pk),
        {"starts_at": "2030-05-06T10:15", "ends_at": "2030-05-06T11:00",
         "room": kaleva.pk, "edit_count": waiting.edit_count},
    )  # fmt: skip

    assert response.status_code == 422
    assert response.json()["hard"]
    waiting.refresh_from_db()
    assert (waiting.starts_at, waiting.in_tray) == (None, True)


def test_an_unplaced_session_occupies_no_room_and_is_no_conflict(
    owner_client, forum, kaleva, waiting
):
    talk = SessionFactory(
        event=forum, room=kaleva,
        starts_at=helsinki(2030, 5, 6, 10), ends_at=helsinki(2030, 5, 6, 11),
    )  # fmt: skip
    schedule.update_session(session=waiting, title="Still hidden")

    editor = owner_client.get(url("schedule", forum) + "?day=2030-05-06")
    assert editor.context["view"].conflicts == []
    assert schedule.move_session(session=talk, starts_at=helsinki(2030, 5, 6, 10, 5))


def test_a_published_session_dragged_back_to_the_tray_is_cancelled_as_before(
    owner_client, forum, kaleva
):
    talk = SessionFactory(
        event=forum, room=kaleva,
        starts_at=helsinki(2030, 5, 6, 10), ends_at=helsinki(2030, 5, 6, 11),
    )  # fmt: skip
    person = UserFactory()
    SessionSeatFactory(
        session=talk, registration=RegistrationFactory(event=forum, attendee=person)
    )
    calendar = PersonalCalendarFactory(user=person)

    response = owner_client.post(
        url("schedule_tray", forum, talk.pk),
        {"edit_count": talk.edit_count},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    talk.refresh_from_db()
    assert (talk.in_tray, talk.status, talk.sequence, talk.starts_at) == (
        True, "cancelled", 1, helsinki(2030, 5, 6, 10),
    )  # fmt: skip
    feed = owner_client.get(f"/calendar/{calendar.token}.ics")
    entry = entries_by_uid(parse(feed.content))[ical.session_uid(talk)]
    assert (entry["STATUS"], int(entry["SEQUENCE"])) == ("CANCELLED", 1)
    send_digest(event_id=forum.pk)
    assert Message.objects.get(kind="schedule_digest").to_email == person.email


def test_the_session_list_marks_it_as_in_the_tray(owner_client, forum, waiting):
    response = owner_client.get(url("sessions", forum))

    html = response.content.decode()
    assert "No time yet (45 minutes)" in html
    assert url("schedule_session", forum, waiting.pk) in html
    assert url("sessions_status", forum, waiting.pk) not in html


def test_its_form_keeps_it_in_the_tray_and_changes_its_length(
    owner_client, forum, waiting
):
    form = owner_client.get(url("sessions_edit", forum, waiting.pk)).context["form"]
    assert "day" not in form.fields and form["length"].value() == 45

    response = owner_client.post(
        url("sessions_edit", forum, waiting.pk),
        {"title_en": "Hidden workshop", "kind": "workshop", "length": "90"},
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.length, waiting.starts_at, waiting.in_tray) == (90, None, True)


def test_an_empty_cell_link_prefills_the_room_start_and_an_end(
    owner_client, forum, kaleva
):
    editor = owner_client.get(url("schedule", forum) + "?day=2030-05-07")
    html = editor.content.decode()
    new = url("sessions_new", forum)
    assert f"{new}?day=2030-05-07&amp;room={kaleva.pk}" in html
    assert f"{new}?day=2030-05-07&amp;starts=09:00" in html

    response = owner_client.get(f"{new}?day=2030-05-07&starts=09:30&room={kaleva.pk}")
    form = response.context["form"]
    assert (form["day"].value(), form["starts"].value(), form["room"].value()) == (
        "2030-05-07", "09:30", str(kaleva.pk),
    )  # fmt: skip
    assert form["ends"].value().isoformat() == "10:30:00"
