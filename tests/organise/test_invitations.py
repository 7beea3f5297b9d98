"""Invitations in the organiser area: inviting one person or a pasted or uploaded
list, with a personal message and the invitee's language, all or nothing; the
list of invitations; withdrawing; and each organiser's news of answers."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Event, EventOrganiser
from registrations.models import Activity, Invitation, Registration
from registrations.services.invitation_answers import decline_invitation
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    InvitationFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
)

pytestmark = pytest.mark.django_db
Role = EventOrganiser.Role


@pytest.fixture
def meeting(client):
    event = EventFactory(
        title="Nordic Five Tech", visibility=Event.Visibility.INVITATION_ONLY
    )
    president = RegistrationTypeFactory(event=event, name="President")
    delegate = RegistrationTypeFactory(event=event, name="Delegate")
    organiser = EventOrganiserFactory(event=event)
    client.force_login(organiser.user)
    return {
        "event": event,
        "president": president,
        "delegate": delegate,
        "organiser": organiser,
        "owner": organiser.user,
    }


def url(name, event):
    return reverse(f"organise:{name}", kwargs={"event": event.slug})


def errors(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [li.get_text(strip=True) for li in soup.select(".banner li, .errorlist li")]


def test_invite_one_person_with_a_message_in_their_language(client, meeting):
    response = client.post(
        url("invitation_new", meeting["event"]),
        {
            "form": "one",
            "one-name": "Sigrid Berg",
            "one-email": "Sigrid@KTH.se",
            "one-institution": "KTH",
            "registration_type": meeting["president"].pk,
            "message": "We would be glad to have you.",
            "language": "sv",
            "rsvp_deadline": "2099-05-01T12:00",
            "reserves_seat": "on",
        },
    )

    invitation = Invitation.objects.get()
    assert response["Location"] == url("invitations", meeting["event"])
    assert (
        invitation.email,
        invitation.name,
        invitation.registration_type,
        invitation.reserves_seat,
        invitation.invited_by,
        invitation.message,
        invitation.language,
    ) == (
        "sigrid@kth.se", "Sigrid Berg", meeting["president"], True, meeting["owner"],
        "We would be glad to have you.", "sv",
    )  # fmt: skip
    # Noon in the event's zone (Helsinki, summer time), stored in UTC.
    assert invitation.rsvp_deadline == datetime(
        2099, 5, 1, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki")
    )
    assert Activity.objects.get(invitation=invitation).details["language"] == "sv"


def test_invite_a_pasted_list_each_line_may_name_its_language(client, meeting):
    text = "Anna, anna@dtu.dk, DTU, , Finnish\nOla, ola@ntnu.no, NTNU, President\n"

    response = client.post(
        url("invitation_new", meeting["event"]),
        {
            "form": "many",
            "many-text": text,
            "registration_type": meeting["delegate"].pk,
            "language": "sv",
            "message": "Welcome!",
        },
    )

    assert response.status_code == 302
    assert sorted(
        Invitation.objects.values_list(
            "email", "registration_type__name", "language", "message"
        )
    ) == [
        ("anna@dtu.dk", "Delegate", "fi", "Welcome!"),
        ("ola@ntnu.no", "President", "sv", "Welcome!"),
    ]


def test_invite_a_csv_file(client, meeting):
    upload = SimpleUploadedFile(
        "people.csv", "email;name;kieli\r\nasa@kth.se;Åsa;svenska\r\n".encode("cp1252")
    )

    response = client.post(
        url("invitation_new", meeting["event"]),
        {
            "form": "many",
            "many-upload": upload,
            "registration_type": meeting["delegate"].pk,
        },
    )

    assert response.status_code == 302
    assert list(Invitation.objects.values_list("email", "name", "language")) == [
        ("asa@kth.se", "Åsa", "sv")
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
        "Lang, lang@kth.se, KTH, , Klingon\n"
    )
    new = url("invitation_new", meeting["event"])

    parse = client.post(
        new,
        {
            "form": "many",
            "many-text": text,
            "registration_type": meeting["delegate"].pk,
        },
    )
    conflict = client.post(
        new,
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
        "Line 5: “Klingon” is not a language of this site (en, fi, sv).",
    ]
    assert conflict.status_code == 400
    assert errors(conflict) == [
        "Nobody was invited.",
        "Line 2: old@kth.se already has an open invitation.",
    ]
    assert list(Invitation.objects.values_list("email", flat=True)) == ["old@kth.se"]


def test_form_errors_are_shown_and_nobody_is_invited(client, meeting):
    response = client.post(
        url("invitation_new", meeting["event"]),
        {"form": "one", "one-email": "not-an-address", "language": "de"},
    )

    assert response.status_code == 400
    assert errors(response) == [
        "This field is required.",
        "Select a valid choice. de is not one of the available choices.",
        "Enter a valid email address.",
    ]
    assert Invitation.objects.count() == 0


def test_a_file_that_is_not_text_is_refused(client, meeting):
    upload = SimpleUploadedFile("people.xlsx", b"\x81\x8d\x8f\x90\x9d")

    response = client.post(
        url("invitation_new", meeting["event"]),
        {
            "form": "many",
            "many-upload": upload,
            "registration_type": meeting["delegate"].pk,
        },
    )

    assert response.status_code == 400
    assert errors(response) == ["The file is not a text (CSV) file."]
    assert Invitation.objects.count() == 0


def test_the_list_counts_filters_and_searches_invitations(client, meeting):
    event = meeting["event"]
    for name, status in [("Anna", "pending"), ("Ola", "pending"), ("Kari", "declined")]:
        InvitationFactory(
            event=event, registration_type=meeting["president"], name=name,
            email=f"{name.lower()}@ntnu.no", status=status,
        )  # fmt: skip
    InvitationFactory(name="Zed")  # another event's

    everyone = client.get(url("invitations", event))
    pending = client.get(url("invitations", event) + "?status=pending&q=ola")

    def names(response):
        return [i.name for i in response.context["page"].object_list]

    assert names(everyone) == ["Kari", "Ola", "Anna"]
    assert names(pending) == ["Ola"]
    assert "Waiting for an answer: 2 · Declined: 1" in " ".join(
        BeautifulSoup(everyone.content, "html.parser").get_text(" ").split()
    )


def test_withdrawing_frees_the_place_and_kills_the_link(
    client, meeting, django_capture_on_commit_callbacks
):
    event = meeting["event"]
    Event.objects.filter(pk=event.pk).update(capacity=1, waitlist_enabled=True)
    invitation = InvitationFactory(
        event=event, registration_type=meeting["president"], reserves_seat=True
    )
    waiting = RegistrationFactory(event=event, status="waitlisted")
    answered = InvitationFactory(event=event, registration_type=meeting["delegate"])
    decline_invitation(invitation=answered)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("invitation_action", event),
            {"action": "withdraw", "ids": [invitation.pk, answered.pk],
             "expected": 1, "confirm": "1"},
        )  # fmt: skip

    invitation.refresh_from_db()
    waiting.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert waiting.status == Registration.Status.CONFIRMED  # the place moved up
    assert client.get(f"/invitations/{invitation.token}/").status_code == 404


def test_an_organiser_chooses_their_own_news_of_answers(client, meeting):
    event = meeting["event"]
    colleague = EventOrganiserFactory(event=event, role=Role.EDITOR)

    shown = client.get(url("invitations", event))
    saved = client.post(url("invitation_news", event), {"invitation_news": "off"})
    wrong = client.post(url("invitation_news", event), {"invitation_news": "hourly"})

    meeting["organiser"].refresh_from_db()
    colleague.refresh_from_db()
    assert shown.context["news_form"].initial == {"invitation_news": "daily"}
    assert saved["Location"] == url("invitations", event)
    assert (meeting["organiser"].invitation_news, colleague.invitation_news) == (
        "off",
        "daily",
    )
    # Neither redirect was followed, so both messages wait to be shown.
    assert [str(m) for m in wrong.wsgi_request._messages] == [
        "Your choice is saved.",
        "Choose how you want to hear of answers.",
    ]


def test_check_in_staff_have_no_business_with_invitations(client, meeting):
    event = meeting["event"]
    client.force_login(EventOrganiserFactory(event=event, role=Role.CHECKIN).user)

    responses = [
        client.get(url("invitations", event)),
        client.get(url("invitation_new", event)),
        client.post(url("invitation_news", event), {"invitation_news": "off"}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
