"""The timetable: one day behind day tabs, rooms as columns, seats left, and
the person's stars and seats marked on the shared cached page."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Session
from registrations.models import Bookmark, Registration, SessionSeat
from tests.factories import (
    BookmarkFactory,
    EventFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSeatFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def schedule_url(event, query=""):
    return reverse("events:schedule", kwargs={"slug": event.slug}) + query


def card(body: str, session) -> str:
    """The HTML of one session's card."""
    match = re.search(
        rf'<article class="[^"]*" data-session="{session.uuid}".*?</article>',
        body,
        re.S,
    )
    assert match, f"no card for {session.title}"
    return match.group(0)


def local_day(event, days=0):
    return (event.starts_at.astimezone(event.tzinfo) + timedelta(days=days)).date()


def test_rooms_are_columns_and_sessions_for_everyone_span_them(client):
    event = EventFactory()
    hall_a = RoomFactory(venue=event.venue, name="Hall A")
    hall_b = RoomFactory(venue=event.venue, name="Hall B")
    start = event.starts_at + timedelta(hours=1)
    opening = SessionFactory(
        event=event, title="Opening", room=hall_a, kind=Session.Kind.PLENARY,
        starts_at=start, ends_at=start + timedelta(minutes=30),
    )  # fmt: skip
    talk_a = SessionFactory(
        event=event, title="Talk A", room=hall_a,
        starts_at=start + timedelta(minutes=30), ends_at=start + timedelta(minutes=75),
    )  # fmt: skip
    talk_b = SessionFactory(
        event=event, title="Talk B", room=hall_b,
        starts_at=start + timedelta(minutes=30), ends_at=start + timedelta(minutes=60),
    )  # fmt: skip
    lunch = SessionFactory(
        event=event, title="Lunch", room=None, kind=Session.Kind.BREAK,
        starts_at=start + timedelta(minutes=75), ends_at=start + timedelta(minutes=135),
    )  # fmt: skip

    body = client.get(schedule_url(event)).content.decode()

    assert '<div class="tt-grid cols-2">' in body
    assert re.findall(r'<div class="tt-room c-(\d+)"[^>]*>([^<]+)</div>', body) == [
        ("2", "Hall A"),
        ("3", "Hall B"),
    ]
    # Five-minute rows after the header row: 30 min = 6 rows, 45 min = 9 rows.
    assert 'class="session-card r-2 s-6 c-all' in card(body, opening)
    assert 'class="session-card r-8 s-9 c-2' in card(body, talk_a)
    assert 'class="session-card r-8 s-6 c-3' in card(body, talk_b)
    assert 'class="session-card r-17 s-12 c-all' in card(body, lunch)
    assert "· Hall A</p>" in card(body, talk_a)  # the room on the card, for phones
    assert "style=" not in body


def test_day_tabs_show_one_day_and_keep_it_in_the_url(client):
    event = EventFactory()
    SessionFactory(event=event, title="First day talk")
    SessionFactory(
        event=event, title="Second day talk",
        starts_at=event.starts_at + timedelta(days=1, hours=2),
        ends_at=event.starts_at + timedelta(days=1, hours=3),
    )  # fmt: skip
    track = TrackFactory(event=event, slug="mobility")
    first, second, third = (local_day(event, n) for n in range(3))

    body = client.get(schedule_url(event)).content.decode()
    tabs = re.findall(r'<li><a href="\?day=([\d-]+)"( aria-current="page")?>', body)
    assert tabs == [
        (first.isoformat(), ' aria-current="page"'),
        (second.isoformat(), ""),
        (third.isoformat(), ""),
    ]
    assert "First day talk" in body
    assert "Second day talk" not in body

    body = client.get(schedule_url(event, f"?day={second}")).content.decode()
    assert "Second day talk" in body
    assert "First day talk" not in body
    assert f'<a href="?day={second}" aria-current="page">' in body

    body = client.get(schedule_url(event, f"?day={second}&track=mobility")).content
    assert f'href="?day={first}&amp;track={track.slug}"' in body.decode()


def test_during_the_event_today_is_shown_with_a_now_link(client):
    event = EventFactory()
    now = timezone.now()
    event.starts_at = now - timedelta(days=1, hours=1)
    event.ends_at = now + timedelta(days=1)
    event.save()
    today = now.astimezone(event.tzinfo).date()
    SessionFactory(
        event=event, title="Happening", starts_at=now - timedelta(minutes=20),
        ends_at=now + timedelta(minutes=20),
    )  # fmt: skip
    body = client.get(schedule_url(event)).content.decode()
    slot = (now - timedelta(minutes=20)).astimezone(event.tzinfo).strftime("%H%M")
    assert f'<a href="?day={today}" aria-current="page">' in body
    assert f'<a class="now-link" href="?day={today}#t-{slot}">Now</a>' in body
    assert f'id="t-{slot}"' in body


def test_seats_left_and_waitlist_on_sign_up_cards(client):
    event = EventFactory()
    workshop = SessionFactory(
        event=event, title="Workshop", signup_required=True, capacity=12
    )
    full = SessionFactory(event=event, title="Full", signup_required=True, capacity=1)
    talk = SessionFactory(event=event, title="Talk")
    SessionSeatFactory(registration__event=event, session=workshop)
    SessionSeatFactory(  # a waiting seat holds no place
        registration__event=event, session=workshop,
        status=SessionSeat.Status.WAITLISTED, waitlisted_at=event.starts_at,
    )  # fmt: skip
    SessionSeatFactory(registration__event=event, session=full)

    body = client.get(schedule_url(event)).content.decode()

    assert '<span class="seats-left">11 seats left</span>' in card(body, workshop)
    assert '<span class="seats-full">Full: join the waitlist</span>' in card(body, full)
    assert "seats" not in card(body, talk).replace("data-session", "")
    assert "<!--tt:" not in body


def test_a_signed_in_person_sees_their_stars_and_seats(client):
    event = EventFactory()
    person = UserFactory()
    starred = SessionFactory(event=event, title="Starred")
    seated = SessionFactory(
        event=event, title="Seated", signup_required=True, capacity=5
    )
    plain = SessionFactory(event=event, title="Plain")
    BookmarkFactory(user=person, session=starred)
    registration = RegistrationFactory(event=event, attendee=person)
    SessionSeatFactory(registration=registration, session=seated)
    BookmarkFactory(session=plain)  # someone else's star
    client.get(schedule_url(event))  # cached by an anonymous visit first

    client.force_login(person)
    body = client.get(schedule_url(event)).content.decode()

    assert "is-starred" in card(body, starred)
    assert 'aria-pressed="true"' in card(body, starred)
    assert 'name="action" value="remove"' in card(body, starred)
    assert "is-seated" in card(body, seated)
    assert '<span class="badge badge-seat">Your seat</span>' in card(body, seated)
    assert '<span class="seats-left">4 seats left</span>' in card(body, seated)
    assert 'aria-pressed="false"' in card(body, plain)
    assert "is-starred" not in card(body, plain)


def test_anonymous_visitors_get_a_sign_in_star(client):
    event = EventFactory()
    session = SessionFactory(event=event)
    body = client.get(schedule_url(event)).content.decode()
    assert '<a class="star" href="/accounts/login/?next=/events/' in card(body, session)


def _big_schedule(count: int, person):
    """`count` sessions on one day in 40 rooms; the person holds 50 stars and
    50 seats (fewer when the schedule is smaller)."""
    event = EventFactory()
    rooms = [RoomFactory(venue=event.venue) for _ in range(40)]
    track = TrackFactory(event=event)
    speaker = SpeakerFactory(event=event)
    start = event.starts_at + timedelta(hours=1)
    sessions = Session.objects.bulk_create(
        Session(
            event=event, title=f"S{n}", room=rooms[n % 40], track=track,
            starts_at=start + timedelta(minutes=5 * (n // 40)),
            ends_at=start + timedelta(minutes=5 * (n // 40) + 30),
            signup_required=n % 2 == 1, capacity=20 if n % 2 else None,
        )
        for n in range(count)
    )  # fmt: skip
    Session.speakers.through.objects.bulk_create(
        Session.speakers.through(session_id=s.pk, speaker_id=speaker.pk)
        for s in sessions
    )
    registration = RegistrationFactory(
        event=event, attendee=person, status=Registration.Status.CONFIRMED
    )
    Bookmark.objects.bulk_create(
        Bookmark(user=person, session=s) for s in sessions[0:100:2]
    )
    SessionSeat.objects.bulk_create(
        SessionSeat(registration=registration, session=s) for s in sessions[1:100:2]
    )
    return event


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_constant_from_10_to_2000_sessions_with_the_personal_layer(
    client,
):
    person = UserFactory()
    client.force_login(person)
    counts = {}
    for size in (10, 2000):
        cache.clear()  # each size starts cold (the header's organiser check too)
        event = _big_schedule(size, person)
        url = schedule_url(event)
        first = _queries(client, url)  # renders and caches the day
        again = _queries(client, url)  # the cached day, marked for the person
        body = client.get(url).content.decode()
        assert body.count('aria-pressed="true"') == min(size // 2, 50)
        assert body.count("badge-seat") == min(size // 2, 50)
        counts[size] = (first, again)
    # session, [the session's row: the cache was emptied], user, [the
    # organiser-links check: then kept per person], event, tracks, rooms,
    # [sessions, speakers when rendering], one UNION: seats left, the person's
    # stars and seats
    assert counts == {10: (9, 5), 2000: (9, 5)}
