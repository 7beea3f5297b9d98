"""Meetings kept: arrival by the table's QR code during the slot, or both
confirming afterwards; the report's kept, no-shows, acceptance and meetings per
participant."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import EventOrganiser
from meetings.models import Meeting
from meetings.selectors_organiser import report
from meetings.services import MeetingError
from meetings.services.accepting import accept, cancel_meeting
from meetings.services.attendance import confirm_met, record_arrival
from meetings.services.requests import decline, request_meeting
from tests.factories import EventOrganiserFactory

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


def ask(block, a, b, index=0):
    return request_meeting(
        requester=a, recipient=b, block=block, slot_start=slot(block, index)
    )


def shift(meeting, starts_in):
    """Put the meeting at another moment (tests cannot wait for its slot)."""
    starts_at = timezone.now() + starts_in
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=20)
    )
    meeting.refresh_from_db()
    return meeting


def user(profile):
    return profile.registration.attendee


def arrive_url(event, table):
    return reverse("meetings:arrive", kwargs={"slug": event.slug, "token": table.token})


def test_scanning_the_tables_code_during_the_meeting_records_the_arrival(client):
    event, block = meeting_event()
    aino, bo = person(event, "Aino"), person(event, "Bo")
    meeting = shift(accept(request=ask(block, aino, bo)), timedelta(minutes=-5))
    client.force_login(user(aino))

    page = client.get(arrive_url(event, meeting.table))
    assert page.status_code == 200
    assert "Your meeting with Bo" in page.text
    client.post(arrive_url(event, meeting.table))

    meeting.refresh_from_db()
    assert meeting.requester_arrived_at is not None
    assert meeting.recipient_arrived_at is None
    assert not meeting.kept
    assert (
        "Your arrival is recorded." in client.get(arrive_url(event, meeting.table)).text
    )
    record_arrival(table=meeting.table, person=user(bo))
    meeting.refresh_from_db()
    assert meeting.kept


def test_the_code_opens_early_by_ten_minutes_and_closes_when_the_slot_ends():
    event, block = meeting_event()
    aino, bo = person(event, "Aino"), person(event, "Bo")
    meeting = shift(accept(request=ask(block, aino, bo)), timedelta(minutes=30))
    refusal = "You have no meeting at table T01 now"

    with pytest.raises(MeetingError, match=refusal):
        record_arrival(table=meeting.table, person=user(aino))
    now = meeting.starts_at - timedelta(minutes=9)
    record_arrival(table=meeting.table, person=user(aino), now=now)
    with pytest.raises(MeetingError, match=refusal):
        record_arrival(table=meeting.table, person=user(bo), now=meeting.ends_at)


def test_the_code_of_another_table_or_someone_elses_meeting_records_nothing(client):
    event, block = meeting_event(tables=2)
    aino, bo, cai = person(event, "Aino"), person(event, "Bo"), person(event, "Cai")
    meeting = shift(accept(request=ask(block, aino, bo)), timedelta(minutes=-5))
    other_table = event.meeting_tables.exclude(pk=meeting.table_id).get()

    with pytest.raises(MeetingError, match="no meeting at table T02 now"):
        record_arrival(table=other_table, person=user(aino))
    client.force_login(user(cai))
    page = client.get(arrive_url(event, meeting.table))
    assert "You have no meeting at this table now." in page.text
    client.post(arrive_url(event, meeting.table))
    meeting.refresh_from_db()
    assert (meeting.requester_arrived_at, meeting.recipient_arrived_at) == (None, None)
    assert (
        client.get(
            reverse("meetings:arrive", kwargs={"slug": event.slug, "token": "guess"})
        ).status_code
        == 404
    )


def test_both_confirming_after_the_slot_makes_a_meeting_kept(client):
    event, block = meeting_event()
    aino, bo = person(event, "Aino"), person(event, "Bo")
    meeting = accept(request=ask(block, aino, bo))
    with pytest.raises(MeetingError, match="once its time is over"):
        confirm_met(meeting=meeting, person=user(aino))
    meeting = shift(meeting, timedelta(hours=-1))
    client.force_login(user(aino))

    hub = client.get(reverse("meetings:hub", kwargs={"slug": event.slug}))
    assert "We met" in hub.text
    client.post(
        reverse(
            "meetings:met", kwargs={"slug": event.slug, "meeting_uuid": meeting.uuid}
        )
    )
    meeting.refresh_from_db()
    assert meeting.requester_confirmed_at and not meeting.kept
    with pytest.raises(MeetingError, match="not yours"):
        confirm_met(meeting=meeting, person=user(person(event, "Cai")))
    confirm_met(meeting=meeting, person=user(bo))
    meeting.refresh_from_db()
    assert meeting.kept


def test_the_reports_figures_match_what_happened(client):
    event, block = meeting_event(tables=4, slots=3)
    p = [person(event, f"P{n}") for n in range(8)]
    person(event, "Nobody")  # opted in, no meeting
    both_came = accept(request=ask(block, p[0], p[1], 0))
    one_came = accept(request=ask(block, p[2], p[3], 0))
    confirmed = accept(request=ask(block, p[4], p[5], 0))
    nothing = accept(request=ask(block, p[6], p[7], 0))
    cancelled = accept(request=ask(block, p[0], p[2], 1))
    cancel_meeting(meeting=cancelled)
    decline(request=ask(block, p[1], p[3], 1))
    ask(block, p[4], p[6], 1)  # still pending
    upcoming = accept(request=ask(block, p[5], p[7], 2))
    for meeting in (both_came, one_came, confirmed, nothing):
        shift(meeting, timedelta(minutes=-5))
    record_arrival(table=both_came.table, person=user(p[0]))
    record_arrival(table=both_came.table, person=user(p[1]))
    record_arrival(table=one_came.table, person=user(p[3]))  # P2 never came
    for meeting in (both_came, one_came, confirmed, nothing):
        shift(meeting, timedelta(hours=-1))
    confirm_met(meeting=confirmed, person=user(p[4]))
    confirm_met(meeting=confirmed, person=user(p[5]))
    confirm_met(meeting=nothing, person=user(p[6]))

    figures = report(event)

    assert figures.requests_sent == 8
    # Answered: six accepted (the cancelled one too) and one declined.
    assert (figures.accepted, figures.answered) == (6, 7)
    assert figures.acceptance_rate == pytest.approx(6 / 7)
    assert figures.meetings == 5  # active: four past and one upcoming
    assert figures.participants == 9
    assert figures.meetings_per_participant == pytest.approx(10 / 9)
    assert (figures.held, figures.kept) == (4, 2)
    absent = {row.meeting.pk: row.absent for row in figures.no_shows}
    assert absent == {one_came.pk: [p[2]], nothing.pk: []}
    assert upcoming.pk not in absent

    owner = EventOrganiserFactory(event=event, role=EventOrganiser.Role.OWNER).user
    client.force_login(owner)
    page = client.get(reverse("organise:meetings_report", kwargs={"event": event.slug}))
    text = " ".join(page.text.split())
    assert "Meetings kept</dt><dd>2</dd>" in text
    assert "No-shows</dt><dd>2</dd>" in text
    assert "86 %" in text  # 6 of 7
    assert "1.1" in text
    assert "<td>P2</td>" in text  # did not come
    assert "not known" in text
