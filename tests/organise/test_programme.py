"""The programme pages: sessions (list, filters, search, form, cancel and
restore), rooms and venues, tracks, speakers and the change log."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services as schedule
from events.models import Room, ScheduleChange, Session, Speaker, Track, Venue
from registrations.models import SessionSeat
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSeatFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
    VenueFactory,
)

from .conftest import Role, helsinki, signed_in

pytestmark = pytest.mark.django_db


def url(name, event, *args):
    return reverse(f"organise:{name}", args=[event.slug, *args])


def session_data(**changes):
    data = {
        "title_en": "Opening plenary",
        "abstract_en": "",
        "kind": "plenary",
        "track": "",
        "day": "2030-05-06",
        "starts": "09:30",
        "ends": "10:15",
        "room": "",
        "capacity": "",
    }
    data.update(changes)
    return data


def listed_titles(response):
    return [session.title for session in response.context["page_obj"]]


# --- the session list ---------------------------------------------------------------


@pytest.fixture
def programme(forum, kaleva):
    """Three sessions over two days, two rooms, two tracks, a cancelled one."""
    sali = RoomFactory(venue=forum.venue, name="Sali 1")
    strategy = TrackFactory(event=forum, slug="strategy", name="Strategy")
    networks = TrackFactory(event=forum, slug="networks", name="Networks")
    laaksonen = SpeakerFactory(event=forum, name="Helena Laaksonen")
    opening = SessionFactory(
        event=forum, title="Opening plenary", kind="plenary", room=kaleva,
        track=strategy, starts_at=helsinki(2030, 5, 6, 9, 30),
        ends_at=helsinki(2030, 5, 6, 10, 15),
    )  # fmt: skip
    opening.speakers.set([laaksonen])
    SessionFactory(
        event=forum, title="Joint degrees workshop", kind="workshop", room=sali,
        track=networks, starts_at=helsinki(2030, 5, 7, 13, 0),
        ends_at=helsinki(2030, 5, 7, 15, 0), abstract="Hands-on planning.",
    )  # fmt: skip
    dinner = SessionFactory(
        event=forum, title="Conference dinner", kind="social", room=kaleva,
        starts_at=helsinki(2030, 5, 7, 19, 0), ends_at=helsinki(2030, 5, 7, 22, 0),
    )  # fmt: skip
    schedule.cancel_session(session=dinner)
    return {"kaleva": kaleva, "sali": sali, "strategy": strategy}


def test_session_list_shows_every_session_in_order_with_times_on_event_clocks(
    owner_client, forum, programme
):
    response = owner_client.get(url("sessions", forum))

    assert listed_titles(response) == [
        "Opening plenary",
        "Joint degrees workshop",
        "Conference dinner",
    ]
    body = response.content.decode()
    assert "09:30–10:15" in body  # 06:30 UTC, on Helsinki's clocks
    assert "Helena Laaksonen" in body
    assert 'class="row-cancelled"' in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"day": "2030-05-07"}, ["Joint degrees workshop", "Conference dinner"]),
        ({"kind": "workshop"}, ["Joint degrees workshop"]),
        ({"status": "cancelled"}, ["Conference dinner"]),
        ({"q": "laaksonen"}, ["Opening plenary"]),  # a speaker's name
        ({"q": "HANDS-ON"}, ["Joint degrees workshop"]),  # the abstract
        ({"day": "2030-05-07", "kind": "social"}, ["Conference dinner"]),
    ],
)
def test_session_list_filters_and_searches(
    owner_client, forum, programme, params, expected
):
    response = owner_client.get(url("sessions", forum), params)

    assert listed_titles(response) == expected


def test_session_list_filters_by_room_and_track(owner_client, forum, programme):
    by_room = owner_client.get(url("sessions", forum), {"room": programme["sali"].pk})
    by_track = owner_client.get(
        url("sessions", forum), {"track": programme["strategy"].pk}
    )

    assert listed_titles(by_room) == ["Joint degrees workshop"]
    assert listed_titles(by_track) == ["Opening plenary"]


def test_session_list_reports_an_unknown_filter_and_ignores_it(
    owner_client, forum, programme
):
    response = owner_client.get(
        url("sessions", forum), {"day": "2031-01-01", "room": "x", "kind": "talk"}
    )

    assert response.status_code == 200
    assert set(response.context["filters"].errors) == {"day", "room"}
    assert listed_titles(response) == []  # the valid filter (kind) still applies
    assert b"No session matches these filters." in response.content


@pytest.mark.parametrize("count", [1, 3])
def test_session_list_reads_a_fixed_number_of_queries(
    owner_client, forum, kaleva, count, django_assert_num_queries
):
    for n in range(count):
        session = SessionFactory(
            event=forum,
            room=kaleva,
            track=TrackFactory(event=forum),
            starts_at=helsinki(2030, 5, 6, 10 + n),
            ends_at=helsinki(2030, 5, 6, 11 + n),
        )
        session.speakers.set([SpeakerFactory(event=forum)])

    with django_assert_num_queries(10):
        response = owner_client.get(url("sessions", forum), {"q": "Session"})

    assert len(listed_titles(response)) == count


def test_check_in_staff_read_the_list_without_edit_links(client, forum, programme):
    signed_in(client, forum, Role.CHECKIN)

    response = client.get(url("sessions", forum))

    assert listed_titles(response)[0] == "Opening plenary"
    assert url("sessions_new", forum).encode() not in response.content
    assert b"/status/" not in response.content


# --- the session form ---------------------------------------------------------------


def test_session_form_creates_a_session_on_the_event_clocks(
    owner_client, forum, kaleva
):
    speaker = SpeakerFactory(event=forum, name="Markus Rinne")
    track = TrackFactory(event=forum)

    response = owner_client.post(
        url("sessions_new", forum),
        session_data(room=kaleva.pk, track=track.pk, speakers=[speaker.pk]),
    )

    assert response.status_code == 302
    session = Session.objects.get(event=forum)
    assert (session.title, session.kind, session.room, session.track) == (
        "Opening plenary",
        "plenary",
        kaleva,
        track,
    )
    assert (session.starts_at, session.ends_at) == (
        helsinki(2030, 5, 6, 9, 30),
        helsinki(2030, 5, 6, 10, 15),
    )
    assert list(session.speakers.all()) == [speaker]
    assert list(ScheduleChange.objects.values_list("kind", flat=True)) == ["created"]


def test_session_form_offers_only_this_events_rooms_and_speakers(
    owner_client, forum, kaleva
):
    elsewhere = RoomFactory(name="Elsewhere hall")  # another venue, unused here
    other_speaker = SpeakerFactory(event=EventFactory(), name="Someone Else")

    response = owner_client.get(url("sessions_new", forum))
    posted = owner_client.post(
        url("sessions_new", forum),
        session_data(room=elsewhere.pk, speakers=[other_speaker.pk]),
    )

    form = response.context["form"]
    rooms = [
        label
        for _venue, group in form.fields["room"].choices[1:]
        for _pk, label in group
    ]
    assert rooms == ["Kaleva (450 seats)"]
    assert form.fields["speakers"].choices == []
    assert set(posted.context["form"].errors) == {"room", "speakers"}
    assert Session.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends": "09:00"}, "ends", "The session must end after it starts."),
        ({"day": "2030-05-09"}, "day", "Select a valid choice."),
        ({"starts": "25:00"}, "starts", "Enter a valid time."),
        ({"title_en": ""}, "title_en", "Write this in at least one language."),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"kind": "party"}, "kind", "Select a valid choice."),
    ],
)
def test_session_form_explains_bad_input(
    owner_client, forum, kaleva, changes, field, message
):
    response = owner_client.post(
        url("sessions_new", forum), session_data(room=kaleva.pk, **changes)
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Session.objects.count() == 0


def test_session_form_shows_a_room_clash_and_writes_nothing(
    owner_client, forum, kaleva
):
    SessionFactory(
        event=forum, title="Keynote", room=kaleva,
        starts_at=helsinki(2030, 5, 6, 9, 0), ends_at=helsinki(2030, 5, 6, 10, 0),
    )  # fmt: skip

    response = owner_client.post(
        url("sessions_new", forum), session_data(room=kaleva.pk)
    )

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "Kaleva" in errors[0]
    assert Session.objects.count() == 1


def test_session_form_changes_a_session_and_logs_the_move(owner_client, forum, kaleva):
    session = SessionFactory(
        event=forum, title="Opening plenary", room=kaleva,
        starts_at=helsinki(2030, 5, 6, 9, 30), ends_at=helsinki(2030, 5, 6, 10, 15),
    )  # fmt: skip

    response = owner_client.post(
        url("sessions_edit", forum, session.pk),
        session_data(room=kaleva.pk, starts="11:00", ends="12:00", kind="talk"),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == helsinki(2030, 5, 6, 11, 0)
    assert session.sequence == 1
    change = ScheduleChange.objects.get(kind="moved")
    assert change.actor.email == response.wsgi_request.user.email


def test_more_seats_move_the_waiting_person_up(owner_client, forum, kaleva):
    session = SessionFactory(
        event=forum, room=kaleva, capacity=1, signup_required=True,
        starts_at=helsinki(2030, 5, 6, 9, 30), ends_at=helsinki(2030, 5, 6, 10, 15),
    )  # fmt: skip
    SessionSeatFactory(session=session, registration=RegistrationFactory(event=forum))
    waiting = SessionSeatFactory(
        session=session,
        registration=RegistrationFactory(event=forum),
        status=SessionSeat.Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )

    owner_client.post(
        url("sessions_edit", forum, session.pk),
        session_data(
            title=session.title, kind="talk", room=kaleva.pk, capacity="2",
            signup_required="on",
        ),
    )  # fmt: skip

    waiting.refresh_from_db()
    session.refresh_from_db()
    assert (session.capacity, waiting.status) == (2, SessionSeat.Status.CONFIRMED)


def test_cancel_and_restore_a_session(owner_client, forum, kaleva):
    session = SessionFactory(event=forum, room=kaleva)
    SessionSeatFactory(session=session, registration=RegistrationFactory(event=forum))

    asked = owner_client.get(url("sessions_status", forum, session.pk))
    owner_client.post(url("sessions_status", forum, session.pk))
    session.refresh_from_db()
    cancelled = session.status
    owner_client.post(url("sessions_status", forum, session.pk))
    session.refresh_from_db()

    assert asked.context["seats"] == 1
    assert b"1 person holds a seat" in asked.content
    assert (cancelled, session.status) == ("cancelled", "scheduled")
    assert list(
        ScheduleChange.objects.filter(session=session).values_list("kind", flat=True)
    ) == ["cancelled", "restored"]


def test_restoring_into_a_taken_slot_is_refused_with_the_reason(
    owner_client, forum, kaleva
):
    session = SessionFactory(event=forum, room=kaleva, title="First")
    schedule.cancel_session(session=session)
    SessionFactory(
        event=forum, room=kaleva, title="Second",
        starts_at=session.starts_at, ends_at=session.ends_at,
    )  # fmt: skip

    response = owner_client.post(url("sessions_status", forum, session.pk), follow=True)

    session.refresh_from_db()
    assert session.status == "cancelled"
    [message] = [str(m) for m in response.context["messages"]]
    assert "Kaleva" in message


def test_a_session_of_another_event_is_not_found(owner_client, forum):
    theirs = SessionFactory(event=EventFactory())

    assert owner_client.get(url("sessions_edit", forum, theirs.pk)).status_code == 404
    assert (
        owner_client.post(url("sessions_status", forum, theirs.pk)).status_code == 404
    )


def test_user_text_is_escaped_in_the_list_and_the_form(owner_client, forum, kaleva):
    session = SessionFactory(
        event=forum, room=kaleva, title="<script>alert(1)</script>"
    )

    listed = owner_client.get(url("sessions", forum)).content.decode()
    edited = owner_client.get(url("sessions_edit", forum, session.pk)).content.decode()

    for body in (listed, edited):
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- rooms and venues ---------------------------------------------------------------


def test_rooms_page_lists_this_events_venues_and_new_ones(owner_client, forum, kaleva):
    EventFactory(venue=VenueFactory(name="Someone else's hall"))
    VenueFactory(name="New building")

    response = owner_client.get(url("rooms", forum))

    assert [v.name for v in response.context["ours"]] == ["Dipoli"]
    assert [v.name for v in response.context["others"]] == ["New building"]
    assert [r.name for r in response.context["ours"][0].rooms.all()] == ["Kaleva"]
    assert b"Someone else" not in response.content


@pytest.mark.parametrize("count", [1, 3])
def test_rooms_page_reads_a_fixed_number_of_queries(
    owner_client, forum, count, django_assert_num_queries
):
    for n in range(count):
        RoomFactory(venue=forum.venue, name=f"Room {n}")
        RoomFactory(venue=VenueFactory(), name=f"Unused {n}")

    with django_assert_num_queries(12):
        response = owner_client.get(url("rooms", forum))

    assert len(response.context["others"]) == count


def test_room_form_adds_and_changes_rooms(owner_client, forum, kaleva):
    created = owner_client.post(
        url("rooms_new", forum),
        {"venue": forum.venue.pk, "name_en": "Sali 2", "capacity": "40"},
    )
    changed = owner_client.post(
        url("rooms_edit", forum, kaleva.pk),
        {"venue": forum.venue.pk, "name_en": "Kaleva hall", "capacity": "400"},
    )
    duplicate = owner_client.post(
        url("rooms_new", forum), {"venue": forum.venue.pk, "name_en": "Sali 2"}
    )

    assert (created.status_code, changed.status_code, duplicate.status_code) == (
        302,
        302,
        200,
    )
    assert sorted(Room.objects.values_list("name", "capacity")) == [
        ("Kaleva hall", 400),
        ("Sali 2", 40),
    ]
    assert "already has a room of that name" in str(duplicate.context["form"].errors)


def test_a_room_another_event_uses_cannot_be_changed(client, forum, kaleva):
    other = EventFactory(venue=forum.venue)
    SessionFactory(event=other, room=kaleva)
    signed_in(client, forum, Role.EDITOR)

    listed = client.get(url("rooms", forum))
    response = client.get(url("rooms_edit", forum, kaleva.pk))

    assert response.status_code == 403
    assert url("rooms_edit", forum, kaleva.pk).encode() not in listed.content


def test_a_room_of_an_unrelated_venue_is_not_found(owner_client, forum):
    theirs = EventFactory(venue=VenueFactory())
    room = SessionFactory(event=theirs).room

    assert owner_client.get(url("rooms_edit", forum, room.pk)).status_code == 404
    assert (
        owner_client.get(url("rooms_venue_edit", forum, room.venue_id)).status_code
        == 404
    )


def test_venue_form_adds_and_changes_venues(owner_client, forum):
    created = owner_client.post(
        url("rooms_venue_new", forum),
        {"name": "Väre", "city": "Espoo", "latitude": "60.18", "longitude": ""},
    )
    assert created.status_code == 200  # a latitude without a longitude
    assert "Give both latitude and longitude" in str(created.context["form"].errors)

    owner_client.post(url("rooms_venue_new", forum), {"name": "Väre", "city": "Espoo"})
    owner_client.post(
        url("rooms_venue_edit", forum, forum.venue_id),
        {"name": "Dipoli", "city": "Espoo", "address": "Otakaari 24"},
    )

    assert sorted(Venue.objects.values_list("name", "address")) == [
        ("Dipoli", "Otakaari 24"),
        ("Väre", ""),
    ]


# --- tracks and speakers ------------------------------------------------------------


def test_tracks_are_added_changed_and_deleted(owner_client, forum, kaleva):
    owner_client.post(
        url("tracks_new", forum),
        {"name_en": "Strategy", "slug": "strategy", "colour": "#8250df"},
    )
    track = Track.objects.get(event=forum)
    session = SessionFactory(event=forum, room=kaleva, track=track)
    bad = owner_client.post(
        url("tracks_edit", forum, track.pk),
        {"name_en": "Strategy", "slug": "strategy", "colour": "purple"},
    )
    asked = owner_client.get(url("tracks_delete", forum, track.pk))
    owner_client.post(url("tracks_delete", forum, track.pk))

    assert "#RRGGBB" in str(bad.context["form"].errors["colour"])
    assert b"Its 1 sessions stay" in asked.content
    session.refresh_from_db()
    assert (session.track, Track.objects.count()) == (None, 0)


def test_a_track_short_name_is_unique_in_its_event(owner_client, forum):
    TrackFactory(event=forum, slug="strategy")

    response = owner_client.post(
        url("tracks_new", forum),
        {"name_en": "Again", "slug": "strategy", "colour": "#000000"},
    )

    assert "already has a track with that short name" in str(
        response.context["form"].errors
    )


@pytest.mark.parametrize("count", [1, 3])
def test_track_and_speaker_lists_read_a_fixed_number_of_queries(
    owner_client, forum, count, django_assert_num_queries
):
    for _n in range(count):
        TrackFactory(event=forum)
        SpeakerFactory(event=forum, affiliation="Aalto University")

    with django_assert_num_queries(5):
        tracks = owner_client.get(url("tracks", forum))
    with django_assert_num_queries(5):
        speakers = owner_client.get(url("speakers", forum), {"q": "aalto"})

    assert (len(tracks.context["tracks"]), len(speakers.context["speakers"])) == (
        count,
        count,
    )


def test_speakers_are_searched_added_changed_and_deleted(owner_client, forum):
    SpeakerFactory(event=forum, name="Helena Laaksonen", affiliation="EDUFI")
    SpeakerFactory(event=forum, name="Johan Bergström", affiliation="Uppsala")

    found = owner_client.get(url("speakers", forum), {"q": "uppsala"})
    owner_client.post(
        url("speakers_new", forum), {"name": "Maria Santos", "email": "maria@"}
    )  # not an address: refused
    owner_client.post(
        url("speakers_new", forum),
        {"name": "Maria Santos", "affiliation": "Porto", "email": "m@example.org"},
    )
    johan = Speaker.objects.get(name="Johan Bergström")
    owner_client.post(url("speakers_delete", forum, johan.pk))

    assert [s.name for s in found.context["speakers"]] == ["Johan Bergström"]
    assert list(Speaker.objects.order_by("name").values_list("name", "email")) == [
        ("Helena Laaksonen", ""),
        ("Maria Santos", "m@example.org"),
    ]


def test_check_in_staff_do_not_see_speakers_private_addresses(client, forum):
    SpeakerFactory(event=forum, email="private@example.org")
    signed_in(client, forum, Role.CHECKIN)

    response = client.get(url("speakers", forum))

    assert b"private@example.org" not in response.content


# --- the change log -----------------------------------------------------------------


def test_change_log_says_who_changed_what_on_the_event_clocks(
    owner_client, owner, forum, kaleva
):
    session = SessionFactory(
        event=forum, title="Opening plenary", room=kaleva,
        starts_at=helsinki(2030, 5, 6, 9, 30), ends_at=helsinki(2030, 5, 6, 10, 15),
    )  # fmt: skip
    schedule.move_session(
        session=session,
        starts_at=helsinki(2030, 5, 6, 11, 0),
        ends_at=helsinki(2030, 5, 6, 11, 45),
        actor=owner,
    )

    response = owner_client.get(url("changes", forum))

    [(change, fields)] = response.context["rows"]
    assert (change.kind, change.actor) == ("moved", owner)
    assert [(f.label, f.old, f.new) for f in fields] == [
        ("Starts", "Mon, 6 May 2030, 09:30", "Mon, 6 May 2030, 11:00"),
        ("Ends", "Mon, 6 May 2030, 10:15", "Mon, 6 May 2030, 11:45"),
    ]
    body = response.content.decode()
    assert re.search(r"Moved: Opening plenary", body)


def test_change_log_filters_by_kind(owner_client, forum, kaleva):
    session = SessionFactory(event=forum, room=kaleva)
    schedule.update_session(session=session, title="Renamed")
    schedule.cancel_session(session=session)

    response = owner_client.get(url("changes", forum), {"kind": "cancelled"})
    bad = owner_client.get(url("changes", forum), {"kind": "exploded"})

    assert [c.kind for c, _f in response.context["rows"]] == ["cancelled"]
    assert bad.status_code == 200
    assert len(bad.context["rows"]) == 2


@pytest.mark.parametrize("count", [1, 3])
def test_change_log_reads_a_fixed_number_of_queries(
    owner_client, forum, kaleva, count, django_assert_num_queries
):
    session = SessionFactory(event=forum, room=kaleva)
    for n in range(count):
        schedule.update_session(
            session=session, title=f"Title {n}", actor=UserFactory()
        )

    with django_assert_num_queries(6):
        response = owner_client.get(url("changes", forum))

    assert len(response.context["rows"]) == count
