"""The invitee's answers through the link: accepting without a password (and
signing in later by a code), declining with confirmation and a reason, and
changing the answer until the answer-by date."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from registrations.models import Activity, Invitation, Registration
from registrations.selectors import places
from registrations.services import invitations as services
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return EventFactory(
        title="Rectors' Meeting",
        visibility=Event.Visibility.INVITATION_ONLY,
        capacity=2,
        waitlist_enabled=True,
    )


@pytest.fixture
def invitation(meeting):
    return services.invite(
        event=meeting,
        email="sigrid@kth.se",
        name="Sigrid Berg",
        registration_type=RegistrationTypeFactory(event=meeting, name="Rector"),
        reserves_seat=True,
        rsvp_deadline=timezone.now() + timedelta(days=7),
    )


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _login_code(message) -> str:
    return re.search(r"^([A-Z0-9]{4,}(?:-[A-Z0-9]+)*)\s*$", message.body, re.M)[1]


def _past_deadline(invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        rsvp_deadline=timezone.now() - timedelta(minutes=1)
    )


# --- accepting without a password -------------------------------------------------


def test_accepting_needs_no_password_and_the_person_signs_in_later_by_code(
    client, invitation
):
    accepted = client.post(
        invitation.answer_path(), {"action": "signup", "name": "Sigrid Berg"}
    )
    sigrid = get_user_model().objects.get(email="sigrid@kth.se")
    assert accepted.status_code == 302
    assert sigrid.has_usable_password() is False
    assert "_auth_user_id" not in client.session  # the link signed nobody in

    mail.outbox.clear()
    requested = client.post(
        reverse("account_request_login_code"), {"email": "sigrid@kth.se"}
    )
    code = _login_code(mail.outbox[-1])
    signed_in = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert requested.status_code == 302
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(sigrid.pk)
    assert Registration.objects.get(attendee=sigrid).status == "confirmed"


def test_the_invitation_link_alone_never_signs_anyone_in(client, invitation):
    client.post(invitation.answer_path(), {"action": "signup", "name": "Sigrid"})

    other = Client()
    for response in (
        other.get(invitation.answer_path()),
        other.get(f"{invitation.answer_path()}?answer=accept"),
        other.get(f"{invitation.answer_path()}?answer=decline"),
    ):
        assert response.status_code == 200
        assert response.wsgi_request.user.is_authenticated is False
    assert other.get(reverse("registrations:mine")).status_code == 302
    assert "_auth_user_id" not in other.session


def test_the_accept_link_shows_one_form_with_no_password(client, invitation):
    page = _page(client.get(f"{invitation.answer_path()}?answer=accept"))

    actions = [i["value"] for i in page.find_all("input", attrs={"name": "action"})]
    assert actions == ["signup"]
    assert page.find("input", attrs={"type": "password"}) is None
    assert page.find("input", attrs={"name": "name"})["value"] == "Sigrid Berg"


# --- declining ----------------------------------------------------------------------


def test_declining_asks_for_confirmation_and_keeps_the_reason(client, invitation):
    invitation_page = _page(client.get(invitation.answer_path()))
    confirm_page = _page(client.get(f"{invitation.answer_path()}?answer=decline"))
    response = client.post(
        f"{invitation.answer_path()}?answer=decline",
        {"action": "decline", "reason": "Chairing the board that day."},
    )

    actions = [
        i["value"] for i in invitation_page.find_all("input", attrs={"name": "action"})
    ]
    assert "decline" not in actions  # no one-click decline on the page itself
    assert invitation_page.find("a", string="I cannot come…")["href"] == (
        f"{invitation.answer_path()}?answer=decline"
    )
    assert confirm_page.find("textarea", attrs={"name": "reason"}) is not None
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert invitation.decline_reason == "Chairing the board that day."
    fact = Activity.objects.get(verb="invitation_declined")
    assert fact.details["reason"] == "Chairing the board that day."
    assert places.places_taken(invitation.event) == 0  # the reserved place is free


def test_organisers_see_the_reason_in_the_invitation_list(client, invitation):
    owner = EventOrganiserFactory(event=invitation.event).user
    client.post(
        invitation.answer_path(),
        {"action": "decline", "reason": "Chairing the board that day."},
    )
    client.force_login(owner)

    page = _page(
        client.get(reverse("organise:invitations", args=[invitation.event.slug]))
    )

    [row] = [tr for tr in page.find_all("tr") if "sigrid@kth.se" in tr.get_text()]
    assert "Declined" in row.get_text()
    assert "Chairing the board that day." in row.get_text()


# --- changing the answer -------------------------------------------------------------


def test_a_declined_invitation_can_be_accepted_before_the_answer_by_date(
    client, invitation
):
    client.post(invitation.answer_path(), {"action": "decline"})

    page = client.get(invitation.answer_path()).content.decode()
    response = client.post(
        invitation.answer_path(), {"action": "signup", "name": "Sigrid Berg"}
    )

    invitation.refresh_from_db()
    registration = Registration.objects.get(attendee__email="sigrid@kth.se")
    assert "Changed your mind?" in page
    assert response.status_code == 302
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.registration == registration
    assert invitation.decline_reason == ""
    assert registration.status == Registration.Status.CONFIRMED
    assert list(
        Activity.objects.filter(invitation=invitation)
        .order_by("pk")
        .values_list("verb", flat=True)
    ) == ["invited", "invitation_declined", "invitation_accepted"]


def test_accepting_again_waits_when_the_place_went_to_someone_else(
    client, invitation, meeting
):
    client.post(invitation.answer_path(), {"action": "decline"})
    RegistrationFactory.create_batch(2, event=meeting, status="confirmed")

    client.post(invitation.answer_path(), {"action": "signup", "name": "Sigrid"})

    registration = Registration.objects.get(attendee__email="sigrid@kth.se")
    assert registration.status == Registration.Status.WAITLISTED


def test_an_accepted_invitation_can_be_declined_which_frees_the_place(
    client, invitation, meeting
):
    client.post(invitation.answer_path(), {"action": "signup", "name": "Sigrid"})
    waiting = RegistrationFactory(event=meeting, status="confirmed")
    last = RegistrationFactory(event=meeting, status="waitlisted")

    page = _page(client.get(invitation.answer_path()))
    response = client.post(
        invitation.answer_path(), {"action": "decline", "reason": "Ill."}
    )

    invitation.refresh_from_db()
    registration = invitation.registration
    registration.refresh_from_db()
    last.refresh_from_db()
    assert page.find("textarea", attrs={"name": "reason"}) is not None
    assert response.status_code == 302
    assert invitation.status == Invitation.Status.DECLINED
    assert invitation.decline_reason == "Ill."
    assert registration.status == Registration.Status.CANCELLED
    assert last.status != Registration.Status.WAITLISTED  # promoted or offered
    assert waiting.status == "confirmed"


def test_after_the_answer_by_date_a_declined_answer_cannot_change(client, invitation):
    client.post(invitation.answer_path(), {"action": "decline"})
    _past_deadline(invitation)

    page = client.get(invitation.answer_path())
    refused = client.post(
        invitation.answer_path(), {"action": "signup", "name": "Sigrid"}
    )

    invitation.refresh_from_db()
    assert "the answer can no longer be changed" in page.content.decode()
    assert _page(page).find("input", attrs={"name": "action"}) is None
    assert "the answer can no longer be changed" in refused.content.decode()
    assert invitation.status == Invitation.Status.DECLINED
    assert not Registration.objects.filter(attendee__email="sigrid@kth.se").exists()


def test_after_the_answer_by_date_an_acceptance_cannot_be_declined(client, invitation):
    client.post(invitation.answer_path(), {"action": "signup", "name": "Sigrid"})
    _past_deadline(invitation)

    refused = client.post(invitation.answer_path(), {"action": "decline"})

    invitation.refresh_from_db()
    assert "The answer-by date" in refused.content.decode()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.registration.status == Registration.Status.CONFIRMED
