"""The registrations list in the admin: scoped, filtered, searched, read-only rows,
history, and bulk actions through the services."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import EventOrganiser
from registrations.models import Activity, Answer, Registration
from registrations.services.checkin import check_in
from registrations.services.questions import create_default_questions
from registrations.services.registering import register_attendee
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Role = EventOrganiser.Role


def url(name, *args):
    return reverse(f"admin:registrations_registration_{name}", args=args)


def names(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        cell.get_text(strip=True)
        for cell in soup.select("td.field-attendee_name, th.field-attendee_name")
    ]


def _answer(registration, key, value):
    question = registration.event.questions.get(key=key)
    Answer.objects.create(registration=registration, question=question, value=value)


@pytest.fixture
def forum():
    event = EventFactory(title="Spring Forum")
    create_default_questions(event)
    participant = RegistrationTypeFactory(event=event, name="Participant")
    presenter = RegistrationTypeFactory(event=event, name="Presenter")
    ada = RegistrationFactory(
        event=event,
        registration_type=participant,
        attendee=UserFactory(name="Ada Lovelace", email="ada@aalto.fi", affiliation=""),
    )
    _answer(ada, "organisation", "Aalto University")
    _answer(ada, "dietary", ["Vegan", "Nut allergy"])
    _answer(ada, "participant_list_consent", True)
    bob = RegistrationFactory(
        event=event,
        registration_type=presenter,
        attendee=UserFactory(name="Bob Berg", email="bob@kth.se", affiliation="KTH"),
        status=Registration.Status.AWAITING_APPROVAL,
    )
    _answer(bob, "dietary", ["Vegetarian"])
    _answer(bob, "participant_list_consent", False)
    cy = RegistrationFactory(
        event=event,
        registration_type=participant,
        attendee=UserFactory(name="Cy Clark", email="cy@ntnu.no", affiliation="NTNU"),
    )
    check_in(registration=cy, actor=UserFactory())
    owner = EventOrganiserFactory(event=event).user
    other = EventFactory(title="Other Forum")
    RegistrationFactory(event=other, attendee=UserFactory(name="Zed Other"))
    return {
        "event": event, "owner": owner, "ada": ada, "bob": bob, "cy": cy,
        "participant": participant, "other": other,
    }  # fmt: skip


def listing(client, forum, query=""):
    return client.get(url("changelist") + f"?event={forum['event'].pk}{query}")


def test_the_list_shows_only_the_organisers_events(client, forum):
    client.force_login(forum["owner"])

    everything = client.get(url("changelist"))

    assert sorted(names(everything)) == ["Ada Lovelace", "Bob Berg", "Cy Clark"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("&status__exact=awaiting_approval", ["Bob Berg"]),
        ("&type={participant}", ["Ada Lovelace", "Cy Clark"]),
        ("&checked_in=yes", ["Cy Clark"]),
        ("&checked_in=no", ["Ada Lovelace", "Bob Berg"]),
        ("&answer={dietary}:Vegan", ["Ada Lovelace"]),
        ("&answer={dietary}:Vegetarian", ["Bob Berg"]),
        ("&answer={consent}:yes", ["Ada Lovelace"]),
        ("&answer={consent}:no", ["Bob Berg"]),
        ("&q=aalto", ["Ada Lovelace"]),  # the organisation answer
        ("&q=KTH", ["Bob Berg"]),  # the profile's affiliation
        ("&q=cy@ntnu", ["Cy Clark"]),
        ("&q=berg", ["Bob Berg"]),
    ],
)
def test_filters_and_search(client, forum, query, expected):
    event = forum["event"]
    query = query.format(
        participant=forum["participant"].pk,
        dietary=event.questions.get(key="dietary").pk,
        consent=event.questions.get(key="participant_list_consent").pk,
    )
    client.force_login(forum["owner"])

    assert sorted(names(listing(client, forum, query))) == expected


def test_answer_filter_offers_health_answers_only_to_managers(client, forum):
    event = forum["event"]
    staff = UserFactory(is_staff=True)
    EventOrganiser.objects.create(event=event, user=staff, role=Role.CHECKIN)
    dietary = event.questions.get(key="dietary")

    client.force_login(forum["owner"])
    owner_view = listing(client, forum).content.decode()
    client.force_login(staff)
    staff_view = listing(client, forum).content.decode()
    staff_filtered = listing(client, forum, f"&answer={dietary.pk}:Vegan")

    assert "Dietary requirements: Vegan" in owner_view
    assert "Dietary requirements" not in staff_view
    assert sorted(names(staff_filtered)) == ["Ada Lovelace", "Bob Berg", "Cy Clark"]


def test_the_list_costs_the_same_queries_for_one_or_three_rows(client):
    def count(people):
        event = EventFactory()
        owner = EventOrganiserFactory(event=event).user
        for _n in range(people):
            RegistrationFactory(
                event=event, registration_type=RegistrationTypeFactory(event=event)
            )
        client.force_login(owner)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("changelist") + f"?event={event.pk}")
        assert len(names(response)) == people
        return len(queries)

    assert count(1) == count(3)


def test_another_events_list_and_rows_are_404(client, forum):
    other = forum["other"]
    theirs = Registration.objects.get(event=other)
    client.force_login(forum["owner"])

    assert client.get(url("changelist") + f"?event={other.pk}").status_code == 404
    assert client.get(url("changelist") + "?event=nonsense").status_code == 404
    assert client.get(url("change", theirs.pk)).status_code == 404


def test_change_page_shows_answers_and_history_read_only(client, forum):
    ada = forum["ada"]
    Activity.objects.create(
        event=ada.event, registration=ada, verb="confirmed", details={"sessions": []}
    )
    client.force_login(forum["owner"])

    response = client.get(url("change", ada.pk))

    text = response.content.decode()
    assert response.status_code == 200
    assert "<tr><th>Dietary requirements</th><td>Vegan; Nut allergy</td></tr>" in text
    assert "<tr><th>Organisation</th><td>Aalto University</td></tr>" in text
    assert "Registered and confirmed" in text
    assert 'name="_save"' not in text


def test_check_in_staff_do_not_see_health_answers(client, forum):
    staff = UserFactory(is_staff=True)
    EventOrganiser.objects.create(event=forum["event"], user=staff, role=Role.CHECKIN)
    client.force_login(staff)

    text = client.get(url("change", forum["ada"].pk)).content.decode()

    assert "Aalto University" in text
    assert "Vegan" not in text
    assert "Dietary requirements" not in text


def _act(client, action, registrations, event=None):
    target = url("changelist") + (f"?event={event.pk}" if event else "")
    return client.post(
        target,
        {"action": action, "_selected_action": [r.pk for r in registrations]},
    )


def test_approve_action_goes_through_the_service(client, forum):
    client.force_login(forum["owner"])

    response = _act(client, "approve", [forum["bob"]], forum["event"])

    forum["bob"].refresh_from_db()
    assert response.status_code == 302
    assert forum["bob"].status == Registration.Status.CONFIRMED
    assert Activity.objects.get(registration=forum["bob"]).actor == forum["owner"]


def test_approve_when_full_waitlists_and_says_so(client):
    event = EventFactory(capacity=1, approval_required=True)
    owner = EventOrganiserFactory(event=event).user
    first = register_attendee(event=event, attendee=UserFactory())
    second = register_attendee(event=event, attendee=UserFactory())
    client.force_login(owner)

    response = _act(client, "approve", [first, second], event)

    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "waitlisted"}
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["2 approved (when full, they join the waitlist)."]


def test_approve_when_full_without_waitlist_shows_the_services_message(client):
    event = EventFactory(capacity=1, approval_required=True, waitlist_enabled=False)
    owner = EventOrganiserFactory(event=event).user
    first = register_attendee(event=event, attendee=UserFactory(name="First"))
    second = register_attendee(event=event, attendee=UserFactory(name="Second"))
    client.force_login(owner)

    response = _act(client, "approve", [first, second], event)

    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["No place is free for Second; raise the capacity first."]
    assert set(Registration.objects.values_list("status", flat=True)) == {
        "awaiting_approval"
    }


def test_decline_and_cancel_actions(client, forum):
    client.force_login(forum["owner"])

    _act(client, "decline", [forum["bob"]], forum["event"])
    _act(client, "cancel", [forum["ada"]], forum["event"])

    statuses = dict(
        Registration.objects.filter(event=forum["event"]).values_list(
            "attendee__name", "status"
        )
    )
    assert statuses == {
        "Ada Lovelace": "cancelled",
        "Bob Berg": "declined",
        "Cy Clark": "confirmed",
    }
    assert Activity.objects.get(registration=forum["ada"]).details == {
        "by": "organiser"
    }


def test_acting_on_another_events_registration_is_404(client, forum):
    theirs = RegistrationFactory(event=forum["other"], status="awaiting_approval")
    client.force_login(forum["owner"])

    response = _act(client, "approve", [theirs])

    theirs.refresh_from_db()
    assert response.status_code == 404
    assert theirs.status == "awaiting_approval"


def test_check_in_staff_cannot_approve(client, forum):
    staff = UserFactory(is_staff=True)
    EventOrganiser.objects.create(event=forum["event"], user=staff, role=Role.CHECKIN)
    client.force_login(staff)

    page = listing(client, forum)
    _act(client, "approve", [forum["bob"]], forum["event"])

    forum["bob"].refresh_from_db()
    assert forum["bob"].status == "awaiting_approval"
    assert 'value="approve"' not in page.content.decode()


def test_owner_here_but_check_in_staff_there_gets_403_approving_there(client, forum):
    owner = forum["owner"]
    EventOrganiser.objects.create(event=forum["other"], user=owner, role=Role.CHECKIN)
    theirs = RegistrationFactory(event=forum["other"], status="awaiting_approval")
    client.force_login(owner)

    response = _act(client, "approve", [theirs])

    theirs.refresh_from_db()
    assert response.status_code == 403
    assert theirs.status == "awaiting_approval"
