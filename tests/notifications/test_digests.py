from datetime import timedelta

import pytest
from django.utils import timezone

from events import services as schedule
from events.models import ScheduleChange
from notifications.models import Message, ScheduleDigest
from notifications.services.digests import notify_now, send_due_digests
from notifications.services.sweeps import compose_pending
from registrations.models import SessionSeat
from tests.factories import (
    BookmarkFactory,
    EventFactory,
    PersonalCalendarFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)

from .helpers import calendar_of, vevents

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(title="Spring Forum")


def _sessions(event, count):
    return [
        SessionFactory(
            event=event,
            starts_at=event.starts_at + timedelta(hours=1 + 2 * n),
            ends_at=event.starts_at + timedelta(hours=2 + 2 * n),
        )
        for n in range(count)
    ]


def test_five_moves_give_each_affected_person_one_digest(
    event, django_capture_on_commit_callbacks, mailoutbox, settings
):
    sessions = _sessions(event, 5)
    seated = RegistrationFactory(event=event, attendee__email="seat@example.org")
    for session in sessions[:3]:
        SessionSeatFactory(registration=seated, session=session)
    waiting = RegistrationFactory(event=event, attendee__email="wait@example.org")
    SessionSeatFactory(
        registration=waiting,
        session=sessions[4],
        status=SessionSeat.Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    fan = UserFactory(email="fan@example.org")
    BookmarkFactory(user=fan, session=sessions[1])
    gone = RegistrationFactory(event=event, status="cancelled")
    SessionSeatFactory(registration=gone, session=sessions[0])
    RegistrationFactory(event=event, attendee__email="bystander@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        for session in sessions[:4]:
            schedule.move_session(
                session=session,
                starts_at=session.starts_at + timedelta(days=1),
                ends_at=session.ends_at + timedelta(days=1),
            )
        schedule.cancel_session(session=sessions[4])

    assert mailoutbox == []  # debounced
    assert ScheduleDigest.objects.filter(event=event).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_digests(now=timezone.now()) == 0  # quiet period not over
        sent = send_due_digests(now=timezone.now() + timedelta(minutes=11))

    assert sent == 3
    assert sorted(m.to[0] for m in mailoutbox) == [
        "fan@example.org",
        "seat@example.org",
        "wait@example.org",
    ]
    by_person = {m.to[0]: m for m in mailoutbox}
    seat_mail = by_person["seat@example.org"]
    assert [s.title in seat_mail.body for s in sessions] == [
        True,
        True,
        True,
        False,
        False,
    ]
    entries = vevents(calendar_of(seat_mail))
    assert sorted((str(e["uid"]), int(e["sequence"])) for e in entries) == sorted(
        (f"{s.uuid}@{settings.CALENDAR_UID_DOMAIN}", 1) for s in sessions[:3]
    )
    (cancelled,) = vevents(calendar_of(by_person["wait@example.org"]))
    assert str(cancelled["status"]) == "CANCELLED"
    assert "CANCELLED" in by_person["wait@example.org"].body
    assert not ScheduleDigest.objects.exists()
    assert ScheduleChange.objects.filter(composed_at__isnull=True).count() == 0

    # Beat running again, or the sweep: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_digests(now=timezone.now() + timedelta(hours=1)) == 0
        compose_pending(now=timezone.now() + timedelta(hours=1))
    assert len(mailoutbox) == 3


def test_digest_says_old_and_new_place(
    event, django_capture_on_commit_callbacks, mailoutbox
):
    session = SessionFactory(event=event, room=RoomFactory(name="Hall A"))
    SessionSeatFactory(registration=RegistrationFactory(event=event), session=session)

    with django_capture_on_commit_callbacks(execute=True):
        schedule.move_session(session=session, room=RoomFactory(name="Hall B"))
        notify_now(event=event)

    (email,) = mailoutbox
    assert "Hall B" in email.body
    assert "was" in email.body and "Hall A" in email.body


def test_subscribed_people_get_the_digest_without_attachment(
    event, django_capture_on_commit_callbacks, mailoutbox
):
    session = SessionFactory(event=event)
    registration = RegistrationFactory(event=event)
    SessionSeatFactory(registration=registration, session=session)
    PersonalCalendarFactory(
        user=registration.attendee, last_fetched_at=timezone.now() - timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        schedule.cancel_session(session=session)
        notify_now(event=event)

    (email,) = mailoutbox
    assert email.attachments == []


def test_edits_keep_pushing_the_digest_back(event, django_capture_on_commit_callbacks):
    session = SessionFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        schedule.move_session(session=session, room=RoomFactory())
    first = ScheduleDigest.objects.get(event=event).due_at
    with django_capture_on_commit_callbacks(execute=True):
        schedule.move_session(session=session, room=RoomFactory())

    assert ScheduleDigest.objects.get(event=event).due_at > first


def test_event_cancellation_tells_every_live_registrant_at_once(
    event, django_capture_on_commit_callbacks, mailoutbox
):
    RegistrationFactory(event=event, attendee__email="a@example.org")
    RegistrationFactory(
        event=event,
        attendee__email="b@example.org",
        status="waitlisted",
        waitlisted_at=timezone.now(),
    )
    RegistrationFactory(
        event=event, attendee__email="c@example.org", status="cancelled"
    )

    with django_capture_on_commit_callbacks(execute=True):
        schedule.cancel_event(event=event)

    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("a@example.org", "Cancelled: Spring Forum"),
        ("b@example.org", "Cancelled: Spring Forum"),
    ]


def test_a_title_edit_of_the_event_tells_nobody(
    event, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        schedule.update_event(event=event, title="Spring Forum 2030")

    assert Message.objects.count() == 0
    assert ScheduleChange.objects.get().composed_at is not None
