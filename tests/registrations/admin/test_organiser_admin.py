"""The organiser tools in the admin: scoped to one's own events, writes via services."""

import csv
import io

import pytest
from django.urls import reverse

from events.models import EventOrganiser
from registrations.models import Activity, Registration
from registrations.services.registering import register_attendee
from tests.factories import EventFactory, EventOrganiserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_events():
    ours = EventFactory(title="Spring Forum", capacity=1, approval_required=True)
    theirs = EventFactory(title="Other Forum")
    organiser = EventOrganiserFactory(event=ours).user
    EventOrganiserFactory(event=theirs)
    return ours, theirs, organiser


def admin_url(name, *args):
    return reverse(f"admin:registrations_registration_{name}", args=args)


def test_organiser_pages_of_own_event_work(client, two_events):
    ours, _theirs, organiser = two_events
    register_attendee(event=ours, attendee=UserFactory(name="Ada Lovelace"))
    client.force_login(organiser)

    pages = [
        admin_url("changelist") + f"?event={ours.pk}",
        admin_url("summary", ours.pk),
        admin_url("checkin", ours.pk),
        admin_url("register", ours.pk),
        reverse("admin:registrations_invitation_invite", args=[ours.pk]),
    ]
    assert [client.get(page).status_code for page in pages] == [200] * len(pages)
    listing = client.get(admin_url("changelist") + f"?event={ours.pk}")
    assert "Ada Lovelace" in listing.content.decode()


def test_organiser_gets_404_on_everything_of_another_event(client, two_events):
    _ours, theirs, organiser = two_events
    registration = register_attendee(event=theirs, attendee=UserFactory())
    client.force_login(organiser)

    pages = [
        admin_url("summary", theirs.pk),
        admin_url("checkin", theirs.pk),
        admin_url("export", theirs.pk, "csv"),
        admin_url("export", theirs.pk, "xlsx"),
        admin_url("register", theirs.pk),
        reverse("admin:registrations_invitation_invite", args=[theirs.pk]),
    ]
    assert [client.get(page).status_code for page in pages] == [404] * len(pages)
    change = client.get(admin_url("change", registration.pk))
    assert change.status_code == 404
    assert (
        registration.attendee.email
        not in client.get(admin_url("changelist")).content.decode()
    )

    client.post(
        admin_url("changelist"),
        {"action": "decline", "_selected_action": [registration.pk]},
    )
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    response = client.post(
        admin_url("checkin", theirs.pk), {"code": registration.checkin_code}
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_bulk_approve_enforces_capacity(client, two_events):
    ours, _theirs, organiser = two_events
    a = register_attendee(event=ours, attendee=UserFactory())
    b = register_attendee(event=ours, attendee=UserFactory())
    client.force_login(organiser)

    client.post(
        admin_url("changelist") + f"?event={ours.pk}",
        {"action": "approve", "_selected_action": [a.pk, b.pk]},
    )

    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "confirmed", b.pk: "waitlisted"}
    assert Activity.objects.filter(actor=organiser, verb="approved").count() == 1


def test_checkin_staff_cannot_approve_nor_export_sensitive(client, two_events):
    ours, _theirs, _organiser = two_events
    staff = UserFactory(is_staff=True)
    EventOrganiser.objects.create(
        event=ours, user=staff, role=EventOrganiser.Role.CHECKIN
    )
    a = register_attendee(event=ours, attendee=UserFactory())
    client.force_login(staff)

    client.post(
        admin_url("changelist") + f"?event={ours.pk}",
        {"action": "approve", "_selected_action": [a.pk]},
    )
    a.refresh_from_db()
    assert a.status == "awaiting_approval"
    assert client.get(admin_url("checkin", ours.pk)).status_code == 200


def test_checkin_by_code_marks_attended(client, two_events):
    ours, _theirs, organiser = two_events
    ours.approval_required = False
    ours.save()
    registration = register_attendee(event=ours, attendee=UserFactory(name="Björn"))
    client.force_login(organiser)

    response = client.post(
        admin_url("checkin", ours.pk), {"code": registration.checkin_code.lower()}
    )

    registration.refresh_from_db()
    assert response.status_code == 200
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == organiser


def test_csv_export_is_formula_safe(client, two_events):
    ours, _theirs, organiser = two_events
    ours.approval_required = False
    ours.save()
    register_attendee(event=ours, attendee=UserFactory(name="=HYPERLINK(1)"))
    client.force_login(organiser)

    response = client.get(admin_url("export", ours.pk, "csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [cell for row in rows[1:] for cell in row if "HYPERLINK" in cell]
    assert names == ["'=HYPERLINK(1)"]
