"""A paired phone reaches its one list's pages, and nothing else; revoking it or
making a new link ends its access at its next request."""

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import EventOrganiser
from registrations.models import CheckIn, CheckInList
from registrations.services import door, door_setup
from tests.factories import EventFactory, EventOrganiserFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    event = EventFactory()
    main = door.main_list(event)
    reception = CheckInList.objects.create(event=event, name="Reception")
    owner = EventOrganiserFactory(event=event, role=EventOrganiser.Role.OWNER).user
    phone = door_setup.add_device(checkin_list=main, name="Left door", actor=owner)
    return event, main, reception, phone


def pair(client, phone):
    return client.post(reverse("organise:checkin_pair", kwargs={"token": phone.token}))


def list_url(event, checkin_list, name="organise:checkin_list"):
    return reverse(name, kwargs={"event": event.slug, "list_id": checkin_list.pk})


def test_pairing_asks_first_and_then_opens_only_its_list(client, world):
    event, main, reception, phone = world
    asked = client.get(reverse("organise:checkin_pair", kwargs={"token": phone.token}))
    before = client.get(reverse("organise:checkin", kwargs={"event": event.slug}))

    paired = pair(client, phone)
    pages = {
        "door": client.get(reverse("organise:checkin", kwargs={"event": event.slug})),
        "own list": client.get(list_url(event, main)),
        "roster": client.get(list_url(event, main, "organise:checkin_roster")),
        "other list": client.get(list_url(event, reception)),
        "registrations": client.get(
            reverse("organise:registrations", kwargs={"event": event.slug})
        ),
        "messages": client.get(
            reverse("organise:messages", kwargs={"event": event.slug})
        ),
        "lists": client.get(
            reverse("organise:checkin_lists", kwargs={"event": event.slug})
        ),
        "home": client.get(reverse("organise:home", kwargs={"event": event.slug})),
    }

    assert asked.status_code == 200 and before.status_code == 302  # GET pairs nothing
    assert paired.status_code == 302
    codes = {name: response.status_code for name, response in pages.items()}
    assert codes == {
        "door": 200,
        "own list": 200,
        "roster": 200,
        "other list": 404,
        "registrations": 302,
        "messages": 302,
        "lists": 302,
        "home": 302,
    }
    assert "Paired phone: Left door" in pages["door"].content.decode()


def test_a_paired_phone_checks_people_in_as_itself(client, world):
    event, main, _reception, phone = world
    ada = RegistrationFactory(event=event)
    pair(client, phone)

    answer = client.post(
        list_url(event, main, "organise:checkin_scans"),
        json.dumps(
            {
                "scans": [
                    {
                        "uuid": str(uuid.uuid4()),
                        "code": ada.checkin_code,
                        "at": timezone.now().isoformat(),
                    }
                ]
            }
        ),
        "application/json",
    )

    assert answer.json()["results"][0]["colour"] == "green"
    assert CheckIn.objects.get().device == phone


def test_revoking_ends_access_at_once(client, world):
    event, main, _reception, phone = world
    pair(client, phone)
    assert client.get(list_url(event, main)).status_code == 200

    door_setup.revoke_device(device=phone)

    assert client.get(list_url(event, main)).status_code == 302  # to sign in
    assert pair(client, phone).status_code == 404


def test_a_revoked_phones_script_is_told_so_and_not_sent_to_sign_in(client, world):
    event, main, _reception, phone = world
    ada = RegistrationFactory(event=event)
    pair(client, phone)

    door_setup.revoke_device(device=phone)
    roster = client.get(list_url(event, main, "organise:checkin_roster"))
    scan = {"uuid": str(uuid.uuid4()), "code": ada.checkin_code, "offline": True}
    scans = client.post(
        list_url(event, main, "organise:checkin_scans"),
        json.dumps({"scans": [scan]}),
        "application/json",
    )

    assert (roster.status_code, roster.json()["revoked"]) == (403, True)
    assert (scans.status_code, scans.json()["revoked"]) == (403, True)
    assert not CheckIn.objects.exists()


def test_a_new_link_ends_the_old_pairing(client, world):
    event, main, _reception, phone = world
    old_token = phone.token
    pair(client, phone)

    door_setup.rotate_device(device=phone)

    assert client.get(list_url(event, main)).status_code == 302
    old = client.post(reverse("organise:checkin_pair", kwargs={"token": old_token}))
    assert old.status_code == 404
    assert pair(client, phone).status_code == 302
    assert client.get(list_url(event, main)).status_code == 200


def test_organisers_revoke_and_rotate_from_the_device_page(client, world):
    event, _main, _reception, phone = world
    client.force_login(EventOrganiserFactory(event=event, role="editor").user)
    url = reverse(
        "organise:checkin_device", kwargs={"event": event.slug, "device_id": phone.pk}
    )

    shown = client.get(url)
    client.post(url, {"action": "rotate"})
    rotated = phone.token != type(phone).objects.get(pk=phone.pk).token
    client.post(url, {"action": "revoke"})

    assert phone.token in shown.content.decode() and "<svg" in shown.content.decode()
    assert rotated
    phone.refresh_from_db()
    assert phone.revoked_at is not None
