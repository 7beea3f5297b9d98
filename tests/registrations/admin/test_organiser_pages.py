"""Organiser pages in the admin: summary counts, session lists, check-in,
registering on someone's behalf, and exports over HTTP."""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from events.models import Event, EventOrganiser
from registrations.models import Activity, Answer, Invitation, Registration
from registrations.services.questions import create_default_questions
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    InvitationFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Role = EventOrganiser.Role


def url(name, *args):
    return reverse(f"admin:registrations_registration_{name}", args=args)


def table_rows(response, heading):
    """The body rows of the table right after the h2/h3 with this text."""
    soup = BeautifulSoup(response.content, "html.parser")
    title = next(
        h for h in soup.find_all(["h2", "h3"]) if h.get_text(" ", strip=True) == heading
    )
    table = title.find_next("table")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
        for row in table.tbody.find_all("tr")
    ]


@pytest.fixture
def forum():
    event = EventFactory(title="Spring Forum", capacity=10)
    create_default_questions(event)
    owner = EventOrganiserFactory(event=event).user
    staff = UserFactory(is_staff=True)
    EventOrganiser.objects.create(event=event, user=staff, role=Role.CHECKIN)
    return {"event": event, "owner": owner, "staff": staff}


def _person(event, name, status="confirmed", kind=None, dietary=None):
    registration = RegistrationFactory(
        event=event,
        registration_type=kind,
        status=status,
        attendee=UserFactory(name=name, email=f"{name.split()[0].lower()}@x.org"),
    )
    if dietary is not None:
        question = event.questions.get(key="dietary")
        Answer.objects.create(
            registration=registration, question=question, value=dietary
        )
    return registration


# --- summary --------------------------------------------------------------------------


def test_summary_counts_by_status_type_session_and_answer(client, forum):
    event = forum["event"]
    participant = RegistrationTypeFactory(event=event, name="Participant", quota=5)
    ada = _person(event, "Ada A", kind=participant, dietary=["Vegan", "Nut allergy"])
    _person(event, "Bob B", kind=participant, dietary=["Vegan"])
    _person(
        event, "Cy C", status="waitlisted", kind=participant, dietary=["Vegetarian"]
    )
    _person(event, "Di D", status="cancelled")
    workshop = SessionFactory(
        event=event, title="Workshop", capacity=1, signup_required=True
    )
    SessionSeatFactory(registration=ada, session=workshop)
    SessionSeatFactory(
        registration=_person(event, "Ed E"),
        session=workshop,
        status="waitlisted",
        waitlisted_at=workshop.starts_at - timedelta(days=1),
    )
    InvitationFactory(event=event, registration_type=participant, reserves_seat=True)
    client.force_login(forum["owner"])

    response = client.get(url("summary", event.pk))

    assert response.status_code == 200
    assert table_rows(response, "Registrations by status") == [
        ["Awaiting approval", "0"],
        ["Confirmed", "3"],
        ["On the waitlist", "1"],
        ["Place offered", "0"],
        ["Declined", "0"],
        ["Cancelled", "1"],
    ]
    assert "4 of 10 places taken — including 1 place reserved for an invitee." in (
        " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    )
    assert table_rows(response, "By registration type") == [
        ["Participant", "5", "2", "0", "1"]
    ]
    assert table_rows(response, "By session")[0][2:] == ["1", "1", "1"]
    assert table_rows(response, "Dietary requirements (sensitive)") == [
        ["Vegan", "2"],
        ["Nut allergy", "1"],
    ]


def test_summary_leaves_health_answers_out_for_check_in_staff(client, forum):
    _person(forum["event"], "Ada A", dietary=["Vegan"])
    client.force_login(forum["staff"])

    text = client.get(url("summary", forum["event"].pk)).content.decode()

    assert "Dietary requirements" not in text
    assert "Accessibility needs" not in text
    assert "Organisation" in text


def test_session_attendees_lists_seats_and_the_line_in_order(client, forum):
    event = forum["event"]
    session = SessionFactory(
        event=event, title="Workshop", capacity=1, signup_required=True
    )
    SessionSeatFactory(registration=_person(event, "Ada A"), session=session)
    for days, name in ((1, "Late L"), (2, "Early E")):
        SessionSeatFactory(
            registration=_person(event, name),
            session=session,
            status="waitlisted",
            waitlisted_at=session.starts_at - timedelta(days=days),
        )
    client.force_login(forum["staff"])

    response = client.get(url("session", event.pk, session.pk))

    soup = BeautifulSoup(response.content, "html.parser")
    assert [row.find("td").get_text(strip=True) for row in soup.select("tbody tr")] == [
        "Ada A"
    ]
    assert [
        li.get_text(" ", strip=True) for li in soup.select("#content-main ol li")
    ] == [
        "Early E (early@x.org)",
        "Late L (late@x.org)",
    ]


def test_session_of_another_event_is_404(client, forum):
    other_session = SessionFactory()
    client.force_login(forum["owner"])

    response = client.get(url("session", forum["event"].pk, other_session.pk))

    assert response.status_code == 404


# --- check-in -------------------------------------------------------------------------


def result_text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    found = soup.select_one(".checkin-result") or soup.select_one(".errornote")
    return " ".join(found.get_text(" ", strip=True).split())


def test_check_in_by_typed_or_scanned_code(client, forum):
    event = forum["event"]
    ada = _person(event, "Ada Lovelace")
    client.force_login(forum["staff"])

    typed = client.post(url("checkin", event.pk), {"code": ada.checkin_code.lower()})
    scanned = client.post(
        url("checkin", event.pk),
        {"code": f"https://kokous.example/checkin/{ada.checkin_code}/"},
    )

    ada.refresh_from_db()
    assert typed.status_code == 200
    assert result_text(typed).startswith("Checked in: Ada Lovelace")
    assert result_text(scanned).startswith("Already checked in: Ada Lovelace")
    assert ada.checked_in_by == forum["staff"]
    assert Activity.objects.get(registration=ada, verb="checked_in").details == {
        "method": "code"
    }


def test_check_in_with_an_unknown_code_says_so(client, forum):
    client.force_login(forum["staff"])

    response = client.post(url("checkin", forum["event"].pk), {"code": "NOPE"})

    assert response.status_code == 400
    assert result_text(response) == "No registration for this event has that code."


def test_check_in_of_a_waitlisted_person_is_refused_plainly(client, forum):
    cy = _person(forum["event"], "Cy Clark", status="waitlisted")
    client.force_login(forum["staff"])

    response = client.post(url("checkin", forum["event"].pk), {"code": cy.checkin_code})

    assert result_text(response) == (
        "Cy Clark's registration is not confirmed (On the waitlist)."
    )
    cy.refresh_from_db()
    assert cy.checked_in_at is None


def test_check_in_by_name_search(client, forum):
    event = forum["event"]
    ada = _person(event, "Ada Lovelace")
    _person(event, "Bob Berg")
    client.force_login(forum["staff"])

    search = client.get(url("checkin", event.pk) + "?q=love")
    done = client.post(url("checkin", event.pk), {"registration": ada.pk})

    soup = BeautifulSoup(search.content, "html.parser")
    assert [row.find("td").get_text(strip=True) for row in soup.select("tbody tr")] == [
        "Ada Lovelace"
    ]
    assert result_text(done).startswith("Checked in: Ada Lovelace")
    assert Activity.objects.get(registration=ada, verb="checked_in").details == {
        "method": "name"
    }


def test_check_in_of_another_events_registration_is_404(client, forum):
    theirs = RegistrationFactory()
    client.force_login(forum["owner"])

    by_id = client.post(url("checkin", forum["event"].pk), {"registration": theirs.pk})
    by_code = client.post(
        url("checkin", forum["event"].pk), {"code": theirs.checkin_code}
    )
    their_page = client.post(
        url("checkin", theirs.event.pk), {"code": theirs.checkin_code}
    )

    theirs.refresh_from_db()
    assert (by_id.status_code, by_code.status_code, their_page.status_code) == (
        404,
        400,
        404,
    )
    assert theirs.checked_in_at is None


# --- on behalf ------------------------------------------------------------------------


def test_register_on_behalf_creates_the_account_and_logs_the_organiser(client, forum):
    event = forum["event"]
    kind = RegistrationTypeFactory(event=event, name="Participant")
    dietary = event.questions.get(key="dietary")
    client.force_login(forum["owner"])

    response = client.post(
        url("register", event.pk),
        {
            "email": "President@KTH.se",
            "name": "Sigrid Berg",
            "affiliation": "KTH",
            "registration_type": kind.pk,
            f"q_{dietary.pk}": ["Vegan"],
        },
    )

    registration = Registration.objects.get(attendee__email="president@kth.se")
    assert response.status_code == 302
    assert response["Location"] == url("change", registration.pk)
    assert (
        registration.status,
        registration.registered_by,
        registration.attendee.name,
    ) == (
        "confirmed",
        forum["owner"],
        "Sigrid Berg",
    )
    assert registration.attendee.has_usable_password() is False
    assert Answer.objects.get(registration=registration).value == ["Vegan"]


def test_register_on_behalf_over_capacity_needs_the_checkbox_and_is_logged(client):
    event = EventFactory(capacity=1, waitlist_enabled=False)
    owner = EventOrganiserFactory(event=event).user
    RegistrationFactory(event=event)
    client.force_login(owner)
    fields = {"email": "p@kth.se", "name": "President"}

    refused = client.post(url("register", event.pk), fields)
    accepted = client.post(
        url("register", event.pk), fields | {"override_capacity": "on"}
    )

    assert refused.status_code == 400
    assert "Sorry, this event is full." in refused.content.decode()
    assert accepted.status_code == 302
    registration = Registration.objects.get(attendee__email="p@kth.se")
    assert (registration.status, registration.capacity_override) == ("confirmed", True)
    assert list(
        Activity.objects.filter(registration=registration)
        .order_by("pk")
        .values_list("verb", "actor", "details")
    ) == [
        ("capacity_overridden", owner.pk, {"limit": "event"}),
        ("confirmed", owner.pk, {"sessions": []}),
    ]


def test_register_on_behalf_refuses_someone_registered_already(client, forum):
    ada = _person(forum["event"], "Ada Lovelace")
    client.force_login(forum["owner"])

    response = client.post(
        url("register", forum["event"].pk),
        {"email": ada.attendee.email.upper(), "name": "Ada"},
    )

    assert response.status_code == 400
    assert "ada@x.org is registered already (Confirmed)." in response.content.decode()
    assert Registration.objects.filter(attendee=ada.attendee).count() == 1


def test_register_on_behalf_works_for_an_invitation_only_event(client):
    event = EventFactory(visibility=Event.Visibility.INVITATION_ONLY)
    owner = EventOrganiserFactory(event=event).user
    client.force_login(owner)

    client.post(url("register", event.pk), {"email": "a@dtu.dk", "name": "Anna"})

    assert Registration.objects.get(event=event).attendee.email == "a@dtu.dk"


def test_check_in_staff_cannot_register_on_behalf(client, forum):
    client.force_login(forum["staff"])

    get = client.get(url("register", forum["event"].pk))
    post = client.post(
        url("register", forum["event"].pk), {"email": "a@b.fi", "name": "A"}
    )

    assert (get.status_code, post.status_code) == (403, 403)
    assert Registration.objects.count() == 0


# --- exports over HTTP ----------------------------------------------------------------


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_csv_for_owner_with_and_without_health_data(client, forum):
    event = forum["event"]
    _person(event, "=cmd|' /C calc'!A0", dietary=["Vegan"])
    client.force_login(forum["owner"])

    plain = client.get(url("export", event.pk, "csv"))
    sensitive = client.get(url("export", event.pk, "csv") + "?sensitive=1")

    assert plain["Content-Type"] == "text/csv; charset=utf-8"
    assert plain["Content-Disposition"].startswith(
        f'attachment; filename="{event.slug}-registrations-'
    )
    assert plain["Cache-Control"] == (
        "no-store, max-age=0, no-cache, must-revalidate, private"
    )
    assert "Dietary requirements" not in _csv(plain)[0]
    assert _csv(sensitive)[0][-3:] == [
        "Dietary requirements",
        "Accessibility needs",
        "Show my name and organisation on the participant list",
    ]
    assert _csv(sensitive)[1][0] == "'=cmd|' /C calc'!A0"
    assert _csv(sensitive)[1][-3:] == ["Vegan", "", ""]


def test_export_xlsx_and_status_filter(client, forum):
    event = forum["event"]
    _person(event, "Ada A")
    _person(event, "Bob B", status="waitlisted")
    client.force_login(forum["owner"])

    response = client.get(url("export", event.pk, "xlsx") + "?status=waitlisted")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert [row[0].value for row in sheet.iter_rows()] == ["Name", "Bob B"]


def test_export_refuses_bad_input_clearly(client, forum):
    client.force_login(forum["owner"])
    event = forum["event"]

    bad_format = client.get(url("export", event.pk, "pdf"))
    bad_status = client.get(url("export", event.pk, "csv") + "?status=happy")

    assert (bad_format.status_code, bad_format.content) == (
        404,
        b"Unknown format: use .csv or .xlsx.",
    )
    assert (bad_status.status_code, bad_status.content) == (400, b"Unknown status.")


def test_check_in_staff_export_without_health_data_only(client, forum):
    _person(forum["event"], "Ada A", dietary=["Vegan"])
    client.force_login(forum["staff"])

    plain = client.get(url("export", forum["event"].pk, "csv"))
    sensitive = client.get(url("export", forum["event"].pk, "xlsx") + "?sensitive=1")

    assert plain.status_code == 200
    assert "Vegan" not in plain.content.decode("utf-8-sig")
    assert sensitive.status_code == 403


def test_exports_of_another_event_are_404(client, forum):
    other = EventFactory()
    client.force_login(forum["owner"])

    assert [
        client.get(url("export", other.pk, fmt) + query).status_code
        for fmt in ("csv", "xlsx")
        for query in ("", "?sensitive=1")
    ] == [404, 404, 404, 404]


def test_anonymous_and_attendees_are_sent_to_the_admin_login(client, forum):
    client.force_login(UserFactory())  # an attendee, not staff

    response = client.get(url("export", forum["event"].pk, "csv"))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Invitation.objects.count() == 0
