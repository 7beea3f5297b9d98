"""The organiser's figures: what reports count, the registrations list finds as
many people with the matching filters, and the export's rows add up to the same
numbers."""

import csv
import io
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from events.models import Event
from registrations.models import Question, Registration
from registrations.selectors import reports
from registrations.services.approval import decline_registrations
from registrations.services.registering import cancel_registration, register_attendee
from registrations.services.seats import take_seat
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    InvitationFactory,
    QuestionFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
STATUS_LABELS = dict(Registration.Status.choices)


def url(name, event, **kwargs):
    return reverse(f"organise:{name}", kwargs={"event": event.slug, **kwargs})


def found(client, event, **filters) -> int:
    """How many registrations the list says match `filters`."""
    response = client.get(url("registrations", event), filters)
    assert response.status_code == 200
    count = response.context["page"].paginator.count
    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    noun = "registration" if count == 1 else "registrations"
    assert f"{count} {noun}" in text  # as the page says it
    return count


@pytest.fixture
def forum():
    """Every status, two types (one with a quota), a session with seats and one
    without, answers, and a place reserved for an invitee."""
    event = EventFactory(capacity=4, waitlist_mode=Event.WaitlistMode.OFFER)
    participant = RegistrationTypeFactory(event=event, name="Participant", quota=2)
    guest = RegistrationTypeFactory(event=event, name="Guest")
    diet = QuestionFactory(
        event=event,
        label="Diet",
        kind=Question.Kind.MULTIPLE_CHOICE,
        choices=["Vegan", "Vegetarian", "Nut allergy"],
    )
    workshop = SessionFactory(
        event=event, title="Workshop", capacity=1, signup_required=True
    )
    SessionFactory(event=event, title="Keynote")  # no sign-up: no seats to count

    def register(kind, answer=None):
        return register_attendee(
            event=event,
            attendee=UserFactory(),
            registration_type=kind,
            answers={diet: answer} if answer else None,
        )

    ada = register(participant, ["Vegan"])
    register(participant, ["Vegan", "Nut allergy"])  # the type is full now
    register(participant)  # waits: the type is full
    di = register(guest, ["Vegetarian"])
    register(guest)  # the event is full now
    register(guest)  # waits
    gus = register(guest)  # waits
    take_seat(registration=ada, session=workshop)
    take_seat(registration=di, session=workshop)  # waits for the seat
    cancel_registration(registration=ada)  # di gets the seat, the next an offer
    decline_registrations(registrations=[gus], actor=UserFactory(is_staff=True))
    RegistrationFactory(
        event=event, registration_type=guest, status="awaiting_approval"
    )
    InvitationFactory(event=event, registration_type=participant, reserves_seat=True)
    return event


def test_reports_the_list_and_the_export_agree(client, forum):
    event = forum
    client.force_login(EventOrganiserFactory(event=event).user)

    counts = reports.event_counts(event)
    answers = reports.answer_counts(event, include_sensitive=True)
    export = client.get(
        url("registrations_export", event, file_format="csv") + "?sensitive=1"
    )

    # What reports count, exactly.
    assert counts["by_status"] == {
        "awaiting_approval": 1,
        "confirmed": 3,
        "waitlisted": 1,
        "offered": 1,
        "declined": 1,
        "cancelled": 1,
    }
    assert (counts["places_taken"], counts["reserved"]) == (5, 1)
    assert [
        (t.type.name, t.confirmed, t.awaiting, t.waitlisted) for t in counts["types"]
    ] == [("Guest", 2, 1, 1), ("Participant", 1, 0, 0)]
    assert [(s.title, s.taken, s.waiting) for s in counts["sessions"]] == [
        ("Workshop", 1, 0)
    ]
    assert answers[0]["rows"] == [("Nut allergy", 1), ("Vegan", 1), ("Vegetarian", 1)]

    # The list finds as many with the matching filters.
    assert {
        status: found(client, event, status=status) for status in Registration.Status
    } == counts["by_status"]
    assert [
        (
            t.type.name,
            found(client, event, type=t.type.pk, status="confirmed"),
            found(client, event, type=t.type.pk, status="awaiting_approval"),
            found(client, event, type=t.type.pk, status="waitlisted"),
        )
        for t in counts["types"]
    ] == [(t.type.name, t.confirmed, t.awaiting, t.waitlisted) for t in counts["types"]]
    assert [
        found(client, event, session=s.pk, status="confirmed")
        for s in counts["sessions"]
    ] == [s.taken for s in counts["sessions"]]
    diet = answers[0]["question"]
    assert [
        (answer, found(client, event, answer=f"{diet.pk}:{answer}", status="confirmed"))
        for answer, _n in answers[0]["rows"]
    ] == answers[0]["rows"]

    # The export's rows add up to them.
    header, *rows = csv.reader(io.StringIO(export.content.decode("utf-8-sig")))
    column = {name: header.index(name) for name in header}
    statuses = Counter(row[column["Status"]] for row in rows)
    assert statuses == {
        STATUS_LABELS[status]: n for status, n in counts["by_status"].items() if n
    }
    holding = {STATUS_LABELS["confirmed"], STATUS_LABELS["offered"]}
    assert (
        sum(row[column["Status"]] in holding for row in rows) + counts["reserved"]
        == counts["places_taken"]
    )
    by_type = Counter(
        (row[column["Registration type"]], row[column["Status"]]) for row in rows
    )
    assert [
        (t.type.name, t.confirmed, t.awaiting, t.waitlisted) for t in counts["types"]
    ] == [
        (
            t.type.name,
            by_type[(t.type.name, STATUS_LABELS["confirmed"])],
            by_type[(t.type.name, STATUS_LABELS["awaiting_approval"])],
            by_type[(t.type.name, STATUS_LABELS["waitlisted"])],
        )
        for t in counts["types"]
    ]
    confirmed = [r for r in rows if r[column["Status"]] == STATUS_LABELS["confirmed"]]
    assert [
        sum(s.title in r[column["Sessions"]].split("; ") for r in confirmed)
        for s in counts["sessions"]
    ] == [s.taken for s in counts["sessions"]]
    tally = Counter(
        item for r in confirmed for item in r[column["Diet"]].split("; ") if item
    )
    assert sorted(tally.items()) == sorted(answers[0]["rows"])
