"""The organiser's figures: the summary page shows what reports count, and the
export's rows add up to the same numbers."""

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


def url(name, *args):
    return reverse(f"admin:registrations_registration_{name}", args=args)


def table_rows(response, heading):
    soup = BeautifulSoup(response.content, "html.parser")
    title = next(
        h for h in soup.find_all(["h2", "h3"]) if h.get_text(" ", strip=True) == heading
    )
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
        for row in title.find_next("table").tbody.find_all("tr")
    ]


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


def test_summary_page_reports_and_the_export_agree(client, forum):
    event = forum
    client.force_login(EventOrganiserFactory(event=event).user)

    counts = reports.event_counts(event)
    answers = reports.answer_counts(event, include_sensitive=True)
    page = client.get(url("summary", event.pk))
    export = client.get(url("export", event.pk, "csv") + "?sensitive=1")

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

    # The page shows those figures.
    assert table_rows(page, "Registrations by status") == [
        [label, str(counts["by_status"][status])]
        for status, label in Registration.Status.choices
    ]
    text = " ".join(BeautifulSoup(page.content, "html.parser").get_text().split())
    assert "5 of 4 places taken — including 1 place reserved for an invitee." in text
    assert table_rows(page, "By registration type") == [
        [t.type.name, str(t.type.quota or "–")]
        + [str(n) for n in (t.confirmed, t.awaiting, t.waitlisted)]
        for t in counts["types"]
    ]
    assert [row[0] for row in table_rows(page, "By session")] == ["Workshop"]
    assert table_rows(page, "By session")[0][2:] == ["1", "1", "0"]
    assert table_rows(page, "Diet") == [[a, str(n)] for a, n in answers[0]["rows"]]

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
