"""Inviting in the admin: one person or a pasted list / CSV file, all or nothing;
substitutes approved and links renewed by action; scoped to one's own events."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Event, EventOrganiser
from registrations.models import Activity, Invitation
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    InvitationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(client):
    event = EventFactory(
        title="Nordic Five Tech", visibility=Event.Visibility.INVITATION_ONLY
    )
    president = RegistrationTypeFactory(event=event, name="President")
    delegate = RegistrationTypeFactory(event=event, name="Delegate")
    owner = EventOrganiserFactory(event=event).user
    client.force_login(owner)
    return {
        "event": event,
        "president": president,
        "delegate": delegate,
        "owner": owner,
    }


def invite_url(event):
    return reverse("admin:registrations_invitation_invite", args=[event.pk])


def errors(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        li.get_text(strip=True) for li in soup.select(".errornote li, .errorlist li")
    ]


def test_invite_one_person(client, meeting):
    response = client.post(
        invite_url(meeting["event"]),
        {
            "form": "one",
            "one-name": "Sigrid Berg",
            "one-email": "Sigrid@KTH.se",
            "one-institution": "KTH",
            "registration_type": meeting["president"].pk,
            "rsvp_deadline": "2099-05-01T12:00",
            "reserves_seat": "on",
        },
    )

    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert (
        invitation.email,
        invitation.name,
        invitation.registration_type,
        invitation.reserves_seat,
        invitation.invited_by,
    ) == ("sigrid@kth.se", "Sigrid Berg", meeting["president"], True, meeting["owner"])
    # Noon in the event's zone (Helsinki, summer time), stored in UTC.
    assert invitation.rsvp_deadline == datetime(
        2099, 5, 1, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki")
    )
    assert Activity.objects.get(invitation=invitation).verb == "invited"


def test_invite_a_pasted_list(client, meeting):
    text = "Anna, anna@dtu.dk, DTU\nOla, ola@ntnu.no, NTNU, President\n"

    response = client.post(
        invite_url(meeting["event"]),
        {
            "form": "many",
            "many-text": text,
            "registration_type": meeting["delegate"].pk,
        },
    )

    assert response.status_code == 302
    assert sorted(
        Invitation.objects.values_list("email", "registration_type__name")
    ) == [("anna@dtu.dk", "Delegate"), ("ola@ntnu.no", "President")]


def test_invite_a_csv_file(client, meeting):
    upload = SimpleUploadedFile(
        "people.csv", "email;name\r\nasa@kth.se;Åsa\r\n".encode("cp1252")
    )

    response = client.post(
        invite_url(meeting["event"]),
        {
            "form": "many",
            "many-upload": upload,
            "registration_type": meeting["delegate"].pk,
        },
    )

    assert response.status_code == 302
    assert list(Invitation.objects.values_list("email", "name")) == [
        ("asa@kth.se", "Åsa")
    ]


def test_a_bad_list_reports_every_line_and_invites_nobody(client, meeting):
    InvitationFactory(
        event=meeting["event"],
        registration_type=meeting["president"],
        email="old@kth.se",
    )
    text = (
        "Good, good@kth.se, KTH\n"
        "Bad, not-an-address, KTH\n"
        "Old, old@kth.se, KTH\n"
        "Odd, odd@kth.se, KTH, Chancellor\n"
    )

    parse = client.post(
        invite_url(meeting["event"]),
        {
            "form": "many",
            "many-text": text,
            "registration_type": meeting["delegate"].pk,
        },
    )
    conflict = client.post(
        invite_url(meeting["event"]),
        {
            "form": "many",
            "many-text": "Good, good@kth.se\nOld, old@kth.se",
            "registration_type": meeting["delegate"].pk,
        },
    )

    assert parse.status_code == 400
    assert errors(parse) == [
        "Line 2: “not-an-address” is not a valid email address.",
        "Line 4: this event has no registration type “Chancellor”.",
    ]
    assert conflict.status_code == 400
    assert errors(conflict) == [
        "Nobody was invited.",
        "Line 2: old@kth.se already has an open invitation.",
    ]
    assert list(Invitation.objects.values_list("email", flat=True)) == ["old@kth.se"]


def test_a_file_that_is_not_text_is_refused(client, meeting):
    upload = SimpleUploadedFile("people.xlsx", b"\x81\x8d\x8f\x90\x9d")

    response = client.post(
        invite_url(meeting["event"]),
        {
            "form": "many",
            "many-upload": upload,
            "registration_type": meeting["delegate"].pk,
        },
    )

    assert response.status_code == 400
    assert errors(response) == ["The file is not a text (CSV) file."]
    assert Invitation.objects.count() == 0


def _act(client, action, invitations):
    return client.post(
        reverse("admin:registrations_invitation_changelist"),
        {"action": action, "_selected_action": [i.pk for i in invitations]},
    )


def test_approve_substitutes_action(client, meeting):
    original = InvitationFactory(
        event=meeting["event"],
        registration_type=meeting["president"],
        status="substituted",
    )
    waiting = InvitationFactory(
        event=meeting["event"],
        registration_type=meeting["president"],
        status=Invitation.Status.AWAITING_APPROVAL,
        substitute_for=original,
    )

    response = _act(client, "approve_substitutes", [waiting])

    waiting.refresh_from_db()
    assert response.status_code == 302
    assert waiting.status == Invitation.Status.PENDING
    assert Activity.objects.get(invitation=waiting).verb == "substitute_invited"


def test_resend_action_rotates_the_link(client, meeting):
    invitation = InvitationFactory(
        event=meeting["event"], registration_type=meeting["president"]
    )
    old = invitation.token

    _act(client, "resend", [invitation])

    invitation.refresh_from_db()
    assert invitation.token != old
    assert client.get(f"/invitations/{old}/").status_code == 404


def test_withdraw_action_frees_the_place_and_kills_the_link(client, meeting):
    from registrations.models import Registration
    from registrations.services.invitation_answers import decline_invitation
    from tests.factories import RegistrationFactory

    event = meeting["event"]
    Event.objects.filter(pk=event.pk).update(capacity=1, waitlist_enabled=True)
    invitation = InvitationFactory(
        event=event, registration_type=meeting["president"], reserves_seat=True
    )
    waiting = RegistrationFactory(event=event, status="waitlisted")
    answered = InvitationFactory(
        event=event, registration_type=meeting["delegate"], reserves_seat=False
    )
    decline_invitation(invitation=answered)

    response = _act(client, "withdraw", [invitation, answered])

    invitation.refresh_from_db()
    waiting.refresh_from_db()
    shown = [str(m) for m in response.wsgi_request._messages]
    assert invitation.status == Invitation.Status.REVOKED
    assert waiting.status == Registration.Status.CONFIRMED  # the place moved up
    assert Activity.objects.get(invitation=invitation).verb == "invitation_withdrawn"
    assert client.get(f"/invitations/{invitation.token}/").status_code == 404
    assert any("can be withdrawn" in m and answered.email in m for m in shown)
    assert "1 invitations withdrawn: their links no longer work." in shown


def test_another_events_invitations_are_404(client, meeting):
    theirs = InvitationFactory()

    page = client.get(invite_url(theirs.event))
    change = client.get(
        reverse("admin:registrations_invitation_change", args=[theirs.pk])
    )
    action = _act(client, "resend", [theirs])
    withdraw = _act(client, "withdraw", [theirs])
    listing = client.get(
        reverse("admin:registrations_invitation_changelist")
        + f"?event={theirs.event.pk}"
    )

    assert [r.status_code for r in (page, change, action, withdraw, listing)] == [
        404
    ] * 5
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_check_in_staff_cannot_invite(client, meeting):
    staff = UserFactory(is_staff=True)
    EventOrganiser.objects.create(
        event=meeting["event"], user=staff, role=EventOrganiser.Role.CHECKIN
    )
    client.force_login(staff)

    page = client.get(invite_url(meeting["event"]))
    listing = client.get(reverse("admin:registrations_invitation_changelist"))

    assert (page.status_code, listing.status_code) == (403, 403)
