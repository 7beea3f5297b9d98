"""The organiser area's registrations: the list with its filters and search, each
registration's page, exports, registering someone, who may see what, and the old
admin addresses that lead here now."""

import csv
import io
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from events.models import Event, EventOrganiser
from registrations.models import Activity, Answer, Registration
from registrations.services.checkin import check_in
from registrations.services.questions import create_default_questions
from registrations.services.registering import cancel_registration
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


def url(name, event, **kwargs):
    return reverse(f"organise:{name}", kwargs={"event": event.slug, **kwargs})


def listed(response) -> list[str]:
    return [str(r.attendee) for r in response.context["page"].object_list]


def text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.get_text(" ").split())


def _answer(registration, key, value):
    question = registration.event.questions.get(key=key)
    Answer.objects.create(registration=registration, question=question, value=value)


@pytest.fixture
def forum():
    """Ada (Aalto, vegan, in the workshop), Bob (awaiting approval, KTH), Cy
    (checked in), Dee (came by invitation); another event's Zed; three roles."""
    event = EventFactory(title="Spring Forum")
    create_default_questions(event)
    participant = RegistrationTypeFactory(event=event, name="Participant")
    presenter = RegistrationTypeFactory(event=event, name="Presenter")
    workshop = SessionFactory(event=event, title="Workshop", signup_required=True)

    def person(name, email, affiliation="", **fields):
        return RegistrationFactory(
            event=event,
            attendee=UserFactory(name=name, email=email, affiliation=affiliation),
            **{"registration_type": participant} | fields,
        )

    ada = person("Ada Lovelace", "ada@aalto.fi")
    _answer(ada, "organisation", "Aalto University")
    _answer(ada, "dietary", ["Vegan", "Nut allergy"])
    _answer(ada, "participant_list_consent", True)
    SessionSeatFactory(registration=ada, session=workshop)
    bob = person(
        "Bob Berg", "bob@kth.se", "KTH",
        registration_type=presenter, status=Registration.Status.AWAITING_APPROVAL,
    )  # fmt: skip
    _answer(bob, "dietary", ["Vegetarian"])
    _answer(bob, "participant_list_consent", False)
    cy = person("Cy Clark", "cy@ntnu.no", "NTNU")
    check_in(registration=cy, actor=UserFactory())
    dee = person("Dee Dahl", "dee@dtu.dk", "DTU")
    InvitationFactory(
        event=event, registration_type=participant, email="dee@dtu.dk",
        status="accepted", registration=dee,
    )  # fmt: skip
    RegistrationFactory(attendee=UserFactory(name="Zed Other"))
    roles = {
        role: EventOrganiserFactory(event=event, role=role).user
        for role in (Role.OWNER, Role.EDITOR, Role.CHECKIN)
    }
    return {
        "event": event, "ada": ada, "bob": bob, "cy": cy, "dee": dee,
        "participant": participant, "workshop": workshop, **roles,
    }  # fmt: skip


# --- the list ---------------------------------------------------------------------


def test_the_list_shows_the_events_registrations_newest_first(client, forum):
    client.force_login(forum[Role.CHECKIN])

    response = client.get(url("registrations", forum["event"]))

    assert response.status_code == 200
    assert listed(response) == ["Dee Dahl", "Cy Clark", "Bob Berg", "Ada Lovelace"]
    assert "4 registrations" in text(response)
    ada_page = url("registration", forum["event"], registration=forum["ada"].pk)
    assert f'href="{ada_page}"' in response.content.decode()
    # The organisation column: the answer, else the account's affiliation.
    assert [r.organisation for r in response.context["page"].object_list] == [
        "DTU",
        "NTNU",
        "KTH",
        "Aalto University",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=awaiting_approval", ["Bob Berg"]),
        ("type={participant}", ["Dee Dahl", "Cy Clark", "Ada Lovelace"]),
        ("session={workshop}", ["Ada Lovelace"]),
        ("checked_in=yes", ["Cy Clark"]),
        ("checked_in=no", ["Dee Dahl", "Bob Berg", "Ada Lovelace"]),
        ("invited=yes", ["Dee Dahl"]),
        ("invited=no", ["Cy Clark", "Bob Berg", "Ada Lovelace"]),
        ("answer={dietary}:Vegan", ["Ada Lovelace"]),
        ("answer={dietary}:Vegetarian", ["Bob Berg"]),
        ("answer={consent}:yes", ["Ada Lovelace"]),
        ("answer={consent}:no", ["Bob Berg"]),
        ("q=aalto", ["Ada Lovelace"]),  # the organisation answer
        ("q=KTH", ["Bob Berg"]),  # the account's affiliation
        ("q=cy@ntnu", ["Cy Clark"]),
        ("q=berg", ["Bob Berg"]),
        ("q=berg&status=confirmed", []),
    ],
)
def test_filters_and_search(client, forum, query, expected):
    event = forum["event"]
    query = query.format(
        participant=forum["participant"].pk,
        workshop=forum["workshop"].pk,
        dietary=event.questions.get(key="dietary").pk,
        consent=event.questions.get(key="participant_list_consent").pk,
    )
    client.force_login(forum[Role.OWNER])

    response = client.get(url("registrations", event) + "?" + query)

    assert (response.status_code, listed(response)) == (200, expected)


def test_health_answers_are_offered_and_filtered_only_with_the_capability(
    client, forum
):
    event = forum["event"]
    dietary = event.questions.get(key="dietary")
    consent = event.questions.get(key="participant_list_consent")

    client.force_login(forum[Role.EDITOR])
    editor_choices = dict(
        client.get(url("registrations", event)).context["form"].fields["answer"].choices
    )
    client.force_login(forum[Role.CHECKIN])
    door_page = client.get(url("registrations", event))
    door_filtered = client.get(
        url("registrations", event) + f"?answer={dietary.pk}:Vegan"
    )

    assert list(editor_choices) == [
        "",
        "Country",
        "Dietary requirements",
        consent.label,
    ]
    door_choices = dict(door_page.context["form"].fields["answer"].choices)
    assert list(door_choices) == ["", "Country", consent.label]
    assert "Vegan" not in door_page.content.decode()
    # Asked anyway: a form error, and nobody is left out by it.
    assert door_filtered.status_code == 400
    assert listed(door_filtered) == [
        "Dee Dahl",
        "Cy Clark",
        "Bob Berg",
        "Ada Lovelace",
    ]
    assert "Select a valid choice." in text(door_filtered)


def test_a_filter_value_that_does_not_exist_is_a_form_error(client, forum):
    client.force_login(forum[Role.OWNER])

    response = client.get(url("registrations", forum["event"]) + "?status=happy")

    assert response.status_code == 400
    assert "Select a valid choice. happy is not one of the available choices." in text(
        response
    )


@pytest.mark.parametrize("people", [1, 3])
def test_the_list_costs_the_same_queries_for_one_or_three_rows(
    client, django_assert_num_queries, people
):
    event = EventFactory()
    create_default_questions(event)
    kind = RegistrationTypeFactory(event=event)
    SessionFactory(event=event, signup_required=True)
    for _n in range(people):
        RegistrationFactory(event=event, registration_type=kind)
    client.force_login(EventOrganiserFactory(event=event).user)

    with django_assert_num_queries(11):
        response = client.get(url("registrations", event))

    assert len(listed(response)) == people


def test_the_list_is_paginated(client, forum, monkeypatch):
    monkeypatch.setattr("organise.views.registrations.PAGE_SIZE", 3)
    client.force_login(forum[Role.OWNER])

    second = client.get(url("registrations", forum["event"]) + "?page=2")

    assert listed(second) == ["Ada Lovelace"]
    assert "Page 2 of 2" in text(second)


def test_managers_get_ticks_and_actions_check_in_staff_do_not(client, forum):
    event = forum["event"]

    client.force_login(forum[Role.EDITOR])
    editor = client.get(url("registrations", event)).content.decode()
    client.force_login(forum[Role.CHECKIN])
    door = client.get(url("registrations", event)).content.decode()

    assert 'name="ids"' in editor and 'name="action"' in editor
    assert 'name="ids"' not in door and 'name="action"' not in door
    assert url("registration_new", event) in editor
    assert url("registration_new", event) not in door


# --- one registration ------------------------------------------------------------


def test_a_registrations_page_shows_answers_seats_and_history_in_the_events_zone(
    client, forum
):
    ada = forum["ada"]
    owner = forum[Role.OWNER]
    Activity.objects.create(
        event=ada.event,
        registration=ada,
        verb="confirmed",
        actor=owner,
        details={"sessions": []},
        created_at=datetime(2027, 1, 15, 10, 30, tzinfo=UTC),
    )
    client.force_login(owner)
    page_url = url("registration", ada.event, registration=ada.pk)

    seated = text(client.get(page_url))
    cancel_registration(registration=ada, actor=owner, tell=False)
    response = client.get(page_url)

    page = text(response)
    assert "Workshop" in seated and "Workshop" not in page  # the seat is given up
    assert response.status_code == 200
    assert "Dietary requirements Vegan; Nut allergy" in page
    assert "Organisation Aalto University" in page
    # 10:30 UTC is 12:30 in Helsinki, in winter.
    assert f"Fri, 15 Jan 2027, 12:30 Registered and confirmed {owner}" in page
    assert "Cancelled" in page and "by: organiser; not emailed" in page


def test_check_in_staff_see_no_health_answers_on_a_registrations_page(client, forum):
    ada = forum["ada"]
    client.force_login(forum[Role.CHECKIN])

    response = client.get(url("registration", ada.event, registration=ada.pk))

    page = text(response)
    assert "Aalto University" in page
    assert "Vegan" not in page and "Dietary requirements" not in page
    assert "Cancel…" not in page  # no actions for the door


def test_the_page_offers_the_actions_that_apply_to_the_registration(client, forum):
    client.force_login(forum[Role.EDITOR])

    awaiting = client.get(
        url("registration", forum["event"], registration=forum["bob"].pk)
    )

    assert [label for _kind, label in awaiting.context["actions"]] == [
        "Approve",
        "Decline",
        "Cancel",
        "Move to the waitlist",
    ]


def test_another_events_registration_is_404(client, forum):
    theirs = Registration.objects.get(attendee__name="Zed Other")
    client.force_login(forum[Role.OWNER])

    response = client.get(url("registration", forum["event"], registration=theirs.pk))

    assert response.status_code == 404


# --- exports ----------------------------------------------------------------------


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_csv_has_the_check_in_code_and_badge_fields_and_is_formula_safe(
    client, forum
):
    event = forum["event"]
    eve = RegistrationFactory(
        event=event,
        registration_type=forum["participant"],
        attendee=UserFactory(name="=cmd|' /C calc'!A0", affiliation="+Evil"),
    )
    client.force_login(forum[Role.CHECKIN])

    response = client.get(url("registrations_export", event, file_format="csv"))

    header, *rows = _csv(response)
    column = {name: header.index(name) for name in header}
    by_code = {row[column["Check-in code"]]: row for row in rows}
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{event.slug}-registrations-'
    )
    assert response["Cache-Control"] == "no-store"
    assert set(by_code) == set(
        Registration.objects.filter(event=event).values_list("checkin_code", flat=True)
    )
    row = by_code[eve.checkin_code]
    assert [
        row[column[name]]
        for name in ("Name", "Badge name", "Badge organisation", "Badge type")
    ] == ["'=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0", "'+Evil", "Participant"]
    ada = by_code[forum["ada"].checkin_code]
    assert ada[column["Badge organisation"]] == "Aalto University"
    assert "Dietary requirements" not in header


def test_export_follows_the_lists_filters(client, forum):
    event = forum["event"]
    client.force_login(forum[Role.OWNER])

    csv_rows = _csv(
        client.get(
            url("registrations_export", event, file_format="csv")
            + "?status=awaiting_approval"
        )
    )
    sheet = load_workbook(
        io.BytesIO(
            client.get(
                url("registrations_export", event, file_format="xlsx") + "?q=aalto"
            ).content
        )
    ).active

    assert [row[0] for row in csv_rows] == ["Name", "Bob Berg"]
    assert [row[0].value for row in sheet.iter_rows()] == ["Name", "Ada Lovelace"]


def test_health_answers_are_exported_only_when_asked_and_allowed(client, forum):
    event = forum["event"]
    export = url("registrations_export", event, file_format="csv")

    client.force_login(forum[Role.EDITOR])
    sensitive = _csv(client.get(export + "?sensitive=1&q=aalto"))
    client.force_login(forum[Role.CHECKIN])
    refused = client.get(export + "?sensitive=1")

    column = sensitive[0].index("Dietary requirements")
    assert sensitive[1][column] == "Vegan; Nut allergy"
    assert refused.status_code == 403


def test_export_refuses_bad_input_clearly(client, forum):
    event = forum["event"]
    client.force_login(forum[Role.OWNER])

    bad_format = client.get(url("registrations_export", event, file_format="pdf"))
    bad_status = client.get(
        url("registrations_export", event, file_format="csv") + "?status=happy"
    )

    assert (bad_format.status_code, bad_format.content) == (
        404,
        b"Unknown format: use .csv or .xlsx.",
    )
    assert bad_status.status_code == 400
    assert bad_status.content.decode() == (
        "Unknown filter: status: Select a valid choice. happy is not one of the "
        "available choices."
    )


# --- registering someone ----------------------------------------------------------


def test_registering_someone_makes_the_account_and_logs_the_organiser(client, forum):
    event = forum["event"]
    dietary = event.questions.get(key="dietary")
    owner = forum[Role.OWNER]
    client.force_login(owner)

    response = client.post(
        url("registration_new", event),
        {
            "email": "President@KTH.se",
            "name": "Sigrid Berg",
            "affiliation": "KTH",
            "registration_type": forum["participant"].pk,
            f"q_{dietary.pk}": ["Vegan"],
        },
    )

    registration = Registration.objects.get(attendee__email="president@kth.se")
    assert response["Location"] == url(
        "registration", event, registration=registration.pk
    )
    assert (
        registration.status,
        registration.registered_by,
        registration.attendee.name,
        registration.attendee.has_usable_password(),
    ) == ("confirmed", owner, "Sigrid Berg", False)
    assert Answer.objects.get(registration=registration).value == ["Vegan"]


def test_registering_over_capacity_needs_the_switch_and_is_logged(client):
    event = EventFactory(capacity=1, waitlist_enabled=False)
    owner = EventOrganiserFactory(event=event).user
    RegistrationFactory(event=event)
    client.force_login(owner)
    fields = {"email": "p@kth.se", "name": "President"}

    refused = client.post(url("registration_new", event), fields)
    accepted = client.post(
        url("registration_new", event), fields | {"override_capacity": "on"}
    )

    assert refused.status_code == 400
    assert "Sorry, this event is full." in text(refused)
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


def test_registering_someone_registered_already_is_refused(client, forum):
    client.force_login(forum[Role.OWNER])

    response = client.post(
        url("registration_new", forum["event"]),
        {
            "email": "ADA@aalto.fi",
            "name": "Ada",
            "registration_type": forum["participant"].pk,
        },
    )

    assert response.status_code == 400
    assert "ada@aalto.fi is registered already (Confirmed)." in text(response)
    assert Registration.objects.filter(attendee=forum["ada"].attendee).count() == 1


def test_registering_someone_works_for_an_invitation_only_event(client):
    event = EventFactory(visibility=Event.Visibility.INVITATION_ONLY)
    client.force_login(EventOrganiserFactory(event=event).user)

    client.post(url("registration_new", event), {"email": "a@dtu.dk", "name": "Anna"})

    assert Registration.objects.get(event=event).attendee.email == "a@dtu.dk"


def test_check_in_staff_cannot_register_anyone(client, forum):
    event = forum["event"]
    client.force_login(forum[Role.CHECKIN])

    get = client.get(url("registration_new", event))
    post = client.post(url("registration_new", event), {"email": "a@b.fi", "name": "A"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert not Registration.objects.filter(attendee__email="a@b.fi").exists()


# --- the admin's old addresses -----------------------------------------------------


def test_the_admins_old_organiser_pages_redirect_here(client, forum):
    event = forum["event"]
    workshop = forum["workshop"]
    client.force_login(forum[Role.OWNER])
    old = "/admin/registrations/"

    answers = [
        client.get(f"{old}{path}")["Location"]
        for path in (
            f"registration/summary/{event.pk}/",
            f"registration/session/{event.pk}/{workshop.pk}/",
            f"registration/export/{event.pk}/xlsx/?sensitive=1",
            f"registration/checkin/{event.pk}/",
            f"registration/register/{event.pk}/",
            f"invitation/invite/{event.pk}/",
        )
    ]

    assert answers == [
        url("home", event),
        url("registrations", event) + f"?session={workshop.pk}",
        url("registrations_export", event, file_format="xlsx") + "?sensitive=1",
        f"/organise/{event.slug}/check-in/",
        url("registration_new", event),
        url("invitation_new", event),
    ]


def test_the_old_addresses_tell_nobody_else_where_an_event_went(client, forum):
    event = forum["event"]
    client.force_login(EventOrganiserFactory().user)  # another event's owner

    mine = client.get(f"/admin/registrations/registration/summary/{event.pk}/")
    other = client.get(
        f"/admin/registrations/registration/session/{event.pk}/{SessionFactory().pk}/"
    )

    assert (mine.status_code, other.status_code) == (404, 404)


def test_search_finds_an_organisation_answer_written_with_any_letters(client, forum):
    event = forum["event"]
    eila = RegistrationFactory(event=event, attendee=UserFactory(name="Eila Ek"))
    _answer(eila, "organisation", "Jyväskylän yliopisto")
    client.force_login(forum[Role.OWNER])

    response = client.get(url("registrations", event) + "?q=JYVÄSKYLÄ")

    assert listed(response) == ["Eila Ek"]
