"""What invitees and organisers are told about invitations: the invitation in the
invitee's language with the organiser's message, reminders, facts an organiser
chose not to tell, and each organiser's news of answers (at once, daily, or not
at all), each sent once."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from events.models import EventOrganiser
from notifications.models import Message
from notifications.services.invitation_news import send_invitation_digests
from registrations.services.invitation_answers import (
    decline_invitation,
    name_substitute,
)
from registrations.services.invitation_expiry import expire_invitations
from registrations.services.invitations import invite, remind_invitation
from registrations.services.registering import cancel_registration, register_attendee
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    InvitationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
News = EventOrganiser.InvitationNews


@pytest.fixture
def meeting():
    event = EventFactory(title="Nordic Five", timezone="Europe/Helsinki")
    return event, RegistrationTypeFactory(event=event, name="President")


def test_the_invitation_is_in_the_invitees_language_with_the_personal_message(
    meeting, django_capture_on_commit_callbacks, mailoutbox
):
    event, president = meeting

    with django_capture_on_commit_callbacks(execute=True):
        invite(
            event=event,
            email="sigrid@kth.se",
            name="Sigrid",
            registration_type=president,
            message="Dear Sigrid,\nwe hope to see you <there>.",
            language="sv",
            actor=UserFactory(),
        )

    (email,) = mailoutbox
    message = Message.objects.get()
    assert (message.language, email.subject) == ("sv", "Inbjudan: Nordic Five")
    assert "Dear Sigrid,\nwe hope to see you <there>." in email.body
    html = email.alternatives[0][0]
    assert "Dear Sigrid,<br>we hope to see you &lt;there&gt;." in html


def test_without_a_language_the_invitation_is_in_the_sites(
    meeting, django_capture_on_commit_callbacks, mailoutbox
):
    event, president = meeting

    with django_capture_on_commit_callbacks(execute=True):
        invite(event=event, email="a@dtu.dk", registration_type=president)

    assert (Message.objects.get().language, mailoutbox[0].subject) == (
        "en",
        "Invitation: Nordic Five",
    )


def test_a_reminder_goes_to_the_invitee_in_their_language_with_the_same_link(
    meeting, django_capture_on_commit_callbacks, mailoutbox
):
    event, president = meeting
    invitation = InvitationFactory(
        event=event, registration_type=president, email="ola@ntnu.no", language="fi"
    )

    with django_capture_on_commit_callbacks(execute=True):
        remind_invitation(invitation=invitation, actor=UserFactory())

    (email,) = mailoutbox
    assert email.to == ["ola@ntnu.no"]
    assert Message.objects.get().kind == "invitation_reminder"
    assert Message.objects.get().language == "fi"
    assert invitation.answer_path() in email.body


def test_a_silent_fact_tells_the_person_nothing_but_the_next_in_line_is_told(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        holder = register_attendee(event=event, attendee=UserFactory(email="h@x.org"))
        register_attendee(event=event, attendee=UserFactory(email="w@x.org"))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=holder, actor=UserFactory(), tell=False)

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["w@x.org"], f"A place is yours: {event.title}")
    ]


# --- organisers' news of answers ----------------------------------------------------


@pytest.fixture
def office(meeting):
    """One organiser per choice, plus check-in staff (never told: not theirs)."""
    event, president = meeting
    people = {}
    for name, news in [
        ("now", News.IMMEDIATE),
        ("daily", News.DAILY),
        ("off", News.OFF),
    ]:
        people[name] = EventOrganiserFactory(
            event=event,
            user__email=f"{name}@office.example",
            user__preferred_language="en",
            invitation_news=news,
        ).user
    EventOrganiserFactory(
        event=event,
        role=EventOrganiser.Role.CHECKIN,
        user__email="door@office.example",
        invitation_news=News.IMMEDIATE,
    )
    return event, president, people


def news_to(mailoutbox, address) -> list:
    return [m for m in mailoutbox if m.to == [address]]


def test_an_answer_is_told_at_once_to_those_who_want_it_once(
    office, django_capture_on_commit_callbacks, mailoutbox
):
    event, president, _people = office
    invitation = InvitationFactory(
        event=event, registration_type=president, name="Sigrid", email="s@kth.se"
    )

    with django_capture_on_commit_callbacks(execute=True):
        decline_invitation(invitation=invitation)
    from notifications.services.compose import compose_activities
    from registrations.models import Activity

    compose_activities(Activity.objects.values_list("pk", flat=True))  # again

    assert [m.to for m in mailoutbox] == [["now@office.example"]]
    (email,) = mailoutbox
    assert email.subject == "Invitation answered: Nordic Five"
    assert "Sigrid (s@kth.se) declined." in email.body


def test_the_news_of_a_decline_gives_the_invitees_reason(
    office, django_capture_on_commit_callbacks, mailoutbox
):
    event, president, _people = office
    invitation = InvitationFactory(
        event=event, registration_type=president, name="Sigrid", email="s@kth.se"
    )

    with django_capture_on_commit_callbacks(execute=True):
        decline_invitation(invitation=invitation, reason="On <sabbatical>.")

    (email,) = mailoutbox
    assert "Sigrid (s@kth.se) declined. Reason: On <sabbatical>." in email.body
    assert "Reason: On &lt;sabbatical&gt;." in email.alternatives[0][0]


def test_the_daily_summary_lists_the_past_days_answers_once(
    office, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    event, president, _people = office
    zone = event.tzinfo
    day = (timezone.now() + timedelta(days=5)).date()
    # Late on `day` in UTC is early on the next day in Helsinki, summer or winter.
    first = datetime.combine(day, time(22, 30), UTC)
    second = datetime.combine(day, time(23, 10), UTC)
    declining, substituting, _expiring = [
        InvitationFactory(
            event=event, registration_type=president, name=name, email=email,
            rsvp_deadline=second - timedelta(minutes=1),
        )
        for name, email in [("Sigrid", "s@kth.se"), ("Ola", "o@ntnu.no"),
                            ("Anna", "a@dtu.dk")]
    ]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        monkeypatch.setattr(timezone, "now", lambda: first)
        decline_invitation(invitation=declining)
        name_substitute(invitation=substituting, name="Kari", email="kari@ntnu.no")
        monkeypatch.setattr(timezone, "now", lambda: second)
        expire_invitations(now=second)
    monkeypatch.undo()
    mailoutbox.clear()  # the immediate ones and the substitute's invitation

    sent = []
    for hours in (20, 22.5, 23.5):  # the local day not over yet; over; again
        with django_capture_on_commit_callbacks(execute=True):
            sent.append(
                send_invitation_digests(
                    now=datetime.combine(day, time(0), UTC)
                    + timedelta(days=1, hours=hours)
                )
            )

    assert sent == [0, 1, 0]
    assert [m.to for m in mailoutbox] == [["daily@office.example"]]
    (email,) = mailoutbox

    def at(moment):
        return timezone.localtime(moment, zone).strftime("%H:%M")

    assert email.subject == "Invitation answers of the day: Nordic Five"
    assert [line for line in email.body.splitlines() if line.startswith("- ")] == [
        f"- {at(first)} Sigrid (s@kth.se) declined.",
        f"- {at(first)} Ola (o@ntnu.no) named Kari to come instead.",
        f"- {at(second)} Anna (a@dtu.dk) did not answer in time: the invitation "
        "expired.",
        # The substitute's invitation keeps the original's deadline.
        f"- {at(second)} Kari (kari@ntnu.no) did not answer in time: the "
        "invitation expired.",
    ]


def test_nobody_who_chose_off_hears_anything(
    office, django_capture_on_commit_callbacks, mailoutbox
):
    event, president, _people = office
    invitation = InvitationFactory(event=event, registration_type=president)

    with django_capture_on_commit_callbacks(execute=True):
        decline_invitation(invitation=invitation)
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation_digests(now=timezone.now() + timedelta(days=1))

    assert news_to(mailoutbox, "off@office.example") == []
    assert news_to(mailoutbox, "door@office.example") == []
    assert len(news_to(mailoutbox, "now@office.example")) == 1
    assert len(news_to(mailoutbox, "daily@office.example")) == 1
