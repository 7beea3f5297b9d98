from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from registrations.models import Answer, Bookmark, Registration, SessionSeat
from registrations.services.registering import register_attendee
from tests.factories import (
    EventFactory,
    QuestionFactory,
    RegistrationTypeFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(event):
    return reverse("registrations:register", kwargs={"slug": event.slug})


@pytest.fixture
def person(client):
    user = UserFactory(email="ada@example.org")
    client.force_login(user)
    return user


def test_register_requires_sign_in(client):
    event = EventFactory()
    response = client.get(url(event))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_register_confirms_and_redirects_to_the_registration(client, person):
    event = EventFactory(capacity=10)
    question = QuestionFactory(event=event, label="Organisation", required=True)

    response = client.post(url(event), {f"q_{question.pk}": "Aalto University"})

    registration = Registration.objects.get(event=event, attendee=person)
    assert response.status_code == 302
    assert response["Location"] == registration.manage_path()
    assert registration.status == "confirmed"
    assert Answer.objects.get(registration=registration).value == "Aalto University"
    page = client.get(response["Location"])
    assert "Your place is confirmed." in page.content.decode()


def test_register_page_sends_a_registered_person_to_their_registration(client, person):
    event = EventFactory()
    registration = register_attendee(event=event, attendee=person)

    response = client.get(url(event))

    assert response.status_code == 302
    assert response["Location"] == registration.manage_path()


def test_required_question_missing_shows_error_on_its_field(client, person):
    event = EventFactory()
    question = QuestionFactory(event=event, label="Organisation", required=True)

    response = client.post(url(event), {f"q_{question.pk}": "  "})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"q_{question.pk}": ["Please answer this question."]
    }
    assert Registration.objects.count() == 0


def test_bad_choice_and_bad_date_are_rejected_on_their_fields(client, person):
    event = EventFactory()
    choice = QuestionFactory(event=event, kind="single_choice", choices=["A", "B"])
    date = QuestionFactory(event=event, kind="date")

    response = client.post(url(event), {f"q_{choice.pk}": "C", f"q_{date.pk}": "31/31"})

    errors = response.context["form"].errors
    assert set(errors) == {f"q_{choice.pk}", f"q_{date.pk}"}
    assert Registration.objects.count() == 0


def test_full_event_shows_waitlist_position(client, person):
    event = EventFactory(capacity=1)
    register_attendee(event=event, attendee=UserFactory())

    response = client.post(url(event), {}, follow=True)

    assert Registration.objects.get(attendee=person).status == "waitlisted"
    assert "you are number 1 on the waitlist" in response.content.decode()


def test_closed_window_shows_message_and_no_form(client, person):
    event = EventFactory(
        registration_closes_at=timezone.now() - timedelta(hours=1),
        registration_opens_at=timezone.now() - timedelta(days=9),
    )

    response = client.get(url(event))

    assert response.status_code == 200
    assert "form" not in response.context
    assert "not open" in response.content.decode()
    assert client.post(url(event), {}).status_code == 200
    assert Registration.objects.count() == 0


def test_invitation_only_event_explains_invitations(client, person):
    event = EventFactory(visibility=Event.Visibility.INVITATION_ONLY)
    response = client.get(url(event))
    assert "by invitation only" in response.content.decode()


def test_draft_event_is_404(client, person):
    assert client.get(url(EventFactory(status=Event.Status.DRAFT))).status_code == 404


def test_type_choice_and_privacy_notice(client, person):
    event = EventFactory(privacy_notice="We keep data 6 months.")
    RegistrationTypeFactory(event=event, name="Participant")
    presenter = RegistrationTypeFactory(event=event, name="Presenter")

    refused = client.post(url(event), {"registration_type": presenter.pk})
    assert set(refused.context["form"].errors) == {"privacy"}
    client.post(url(event), {"registration_type": presenter.pk, "privacy": "on"})

    registration = Registration.objects.get(attendee=person)
    assert registration.registration_type == presenter
    assert registration.privacy_notice_accepted == "We keep data 6 months."


def test_a_type_not_offered_on_the_page_is_refused_on_its_field(client, person):
    event = EventFactory()
    RegistrationTypeFactory(event=event, name="Participant")
    RegistrationTypeFactory(event=event, name="Presenter")
    delegates = RegistrationTypeFactory(event=event, invitation_only=True)
    elsewhere = RegistrationTypeFactory(name="Another event's type")

    for value in (delegates.pk, elsewhere.pk, "x", ""):
        response = client.post(url(event), {"registration_type": value})
        assert set(response.context["form"].errors) == {"registration_type"}
    assert Registration.objects.count() == 0


def test_workshop_seat_chosen_at_registration(client, person):
    event = EventFactory()
    workshop = SessionFactory(event=event, signup_required=True, capacity=20)

    client.post(url(event), {"sessions": [workshop.pk]})

    assert list(SessionSeat.objects.values_list("session", "status")) == [
        (workshop.pk, "confirmed")
    ]


def test_seat_page_takes_and_leaves_a_seat(client, person):
    event = EventFactory()
    workshop = SessionFactory(event=event, signup_required=True, capacity=1)
    register_attendee(event=event, attendee=person)
    seat_url = reverse(
        "registrations:seat", kwargs={"slug": event.slug, "session_uuid": workshop.uuid}
    )

    client.post(seat_url, {"action": "take"})
    assert SessionSeat.objects.get().status == "confirmed"
    page = client.get(seat_url)
    assert "Your seat is confirmed." in page.content.decode()
    client.post(seat_url, {"action": "leave"})
    assert SessionSeat.objects.get().status == "left"


def test_seat_without_registration_is_refused_with_message(client, person):
    event = EventFactory()
    workshop = SessionFactory(event=event, signup_required=True)
    seat_url = reverse(
        "registrations:seat", kwargs={"slug": event.slug, "session_uuid": workshop.uuid}
    )
    response = client.post(seat_url, {"action": "take"}, follow=True)
    assert "Register for the event first." in response.content.decode()
    assert SessionSeat.objects.count() == 0


def test_bookmark_add_and_remove(client, person):
    session = SessionFactory()
    bookmark_url = reverse(
        "registrations:bookmark",
        kwargs={"slug": session.event.slug, "session_uuid": session.uuid},
    )
    client.post(bookmark_url, {"action": "add"})
    assert Bookmark.objects.filter(user=person).count() == 1
    client.post(bookmark_url, {"action": "remove"})
    assert Bookmark.objects.filter(user=person).count() == 0


def test_my_registrations_lists_only_my_own(client, person):
    mine = register_attendee(event=EventFactory(title="Mine"), attendee=person)
    register_attendee(event=EventFactory(title="Theirs"), attendee=UserFactory())

    response = client.get(reverse("registrations:mine"))

    assert [r.pk for r, _pos in response.context["rows"]] == [mine.pk]
    assert "Theirs" not in response.content.decode()


def test_manage_page_wrong_and_old_token_404(client):
    registration = register_attendee(event=EventFactory(), attendee=UserFactory())
    old = registration.manage_path()
    assert client.get(old).status_code == 200
    assert (
        client.get(
            reverse("registrations:manage", kwargs={"token": "x" * 43})
        ).status_code
        == 404
    )

    response = client.post(old, {"action": "regenerate"})

    registration.refresh_from_db()
    assert response["Location"] == registration.manage_path()
    assert client.get(old).status_code == 404


def test_manage_page_shows_qr_code_and_cancels(client):
    event = EventFactory(capacity=1)
    registration = register_attendee(event=event, attendee=UserFactory())
    waiting = register_attendee(event=event, attendee=UserFactory())

    page = client.get(registration.manage_path())
    assert "<svg" in page.content.decode()
    assert registration.checkin_code in page.content.decode()
    client.post(registration.manage_path(), {"action": "cancel"})

    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status) == ("cancelled", "confirmed")


def test_manage_page_edits_answers_and_refuses_after_deadline(client):
    event = EventFactory()
    question = QuestionFactory(event=event, label="Diet")
    registration = register_attendee(
        event=event, attendee=UserFactory(), answers={question: "none"}
    )

    client.post(
        registration.manage_path(),
        {"action": "answers", f"q_{question.pk}": "vegan"},
    )
    assert Answer.objects.get().value == "vegan"

    Event.objects.filter(pk=event.pk).update(
        modification_deadline=timezone.now() - timedelta(minutes=1)
    )
    response = client.post(
        registration.manage_path(),
        {"action": "answers", f"q_{question.pk}": "fish"},
        follow=True,
    )
    assert "deadline for changes has passed" in response.content.decode()
    assert Answer.objects.get().value == "vegan"


def test_manage_unknown_action_is_404_and_changes_nothing(client):
    registration = register_attendee(event=EventFactory(), attendee=UserFactory())
    response = client.post(registration.manage_path(), {"action": "explode"})
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_user_text_is_escaped(client, person):
    event = EventFactory(title="<script>alert(1)</script>")
    response = client.get(url(event))
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Workshop (Wed 5 May, 16:15–17:30)"),
        ("fi", "Workshop (ke 5.5. 16.15–17.30)"),
        ("sv", "Workshop (ons 5 maj 16:15–17:30)"),
    ],
)
def test_seat_choices_name_the_day_in_the_pages_language(language, label):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from registrations.forms import RegistrationForm

    helsinki = ZoneInfo("Europe/Helsinki")
    event = EventFactory(
        timezone="Europe/Helsinki",
        starts_at=datetime(2027, 5, 5, 9, tzinfo=helsinki),
        ends_at=datetime(2027, 5, 7, 14, tzinfo=helsinki),
    )
    SessionFactory(
        event=event,
        title="Workshop",
        signup_required=True,
        starts_at=datetime(2027, 5, 5, 13, 15, tzinfo=timezone.UTC),  # 16:15 there
        ends_at=datetime(2027, 5, 5, 14, 30, tzinfo=timezone.UTC),
    )
    with translation.override(language):
        form = RegistrationForm(
            event=event, types=[], questions=[], sessions=event.sessions.all()
        )
        assert [str(c[1]) for c in form.fields["sessions"].choices] == [label]


def test_registering_reads_little_and_never_the_seat_sessions_when_none_chosen(
    client, person, django_assert_num_queries
):
    # The busiest write (bench/README.md): the user, the event, its types, its
    # questions, then BEGIN, the lock, the count, two inserts, COMMIT. Not the
    # event's seat sessions (none chosen), nor a read for an earlier registration.
    event = EventFactory(capacity=10)
    SessionFactory(event=event, signup_required=True, capacity=5)
    client.get(url(event))  # the session is in the cache, as after a sign-in

    with django_assert_num_queries(10) as captured:
        response = client.post(url(event), {})

    assert response.status_code == 302
    assert Registration.objects.get(attendee=person).status == "confirmed"
    assert not any("events_session" in q["sql"] for q in captured.captured_queries)
