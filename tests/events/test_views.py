import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Event, EventOrganiser, Session
from events.services import cancel_session
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def schedule_url(event, **params):
    url = reverse("events:schedule", kwargs={"slug": event.slug})
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def titles(response):
    """The titles of the timetable's cards, in page order."""
    return [
        html.unescape(title)
        for title in re.findall(
            r'<h4 id="h-[0-9a-f-]+"><a href="[^"]*">(.*?)</a></h4>',
            response.content.decode(),
        )
    ]


def test_front_page_lists_only_public_published_upcoming_events(client):
    EventFactory(title="Spring Forum")
    EventFactory(title="Hidden", visibility=Event.Visibility.UNLISTED)
    EventFactory(title="Invited", visibility=Event.Visibility.INVITATION_ONLY)
    EventFactory(title="Draft", status=Event.Status.DRAFT)
    past = EventFactory(title="Past")
    Event.objects.filter(pk=past.pk).update(
        starts_at=past.starts_at - timedelta(days=400),
        ends_at=past.ends_at - timedelta(days=400),
    )

    response = client.get("/")

    assert [e.title for e in response.context["events"]] == ["Spring Forum"]


def test_event_page_shows_times_in_the_event_zone_and_register_link(client):
    event = EventFactory(title="Spring Forum")
    local = event.starts_at.astimezone(event.tzinfo)

    body = client.get(event.get_absolute_url()).content.decode()

    assert local.strftime("%H:%M") in body
    assert reverse("registrations:register", kwargs={"slug": event.slug}) in body
    assert "webcal://" in body  # the subscribe box


def test_cancelled_event_shows_a_banner(client):
    event = EventFactory(status=Event.Status.CANCELLED)
    assert (
        "This event has been cancelled."
        in client.get(event.get_absolute_url()).content.decode()
    )


def test_draft_is_404_to_the_public_and_visible_to_its_organiser(client):
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404
    organiser = UserFactory(is_staff=True)
    EventOrganiser.objects.create(event=event, user=organiser)
    client.force_login(organiser)
    assert client.get(event.get_absolute_url()).status_code == 200
    client.force_login(UserFactory())
    assert client.get(event.get_absolute_url()).status_code == 404


def test_unlisted_event_is_reachable_by_url(client):
    event = EventFactory(visibility=Event.Visibility.UNLISTED)
    assert client.get(event.get_absolute_url()).status_code == 200


def test_schedule_shows_the_first_day_in_helsinki_time_and_marks_cancelled(client):
    event = EventFactory()
    first = SessionFactory(event=event, title="Opening")
    cancelled = SessionFactory(
        event=event, title="Dropped talk", starts_at=first.ends_at,
        ends_at=first.ends_at + timedelta(hours=1),
    )  # fmt: skip
    cancel_session(session=cancelled)

    response = client.get(schedule_url(event))
    body = response.content.decode()

    assert titles(response) == ["Opening", "Dropped talk"]
    assert first.starts_at.astimezone(event.tzinfo).strftime("%H:%M") in body
    assert "session-cancelled" in body
    assert "Cancelled" in body


def test_schedule_filters_return_exactly_the_matching_sessions(client):
    event = EventFactory()
    track = TrackFactory(event=event, slug="mobility")
    room = RoomFactory(venue=event.venue)
    SessionFactory(event=event, title="In track", track=track)
    SessionFactory(event=event, title="In room", room=room)
    SessionFactory(event=event, title="Workshop", kind=Session.Kind.WORKSHOP)
    next_day = SessionFactory(
        event=event, title="Day two",
        starts_at=event.starts_at + timedelta(days=1, hours=2),
        ends_at=event.starts_at + timedelta(days=1, hours=3),
    )  # fmt: skip
    day_two = next_day.starts_at.astimezone(event.tzinfo).date().isoformat()

    assert titles(client.get(schedule_url(event, track="mobility"))) == ["In track"]
    assert titles(client.get(schedule_url(event, room=room.pk))) == ["In room"]
    assert titles(client.get(schedule_url(event, kind="workshop"))) == ["Workshop"]
    assert titles(client.get(schedule_url(event, day=day_two))) == ["Day two"]


@pytest.mark.parametrize(
    "params",
    [
        {"track": "nope"},
        {"room": "999999"},
        {"kind": "party"},
        {"day": "2001-01-01"},
        {"day": "not-a-day"},
    ],
)
def test_unknown_filter_values_are_404(client, params):
    event = EventFactory()
    assert client.get(schedule_url(event, **params)).status_code == 404


@pytest.mark.parametrize("count", [10, 500])
def test_schedule_query_count_is_constant(client, django_assert_num_queries, count):
    event = EventFactory()
    room = RoomFactory(venue=event.venue)
    track = TrackFactory(event=event)
    speaker = SpeakerFactory(event=event)
    sessions = Session.objects.bulk_create(
        Session(
            event=event, title=f"S{n}", room=room, track=track,
            starts_at=event.starts_at + timedelta(minutes=n),
            ends_at=event.starts_at + timedelta(minutes=n + 30),
        )
        for n in range(count)
    )  # fmt: skip
    Session.speakers.through.objects.bulk_create(
        Session.speakers.through(session_id=s.pk, speaker_id=speaker.pk)
        for s in sessions
    )
    # event, tracks, rooms, sessions, speakers, seats left (+ the feed-links
    # tag's nothing)
    with django_assert_num_queries(6):
        response = client.get(schedule_url(event))
    assert response.context["count"] == count


def test_session_page_shows_speakers_room_and_calendar_link(client):
    event = EventFactory()
    session = SessionFactory(
        event=event, title="Joint degrees", signup_required=True, capacity=30
    )
    session.speakers.add(
        SpeakerFactory(event=event, name="Anna Kivelä", affiliation="UH")
    )

    body = client.get(session.get_absolute_url()).content.decode()

    assert "Anna Kivelä" in body
    assert session.room.name in body
    assert f"/events/{event.slug}/sessions/{session.uuid}.ics" in body
    assert "30 seats; sign-up required" in body


def test_session_of_another_event_is_404(client):
    session = SessionFactory()
    other = EventFactory()
    url = reverse(
        "events:session", kwargs={"slug": other.slug, "session_uuid": session.uuid}
    )
    assert client.get(url).status_code == 404


def test_user_text_is_escaped(client):
    event = EventFactory(title="<script>alert(1)</script>", description="<b>x</b>")
    SessionFactory(event=event, title="<img src=x onerror=alert(1)>")
    for url in [event.get_absolute_url(), schedule_url(event), "/"]:
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "<img src=x" not in body


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_pages_render_in_finnish_and_swedish(client, language):
    event = EventFactory()
    session = SessionFactory(event=event)
    client.cookies["django_language"] = language
    with translation.override(language):
        for url in [
            "/",
            event.get_absolute_url(),
            schedule_url(event),
            session.get_absolute_url(),
        ]:
            response = client.get(url, headers={"accept-language": language})
            assert response.status_code == 200
            assert f'lang="{language}"' in response.content.decode()


def test_cached_schedule_shows_a_change_at_once(client):
    event = EventFactory()
    session = SessionFactory(event=event, title="Before")
    assert titles(client.get(schedule_url(event))) == ["Before"]
    cached = client.get(schedule_url(event))
    assert "Before" in cached.content.decode()

    from events.services import update_session

    update_session(session=session, title="After")

    body = client.get(schedule_url(event)).content.decode()
    assert "After" in body
    assert "Before" not in body
