"""The door's lists: verdicts, codes nobody can forge, scans recorded exactly
once (offline queues synced twice), duplicates from offline devices, counts,
attention notes as the list allows, and walk-ins."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from events.models import EventOrganiser
from registrations.models import Answer, CheckIn, CheckInList, Registration
from registrations.selectors import door as door_selectors
from registrations.services import door, door_setup
from registrations.tokens import CHECKIN_ALPHABET
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    QuestionFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Role = EventOrganiser.Role


@pytest.fixture
def event():
    return EventFactory()


@pytest.fixture
def staff_client(client, event):
    client.force_login(EventOrganiserFactory(event=event, role=Role.CHECKIN).user)
    return client


def scans_url(checkin_list) -> str:
    return reverse(
        "organise:checkin_scans",
        kwargs={"event": checkin_list.event.slug, "list_id": checkin_list.pk},
    )


def send(client, checkin_list, scans):
    return client.post(
        scans_url(checkin_list), json.dumps({"scans": scans}), "application/json"
    )


def a_scan(code, *, at=None, offline=True) -> dict:
    at = at or timezone.now()
    return {
        "uuid": str(uuid.uuid4()),
        "code": code,
        "at": at.isoformat(),
        "offline": offline,
    }


def test_a_code_carries_130_random_bits_and_a_forged_or_altered_one_is_refused(
    staff_client, event
):
    ada = RegistrationFactory(event=event)
    code = ada.checkin_code
    altered = code[:-1] + next(c for c in CHECKIN_ALPHABET if c != code[-1])
    forged = "A" * len(code)
    url = reverse("organise:checkin", kwargs={"event": event.slug})

    answers = [staff_client.post(url, {"code": c}) for c in (altered, forged, code)]

    assert len(code) == 26 and set(code) <= set(CHECKIN_ALPHABET)  # 26 × 5 bits
    assert [a.status_code for a in answers] == [400, 400, 200]
    assert [a.context["verdict"].colour for a in answers] == ["red", "red", "green"]
    assert CheckIn.objects.filter(registration=ada).count() == 1


def test_verdicts_green_amber_red_with_reasons(staff_client, event):
    ada = RegistrationFactory(event=event)
    gone = RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    stranger = RegistrationFactory()
    url = reverse("organise:checkin", kwargs={"event": event.slug})

    pages = [
        staff_client.post(url, {"code": r.checkin_code})
        for r in (ada, ada, gone, waiting, stranger)
    ]

    verdicts = [p.context["verdict"] for p in pages]
    assert [v.colour for v in verdicts] == ["green", "amber", "red", "red", "red"]
    assert "First checked in at" in pages[1].content.decode()
    assert verdicts[2].reason == "The registration was cancelled."
    assert verdicts[3].reason == "On the waitlist: no place yet."
    assert verdicts[4].reason == "No registration for this event has that code."
    assert 'role="status"' in pages[0].content.decode()
    ada.refresh_from_db()
    assert ada.checked_in_at is not None


def test_an_offline_queue_synced_twice_records_each_check_in_once(staff_client, event):
    people = [RegistrationFactory(event=event) for _ in range(3)]
    main = door.main_list(event)
    queue = [a_scan(r.checkin_code) for r in people]

    first = send(staff_client, main, queue).json()
    again = send(staff_client, main, queue).json()

    assert [r["colour"] for r in first["results"]] == ["green"] * 3
    assert again["results"] == first["results"]
    assert CheckIn.objects.filter(checkin_list=main).count() == 3
    assert first["count"] == {"expected": 3, "checked_in": 3, "inside": None}


def test_duplicates_from_two_offline_devices_are_reported_with_both_times(
    client, event
):
    ada = RegistrationFactory(event=event)
    main = door.main_list(event)
    phones = [door_setup.add_device(checkin_list=main, name=n) for n in "AB"]
    early = timezone.now() - timedelta(minutes=20)
    later = early + timedelta(minutes=3)
    for phone, at in [(phones[1], later), (phones[0], early)]:
        _pair(client, phone)
        send(client, main, [a_scan(ada.checkin_code, at=at)])
    owner = EventOrganiserFactory(event=event, role=Role.OWNER).user
    client.force_login(owner)

    page = client.get(
        reverse("organise:checkin_duplicates", kwargs={"event": event.slug})
    )

    (duplicate,) = page.context["rows"]
    assert {duplicate.first.device.name, duplicate.device.name} == {"A", "B"}
    assert {duplicate.first.scanned_at, duplicate.scanned_at} == {early, later}
    assert CheckIn.objects.filter(outcome="admitted").count() == 1


def test_entry_and_exit_counts_who_is_inside_and_who_was_ever_admitted(event):
    hall = CheckInList.objects.create(event=event, name="Hall", kind="entry_exit")
    ada, bo = RegistrationFactory(event=event), RegistrationFactory(event=event)
    start = timezone.now() - timedelta(hours=1)

    def scan(person, minutes):
        return door.scan(
            checkin_list=hall,
            registration=person,
            scanned_at=start + timedelta(minutes=minutes),
        )

    verdicts = [scan(ada, 0), scan(ada, 0.1), scan(bo, 1), scan(ada, 10)]

    assert [v.headline for v in verdicts] == [
        "Checked in",
        "Already checked in",
        "Checked in",
        "Checked out",
    ]
    assert door_selectors.count(hall) == door_selectors.ListCount(2, 2, 1)


def test_a_workshop_door_admits_only_those_with_a_seat(event):
    workshop = SessionFactory(event=event)
    door_list = CheckInList.objects.create(event=event, name="Workshop")
    door_list.sessions.set([workshop])
    seated, other = RegistrationFactory(event=event), RegistrationFactory(event=event)
    SessionSeatFactory(registration=seated, session=workshop)

    assert door.scan(checkin_list=door_list, registration=seated).colour == "green"
    refused = door.scan(checkin_list=door_list, registration=other)
    assert (refused.colour, refused.reason) == (
        "red",
        "No seat in the sessions of Workshop.",
    )
    assert door_selectors.count(door_list).expected == 1


def test_verdicts_show_the_attention_notes_the_list_names(event):
    diet = QuestionFactory(event=event, label="Diet", is_sensitive=True)
    ada = RegistrationFactory(event=event, organiser_note="Speaker: give the badge")
    Answer.objects.create(registration=ada, question=diet, value="vegan")
    entrance = door.main_list(event)
    reception = CheckInList.objects.create(
        event=event, name="Reception", notes=["sensitive", "organiser"]
    )

    at_entrance = door.scan(checkin_list=entrance, registration=ada)
    at_reception = door.scan(checkin_list=reception, registration=ada)

    assert at_entrance.notes == []
    assert at_reception.notes == [
        ("Diet", "vegan"),
        ("Note", "Speaker: give the badge"),
    ]


def test_the_roster_holds_code_digests_and_names_only(staff_client, event):
    ada = RegistrationFactory(event=event)
    main = door.main_list(event)

    roster = staff_client.get(
        reverse(
            "organise:checkin_roster", kwargs={"event": event.slug, "list_id": main.pk}
        )
    ).json()

    (row,) = roster["people"]
    assert row == [
        door_selectors.code_digest(main, ada.checkin_code),
        ada.attendee.name,
        False,
        ada.pk,
    ]
    assert ada.checkin_code not in json.dumps(roster)
    assert ada.attendee.email not in json.dumps(roster)
    assert re.fullmatch(r"[0-9a-f]{32}", row[0])


def test_the_roster_holds_no_email_for_a_person_without_a_name(staff_client, event):
    nameless = RegistrationFactory(event=event, attendee=UserFactory(name=""))
    main = door.main_list(event)

    roster = staff_client.get(
        reverse(
            "organise:checkin_roster", kwargs={"event": event.slug, "list_id": main.pk}
        )
    ).json()

    assert roster["people"][0][1:] == ["", False, nameless.pk]
    assert nameless.attendee.email not in json.dumps(roster)


def test_a_name_tapped_offline_is_checked_in_once_by_its_registration(
    staff_client, event
):
    ada, other_event = RegistrationFactory(event=event), RegistrationFactory()
    main = door.main_list(event)
    tap = {"uuid": str(uuid.uuid4()), "registration": ada.pk, "offline": True}
    stranger = {"uuid": str(uuid.uuid4()), "registration": other_event.pk}

    first = send(staff_client, main, [tap, stranger]).json()["results"]
    again = send(staff_client, main, [tap]).json()["results"]
    bad = send(staff_client, main, [{"uuid": str(uuid.uuid4()), "registration": "1"}])

    assert [r["colour"] for r in first] == ["green", "red"]
    assert again[0]["colour"] == "green"  # the same scan, answered as before
    assert CheckIn.objects.get().registration == ada
    assert CheckIn.objects.get().offline is True
    assert bad.status_code == 400


def test_a_walk_in_is_registered_and_checked_in_in_one_step(client, event):
    guest = RegistrationTypeFactory(event=event, name="Guest")
    client.force_login(EventOrganiserFactory(event=event, role=Role.EDITOR).user)

    page = client.post(
        reverse("organise:checkin_walk_in", kwargs={"event": event.slug}),
        {
            "name": "Walker Inn",
            "email": "walker@example.org",
            "registration_type": guest.pk,
        },
    )

    assert page.status_code == 200
    assert page.context["verdict"].colour == "green"
    walker = Registration.objects.get(attendee__email="walker@example.org")
    assert walker.checkins.get().outcome == "admitted"


def walk_in(client, event, checkin_list, email, **extra):
    url = reverse("organise:checkin_walk_in", kwargs={"event": event.slug})
    return client.post(
        f"{url}?list={checkin_list.pk}",
        {"name": "Walker Inn", "email": email, **extra},
    )


def test_check_in_staff_register_walk_ins_where_an_owner_allows_it(staff_client, event):
    main = door.main_list(event)
    reception = CheckInList.objects.create(
        event=event, name="Reception", allows_walk_ins=True
    )
    page_url = reverse("organise:checkin_walk_in", kwargs={"event": event.slug})

    refused = walk_in(staff_client, event, main, "no@example.org")
    form = staff_client.get(f"{page_url}?list={reception.pk}")
    admitted = walk_in(staff_client, event, reception, "yes@example.org")

    assert refused.status_code == 403
    assert form.status_code == 200
    assert "override_capacity" not in form.context["form"].fields
    assert admitted.context["verdict"].colour == "green"
    walker = Registration.objects.get(attendee__email="yes@example.org")
    assert walker.status == "confirmed"
    assert walker.checkins.get().checkin_list == reception
    assert not Registration.objects.filter(attendee__email="no@example.org").exists()
    # and nothing more: pairing phones, editing lists, messages stay closed
    closed = [
        reverse("organise:checkin_devices", args=[event.slug, reception.pk]),
        reverse("organise:checkin_list_edit", args=[event.slug, reception.pk]),
        reverse("organise:messages", args=[event.slug]),
    ]
    assert [staff_client.get(url).status_code for url in closed] == [403, 403, 403]


def test_a_full_event_refuses_a_walk_in_and_registers_nothing(staff_client, event):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    RegistrationFactory(event=event)
    reception = CheckInList.objects.create(
        event=event, name="Reception", allows_walk_ins=True
    )

    page = walk_in(
        staff_client, event, reception, "late@example.org", override_capacity="on"
    )

    assert page.status_code == 400
    assert "No place for a walk-in: the event or this registration type is full" in (
        page.content.decode()
    )
    assert not Registration.objects.filter(attendee__email="late@example.org").exists()
    assert Registration.objects.filter(event=event).count() == 1


def test_check_in_staff_may_not_register_walk_ins_edit_lists_or_pair_phones(
    staff_client, event
):
    main = door.main_list(event)
    urls = [
        reverse("organise:checkin_walk_in", kwargs={"event": event.slug}),
        reverse("organise:checkin_list_new", kwargs={"event": event.slug}),
        reverse(
            "organise:checkin_devices", kwargs={"event": event.slug, "list_id": main.pk}
        ),
        reverse("organise:message_compose", kwargs={"event": event.slug}),
    ]

    assert [staff_client.post(url, {}).status_code for url in urls] == [403] * 4


def _pair(client, device):
    client.logout()
    client.post(reverse("organise:checkin_pair", kwargs={"token": device.token}))


def test_organisers_write_the_note_and_check_in_staff_may_not(client, event):
    ada = RegistrationFactory(event=event)
    url = reverse(
        "organise:registration_note",
        kwargs={"event": event.slug, "registration": ada.pk},
    )
    client.force_login(EventOrganiserFactory(event=event, role=Role.CHECKIN).user)
    refused = client.post(url, {"note": "Door staff wrote this"})
    client.force_login(EventOrganiserFactory(event=event, role=Role.EDITOR).user)
    saved = client.post(url, {"note": "  VIP: meet at the desk "})

    assert (refused.status_code, saved.status_code) == (403, 302)
    ada.refresh_from_db()
    assert ada.organiser_note == "VIP: meet at the desk"


def test_a_scan_as_json_takes_a_fixed_number_of_queries(
    staff_client, event, django_assert_num_queries
):
    people = [RegistrationFactory(event=event) for _ in range(3)]
    main = door.main_list(event)
    send(staff_client, main, [a_scan(people[0].checkin_code)])  # warm the session

    # user, the list (with whether it names sessions), roles; the scan (begin,
    # lock, earlier scans, insert, the registration, its activity, commit); the
    # count in one statement. The event's row is not read.
    with django_assert_num_queries(11):
        answer = send(staff_client, main, [a_scan(people[1].checkin_code)])
    # An amber verdict reads who made the first scan, and writes no activity.
    with django_assert_num_queries(10):
        again = send(staff_client, main, [a_scan(people[1].checkin_code)])

    assert answer.json()["results"][0]["colour"] == "green"
    assert again.json()["results"][0]["colour"] == "amber"
    staff = User.objects.get(pk=staff_client.session["_auth_user_id"])
    assert again.json()["results"][0]["first_by"] == str(staff)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '{"scans": "ABC"}',
        '{"scans": [{"code": "ABC"}]}',
        '{"scans": [{"uuid": "nope", "code": "ABC"}]}',
        json.dumps({"scans": [{"uuid": str(uuid.uuid4()), "code": "A", "at": "now"}]}),
        # a time without its zone: the device's clock cannot be placed
        json.dumps(
            {
                "scans": [
                    {"uuid": str(uuid.uuid4()), "code": "A", "at": "2030-05-06T09:00"}
                ]
            }
        ),
    ],
)
def test_scans_that_are_not_scans_get_a_400_with_the_reason(staff_client, event, body):
    main = door.main_list(event)

    answer = staff_client.post(scans_url(main), body, "application/json")

    assert answer.status_code == 400
    assert answer.json() == {"error": "Not a list of scans."}
