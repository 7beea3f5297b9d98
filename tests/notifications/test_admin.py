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
    membership = EventOrganiserFactory(event__title="Mine")
    client.force_login(membership.user)
    return membership


def test_organisers_see_only_their_events_messages(client, organiser):
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
    assert "theirs@example.org" not in content


def test_another_events_message_is_not_found(client, organiser):
    other = _message(EventFactory())

    response = client.get(
        reverse("admin:notifications_message_change", args=[other.pk])
    )

    assert response.status_code == 302  # admin answers "doesn't exist" by redirect
    assert response.url == reverse("admin:index")


def test_retry_action_queues_failed_messages_again(
    client, organiser, django_capture_on_commit_callbacks, mailoutbox
):
    failed = _message(organiser.event, status="failed", attempts=6)
    theirs = _message(EventFactory(), status="failed", attempts=6)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:notifications_message_changelist"),
            {"action": "retry", "_selected_action": [failed.pk, theirs.pk]},
        )

    failed.refresh_from_db()
    theirs.refresh_from_db()
    assert (failed.status, theirs.status) == ("sent", "failed")
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
    foreign = SessionFactory(event=EventOrganiserFactory(user=organiser.user).event)

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


# --- check-in staff: the door, not the outbox ---------------------------------------


@pytest.fixture
def door(client):
    """A check-in staffer of an event whose owner wrote a broadcast; a failed mail."""
    staff = EventOrganiserFactory(event__title="Mine", role="checkin")
    event = staff.event
    owner = EventOrganiserFactory(event=event, role="owner").user
    RegistrationFactory(event=event, attendee__email="ada@example.org")
    broadcast = Broadcast.objects.create(
        event=event, author=owner, subject="Room change", body="Hall B"
    )
    failed = _message(
        event,
        status="failed",
        attempts=6,
        body_text="Manage: https://example.org/registrations/secret-token/",
    )
    client.force_login(staff.user)
    return {"event": event, "broadcast": broadcast, "failed": failed}


def test_check_in_staff_cannot_read_the_outbox_or_message_bodies(client, door):
    pages = [
        reverse("admin:notifications_message_changelist"),
        reverse("admin:notifications_message_change", args=[door["failed"].pk]),
        reverse("admin:notifications_broadcast_changelist"),
        reverse("admin:notifications_broadcast_change", args=[door["broadcast"].pk]),
        reverse("admin:notifications_scheduledigest_changelist"),
    ]

    responses = [client.get(page) for page in pages]

    assert [r.status_code for r in responses] == [403] * len(pages)
    assert not any(b"secret-token" in r.content for r in responses)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:notifications_message_changelist") not in index


def test_check_in_staff_cannot_retry_failed_mail(
    client, door, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_message_changelist"),
            {"action": "retry", "_selected_action": [door["failed"].pk]},
        )

    door["failed"].refresh_from_db()
    assert (response.status_code, door["failed"].status) == (403, "failed")
    assert mailoutbox == []


def test_check_in_staff_cannot_write_a_broadcast(client, door):
    add = reverse("admin:notifications_broadcast_add")

    shown = client.get(add)
    posted = client.post(
        add, {"event": door["event"].pk, "subject": "Hi all", "body": "Free beer"}
    )

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert list(Broadcast.objects.values_list("subject", flat=True)) == ["Room change"]


def test_check_in_staff_cannot_send_a_broadcast(
    client, door, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_broadcast_changelist"),
            {"action": "send", "_selected_action": [door["broadcast"].pk]},
        )

    door["broadcast"].refresh_from_db()
    assert (response.status_code, door["broadcast"].queued_at) == (403, None)
    assert mailoutbox == []


def _pending_digest(event, django_capture_on_commit_callbacks):
    from events import services as schedule

    session = SessionFactory(event=event)
    SessionSeatFactory(registration=RegistrationFactory(event=event), session=session)
    with django_capture_on_commit_callbacks(execute=True):
        schedule.cancel_session(session=session)
    return ScheduleDigest.objects.get()


def test_check_in_staff_cannot_notify_now(
    client, door, django_capture_on_commit_callbacks, mailoutbox
):
    digest = _pending_digest(door["event"], django_capture_on_commit_callbacks)
    events = reverse("admin:events_event_changelist")

    listing = client.get(events).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        on_event = client.post(
            events,
            {
                "action": "notify_schedule_changes_now",
                "_selected_action": [door["event"].pk],
            },
        )
        on_digest = client.post(
            reverse("admin:notifications_scheduledigest_changelist"),
            {"action": "notify_now", "_selected_action": [digest.pk]},
        )

    assert "notify_schedule_changes_now" not in listing
    # They have no actions on the event list: the post only shows the list again.
    assert (on_event.status_code, on_digest.status_code) == (200, 403)
    assert ScheduleDigest.objects.get() == digest
    assert mailoutbox == []


def test_editors_may_read_retry_and_send(
    client, door, django_capture_on_commit_callbacks, mailoutbox
):
    editor = EventOrganiserFactory(event=door["event"], role="editor").user
    client.force_login(editor)
    change = reverse("admin:notifications_message_change", args=[door["failed"].pk])

    body = client.get(change)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:notifications_message_changelist"),
            {"action": "retry", "_selected_action": [door["failed"].pk]},
        )
        client.post(
            reverse("admin:notifications_broadcast_changelist"),
            {"action": "send", "_selected_action": [door["broadcast"].pk]},
        )

    assert body.status_code == 200
    assert "secret-token" in body.content.decode()
    assert sorted(m.to[0] for m in mailoutbox) == [
        "ada@example.org",  # the retried message
        "ada@example.org",  # the broadcast to the one confirmed attendee
    ]


def test_broadcasts_offer_only_events_one_may_send_for(client, door):
    theirs = EventOrganiserFactory(
        user=UserFactory(is_staff=True), event__title="Owned"
    )
    EventOrganiserFactory(user=theirs.user, event=door["event"], role="checkin")
    client.force_login(theirs.user)

    form = client.get(reverse("admin:notifications_broadcast_add")).context["adminform"]

    assert list(form.form.fields["event"].queryset) == [theirs.event]


def test_a_written_broadcast_opens_read_only(client, organiser):
    broadcast = Broadcast.objects.create(
        event=organiser.event, author=organiser.user, subject="Hi", body="Hello all"
    )

    response = client.get(
        reverse("admin:notifications_broadcast_change", args=[broadcast.pk])
    )

    assert response.status_code == 200  # was a KeyError: the event is read-only
    assert '<div class="readonly">Hello all</div>' in response.content.decode()
