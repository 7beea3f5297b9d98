"""Every meeting message goes through the outbox, to the right people, once:
request received; accepted, declined, expired; moved, cancelled; the reminder
the day before with the day's meetings and tables; the short reminder before
each meeting (for those who keep it on)."""

from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingFact
from meetings.services.accepting import accept, cancel_meeting, move_meeting
from meetings.services.requests import decline, expire_requests, request_meeting
from notifications.models import Message
from notifications.services.meeting_news import compose_pending_meeting_facts
from notifications.services.meeting_reminders import send_meeting_reminders
from notifications.services.reminders import send_due_reminders

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


def ask(block, a, b, index=0):
    return request_meeting(
        requester=a, recipient=b, block=block, slot_start=slot(block, index)
    )


def told(kind="meeting_news"):
    return [
        (m.recipient.name, m.subject)
        for m in Message.objects.filter(kind=kind).select_related("recipient")
    ]


@pytest.fixture
def people():
    event, block = meeting_event(tables=2, slots=3)
    return event, block, person(event, "Aino"), person(event, "Bo")


def step(capture, call):
    """Run a service as a request would: its facts composed after commit; then
    the periodic sweep once more, which must find nothing left to send."""
    Message.objects.all().delete()
    with capture(execute=True):
        result = call()
    compose_pending_meeting_facts(timezone.now() + timedelta(minutes=1))
    assert MeetingFact.objects.filter(composed_at__isnull=True).count() == 0
    keys = Counter(Message.objects.values_list("key", flat=True))
    assert all(n == 1 for n in keys.values())
    return result


def test_request_accept_move_and_cancel_each_tell_the_right_people_once(
    django_capture_on_commit_callbacks, people
):
    event, block, aino, bo = people
    capture = django_capture_on_commit_callbacks
    title = event.title

    request = step(capture, lambda: ask(block, aino, bo))
    assert told() == [("Bo", f"Meeting request from Aino: {title}")]

    meeting = step(
        capture, lambda: accept(request=request, actor=bo.registration.attendee)
    )
    assert told() == [("Aino", f"Bo accepted your meeting: {title}")]

    step(capture, lambda: move_meeting(meeting=meeting, slot_start=slot(block, 2)))
    assert sorted(told()) == [
        ("Aino", f"Meeting moved: {title}"),
        ("Bo", f"Meeting moved: {title}"),
    ]

    step(
        capture,
        lambda: cancel_meeting(meeting=meeting, actor=aino.registration.attendee),
    )
    assert told() == [("Bo", f"Meeting cancelled: {title}")]


def test_decline_and_expiry_each_tell_once(django_capture_on_commit_callbacks, people):
    event, block, aino, bo = people
    capture = django_capture_on_commit_callbacks
    first = ask(block, aino, bo, 0)
    second = ask(block, bo, aino, 1)
    MeetingFact.objects.update(composed_at=timezone.now())  # told before

    step(
        capture,
        lambda: decline(request=first, reason="Busy", actor=bo.registration.attendee),
    )
    assert told() == [("Aino", f"Bo declined your meeting: {event.title}")]
    assert "Busy" in Message.objects.get().body_text

    step(capture, lambda: expire_requests(now=second.expires_at))
    assert sorted(told()) == [
        ("Aino", f"Meeting request expired: {event.title}"),
        ("Bo", f"Meeting request expired: {event.title}"),
    ]


def evening_before(meeting: Meeting, at: time) -> datetime:
    zone = meeting.request.block.event.tzinfo
    day = meeting.starts_at.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day, at, zone)


def test_the_day_before_each_person_gets_the_days_meetings_and_tables_once(people):
    event, block, aino, bo = people
    cai = person(event, "Cai")
    first = accept(request=ask(block, aino, bo, 0))
    accept(request=ask(block, cai, aino, 1))
    Message.objects.all().delete()

    assert send_meeting_reminders(evening_before(first, time(16, 59))) == 0
    now = evening_before(first, time(17, 30))
    assert send_meeting_reminders(now) == 3
    assert send_meeting_reminders(now + timedelta(minutes=5)) == 0

    day = {m.recipient.name: m for m in Message.objects.filter(kind="meeting_day")}
    assert set(day) == {"Aino", "Bo", "Cai"}
    assert day["Aino"].subject == f"Your meetings tomorrow: {event.title}"
    text = day["Aino"].body_text
    assert "table T01: Bo" in text and "table T01: Cai" in text
    assert "/meetings/sheet/" in text
    assert "Cai" not in day["Bo"].body_text
    # The beat's job sends them (with the event's and sessions' reminders).
    Message.objects.all().delete()
    send_due_reminders(now=now)
    assert Message.objects.filter(kind="meeting_day").count() == 3


def test_a_short_reminder_before_each_meeting_for_those_who_want_it(people):
    event, block, aino, bo = people
    bo.reminders = False
    bo.save()
    meeting = accept(request=ask(block, aino, bo, 0))
    Message.objects.all().delete()

    assert send_meeting_reminders(meeting.starts_at - timedelta(minutes=20)) == 0
    now = meeting.starts_at - timedelta(minutes=10)
    assert send_meeting_reminders(now) == 1
    assert send_meeting_reminders(now + timedelta(minutes=5)) == 0

    soon = Message.objects.get(kind="meeting_soon")
    assert soon.recipient == aino.registration.attendee
    assert "Your meeting with Bo starts at" in soon.body_text
    assert "table T01" in soon.body_text


def test_the_profile_switches_the_short_reminders(client, people):
    event, block, aino, bo = people
    client.force_login(aino.registration.attendee)
    url = reverse("meetings:profile", kwargs={"slug": event.slug})
    assert 'name="reminders"' in client.get(url).text

    client.post(url, {"opted_in": "on", "organisation": "Uni"})

    aino.refresh_from_db()
    assert aino.reminders is False


def test_the_printable_sheet_lists_the_persons_meetings_with_tables(client, people):
    event, block, aino, bo = people
    cai = person(event, "Cai", organisation="Uni of Oulu")
    accept(request=ask(block, aino, bo, 0))
    accept(request=ask(block, cai, aino, 1))
    accept(request=ask(block, bo, cai, 2))
    client.force_login(aino.registration.attendee)

    page = client.get(reverse("meetings:sheet", kwargs={"slug": event.slug}))

    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "<td>T01</td><td>Bo</td>" in text
    assert "<td>T01</td><td>Cai, Uni of Oulu</td>" in text
    assert text.count("<tr><td>") == 2  # not Bo's meeting with Cai
