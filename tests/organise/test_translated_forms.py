"""Organisers write each text per language; the forms group the languages."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Event, Session, Track
from registrations.models import Question
from tests.factories import TrackFactory

from .test_programme import session_data
from .test_settings import current, new_event_data, step_url

pytestmark = pytest.mark.django_db


def url(name, event, *args):
    return reverse(f"organise:{name}", args=[event.slug, *args])


def test_basics_save_each_language_and_the_events_languages(owner_client, forum):
    form = owner_client.get(step_url(forum, "basics")).context["form"]
    data = current(form) | {
        "title_fi": "Kevätpäivät",
        "title_sv": "Vårforum",
        "summary_fi": "Kolme päivää.",
        "languages": "fi, sv, en",
    }

    response = owner_client.post(step_url(forum, "basics"), data)

    assert response.status_code == 302
    forum = Event.objects.get(pk=forum.pk)
    assert (forum.title_en, forum.title_fi, forum.title_sv) == (
        "Spring Forum",
        "Kevätpäivät",
        "Vårforum",
    )
    assert forum.summary_fi == "Kolme päivää."
    assert forum.languages == "fi, sv, en"


def test_basics_group_the_languages_of_each_text(owner_client, forum):
    Event.objects.filter(pk=forum.pk).update(languages="sv,en")

    body = owner_client.get(step_url(forum, "basics")).content.decode()

    groups = re.findall(
        r'<fieldset class="lang-group">\s*<legend>(.*?)</legend>(.*?)</fieldset>',
        body,
        re.S,
    )
    assert [legend for legend, _fields in groups] == [
        "Title",
        "Summary",
        "Description",
    ]
    # The event's languages first, each field marked with its language.
    names = re.findall(r'name="(title_\w+)"', groups[0][1])
    assert names == ["title_sv", "title_en", "title_fi"]
    assert 'lang="sv"' in groups[0][1]


def test_a_title_is_needed_in_one_language_at_least(owner_client, forum):
    form = owner_client.get(step_url(forum, "basics")).context["form"]
    data = current(form) | {"title_en": ""}

    response = owner_client.post(step_url(forum, "basics"), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title_en": ["Write this in at least one language."]
    }


def test_bad_event_languages_are_a_form_error(owner_client, forum):
    form = owner_client.get(step_url(forum, "basics")).context["form"]

    response = owner_client.post(
        step_url(forum, "basics"), current(form) | {"languages": "fi, de"}
    )

    assert response.status_code == 200
    assert "languages" in response.context["form"].errors


def test_a_session_saves_its_title_and_abstract_per_language(owner_client, forum):
    data = session_data(title_fi="Avajaiset", abstract_sv="Välkommen.")

    response = owner_client.post(url("sessions_new", forum), data)

    assert response.status_code == 302
    session = Session.objects.get(event=forum)
    assert (session.title_en, session.title_fi, session.title_sv) == (
        "Opening plenary",
        "Avajaiset",
        None,
    )
    assert session.abstract_sv == "Välkommen."


def test_a_track_saves_its_name_per_language(owner_client, forum):
    track = TrackFactory(event=forum, slug="mobility", name="Mobility")

    owner_client.post(
        url("tracks_edit", forum, track.pk),
        {"name_en": "Mobility", "name_fi": "Liikkuvuus", "slug": "mobility",
         "colour": "#8250df"},
    )  # fmt: skip

    track = Track.objects.get(pk=track.pk)
    assert (track.name_en, track.name_fi) == ("Mobility", "Liikkuvuus")


def test_a_question_saves_its_texts_and_choices_per_language(owner_client, forum):
    response = owner_client.post(
        url("settings_questions_new", forum),
        {
            "label_en": "Lunch",
            "label_fi": "Lounas",
            "kind": "single_choice",
            "choices_text_en": "Fish\nVegetarian",
            "choices_text_fi": "Kala\nKasvis",
            "position": "1",
        },
    )

    assert response.status_code == 302
    lunch = Question.objects.get(event=forum)
    assert (lunch.label_en, lunch.label_fi) == ("Lunch", "Lounas")
    assert (lunch.choices_en, lunch.choices_fi) == (
        ["Fish", "Vegetarian"],
        ["Kala", "Kasvis"],
    )
    # Answers store the first language's choice; Finnish shows its own words.
    with translation.override("fi"):
        assert lunch.choice_pairs() == [("Fish", "Kala"), ("Vegetarian", "Kasvis")]


def test_choices_must_match_in_number_across_languages(owner_client, forum):
    response = owner_client.post(
        url("settings_questions_new", forum),
        {
            "label_en": "Lunch",
            "kind": "single_choice",
            "choices_text_en": "Fish\nVegetarian",
            "choices_text_fi": "Kala",
            "position": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "choices_text_en": ["Give the same number of choices in each language."]
    }


def test_a_new_event_starts_in_the_organisers_language(owner_client, forum):
    owner_client.post(
        reverse("organise:new_event"),
        new_event_data(title="Syysseminaari"),
        HTTP_ACCEPT_LANGUAGE="fi",
    )

    event = Event.objects.get(slug="autumn-seminar")
    assert (event.title_fi, event.title_en) == ("Syysseminaari", None)
    assert event.languages == "fi,en,sv"
