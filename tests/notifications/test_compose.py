from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Message
from notifications.services.compose import compose_activities
from registrations.models import Activity, Registration
from tests.factories import (
    EventFactory,
    InvitationFactory,
    PersonalCalendarFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)

from .helpers import calendar_of, confirmed_details, record, vevents

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    return RegistrationFactory(
        attendee=UserFactory(email="ada@example.org", name="Ada"),
        event=EventFactory(title="Spring Forum", contact_email="forum@example.org"),
    )


def _compose(verb, registration, capture, **kwargs):
    with capture(execute=True):
        activity = record(
            verb, event=registration.event, registration=registration, **kwargs
        )
    return activity


REGISTRATION_VERBS = [
    ("awaiting_approval", {}, "registration_received"),
    ("confirmed", {"sessions": []}, "confirmed"),
    ("waitlisted", {"position": 3}, "waitlisted"),
    ("promoted", {"sessions": []}, "promoted"),
    ("offered", {"offer_expires_at": "2030-05-02T10:00:00+00:00"}, "offer_made"),
    ("offer_expired", {}, "offer_expired"),
    ("offer_accepted", {"sessions": []}, "confirmed"),
    ("approved", {"sessions": []}, "approved"),
    ("declined", {"reason": "Full of <b>experts</b>"}, "declined"),
    ("cancelled", {"by": "attendee"}, "cancelled"),
    ("cancelled", {"by": "organiser"}, "cancelled"),
]


@pytest.mark.parametrize(("verb", "details", "kind"), REGISTRATION_VERBS)
def test_each_registration_fact_gives_exactly_its_message_once(
    registration, django_capture_on_commit_callbacks, mailoutbox, verb, details, kind
):
    activity = _compose(
        verb, registration, django_capture_on_commit_callbacks, details=details
    )

    messages = list(Message.objects.values_list("kind", "to_email", "status", "key"))
    assert messages == [
        (
            kind,
            "ada@example.org",
            "sent",
            f"activity:{activity.pk}:{kind}:{registration.attendee_id}",
        )
    ]
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]
    activity.refresh_from_db()
    assert activity.composed_at is not None

    # A second composition (the sweep after a lost mark) stores and sends nothing.
    Activity.objects.filter(pk=activity.pk).update(composed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert compose_activities([activity.pk]) == 0
    assert Message.objects.count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "verb", ["checked_in", "answers_changed", "left_waitlist", "type_changed"]
)
def test_quiet_facts_tell_nobody_and_are_marked_composed(
    registration, django_capture_on_commit_callbacks, verb
):
    activity = _compose(verb, registration, django_capture_on_commit_callbacks)

    assert Message.objects.count() == 0
    activity.refresh_from_db()
    assert activity.composed_at is not None


def test_confirmation_has_summary_links_and_a_parsing_calendar(
    registration, django_capture_on_commit_callbacks, mailoutbox, settings
):
    event = registration.event
    first, second = SessionFactory(event=event), SessionFactory(event=event)
    _compose(
        "confirmed",
        registration,
        django_capture_on_commit_callbacks,
        details=confirmed_details(first, second),
    )

    (email,) = mailoutbox
    assert email.subject == "You are registered: Spring Forum"
    assert email.reply_to == ["forum@example.org"]
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    manage = f"{settings.SITE_URL}/registrations/{registration.manage_token}/"
    assert manage in email.body
    assert registration.attendee.personal_calendar.token in email.body
    assert first.title in email.body and second.title in email.body
    ((html, mimetype),) = email.alternatives
    assert mimetype == "text/html"
    assert f'href="{manage}"' in html
    entries = vevents(calendar_of(email))
    assert sorted(str(e["uid"]) for e in entries) == sorted(
        [f"event-{event.uuid}@{settings.CALENDAR_UID_DOMAIN}"]
        + [f"{s.uuid}@{settings.CALENDAR_UID_DOMAIN}" for s in (first, second)]
    )


def test_subscribed_people_get_no_attachment(
    registration, django_capture_on_commit_callbacks, mailoutbox
):
    PersonalCalendarFactory(
        user=registration.attendee, last_fetched_at=timezone.now() - timedelta(hours=5)
    )
    _compose(
        "confirmed",
        registration,
        django_capture_on_commit_callbacks,
        details={"sessions": []},
    )

    (email,) = mailoutbox
    assert email.attachments == []


def test_user_text_is_escaped_in_html_and_plain_in_text(
    django_capture_on_commit_callbacks, mailoutbox
):
    registration = RegistrationFactory(event__title="R&D <Day>")
    _compose(
        "declined",
        registration,
        django_capture_on_commit_callbacks,
        details={"reason": "<script>x</script> & more"},
    )

    (email,) = mailoutbox
    html = email.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; more" in html
    assert "R&amp;D &lt;Day&gt;" in html
    assert "<script>x</script> & more" in email.body
    assert "R&D <Day>" in email.body


def test_message_is_written_in_the_recipients_language(
    django_capture_on_commit_callbacks,
):
    registration = RegistrationFactory(attendee__preferred_language="fi")
    _compose(
        "waitlisted",
        registration,
        django_capture_on_commit_callbacks,
        details={"position": 2},
    )

    assert list(Message.objects.values_list("language", flat=True)) == ["fi"]


@pytest.mark.parametrize(
    ("verb", "subject"),
    [
        ("invited", "Invitation: Forum"),
        ("substitute_invited", "You have been named as a substitute: Forum"),
    ],
)
def test_invitations_go_to_the_address_without_an_account(
    django_capture_on_commit_callbacks, mailoutbox, settings, verb, subject
):
    invitation = InvitationFactory(
        email="rector@example.edu", name="Rector", event__title="Forum"
    )
    with django_capture_on_commit_callbacks(execute=True):
        activity = record(
            verb,
            event=invitation.event,
            invitation=invitation,
            details={
                "email": "rector@example.edu",
                "name": "Rector",
                "rsvp_deadline": "2030-04-01T12:00:00+00:00",
                "substitute_for_name": "Dean",
            },
        )

    (email,) = mailoutbox
    assert email.to == ["rector@example.edu"]
    assert email.subject == subject
    assert f"{settings.SITE_URL}/invitations/{invitation.token}/" in email.body
    kind = "invitation" if verb == "invited" else verb
    assert Message.objects.get().key == (
        f"activity:{activity.pk}:{kind}:rector@example.edu"
    )


def test_seat_facts_with_the_registration_are_folded_into_its_message(
    registration, django_capture_on_commit_callbacks, mailoutbox
):
    session = SessionFactory(event=registration.event, signup_required=True)
    with django_capture_on_commit_callbacks(execute=True):
        record(
            "confirmed",
            event=registration.event,
            registration=registration,
            details=confirmed_details(session),
        )
        record(
            "seat_taken",
            event=registration.event,
            registration=registration,
            session=session,
        )

    assert [m.subject for m in mailoutbox] == ["You are registered: Spring Forum"]


@pytest.mark.parametrize(
    ("verb", "kind"),
    [
        ("seat_taken", "seat_confirmed"),
        ("seat_waitlisted", "seat_waitlisted"),
        ("seat_promoted", "seat_promoted"),
    ],
)
def test_later_seat_facts_are_told(
    registration, django_capture_on_commit_callbacks, mailoutbox, verb, kind
):
    Activity.objects.create(
        event=registration.event,
        registration=registration,
        verb="confirmed",
        created_at=timezone.now() - timedelta(days=1),
        composed_at=timezone.now(),
    )
    session = SessionFactory(event=registration.event, title="Network meeting")
    _compose(
        verb,
        registration,
        django_capture_on_commit_callbacks,
        session=session,
        details={"position": 1},
    )

    assert list(Message.objects.values_list("kind", flat=True)) == [kind]
    assert "Network meeting" in mailoutbox[0].subject


def test_a_template_error_never_undoes_the_fact(
    registration, django_capture_on_commit_callbacks, monkeypatch
):
    from notifications.services import compose

    def broken(*args, **kwargs):
        raise RuntimeError("template broke")

    monkeypatch.setattr(compose, "render_message", broken)
    activity = _compose(
        "confirmed",
        registration,
        django_capture_on_commit_callbacks,
        details={"sessions": []},
    )

    activity.refresh_from_db()
    assert Registration.objects.filter(pk=registration.pk).exists()
    assert activity.composed_at is None  # left for the sweep
    assert Message.objects.count() == 0
