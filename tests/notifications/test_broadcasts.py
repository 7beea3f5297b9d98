import pytest
from django.utils import timezone

from notifications.models import Broadcast, Message
from notifications.services.broadcasts import (
    audience,
    preview_count,
    progress,
    send_broadcast,
)
from registrations.models import SessionSeat
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(title="Spring Forum")


def test_audience_filters_by_status_type_and_session(event):
    speakers = RegistrationTypeFactory(event=event, name="Speaker")
    session = SessionFactory(event=event)
    a = RegistrationFactory(event=event, registration_type=speakers)
    b = RegistrationFactory(event=event)
    SessionSeatFactory(registration=b, session=session)
    c = RegistrationFactory(
        event=event, status="waitlisted", waitlisted_at=timezone.now()
    )
    d = RegistrationFactory(event=event)
    SessionSeatFactory(registration=d, session=session, status=SessionSeat.Status.LEFT)
    RegistrationFactory(event=event, status="cancelled")

    assert set(audience(event=event)) == {a, b, d}
    assert preview_count(event=event) == 3
    assert list(audience(event=event, filters={"types": [speakers.pk]})) == [a]
    assert list(audience(event=event, filters={"sessions": [session.pk]})) == [b]
    assert list(audience(event=event, filters={"statuses": ["waitlisted"]})) == [c]


def test_broadcast_reaches_each_attendee_once_on_the_bulk_queue(
    event, django_capture_on_commit_callbacks, mailoutbox
):
    for n in range(3):
        RegistrationFactory(event=event, attendee__email=f"p{n}@example.org")
    author = UserFactory()
    broadcast = Broadcast.objects.create(
        event=event, author=author, subject="Bus <times>", body="Line 1\n<b>2</b>"
    )

    with django_capture_on_commit_callbacks(execute=True):
        send_broadcast(broadcast=broadcast)
    with django_capture_on_commit_callbacks(execute=True):
        send_broadcast(broadcast=broadcast)  # pressed twice

    assert sorted(m.to[0] for m in mailoutbox) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    assert mailoutbox[0].subject == "Bus <times>"
    assert "&lt;b&gt;2&lt;/b&gt;" in mailoutbox[0].alternatives[0][0]
    assert set(Message.objects.values_list("queue", flat=True)) == {"bulk"}
    broadcast.refresh_from_db()
    assert progress(broadcast) == {"queued": 0, "sending": 0, "sent": 3, "failed": 0}
