"""The registration form in the person's language, falling back through the
event's languages: type names, question labels, help and choices."""

import html

import pytest
from django.urls import reverse

from registrations.models import Question
from tests.factories import (
    EventFactory,
    QuestionFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_the_registration_form_speaks_the_language_asked_for(client):
    event = EventFactory(languages="fi,en")
    RegistrationTypeFactory(event=event, name_en="Delegate", name_fi="Edustaja")
    RegistrationTypeFactory(event=event, name_en="Speaker", name_fi=None)
    QuestionFactory(
        event=event,
        label_en="Lunch",
        label_fi="Lounas",
        help_text_en="Choose one.",
        kind=Question.Kind.SINGLE_CHOICE,
        choices_en=["Fish", "Vegetarian"],
        choices_fi=["Kala", "Kasvis"],
    )
    client.force_login(UserFactory())
    url = reverse("registrations:register", kwargs={"slug": event.slug})

    finnish = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="fi").content.decode())
    swedish = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode())

    assert "Edustaja" in finnish and "Speaker" in finnish  # no Finnish name: English
    assert "Lounas" in finnish and "Choose one." in finnish
    # The Finnish words are shown; the value stored is the first language's.
    assert 'value="Fish"' in finnish and "Kala" in finnish
    # Nothing in Swedish: the event's first language, Finnish.
    assert "Edustaja" in swedish and "Lounas" in swedish and "Kasvis" in swedish
