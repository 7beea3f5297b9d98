"""The public feeds over HTTP: content, filters, caching and conditional GETs."""

import gzip
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from events import ical, services
from events.models import Event, FeedEntry, Session
from tests.events.icalcheck import entries_by_uid, parse, utc
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def feed(client, event, **params):
    return client.get(f"/events/{event.slug}/schedule.ics", params)


def uids(response) -> set[str]:
    return set(entries_by_uid(parse(response.content)))


@pytest.fixture
def schedule():
    """An event with two tracks, two rooms and three kinds of session."""
    event = EventFactory(slug="forum")
    hall, cellar = RoomFactory(venue=event.venue), RoomFactory(venue=event.venue)
    mobility, research = TrackFactory(event=event), TrackFactory(event=event)
    start = event.starts_at + timedelta(hours=1)

    def add(n, **fields):
        return SessionFactory(
            event=event,
            starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n, minutes=45),
            **fields,
        )

    sessions = {
        "talk-hall-mobility": add(0, room=hall, track=mobility, kind="talk"),
        "panel-hall-research": add(1, room=hall, track=research, kind="panel"),
        "talk-cellar-mobility": add(2, room=cellar, track=mobility, kind="talk"),
        "break-none": add(3, room=None, track=None, kind="break"),
    }
    return event, hall, cellar, mobility, research, sessions


def test_schedule_feed_holds_every_session_with_feed_headers(client, schedule):
    event, *_rest, sessions = schedule

    response = feed(client, event)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="forum.ics"'
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Last-Modified"] == http_date(event.schedule_changed_at.timestamp())
    assert uids(response) == {ical.session_uid(s) for s in sessions.values()}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"track": "mobility"}, {"talk-hall-mobility", "talk-cellar-mobility"}),
        ({"room": "hall"}, {"talk-hall-mobility", "panel-hall-research"}),
        ({"kind": "talk"}, {"talk-hall-mobility", "talk-cellar-mobility"}),
        ({"kind": "break"}, {"break-none"}),
        ({"track": "mobility", "room": "hall"}, {"talk-hall-mobility"}),
        ({"track": "research", "kind": "talk"}, set()),
        (
            {"track": "mobility", "room": "cellar", "kind": "talk"},
            {"talk-cellar-mobility"},
        ),
    ],
)
def test_filters_return_exactly_the_matching_sessions(
    client, schedule, params, expected
):
    event, hall, cellar, mobility, research, sessions = schedule
    values = {
        "mobility": mobility.slug,
        "research": research.slug,
        "hall": str(hall.pk),
        "cellar": str(cellar.pk),
    }
    query = {k: values.get(v, v) for k, v in params.items()}

    response = feed(client, event, **query)

    assert response.status_code == 200
    assert uids(response) == {ical.session_uid(sessions[name]) for name in expected}


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"track": "no-such-track"}, "There is no track of that name in this event."),
        ({"room": "999999"}, "There is no room with that id in this event."),
        ({"room": "hall-a"}, "There is no room with that id in this event."),
        ({"room": "9" * 30}, "There is no room with that id in this event."),
        ({"room": "١٢"}, "There is no room with that id in this event."),
        ({"kind": "concert"}, "There is no session kind of that name."),
    ],
)
def test_unknown_filter_values_give_404_with_a_reason(client, schedule, params, reason):
    event, *_rest = schedule

    response = feed(client, event, **params)

    assert (response.status_code, response.content.decode()) == (404, reason)


def test_a_room_of_another_event_is_unknown(client, schedule):
    event, *_rest = schedule
    elsewhere = SessionFactory()

    response = feed(client, event, room=str(elsewhere.room_id))

    assert response.status_code == 404


def test_draft_and_unknown_events_have_no_feed(client):
    draft = EventFactory(status=Event.Status.DRAFT)
    SessionFactory(event=draft)

    assert feed(client, draft).status_code == 404
    assert client.get("/events/nope/schedule.ics").status_code == 404


def test_a_move_raises_sequence_and_changes_etag(client, schedule):
    event, *_rest, sessions = schedule
    session = sessions["talk-hall-mobility"]
    before = feed(client, event)

    services.move_session(
        session=session,
        starts_at=session.starts_at + timedelta(minutes=10),
        ends_at=session.ends_at + timedelta(minutes=10),
    )
    after = feed(client, event)

    entry = entries_by_uid(parse(after.content))[ical.session_uid(session)]
    session.refresh_from_db()
    assert int(entry["SEQUENCE"]) == session.sequence == 1
    assert (
        int(
            entries_by_uid(parse(before.content))[ical.session_uid(session)]["SEQUENCE"]
        )
        == 0
    )
    assert utc(entry, "DTSTART") == session.starts_at
    assert after["ETag"] != before["ETag"]


def test_a_cancelled_session_stays_with_status_cancelled(client, schedule):
    event, *_rest, sessions = schedule
    session = sessions["panel-hall-research"]

    services.cancel_session(session=session)
    response = feed(client, event)

    entries = entries_by_uid(parse(response.content))
    assert entries[ical.session_uid(session)]["STATUS"] == "CANCELLED"
    assert len(entries) == 4


def test_cancelled_sessions_leave_once_the_event_has_ended(client):
    event = EventFactory(
        starts_at=datetime(2025, 5, 5, 6, tzinfo=UTC),
        ends_at=datetime(2025, 5, 6, 16, tzinfo=UTC),
    )
    kept = SessionFactory(event=event)
    SessionFactory(event=event, status=Session.Status.CANCELLED)

    response = feed(client, event)

    assert uids(response) == {ical.session_uid(kept)}


def test_room_rename_reaches_the_cached_entries(client, schedule):
    event, hall, *_rest, sessions = schedule
    feed(client, event)  # warms the whole-feed and per-entry caches

    services.save_room(room=hall, name="Aula Magna")
    response = feed(client, event)

    entry = entries_by_uid(parse(response.content))[
        ical.session_uid(sessions["talk-hall-mobility"])
    ]
    assert str(entry["LOCATION"]).startswith("Aula Magna, ")


def test_speaker_change_reaches_the_cached_entries(client, schedule):
    event, *_rest, sessions = schedule
    session = sessions["talk-hall-mobility"]
    speaker = SpeakerFactory(event=event, name="Ada", affiliation="")
    services.update_session(session=session, speakers=[speaker])
    feed(client, event)

    services.save_speaker(speaker=speaker, name="Ada Lovelace")
    response = feed(client, event)

    entry = entries_by_uid(parse(response.content))[ical.session_uid(session)]
    assert "Speakers: Ada Lovelace\n" in str(entry["DESCRIPTION"])


def test_matching_etag_gets_304(client, schedule):
    event, *_rest = schedule
    first = feed(client, event)

    again = client.get(
        f"/events/{event.slug}/schedule.ics", HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == first["ETag"]


def test_if_modified_since_gets_304_until_the_schedule_changes(client, schedule):
    event, *_rest, sessions = schedule
    first = feed(client, event)
    since = first["Last-Modified"]

    unchanged = client.get(
        f"/events/{event.slug}/schedule.ics", HTTP_IF_MODIFIED_SINCE=since
    )
    event.schedule_changed_at = event.schedule_changed_at + timedelta(seconds=5)
    Event.objects.filter(pk=event.pk).update(
        schedule_changed_at=event.schedule_changed_at,
        schedule_version=event.schedule_version + 1,
    )
    changed = client.get(
        f"/events/{event.slug}/schedule.ics", HTTP_IF_MODIFIED_SINCE=since
    )

    assert unchanged.status_code == 304
    assert changed.status_code == 200


def test_head_answers_headers_without_a_body(client, schedule):
    event, *_rest = schedule
    get = feed(client, event)

    head = client.head(f"/events/{event.slug}/schedule.ics")

    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(get.content))
    assert head["ETag"] == get["ETag"]


def test_post_is_not_allowed(client, schedule):
    event, *_rest = schedule

    assert client.post(f"/events/{event.slug}/schedule.ics").status_code == 405


def _bulk_sessions(event, count):
    rooms = [RoomFactory(venue=event.venue) for _ in range(5)]
    speakers = [SpeakerFactory(event=event) for _ in range(5)]
    start = event.starts_at
    made = Session.objects.bulk_create(
        Session(
            event=event,
            title=f"Session {n}",
            abstract="About it",
            room=rooms[n % 5],
            starts_at=start + timedelta(minutes=n % 600),
            ends_at=start + timedelta(minutes=n % 600 + 30),
        )
        for n in range(count)
    )
    Session.speakers.through.objects.bulk_create(
        Session.speakers.through(session_id=s.pk, speaker_id=speakers[n % 5].pk)
        for n, s in enumerate(made)
    )


def _reads(captured) -> list[str]:
    return [
        q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT")
    ]


@pytest.mark.parametrize("count", [10, 2000])
def test_query_count_is_constant_and_a_cached_feed_needs_one(client, count):
    event = EventFactory()
    _bulk_sessions(event, count)

    # Version; event; the sessions' key rows; their stored entries; the
    # sessions; their speakers; then the built entries are written (in batches
    # as the database takes them).
    with CaptureQueriesContext(connection) as captured:
        cold = feed(client, event)
    assert len(_reads(captured)) == 6
    # Only the event's schedule version when the feed is cached.
    with CaptureQueriesContext(connection) as captured:
        warm = feed(client, event)
    assert len(captured) == 1

    # Counted with a cheap scan: parse() of 2,000 entries takes seconds.
    assert cold.content.count(b"BEGIN:VEVENT\r\n") == count
    assert warm.content == cold.content


@pytest.mark.parametrize("count", [10, 300])
def test_after_a_cache_loss_no_entry_is_rebuilt(
    client, count, django_assert_num_queries, monkeypatch
):
    event = EventFactory()
    _bulk_sessions(event, count)
    first = feed(client, event)
    cache.clear()  # as a Redis flush or restart
    built = []
    monkeypatch.setattr(
        ical,
        "session_entry",
        lambda s, real=ical.session_entry: built.append(s) or real(s),
    )

    # Version; event; the sessions' key rows; their stored entries: no session
    # is loaded and nothing is written.
    with django_assert_num_queries(4):
        again = feed(client, event)

    assert built == []
    assert again.content == first.content


def test_after_a_cache_loss_only_a_changed_entry_is_rebuilt(
    client, schedule, monkeypatch
):
    event, *_rest, sessions = schedule
    feed(client, event)
    changed = sessions["talk-hall-mobility"]
    services.update_session(session=changed, title="Mobility, renamed")
    cache.clear()
    built = []
    monkeypatch.setattr(
        ical,
        "session_entry",
        lambda s, real=ical.session_entry: built.append(s) or real(s),
    )

    response = feed(client, event)

    assert [s.pk for s in built] == [changed.pk]
    entry = entries_by_uid(parse(response.content))[ical.session_uid(changed)]
    assert str(entry["summary"]) == "Mobility, renamed"
    # The stale copy was replaced, not added beside it.
    assert FeedEntry.objects.filter(session=changed).count() == 1
    # And the durable copies make the same feed as building every entry anew.
    cache.clear()
    FeedEntry.objects.all().delete()
    assert feed(client, event).content == response.content


def test_each_language_keeps_its_own_entries(client, schedule):
    event, *_rest, sessions = schedule
    english = feed(client, event)
    finnish = client.get(f"/events/{event.slug}/schedule.ics", {"lang": "fi"})
    cache.clear()

    assert feed(client, event).content == english.content
    assert (
        client.get(f"/events/{event.slug}/schedule.ics", {"lang": "fi"}).content
        == finnish.content
    )
    languages = FeedEntry.objects.filter(session=sessions["break-none"])
    assert sorted(languages.values_list("language", flat=True)) == ["en", "fi"]


def test_deleting_a_session_deletes_its_stored_entries(client, schedule):
    event, *_rest, sessions = schedule
    feed(client, event)
    session = sessions["break-none"]
    assert FeedEntry.objects.filter(session=session).exists()

    session.delete()

    assert not FeedEntry.objects.filter(session_id=session.pk).exists()


def test_session_feed_is_a_download_of_one_entry(client, schedule):
    event, *_rest, sessions = schedule
    session = sessions["talk-hall-mobility"]

    response = client.get(f"/events/forum/sessions/{session.uuid}.ics")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="forum-{session.uuid}.ics"'
    )
    assert uids(response) == {f"{session.uuid}@{settings.CALENDAR_UID_DOMAIN}"}


def test_session_feed_of_another_event_is_404(client, schedule):
    event, *_rest = schedule
    other = SessionFactory()

    response = client.get(f"/events/forum/sessions/{other.uuid}.ics")

    assert response.status_code == 404


def test_all_events_feed_lists_public_upcoming_events_once_each(client):
    listed = EventFactory(sequence=2)
    cancelled = EventFactory(status=Event.Status.CANCELLED)
    EventFactory(status=Event.Status.DRAFT)
    EventFactory(visibility=Event.Visibility.UNLISTED)
    EventFactory(
        starts_at=datetime(2025, 5, 5, 6, tzinfo=UTC),
        ends_at=datetime(2025, 5, 6, 16, tzinfo=UTC),
    )
    SessionFactory(event=listed)

    response = client.get("/events.ics")

    entries = entries_by_uid(parse(response.content))
    assert {uid: (int(e["SEQUENCE"]), e["STATUS"]) for uid, e in entries.items()} == {
        f"event-{listed.uuid}@{settings.CALENDAR_UID_DOMAIN}": (2, "CONFIRMED"),
        f"event-{cancelled.uuid}@{settings.CALENDAR_UID_DOMAIN}": (0, "CANCELLED"),
    }
    assert response["Cache-Control"] == "public, max-age=300"


def test_all_events_feed_changes_etag_when_an_event_changes(client):
    event = EventFactory()
    first = client.get("/events.ics")

    services.update_event(event=event, title="Spring Forum 2027")
    second = client.get("/events.ics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == 200
    entry = entries_by_uid(parse(second.content))[ical.event_uid(event)]
    assert str(entry["SUMMARY"]) == "Spring Forum 2027"


def test_empty_all_events_feed_is_valid(client):
    response = client.get("/events.ics")

    calendar = parse(response.content)
    assert calendar.walk("VEVENT") == []


def test_subscribe_box_offers_every_way_to_subscribe(rf):
    event = EventFactory(slug="forum", title="Spring Forum")
    request = rf.get("/events/forum/schedule/", {"track": "mobility", "day": "2"})
    template = Template("{% load event_feeds %}{% subscribe_box event filtered=True %}")

    html = template.render(Context({"event": event, "request": request}))

    feed_url = "http://127.0.0.1:8000/events/forum/schedule.ics?track=mobility"
    assert f'value="{feed_url}"' in html
    assert (
        'href="webcal://127.0.0.1:8000/events/forum/schedule.ics?track=mobility"'
        in html
    )
    assert (
        'href="https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F127.0.0.1'
        '%3A8000%2Fevents%2Fforum%2Fschedule.ics%3Ftrack%3Dmobility"'
    ) in html
    assert (
        'href="https://outlook.live.com/calendar/0/addfromweb?url=http%3A%2F%2F127.0.0.1'
        "%3A8000%2Fevents%2Fforum%2Fschedule.ics%3Ftrack%3Dmobility&amp;name=Spring+"
        'Forum%3A+schedule"'
    ) in html
    assert f'<a href="{feed_url}" download>' in html
    assert "<label for=" in html


def test_session_calendar_url_tag(schedule):
    event, *_rest, sessions = schedule
    session = sessions["break-none"]

    html = Template("{% load event_feeds %}{% session_calendar_url session %}").render(
        Context({"session": session})
    )

    assert html == f"http://127.0.0.1:8000/events/forum/sessions/{session.uuid}.ics"


def test_gzip_clients_get_the_same_feed_compressed(client, schedule):
    event, *_rest = schedule
    plain = feed(client, event)

    packed = client.get(
        f"/events/{event.slug}/schedule.ics", HTTP_ACCEPT_ENCODING="gzip, deflate"
    )
    refused = client.get(
        f"/events/{event.slug}/schedule.ics", HTTP_ACCEPT_ENCODING="gzip;q=0"
    )
    revalidated = client.get(
        f"/events/{event.slug}/schedule.ics",
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=packed["ETag"],
    )

    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert packed["ETag"] == f"W/{plain['ETag']}"
    assert "Accept-Encoding" in packed["Vary"]
    assert refused.content == plain.content
    assert not refused.has_header("Content-Encoding")
    assert revalidated.status_code == 304


@pytest.mark.redis
def test_feed_cache_works_on_redis(
    client, schedule, redis_url, django_assert_num_queries
):
    """In production the cache is Redis, shared by the workers: bytes survive it."""
    event, *_rest = schedule
    base = redis_url.rsplit("/", 1)[0] if redis_url.count("/") > 2 else redis_url
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{base}/13",  # a database of this test's own
            "KEY_PREFIX": "kokous-test-feeds",
        }
    }
    with override_settings(CACHES=caches):
        from django.core.cache import caches as handler

        handler["default"].clear()
        try:
            first = feed(client, event)
            with django_assert_num_queries(1):
                second = feed(client, event)
            packed = client.get(
                f"/events/{event.slug}/schedule.ics", HTTP_ACCEPT_ENCODING="gzip"
            )
        finally:
            handler["default"].clear()

    assert second.content == first.content
    assert gzip.decompress(packed.content) == first.content
