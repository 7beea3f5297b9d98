"""Event content in English, Finnish and Swedish: pages and feeds show the
language asked for, falling back through the event's languages in order."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from events import selectors
from events.caching import SessionRow
from events.languages import event_languages, translated, validate_languages
from events.models import Event, Session
from events.selectors import ScheduleFilters
from tests.factories import EventFactory, RoomFactory, SessionFactory, TrackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum():
    """Finnish first, then English; nothing written in Swedish."""
    event = EventFactory(
        slug="kevatpaivat",
        title_en="Spring Forum",
        title_fi="Kevätpäivät",
        summary_en="Three days in Otaniemi.",
        summary_fi="Kolme päivää Otaniemessä.",
        languages="fi,en",
    )
    track = TrackFactory(event=event, name_en="Mobility", name_fi="Liikkuvuus")
    room = RoomFactory(
        venue=event.venue, name_en="Lobby", name_fi="Aula", name_sv="Foajén"
    )
    session = SessionFactory(
        event=event,
        title_en="Opening",
        title_fi="Avajaiset",
        abstract_en="Welcome words.",
        track=track,
        room=room,
    )
    return event, session


def page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    return html.unescape(response.content.decode())


def test_pages_show_the_language_asked_for(client, forum):
    event, session = forum
    schedule = reverse("events:schedule", kwargs={"slug": event.slug})

    assert "Kevätpäivät" in page(client, event.get_absolute_url(), "fi")
    assert "Spring Forum" in page(client, event.get_absolute_url(), "en")
    finnish = page(client, schedule, "fi")
    assert ">Avajaiset</a>" in finnish
    assert "Liikkuvuus" in finnish and "Aula" in finnish
    english = page(client, schedule, "en")
    assert ">Opening</a>" in english and "Mobility" in english
    assert "Lobby" in english
    assert "Avajaiset" in page(client, session.get_absolute_url(), "fi")


def test_pages_fall_back_through_the_events_languages(client, forum):
    event, session = forum
    schedule = reverse("events:schedule", kwargs={"slug": event.slug})

    # Nothing in Swedish: the event's first language (Finnish), not English.
    swedish = page(client, schedule, "sv")
    assert ">Avajaiset</a>" in swedish
    assert "Foajén" in swedish  # the room has a Swedish name
    assert "Kevätpäivät" in page(client, event.get_absolute_url(), "sv")
    on_session = page(client, session.get_absolute_url(), "sv")
    assert "Avajaiset" in on_session
    # The abstract exists in English only: shown in English.
    assert "Welcome words." in on_session


def test_the_fallback_follows_the_order_of_the_events_languages(client, forum):
    event, _session = forum
    Event.objects.filter(pk=event.pk).update(languages="en,fi")

    assert "Spring Forum" in page(client, event.get_absolute_url(), "sv")


def feed(client, event, **params):
    url = reverse("events:schedule_feed", kwargs={"slug": event.slug})
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode().replace("\r\n ", "")


def test_feeds_use_the_language_asked_for(client, forum):
    event, _session = forum

    finnish = feed(client, event, lang="fi")
    english = feed(client, event, lang="en")

    assert "SUMMARY:Avajaiset" in finnish
    assert "X-WR-CALNAME:Kevätpäivät" in finnish
    assert "SUMMARY:Opening" in english
    assert "X-WR-CALNAME:Spring Forum" in english


def test_feeds_default_to_the_events_first_language(client, forum):
    event, _session = forum

    assert "SUMMARY:Avajaiset" in feed(client, event)
    Event.objects.filter(pk=event.pk).update(languages="en,fi")
    assert "SUMMARY:Opening" in feed(client, event)


def test_feeds_fall_back_through_the_events_languages(client, forum):
    event, session = forum

    swedish = feed(client, event, lang="sv")

    assert "SUMMARY:Avajaiset" in swedish
    assert "Foajén" in swedish  # LOCATION: the room's own Swedish name
    session_url = reverse(
        "events:session_feed", kwargs={"slug": event.slug, "session_uuid": session.uuid}
    )
    assert (
        "SUMMARY:Avajaiset" in client.get(session_url, {"lang": "sv"}).content.decode()
    )


def test_a_feed_in_an_unknown_language_is_a_404_with_a_reason(client, forum):
    event, _session = forum
    url = reverse("events:schedule_feed", kwargs={"slug": event.slug})

    response = client.get(url, {"lang": "de"})

    assert response.status_code == 404
    assert b"language" in response.content
    assert (
        client.get(reverse("events:all_events_feed"), {"lang": "de"}).status_code == 404
    )


def test_all_events_feed_falls_back_per_event(client, forum):
    event, _session = forum

    content = client.get(reverse("events:all_events_feed"), {"lang": "sv"})

    assert "SUMMARY:Kevätpäivät" in content.content.decode()


def test_cache_keys_differ_by_language(forum):
    event, _session = forum
    filters = ScheduleFilters(day=event.local_days()[0])
    keys = {
        selectors.schedule_cache_key(event, filters, language)
        for language in ("en", "fi", "sv")
    }
    (row,) = SessionRow.read(Session.objects.filter(event=event))
    entry_keys = set()
    for language in ("en", "fi", "sv"):
        with translation.override(language):
            entry_keys.add(row.entry_key())

    assert len(keys) == 3
    assert len(entry_keys) == 3


def test_feed_versions_differ_by_language(client, forum):
    event, _session = forum
    url = reverse("events:schedule_feed", kwargs={"slug": event.slug})

    etags = {client.get(url, {"lang": code})["ETag"] for code in ("en", "fi", "sv")}

    assert len(etags) == 3


def test_light_rows_coalesce_the_translated_columns(forum):
    event, session = forum
    rows = Session.objects.rewrite(False).filter(pk=session.pk)

    with translation.override("sv"):
        (row,) = rows.values_list(translated("title"), translated("abstract"))

    # sv is empty: the settings' order (en, fi, sv) outside an event's request.
    assert row == ("Opening", "Welcome words.")
    with translation.override("fi"):
        assert rows.values_list(translated("title"), flat=True)[0] == "Avajaiset"


def test_an_events_languages_are_checked_and_ordered():
    event = Event(languages=" fi, sv ")

    assert event_languages(event) == ["fi", "sv"]
    assert event_languages(Event(languages="")) == ["en", "fi", "sv"]
    for bad in ("de", "fi,fi", ","):
        with pytest.raises(ValidationError):
            validate_languages(bad)
