"""Cancelling asks first, on a page of its own, with the question at the top."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.models import Registration
from registrations.services.registering import register_attendee
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db
PRIVATE = "private, no-store"


def _cancel_path(registration) -> str:
    return reverse("registrations:cancel", kwargs={"token": registration.manage_token})


def test_manage_page_links_to_the_question_page(client):
    registration = register_attendee(event=EventFactory(), attendee=UserFactory())

    page = client.get(registration.manage_path()).content.decode()

    assert f'href="{_cancel_path(registration)}"' in page


def test_the_question_comes_first_and_cancels_nothing_by_itself(client):
    registration = register_attendee(
        event=EventFactory(title="Spring Forum"), attendee=UserFactory()
    )

    response = client.get(_cancel_path(registration))

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
    page = response.content.decode()
    main = page[page.index("<main") :]
    heading = main.index("<h1>Cancel your registration for Spring Forum?</h1>")
    form = main.index('<form method="post" class="confirm-actions">')
    assert heading < form
    # Nothing between the question and its answer but the one explanation.
    assert main[heading:form].count("<p>") == 1
    assert f'href="{registration.manage_path()}"' in main
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_posting_the_answer_cancels_and_frees_the_place(client):
    event = EventFactory(capacity=1)
    registration = register_attendee(event=event, attendee=UserFactory())
    waiting = register_attendee(event=event, attendee=UserFactory())

    response = client.post(_cancel_path(registration))

    assert response.status_code == 302
    assert response["Location"] == registration.manage_path()
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status) == ("cancelled", "confirmed")
    page = client.get(registration.manage_path()).content.decode()
    assert "Your registration is cancelled." in page


def test_after_the_deadline_the_page_says_so_and_a_post_is_refused(client):
    event = EventFactory()
    registration = register_attendee(event=event, attendee=UserFactory())
    type(event).objects.filter(pk=event.pk).update(
        modification_deadline=timezone.now() - timedelta(hours=1)
    )

    page = client.get(_cancel_path(registration)).content.decode()
    response = client.post(_cancel_path(registration))

    assert "The deadline for changes has passed" in page
    assert "Yes, cancel my registration" not in page
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_a_cancelled_registration_goes_back_to_its_page(client):
    registration = register_attendee(event=EventFactory(), attendee=UserFactory())
    client.post(_cancel_path(registration))

    response = client.get(_cancel_path(registration))

    assert response.status_code == 302
    assert response["Location"] == registration.manage_path()


def test_an_unknown_token_is_not_found(client):
    response = client.get(reverse("registrations:cancel", kwargs={"token": "nope"}))

    assert response.status_code == 404
