"""The organisers' meeting pages: settings, blocks and tables, the grid, open
requests, the nudge to people without meetings, the table map and the report."""

from datetime import timedelta

import pytest
from django.urls import resolve, reverse

from events.models import EventOrganiser
from meetings.models import MeetingBlock, MeetingRequest, MeetingSettings, Table
from meetings.selectors_organiser import report, without_meetings
from meetings.services import MeetingError
from meetings.services.accepting import accept
from meetings.services.requests import request_meeting
from meetings.services.setup import delete_table, save_block, save_table
from notifications.models import Message
from tests.factories import EventOrganiserFactory
from tests.meetings.helpers import meeting_event, person, slot
from tests.qr_reading import read_qr

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    event, block = meeting_event(tables=2, slots=3)
    owner = EventOrganiserFactory(event=event, role=EventOrganiser.Role.OWNER).user
    client.force_login(owner)
    aino, bo, cai = (person(event, n) for n in ("Aino Aalto", "Bo Berg", "Cai Chen"))
    asked = request_meeting(
        requester=aino, recipient=bo, block=block, slot_start=slot(block, 0)
    )
    meeting = accept(request=asked, actor=bo.registration.attendee)
    pending = request_meeting(
        requester=cai, recipient=aino, block=block, slot_start=slot(block, 1)
    )
    return {
        "event": event,
        "block": block,
        "people": (aino, bo, cai),
        "meeting": meeting,
        "pending": pending,
    }


def url(event, name, **kwargs):
    return reverse(f"organise:{name}", kwargs={"event": event.slug, **kwargs})


def test_settings_are_saved_within_their_limits(client, world):
    event = world["event"]
    data = {
        "enabled": "on",
        "expiry_hours": "5",
        "open_requests_limit": "4",
        "meetings_per_block_limit": "2",
        "interest_choices": "Mobility\n\n Erasmus+ \n",
    }
    response = client.post(url(event, "meetings_settings"), data)
    assert response.status_code == 302
    saved = MeetingSettings.objects.get(event=event)
    assert saved.request_expiry == timedelta(hours=5)
    assert (saved.open_requests_limit, saved.meetings_per_block_limit) == (4, 2)
    assert saved.interests() == ["Mobility", "Erasmus+"]
    too_long = client.post(
        url(event, "meetings_settings"), {**data, "expiry_hours": 169}
    )
    assert too_long.status_code == 200
    assert "expiry_hours" in too_long.context["form"].errors


def test_blocks_and_tables_are_created_edited_and_deleted(client, world):
    event = world["event"]
    response = client.post(
        url(event, "meetings_block_new"),
        {"starts_at": "2030-05-07T15:00", "ends_at": "2030-05-07T16:30",
         "slot_minutes": "15"},
    )  # fmt: skip
    assert response.status_code == 302
    new = MeetingBlock.objects.filter(event=event).latest("pk")
    assert new.slot_minutes == 15 and len(new.slot_starts()) == 6
    short = client.post(
        url(event, "meetings_block_new"),
        {"starts_at": "2030-05-07T15:00", "ends_at": "2030-05-07T16:30",
         "slot_minutes": "5"},
    )  # fmt: skip
    assert "slot_minutes" in short.context["form"].errors
    client.post(url(event, "meetings_table_new"), {"name": "Sauna", "capacity": "4"})
    sauna = Table.objects.get(event=event, name="Sauna")
    client.post(
        url(event, "meetings_table", table_id=sauna.pk),
        {"name": "Sauna", "capacity": "6"},
    )
    sauna.refresh_from_db()
    assert sauna.capacity == 6
    client.post(url(event, "meetings_table_delete", table_id=sauna.pk))
    assert not Table.objects.filter(pk=sauna.pk).exists()
    client.post(url(event, "meetings_block_delete", block_id=new.pk))
    assert not MeetingBlock.objects.filter(pk=new.pk).exists()


def test_a_table_or_block_in_use_is_kept_with_a_reason(world):
    with pytest.raises(MeetingError, match="has meetings"):
        delete_table(table=world["meeting"].table)
    with pytest.raises(MeetingError, match="has meetings"):
        save_block(
            event=world["event"],
            block=world["block"],
            starts_at=world["block"].starts_at,
            ends_at=world["block"].ends_at,
            slot_minutes=30,
        )
    with pytest.raises(MeetingError, match="Another table"):
        save_table(event=world["event"], name=world["meeting"].table.name, capacity=2)


def test_the_grid_shows_meetings_requests_and_people_without_meetings(client, world):
    event, meeting = world["event"], world["meeting"]
    response = client.get(url(event, "meetings"))
    assert response.status_code == 200
    html = response.content.decode()
    (shown,) = response.context["blocks"]
    first_row = shown.rows[0][1]
    assert meeting in first_row and None in first_row
    assert response.context["pending"] == [world["pending"]]
    assert [p.pk for p in response.context["lonely"]] == [world["people"][2].pk]
    assert "Cai Chen" in html
    assert f'href="/organise/{event.slug}/meetings/"' in html  # navigation


def test_expired_requests_are_listed(client, world):
    MeetingRequest.objects.filter(pk=world["pending"].pk).update(
        status=MeetingRequest.Status.EXPIRED
    )
    response = client.get(url(world["event"], "meetings"))
    assert response.context["expired"] == [world["pending"]]
    assert response.context["pending"] == []


def test_the_nudge_asks_first_and_is_sent_once_per_person(client, world):
    event = world["event"]
    cai = world["people"][2]
    asked = client.get(url(event, "meetings_nudge"))
    html = asked.content.decode()
    assert "1 person will receive an email" in html and "Cai" in html
    assert not Message.objects.filter(kind="meeting_nudge").exists()
    campaign = asked.context["campaign"]
    client.post(url(event, "meetings_nudge"), {"campaign": campaign})
    client.post(url(event, "meetings_nudge"), {"campaign": campaign})
    sent = Message.objects.filter(kind="meeting_nudge")
    assert [m.to_email for m in sent] == [cai.registration.attendee.email]
    assert "no meeting yet" in sent[0].body_text


def test_a_later_nudge_campaign_reaches_the_same_people_again(client, world):
    event = world["event"]
    for _ in range(2):
        campaign = client.get(url(event, "meetings_nudge")).context["campaign"]
        client.post(url(event, "meetings_nudge"), {"campaign": campaign})
    assert Message.objects.filter(kind="meeting_nudge").count() == 2


def test_a_nudge_without_its_confirmation_page_sends_nothing(client, world):
    event = world["event"]
    for data in ({}, {"campaign": "x" * 32}, {"campaign": "{event}"}):
        response = client.post(url(event, "meetings_nudge"), data)
        assert response.status_code == 302
        assert response.url == url(event, "meetings_nudge")
    assert not Message.objects.filter(kind="meeting_nudge").exists()


def test_people_opted_out_are_not_nudged(world):
    world["people"][2].__class__.objects.filter(pk=world["people"][2].pk).update(
        opted_in=False
    )
    assert without_meetings(world["event"]) == []


def test_the_table_map_lists_each_tables_meetings(client, world):
    response = client.get(url(world["event"], "meetings_map"))
    html = response.content.decode()
    assert "meeting-map.css" in html
    (first, its, qr), (second, none, _qr) = response.context["tables"]
    assert its == [world["meeting"]] and none == []
    assert "Aino Aalto" in html and "Bo Berg" in html
    # Each table's QR code carries its own secret arrival link.
    assert qr.startswith("<svg") and qr in html
    assert first.token != second.token and len(first.token) >= 32
    assert f"/meetings/at/{first.token}/" not in html  # only inside the code
    # ... and that code is the table's arrival link, drawn as a QR code is
    link = f"http://testserver/events/{world['event'].slug}/meetings/at/{first.token}/"
    assert read_qr(qr) == link
    assert qr != _qr
    assert resolve(link.removeprefix("http://testserver")).url_name == "arrive"


def test_the_report_counts_requests_and_acceptance(client, world):
    figures = report(world["event"])
    assert figures.requests_sent == 2
    assert figures.acceptance_rate == 1.0
    assert figures.meetings == 1
    assert figures.meetings_per_participant == pytest.approx(2 / 3)
    assert figures.with_meetings == 2
    response = client.get(url(world["event"], "meetings_report"))
    assert "100 %" in response.content.decode()


def test_check_in_staff_see_the_grid_but_cannot_nudge(client, world):
    door = EventOrganiserFactory(
        event=world["event"], role=EventOrganiser.Role.CHECKIN
    ).user
    client.force_login(door)
    assert client.get(url(world["event"], "meetings")).status_code == 200
    assert client.post(url(world["event"], "meetings_nudge")).status_code == 403
    assert not Message.objects.filter(kind="meeting_nudge").exists()
