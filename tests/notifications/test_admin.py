import pytest
from django.urls import reverse

from notifications.models import Broadcast, Message, ScheduleDigest
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _message(event, **fields):
    values = {
        "key": f"k:{Message.objects.count()}",
        "kind": "confirmed",
        "to_email": "ada@example.org",
        "subject": "Hello",
        "body_text": "Text",
        "event": event,
    } | fields
    return Message.objects.create(**values)


@pytest.fixture
def organiser(client):
    """The operator (a superuser: the admin is theirs) and an event's organiser."""
    membership = EventOrganiserFactory(event__title="Mine")
    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    membership.operator = operator
    return membership


def test_the_operator_sees_every_events_messages(client, organiser):
    _message(
        organiser.event,
        to_email="mine@example.org",
        status="failed",
        last_error="SMTPServerDisconnected: gone",
    )
    _message(EventFactory(), to_email="theirs@example.org")

    response = client.get(reverse("admin:notifications_message_changelist"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "mine@example.org" in content
    assert "SMTPServerDisconnected: gone" in content
    assert "theirs@example.org" in content


def test_retry_action_queues_failed_messages_again(
    client, organiser, django_capture_on_commit_callbacks, mailoutbox
):
    failed = _message(organiser.event, status="failed", attempts=6)
    other = _message(EventFactory(), status="failed", attempts=6)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:notifications_message_changelist"),
            {"action": "retry", "_selected_action": [failed.pk]},
        )

    failed.refresh_from_db()
    other.refresh_from_db()
    assert (failed.status, other.status) == ("sent", "failed")
    assert len(mailoutbox) == 1


def test_broadcast_is_written_previewed_and_sent(
    client, organiser, django_capture_on_commit_callbacks, mailoutbox
):
    event = organiser.event
    session = SessionFactory(event=event)
    seated = RegistrationFactory(event=event, attendee__email="seat@example.org")
    SessionSeatFactory(registration=seated, session=session)
    RegistrationFactory(event=event, attendee__email="other@example.org")

    response = client.post(
        reverse("admin:notifications_broadcast_add"),
        {
            "event": event.pk,
            "subject": "Room change",
            "body": "Meet in Hall B",
            "statuses": ["confirmed"],
            "sessions": [session.pk],
        },
        follow=True,
    )
    broadcast = Broadcast.objects.get()
    assert "It reaches 1 people" in response.content.decode()
    assert broadcast.audience == {
        "statuses": ["confirmed"],
        "types": [],
        "sessions": [session.pk],
    }

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:notifications_broadcast_changelist"),
            {"action": "send", "_selected_action": [broadcast.pk]},
        )

    assert [m.to for m in mailoutbox] == [["seat@example.org"]]
    page = client.get(reverse("admin:notifications_broadcast_changelist"))
    assert "Sent: 1" in page.content.decode()


def test_broadcast_refuses_control_characters(client, organiser):
    response = client.post(
        reverse("admin:notifications_broadcast_add"),
        {"event": organiser.event.pk, "subject": "\x01=Hi", "body": "Text"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["subject"] == [
        "This text holds an invisible control character: please type it again "
        "without it."
    ]
    assert Broadcast.objects.count() == 0


def test_broadcast_refuses_another_events_sessions(client, organiser):
    foreign = SessionFactory(event=EventFactory())

    response = client.post(
        reverse("admin:notifications_broadcast_add"),
        {
            "event": organiser.event.pk,
            "subject": "Hi",
            "body": "Text",
            "sessions": [foreign.pk],
        },
    )

    assert response.status_code == 200
    assert "Pick registration types and sessions of the chosen event." in (
        response.content.decode()
    )
    assert Broadcast.objects.count() == 0


def test_notify_now_sends_the_pending_digest(
    client, organiser, django_capture_on_commit_callbacks, mailoutbox
):
    from events import services as schedule

    session = SessionFactory(event=organiser.event)
    SessionSeatFactory(
        registration=RegistrationFactory(event=organiser.event), session=session
    )
    with django_capture_on_commit_callbacks(execute=True):
        schedule.cancel_session(session=session)
    digest = ScheduleDigest.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:notifications_scheduledigest_changelist"),
            {"action": "notify_now", "_selected_action": [digest.pk]},
        )

    assert len(mailoutbox) == 1
    assert ScheduleDigest.objects.count() == 0


def test_people_who_organise_nothing_see_no_outbox(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:notifications_message_changelist"))

    assert response.status_code == 403


def test_notify_now_is_an_action_on_the_event(
    client, organiser, django_capture_on_commit_callbacks, mailoutbox
):
    from events import services as schedule

    session = SessionFactory(event=organiser.event)
    SessionSeatFactory(
        registration=RegistrationFactory(event=organiser.event), session=session
    )
    with django_capture_on_commit_callbacks(execute=True):
        schedule.cancel_session(session=session)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:events_event_changelist"),
            {
                "action": "notify_schedule_changes_now",
                "_selected_action": [organiser.event.pk],
            },
        )

    assert len(mailoutbox) == 1
    assert ScheduleDigest.objects.count() == 0


# --- organisers: the admin is not theirs --------------------------------------------


@pytest.mark.parametrize("role", ["checkin", "editor", "owner"])
def test_organisers_are_sent_to_the_organiser_area_and_nothing_is_sent(
    client, role, django_capture_on_commit_callbacks, mailoutbox
):
    staff = EventOrganiserFactory(event__title="Mine", role=role)
    event = staff.event
    RegistrationFactory(event=event, attendee__email="ada@example.org")
    broadcast = Broadcast.objects.create(
        event=event, author=staff.user, subject="Room change", body="Hall B"
    )
    failed = _message(
        event,
        status="failed",
        attempts=6,
        body_text="Manage: https://example.org/registrations/secret-token/",
    )
    client.force_login(staff.user)

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(reverse("admin:notifications_message_change", args=[failed.pk])),
            client.post(
                reverse("admin:notifications_message_changelist"),
                {"action": "retry", "_selected_action": [failed.pk]},
            ),
            client.post(
                reverse("admin:notifications_broadcast_changelist"),
                {"action": "send", "_selected_action": [broadcast.pk]},
            ),
        ]

    failed.refresh_from_db()
    broadcast.refresh_from_db()
    assert [(r.status_code, r.url) for r in responses] == [
        (302, reverse("organise:index"))
    ] * 3
    assert (failed.status, broadcast.queued_at, mailoutbox) == ("failed", None, [])


def test_a_written_broadcast_opens_read_only(client, organiser):
    broadcast = Broadcast.objects.create(
        event=organiser.event, author=organiser.operator, subject="Hi", body="Hello all"
    )

    response = client.get(
        reverse("admin:notifications_broadcast_change", args=[broadcast.pk])
    )

    assert response.status_code == 200  # was a KeyError: the event is read-only
    assert '<div class="readonly">Hello all</div>' in response.content.decode()
