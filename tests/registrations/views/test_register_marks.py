"""The register form marks required answers and puts each registration type's
description beside its choice."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    EventFactory,
    QuestionFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
MARK = '<span class="required-mark">(required)</span>'


def _page(client, event) -> str:
    client.force_login(UserFactory())
    response = client.get(
        reverse("registrations:register", kwargs={"slug": event.slug})
    )
    assert response.status_code == 200
    return response.content.decode()


def test_required_questions_are_marked_and_optional_ones_are_not(client):
    event = EventFactory()
    needed = QuestionFactory(event=event, label="Organisation", required=True)
    optional = QuestionFactory(event=event, label="Diet", required=False)

    page = _page(client, event)

    assert f'<label for="id_q_{needed.pk}">Organisation {MARK}</label>' in page
    assert f'<label for="id_q_{optional.pk}">Diet</label>' in page


def test_each_type_description_sits_in_its_choice(client):
    event = EventFactory()
    student = RegistrationTypeFactory(
        event=event, name="Student", description="With a valid student card."
    )
    RegistrationTypeFactory(event=event, name="Regular", description="")

    page = _page(client, event)

    choices = re.findall(r'<div class="choice">(.*?)</div>', page, re.S)
    student_choice = next(c for c in choices if f'value="{student.pk}"' in c)
    assert "Student</label>" in student_choice
    assert (
        '<span class="choice-help help">With a valid student card.</span>'
        in student_choice
    )
    regular_choice = next(c for c in choices if "Regular</label>" in c)
    assert "choice-help" not in regular_choice
