"""Pages that are secret links, or show one, are kept by no cache."""

import pytest
from django.urls import reverse

from registrations.services.calendar import get_personal_calendar
from registrations.services.registering import register_attendee
from tests.factories import (
    EventFactory,
    InvitationFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PRIVATE = "private, no-store"


def test_manage_page_is_not_cached_whatever_it_answers(client):
    event = EventFactory()
    question = QuestionFactory(event=event, label="Organisation", required=True)
    registration = register_attendee(event=event, attendee=UserFactory())

    page = client.get(registration.manage_path())
    confirm = client.get(registration.manage_path(), {"confirm": "cancel"})
    refused = client.post(
        registration.manage_path(), {"action": "answers", f"q_{question.pk}": ""}
    )
    done = client.post(registration.manage_path(), {"action": "cancel"})

    assert [page.status_code, confirm.status_code, refused.status_code] == [200] * 3
    assert done.status_code == 302
    assert [r["Cache-Control"] for r in (page, confirm, refused, done)] == [PRIVATE] * 4


def test_personal_calendar_page_is_not_cached_but_the_feed_may_be(client):
    person = UserFactory()
    feed = get_personal_calendar(user=person).feed_path()
    client.force_login(person)

    page = client.get(reverse("registrations:personal_calendar"))
    fetched = client.get(feed)

    assert (page.status_code, page["Cache-Control"]) == (200, PRIVATE)
    # Calendar apps poll the feed with its validators; it stays private, not no-store.
    assert fetched.status_code == 200
    assert "no-store" not in fetched["Cache-Control"]
    assert "private" in fetched["Cache-Control"]


def test_invitation_page_is_not_cached(client):
    invitation = InvitationFactory()

    page = client.get(invitation.answer_path())

    assert (page.status_code, page["Cache-Control"]) == (200, PRIVATE)
