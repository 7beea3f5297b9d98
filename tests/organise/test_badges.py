"""Badges in the organiser area: the sheets for everyone or the list's filters,
sorted by sort name; one person's badge; the sort name; who may ask; and the
badge fields in the exports."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from events import access
from events.access import Capability
from events.models import EventOrganiser
from registrations.models import Registration
from registrations.services.questions import create_default_questions
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Role = EventOrganiser.Role


def url(name, event, **kwargs):
    return reverse(f"organise:{name}", kwargs={"event": event.slug, **kwargs})


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def names_in_order(response, names) -> list[str]:
    """The given names in the order the PDF shows them."""
    text = pdf_text(response)
    return sorted((name for name in names if name in text), key=text.index)


@pytest.fixture
def meeting():
    """Six confirmed people in several scripts (two speakers), one waitlisted,
    one cancelled, another event's person, and the three roles."""
    event = EventFactory(title="Pohjoismainen kokous")
    create_default_questions(event)
    speaker = RegistrationTypeFactory(event=event, name="Speaker")
    guest = RegistrationTypeFactory(event=event, name="Guest")

    def person(name, sort_name="", kind=guest, **fields):
        return RegistrationFactory(
            event=event,
            registration_type=kind,
            attendee=UserFactory(name=name, sort_name=sort_name),
            **fields,
        )

    people = {
        "sami": person("Máret Čuđđe", kind=speaker),
        "greek": person("Γιώργος Αλεξίου"),
        "chinese": person("王小明", sort_name="Wang"),
        "swedish": person("Åsa van Berg", sort_name="Berg", kind=speaker),
        "finnish": person("Aino Öhman"),
        "hebrew": person("דוד כהן"),
        "waiting": person(
            "Wilma Waiting",
            status=Registration.Status.WAITLISTED,
            waitlisted_at=event.starts_at,
        ),
        "cancelled": person("Carl Cancelled", status=Registration.Status.CANCELLED),
    }
    RegistrationFactory(attendee=UserFactory(name="Olga Other"))
    roles = {
        role: EventOrganiserFactory(event=event, role=role).user
        for role in (Role.OWNER, Role.EDITOR, Role.CHECKIN)
    }
    return {"event": event, "speaker": speaker, **people, **roles}


# --- the sheets -------------------------------------------------------------------


def test_the_form_counts_the_badges_and_carries_the_lists_filters(client, meeting):
    event = meeting["event"]
    client.force_login(meeting[Role.CHECKIN])

    response = client.get(
        url("registrations_badges", event) + f"?type={meeting['speaker'].pk}&page=2"
    )

    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", action=url("badges", event))
    hidden = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    labels = [" ".join(label.get_text().split()) for label in form.find_all("label")]
    assert response.status_code == 200
    assert form["method"] == "get"
    assert hidden == {"type": str(meeting["speaker"].pk)}
    assert "Everyone confirmed (6 badges)" in labels
    assert (
        "The registrations listed, except cancelled or declined ones (2 badges)"
        in labels
    )
    assert form.find("input", attrs={"name": "who", "checked": True})["value"] == (
        "listed"
    )


def test_the_list_links_to_the_badges_with_its_filters(client, meeting):
    event = meeting["event"]
    client.force_login(meeting[Role.OWNER])

    response = client.get(url("registrations", event) + "?status=confirmed")

    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.find("a", string="Badges")
    assert link["href"] == url("registrations_badges", event) + "?status=confirmed"


def test_everyone_confirmed_gets_a_badge_sorted_by_sort_name(client, meeting):
    event = meeting["event"]
    client.force_login(meeting[Role.CHECKIN])

    response = client.get(
        url("badges", event) + "?who=confirmed&layout=90x55&cut_lines=on"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{event.slug}-badges-'
    )
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response)
    # Berg, Čuđđe (among the Cs), Wang (王小明's sort name), Öhman (after Z),
    # then the Greek and the Hebrew alphabets.
    assert names_in_order(
        response,
        ["Aino Öhman", "Γιώργος Αλεξίου", "王小明", "Máret Čuđđe", "Åsa van Berg"],
    ) == ["Åsa van Berg", "Máret Čuđđe", "王小明", "Aino Öhman", "Γιώργος Αλεξίου"]
    assert "Wilma Waiting" not in text
    assert "Carl Cancelled" not in text
    assert "Olga Other" not in text
    assert text.count("Pohjoismainen kokous") == 6


def test_a_filtered_list_gets_only_its_badges(client, meeting):
    event = meeting["event"]
    client.force_login(meeting[Role.EDITOR])

    response = client.get(
        url("badges", event)
        + f"?who=listed&type={meeting['speaker'].pk}&layout=a6&cut_lines=on"
    )

    text = pdf_text(response)
    shown = [
        str(r.attendee)
        for r in Registration.objects.filter(event=event)
        if str(r.attendee) in text
    ]
    assert sorted(shown) == ["Máret Čuđđe", "Åsa van Berg"]
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
    assert text.count("Speaker") == 2


def test_a_listed_status_filter_still_leaves_out_cancelled_people(client, meeting):
    event = meeting["event"]
    client.force_login(meeting[Role.OWNER])

    waiting = client.get(
        url("badges", event) + "?who=listed&status=waitlisted&layout=a6"
    )
    cancelled = client.get(
        url("badges", event) + "?who=listed&status=cancelled&layout=a6"
    )

    assert "Wilma Waiting" in pdf_text(waiting)
    assert (cancelled.status_code, cancelled.content.decode()) == (
        404,
        "Nobody to make a badge for: nobody matches.",
    )


def test_a_bad_choice_is_refused_with_its_reason(client, meeting):
    event = meeting["event"]
    client.force_login(meeting[Role.OWNER])

    response = client.get(url("badges", event) + "?who=confirmed&layout=a0")
    unfiltered = client.get(url("badges", event) + "?who=listed&layout=a6&status=happy")

    assert response.status_code == unfiltered.status_code == 400
    assert response.content.decode() == (
        "The badges cannot be made: layout: Select a valid choice. a0 is not one "
        "of the available choices."
    )
    assert "status: Select a valid choice. happy" in unfiltered.content.decode()


# --- one badge ----------------------------------------------------------------------


def test_check_in_staff_print_one_badge(client, meeting):
    event, finnish = meeting["event"], meeting["finnish"]
    client.force_login(meeting[Role.CHECKIN])

    response = client.get(
        url("registration_badge", event, registration=finnish.pk) + "?layout=6x4in"
    )

    text = pdf_text(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="{event.slug}-badge-{finnish.pk}.pdf"'
    )
    assert "Aino Öhman" in text
    assert [name for name in ("Máret Čuđđe", "Åsa van Berg") if name in text] == []


def test_no_badge_for_a_cancelled_registration_or_another_events(client, meeting):
    event = meeting["event"]
    other = Registration.objects.get(attendee__name="Olga Other")
    client.force_login(meeting[Role.OWNER])

    cancelled = client.get(
        url("registration_badge", event, registration=meeting["cancelled"].pk)
    )
    theirs = client.get(url("registration_badge", event, registration=other.pk))
    bad_layout = client.get(
        url("registration_badge", event, registration=meeting["sami"].pk)
        + "?layout=huge"
    )

    assert cancelled.status_code == theirs.status_code == 404
    assert bad_layout.status_code == 400


def test_the_registrations_page_shows_the_badge_and_links_to_it(client, meeting):
    event, swedish = meeting["event"], meeting["swedish"]
    client.force_login(meeting[Role.CHECKIN])

    response = client.get(url("registration", event, registration=swedish.pk))

    soup = BeautifulSoup(response.content, "html.parser")
    badge = soup.find("h2", string="Badge").find_next("dl")
    facts = [" ".join(d.get_text().split()) for d in badge.find_all("dd")]
    assert facts == ["Åsa van Berg", "Berg", "–", "Speaker"]
    assert soup.find(
        "a", href=url("registration_badge", event, registration=swedish.pk)
    )
    assert soup.find("form", action=url(
        "registration_sort_name", event, registration=swedish.pk
    )) is None  # check-in staff read it, but do not change it  # fmt: skip


# --- the sort name ------------------------------------------------------------------


def test_an_editor_sets_the_sort_name_and_the_badges_follow(client, meeting):
    event, finnish = meeting["event"], meeting["finnish"]
    client.force_login(meeting[Role.EDITOR])

    response = client.post(
        url("registration_sort_name", event, registration=finnish.pk),
        {"sort_name": "  Aaa  Öhman "},
    )
    sheets = client.get(url("badges", event) + "?who=confirmed&layout=90x55")

    finnish.attendee.refresh_from_db()
    assert response["Location"] == url("registration", event, registration=finnish.pk)
    assert finnish.attendee.sort_name == "Aaa Öhman"
    assert names_in_order(sheets, ["Aino Öhman", "Åsa van Berg"]) == [
        "Aino Öhman",
        "Åsa van Berg",
    ]


def test_emptying_the_sort_name_sorts_by_the_last_word_again(client, meeting):
    event, chinese = meeting["event"], meeting["chinese"]
    client.force_login(meeting[Role.OWNER])

    client.post(
        url("registration_sort_name", event, registration=chinese.pk),
        {"sort_name": ""},
    )

    chinese.attendee.refresh_from_db()
    assert (chinese.attendee.sort_name, chinese.attendee.sorts_as) == ("", "王小明")


def test_check_in_staff_cannot_change_a_sort_name(client, meeting):
    event, finnish = meeting["event"], meeting["finnish"]
    client.force_login(meeting[Role.CHECKIN])

    response = client.post(
        url("registration_sort_name", event, registration=finnish.pk),
        {"sort_name": "Zzz"},
    )

    finnish.attendee.refresh_from_db()
    assert (response.status_code, finnish.attendee.sort_name) == (403, "")


def test_a_sort_name_with_control_characters_is_refused(client, meeting):
    event, finnish = meeting["event"], meeting["finnish"]
    client.force_login(meeting[Role.OWNER])

    response = client.post(
        url("registration_sort_name", event, registration=finnish.pk),
        {"sort_name": "Öhman\x07"},
        follow=True,
    )

    finnish.attendee.refresh_from_db()
    assert finnish.attendee.sort_name == ""
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


# --- who may ask --------------------------------------------------------------------


def test_a_role_without_the_capability_is_refused(client, meeting, monkeypatch):
    event, sami = meeting["event"], meeting["sami"]
    # A role that may see the event but neither read the lists nor check in.
    monkeypatch.setitem(
        access.ROLE_CAPABILITIES, Role.CHECKIN, frozenset({Capability.VIEW_EVENT})
    )
    client.force_login(meeting[Role.CHECKIN])

    answers = [
        client.get(url("registrations_badges", event)).status_code,
        client.get(url("badges", event) + "?who=confirmed&layout=a6").status_code,
        client.get(url("registration_badge", event, registration=sami.pk)).status_code,
    ]

    assert answers == [403, 403, 403]


def test_people_outside_the_event_never_see_its_badges(client, meeting):
    event, sami = meeting["event"], meeting["sami"]
    outsiders = [
        EventOrganiserFactory(event=EventFactory(), role=Role.OWNER).user,
        sami.attendee,
    ]
    pages = [
        url("registrations_badges", event),
        url("badges", event) + "?who=confirmed&layout=a6",
        url("registration_badge", event, registration=sami.pk),
    ]

    answers = []
    for person in outsiders:
        client.force_login(person)
        answers += [client.get(page).status_code for page in pages]
    client.logout()
    anonymous = [client.get(page).status_code for page in pages]

    assert answers == [404] * 6
    assert anonymous == [302] * 3


# --- the exports ------------------------------------------------------------------


def test_the_exports_carry_the_check_in_code_and_the_badge_fields(client, meeting):
    event, chinese, swedish = meeting["event"], meeting["chinese"], meeting["swedish"]
    formula = '=HYPERLINK("http://x")'
    chinese.attendee.affiliation = formula
    chinese.attendee.save()
    client.force_login(meeting[Role.CHECKIN])
    wanted = [
        "Check-in code", "Badge name", "Badge sort name", "Badge organisation",
        "Badge type",
    ]  # fmt: skip

    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    url("registrations_export", event, file_format="csv")
                ).content.decode("utf-8-sig")
            )
        )
    )
    sheet = load_workbook(
        io.BytesIO(
            client.get(url("registrations_export", event, file_format="xlsx")).content
        )
    ).active
    cells = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]

    for table in (rows, cells):
        header, *body = table
        by_name = {row[0]: row for row in body}
        columns = [header.index(name) for name in wanted]
        assert [by_name["王小明"][c] for c in columns] == [
            chinese.checkin_code, "王小明", "Wang", "'" + formula, "Guest",
        ]  # fmt: skip
        assert [by_name["Åsa van Berg"][c] for c in columns] == [
            swedish.checkin_code, "Åsa van Berg", "Berg", "", "Speaker",
        ]  # fmt: skip
        assert by_name["Aino Öhman"][columns[2]] == "Öhman"  # the surname by default


# --- setting the sort name elsewhere -------------------------------------------------


def test_registering_someone_sets_their_sort_name(client, meeting):
    event = meeting["event"]
    client.force_login(meeting[Role.OWNER])

    client.post(
        url("registration_new", event),
        {
            "email": "anna@uva.nl",
            "name": "Anna van Dijk",
            "sort_name": "Dijk",
            "registration_type": meeting["speaker"].pk,
        },
    )

    person = Registration.objects.get(attendee__email="anna@uva.nl").attendee
    assert (person.sort_name, person.sorts_as) == ("Dijk", "Dijk")


def test_the_profile_sets_ones_own_sort_name(client):
    user = UserFactory(name="Anna van Dijk")
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"),
        {"name": "Anna van Dijk", "sort_name": " Dijk ", "preferred_language": "en"},
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert (user.sort_name, user.sorts_as) == ("Dijk", "Dijk")
