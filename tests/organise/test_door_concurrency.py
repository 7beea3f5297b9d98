"""Two devices scanning the same person at the same moment, on PostgreSQL with
real parallel connections: one check-in and one "already checked in"."""

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import EventOrganiser
from registrations.models import CheckIn
from registrations.services import door
from tests.factories import EventFactory, EventOrganiserFactory, RegistrationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_clients_scanning_one_person_at_once_give_one_check_in():
    event = EventFactory()
    main = door.main_list(event)
    people = [
        EventOrganiserFactory(event=event, role=EventOrganiser.Role.CHECKIN).user
        for _ in range(2)
    ]
    url = reverse(
        "organise:checkin_scans", kwargs={"event": event.slug, "list_id": main.pk}
    )
    rounds = 5
    ada = [RegistrationFactory(event=event) for _ in range(rounds)]
    clients = []
    for person in people:
        client = Client()
        client.force_login(person)
        clients.append(client)

    def scan(client, registration, barrier):
        try:
            barrier.wait()
            body = {
                "scans": [
                    {
                        "uuid": str(uuid.uuid4()),
                        "code": registration.checkin_code,
                        "at": timezone.now().isoformat(),
                    }
                ]
            }
            return client.post(url, json.dumps(body), "application/json").json()
        finally:
            connection.close()

    colours = []
    for registration in ada:
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(
                pool.map(lambda c, r=registration, b=barrier: scan(c, r, b), clients)
            )
        colours.append(sorted(a["results"][0]["colour"] for a in answers))

    assert colours == [["amber", "green"]] * rounds
    assert CheckIn.objects.filter(outcome="admitted").count() == rounds
    assert CheckIn.objects.filter(outcome="duplicate").count() == rounds
