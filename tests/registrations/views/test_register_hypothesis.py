"""Arbitrary form data never makes the registration view fail or half-write."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registrations.models import Answer, Registration, SessionSeat
from tests.factories import (
    EventFactory,
    QuestionFactory,
    RegistrationTypeFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=60,
)


@pytest.fixture
def forum():
    event = EventFactory(capacity=5, privacy_notice="We keep data for a year.")
    types = [RegistrationTypeFactory(event=event) for _ in range(2)]
    questions = [
        QuestionFactory(event=event, kind="short_text", required=True),
        QuestionFactory(event=event, kind="single_choice", choices=["A", "B"]),
        QuestionFactory(event=event, kind="multiple_choice", choices=["x", "y"]),
        QuestionFactory(event=event, kind="yes_no"),
        QuestionFactory(event=event, kind="country"),
        QuestionFactory(event=event, kind="date"),
    ]
    sessions = [SessionFactory(event=event, signup_required=True, capacity=2)]
    names = ["registration_type", "privacy", "sessions"] + [
        f"q_{q.pk}" for q in questions
    ]
    values = [str(t.pk) for t in types] + [str(s.pk) for s in sessions] + ["on", "A"]
    return event, names, values


def counts():
    return (
        Registration.objects.count(),
        Answer.objects.count(),
        SessionSeat.objects.count(),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_arbitrary_posts_never_error_nor_half_write(client, forum, data):
    event, names, known_values = forum
    user = UserFactory()
    client.force_login(user)
    keys = st.one_of(st.sampled_from(names), text)
    values = st.one_of(st.sampled_from(known_values), text)
    payload = data.draw(st.dictionaries(keys, st.lists(values, max_size=3), max_size=8))
    before = counts()

    response = client.post(
        reverse("registrations:register", kwargs={"slug": event.slug}), payload
    )

    assert response.status_code in {200, 302}
    registration = Registration.objects.filter(attendee=user).first()
    if response.status_code == 200:
        assert counts() == before  # refused: nothing written
        assert registration is None
    else:
        assert registration is not None
        assert registration.privacy_notice_accepted == "We keep data for a year."
        assert Answer.objects.filter(registration=registration).count() >= 1
