"""The organiser's messages: compose, count, preview, test send, confirm, send."""

import pytest
from django.urls import reverse

from events.models import EventOrganiser
from notifications.models import Broadcast, Message
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Role = EventOrganiser.Role


@pytest.fixture
def event():
    return EventFactory(title="Spring Forum", slug="spring-forum")


@pytest.fixture
def owner(event, client):
    person = EventOrganiserFactory(
        event=event, role=Role.OWNER, user__email="office@example.org"
    ).user
    client.force_login(person)
    return person


def url(name, event, **kwargs):
    return reverse(f"organise:{name}", kwargs={"event": event.slug, **kwargs})


def compose_data(**extra):
    return {
        "statuses": ["confirmed"],
        "checked_in": "",
        "subject_en": "Hello {name}",
        "body_en": "Welcome to {event}.\nManage: {manage_link}",
        **extra,
    }


def test_compose_saves_a_draft_and_sends_nothing(client, event, owner, mailoutbox):
    RegistrationFactory(event=event)

    response = client.post(url("message_compose", event), compose_data())

    broadcast = Broadcast.objects.get()
    assert response.status_code == 302
    assert response.url == url("message", event, broadcast=broadcast.pk)
    assert broadcast.texts == {
        "en": {
            "subject": "Hello {name}",
            "body": "Welcome to {event}.\nManage: {manage_link}",
        }
    }
    assert broadcast.author == owner
    assert broadcast.queued_at is None
    assert mailoutbox == []
    assert Message.objects.count() == 0


def test_an_unknown_placeholder_is_a_form_error_naming_it(client, event, owner):
    response = client.post(
        url("message_compose", event),
        compose_data(body_en="Hi {name}, see {event.venue} and {secret}"),
    )

    assert response.status_code == 200
    errors = response.context["message"].errors["body_en"]
    assert errors == [
        "Unknown placeholder: {event.venue}, {secret}. You can use {name}, {event},"
        " {manage_link}, {calendar_link}, {answer_by}."
    ]
    assert Broadcast.objects.count() == 0


def test_count_button_counts_without_saving(client, event, owner):
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, status="waitlisted")

    response = client.post(url("message_compose", event), compose_data(action="count"))

    assert response.context["count"] == 2
    assert Broadcast.objects.count() == 0


def test_count_endpoint_follows_the_filters(client, event, owner):
    speakers = RegistrationTypeFactory(event=event, name="Speaker")
    RegistrationFactory(event=event, registration_type=speakers)
    RegistrationFactory(event=event)

    everyone = client.get(url("message_count", event), {"statuses": "confirmed"})
    only_speakers = client.get(
        url("message_count", event), {"statuses": "confirmed", "types": speakers.pk}
    )

    assert everyone.context["count"] == 2
    assert only_speakers.context["count"] == 1
    assert "1 person receives this message." in only_speakers.content.decode()


def test_sessions_of_another_event_are_not_offered(client, event, owner):
    SessionFactory(event=event, title="Ours")
    SessionFactory(title="Theirs")

    response = client.get(url("message_compose", event))

    offered = [s.title for s in response.context["filters"].fields["sessions"].queryset]
    assert offered == ["Ours"]


def test_send_on_get_only_asks_and_post_sends(
    client, event, owner, django_capture_on_commit_callbacks, mailoutbox
):
    RegistrationFactory(event=event, attendee__email="ada@example.org")
    client.post(url("message_compose", event), compose_data())
    broadcast = Broadcast.objects.get()

    asked = client.get(url("message_send", event, broadcast=broadcast.pk))
    broadcast.refresh_from_db()
    assert asked.context["count"] == 1
    assert broadcast.queued_at is None
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("message_send", event, broadcast=broadcast.pk))

    broadcast.refresh_from_db()
    assert broadcast.sent_by == owner
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]
    progress = client.get(
        url("message_progress", event, broadcast=broadcast.pk),
        headers={"HX-Request": "true"},
    )
    assert progress.context["counts"] == {
        "queued": 0,
        "sending": 0,
        "sent": 1,
        "failed": 0,
    }
    assert progress.context["finished"] is True


def test_preview_is_byte_equal_to_what_that_person_is_sent(
    client, event, owner, django_capture_on_commit_callbacks, mailoutbox
):
    RegistrationFactory(event=event, attendee__email="first@example.org")
    chosen = RegistrationFactory(
        event=event,
        attendee__email="ville@example.org",
        attendee__name="Ville <Virtanen>",
        attendee__preferred_language="fi",
    )
    client.post(
        url("message_compose", event),
        compose_data(
            subject_fi="Hei {name}",
            body_fi="Tervetuloa {event}!\n\n{{ name }} {% if x %} https://example.org",
        ),
    )
    broadcast = Broadcast.objects.get()
    key = f"r{chosen.pk}"

    page = client.get(url("message", event, broadcast=broadcast.pk), {"recipient": key})
    frame = client.get(
        url("message_preview_html", event, broadcast=broadcast.pk), {"recipient": key}
    )
    preview = page.context["preview"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("message_send", event, broadcast=broadcast.pk))

    sent = next(m for m in mailoutbox if m.to == ["ville@example.org"])
    assert preview.subject == sent.subject == "Hei Ville <Virtanen>"
    assert preview.body_text == sent.body
    assert preview.body_html == sent.alternatives[0][0]
    assert frame.content == sent.alternatives[0][0].encode()
    assert sent.body.startswith(
        "Tervetuloa Spring Forum!\n\n{{ name }} {% if x %} https://example.org\n"
    )
    assert "Ville &lt;Virtanen&gt;" not in sent.body  # text part is not escaped
    assert (
        "<p>{{ name }} {% if x %} "
        '<a href="https://example.org" rel="nofollow">https://example.org</a></p>'
    ) in sent.alternatives[0][0]


def test_html_preview_frame_has_its_own_locked_down_policy(client, event, owner):
    RegistrationFactory(event=event)
    client.post(url("message_compose", event), compose_data())
    broadcast = Broadcast.objects.get()

    frame = client.get(url("message_preview_html", event, broadcast=broadcast.pk))

    policy = frame.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" in policy
    assert "script-src" not in policy
    assert frame.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_test_send_goes_only_to_the_sender(
    client, event, owner, django_capture_on_commit_callbacks, mailoutbox
):
    chosen = RegistrationFactory(event=event, attendee__email="ada@example.org")
    client.post(url("message_compose", event), compose_data())
    broadcast = Broadcast.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("message_test", event, broadcast=broadcast.pk),
            {"recipient": f"r{chosen.pk}"},
        )

    assert [m.to for m in mailoutbox] == [["office@example.org"]]
    assert mailoutbox[0].subject == f"[Test] Hello {chosen.attendee.name}"
    broadcast.refresh_from_db()
    assert broadcast.queued_at is None
    assert broadcast.messages.count() == 0  # not counted as sent to anyone


def test_retry_queues_failed_messages_again(client, event, owner):
    client.post(url("message_compose", event), compose_data())
    broadcast = Broadcast.objects.get()
    Broadcast.objects.filter(pk=broadcast.pk).update(queued_at="2030-01-01T00:00Z")
    failed = Message.objects.create(
        key="k1",
        kind="broadcast",
        to_email="x@example.org",
        event=event,
        broadcast=broadcast,
        status=Message.Status.FAILED,
        attempts=6,
    )

    client.post(url("message_retry", event, broadcast=broadcast.pk))

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("queued", 0)


def test_checkin_staff_cannot_compose_or_read_messages(client, event):
    door = EventOrganiserFactory(event=event, role=Role.CHECKIN).user
    client.force_login(door)

    answers = [
        client.get(url("messages", event)).status_code,
        client.get(url("message_compose", event)).status_code,
        client.post(url("message_compose", event), compose_data()).status_code,
    ]

    assert answers == [403, 403, 403]
    assert Broadcast.objects.count() == 0


def test_messages_page_lists_broadcasts_with_who_sent_them_and_the_outbox(
    client, event, owner, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=event, attendee__email="ada@example.org")
    client.post(url("message_compose", event), compose_data())
    broadcast = Broadcast.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("message_send", event, broadcast=broadcast.pk))
    Message.objects.create(
        key="other", kind="confirmed", to_email="b@example.org", event=event,
        status=Message.Status.FAILED,
    )  # fmt: skip

    everything = client.get(url("messages", event))
    failed = client.get(url("messages", event), {"status": "failed"})

    assert [(b.sent_by, c["sent"]) for b, c in everything.context["broadcasts"]] == [
        (owner, 1)
    ]
    assert [m.to_email for m in failed.context["outbox"]] == ["b@example.org"]
    assert "Messages" in [i["label"] for i in everything.context["navigation"]]


def test_another_events_broadcast_is_not_found(client, event, owner):
    other = Broadcast.objects.create(
        event=EventFactory(), author=UserFactory(), subject="S", body="B"
    )

    response = client.get(url("message", event, broadcast=other.pk))

    assert response.status_code == 404


def test_progress_polls_every_two_seconds_until_done(client, event, owner):
    client.post(url("message_compose", event), compose_data())
    broadcast = Broadcast.objects.get()
    Broadcast.objects.filter(pk=broadcast.pk).update(queued_at="2030-01-01T00:00Z")
    Message.objects.create(
        key="k1", kind="broadcast", to_email="x@example.org", event=event,
        broadcast=broadcast,
    )  # fmt: skip
    progress_url = url("message_progress", event, broadcast=broadcast.pk)

    sending = client.get(progress_url, headers={"HX-Request": "true"})
    Broadcast.objects.filter(pk=broadcast.pk).update(sent_at="2030-01-01T00:01Z")
    Message.objects.update(status=Message.Status.SENT)
    done = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    without_htmx = client.get(progress_url)

    assert (
        f'data-hx-get="{progress_url}" data-hx-trigger="every 2s"'
        in sending.content.decode()
    )
    assert "hx-trigger" not in done
    assert "Done." in done
    assert without_htmx.url == url("message", event, broadcast=broadcast.pk)
