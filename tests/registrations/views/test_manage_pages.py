"""The page registering lands on is light: the edits have pages of their own,
the check-in QR code is drawn once, and the registration form's fields are
rendered once per language and content."""

import pytest
from django.urls import reverse

from events import services
from registrations import form_fragments, qr
from registrations.models import Answer, Question, SessionSeat
from registrations.selectors.places import seat_sessions
from registrations.services import questions, setup
from registrations.services.registering import register_attendee
from tests.factories import EventFactory, SessionFactory, UserFactory
from tests.qr_reading import dark_modules, read_qr

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    """An event with the default questions (a country among them) and a workshop."""
    event = EventFactory(capacity=10)
    questions.create_default_questions(event)
    SessionFactory(event=event, title="Grant writing", signup_required=True, capacity=5)
    return event


@pytest.fixture
def registration(event):
    country = Question.objects.get(event=event, key=questions.COUNTRY)
    return register_attendee(
        event=event, attendee=UserFactory(), answers={country: "FI"}
    )


def page(registration, name):
    return reverse(f"registrations:{name}", kwargs={"token": registration.manage_token})


def test_the_landing_page_links_to_the_edits_instead_of_holding_them(
    client, registration
):
    html = client.get(registration.manage_path()).content.decode()

    assert html.count("<select") == 1  # the site's language menu, no country menu
    assert 'value="FI"' not in html
    assert 'name="q_' not in html
    assert 'name="sessions"' not in html
    assert page(registration, "change_answers") in html
    assert page(registration, "change_sessions") in html


def test_the_landing_page_reads_the_registration_and_its_seats_only(
    client, registration, django_assert_num_queries
):
    client.force_login(registration.attendee)
    client.get(registration.manage_path())  # draws the QR code, keeps the event

    # The signed-in person (who is the attendee), the registration (with its
    # event's versions: the rest of the event comes from the cache) and its seats.
    with django_assert_num_queries(3):
        response = client.get(registration.manage_path())
    assert response.status_code == 200
    html = response.content.decode()
    assert registration.event.title in html and registration.attendee.name in html


def test_a_waitlisted_person_s_page_also_counts_who_is_ahead(
    client, event, django_assert_num_queries
):
    event.capacity = 1
    event.save()
    register_attendee(event=event, attendee=UserFactory())
    waiting = register_attendee(event=event, attendee=UserFactory())
    client.force_login(waiting.attendee)
    client.get(waiting.manage_path())

    # As a confirmed person's page, and the count of those ahead in line.
    with django_assert_num_queries(4):
        html = client.get(waiting.manage_path()).content.decode()
    assert "number 1 on the waitlist" in html


def test_the_landing_page_without_signing_in_reads_the_attendee(
    client, registration, django_assert_num_queries
):
    client.get(registration.manage_path())

    with django_assert_num_queries(3):  # the registration, its person, its seats
        html = client.get(registration.manage_path()).content.decode()
    assert registration.attendee.name in html


def test_the_qr_code_is_drawn_once_per_code(client, registration, monkeypatch):
    drawn = []
    real = qr.draw
    monkeypatch.setattr(qr, "draw", lambda code: drawn.append(code) or real(code))

    first = client.get(registration.manage_path()).content.decode()
    second = client.get(registration.manage_path()).content.decode()

    assert drawn == [registration.checkin_code]
    svg = real(registration.checkin_code)
    assert svg in first and svg in second


def test_the_qr_code_reads_back_as_the_check_in_code(registration):
    svg = qr.checkin_qr_svg(registration.checkin_code)

    assert read_qr(svg) == registration.checkin_code
    # Every dark module the path strokes is one of the bitmap's, and none is missing.
    side, bitmap = qr.modules(registration.checkin_code)
    assert dark_modules(svg) == {
        (x + qr.QUIET_ZONE, y + qr.QUIET_ZONE)
        for y in range(side)
        for x in range(side)
        if bitmap[y * side + x] == 0
    }


def test_the_answers_page_shows_and_saves_the_answers(client, registration):
    country = Question.objects.get(event=registration.event, key=questions.COUNTRY)
    url = page(registration, "change_answers")

    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert '<option value="FI" selected>' in response.content.decode()

    organisation = Question.objects.get(
        event=registration.event, key=questions.ORGANISATION
    )
    data = {f"q_{country.pk}": "SE", f"q_{organisation.pk}": "Aalto University"}
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["form"].errors

    assert saved["Location"] == registration.manage_path()
    assert Answer.objects.get(question=country).value == "SE"


def test_the_sessions_page_shows_and_saves_the_seats(client, registration):
    workshop = registration.event.sessions.get()
    url = page(registration, "change_sessions")

    response = client.get(url)
    assert "Grant writing" in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    saved = client.post(url, {"sessions": [workshop.pk]})

    assert saved["Location"] == registration.manage_path()
    assert list(SessionSeat.objects.values_list("session", "status")) == [
        (workshop.pk, "confirmed")
    ]


def test_edit_pages_of_an_unknown_link_are_404(client):
    for name in ("change_answers", "change_sessions"):
        url = reverse(f"registrations:{name}", kwargs={"token": "x" * 43})
        assert client.get(url).status_code == 404


def register_page(client, event, **headers):
    client.force_login(UserFactory())
    return client.get(
        reverse("registrations:register", kwargs={"slug": event.slug}), **headers
    )


def test_the_form_fields_are_rendered_once_per_language(client, event, monkeypatch):
    made = []
    real = form_fragments.render_to_string
    monkeypatch.setattr(
        form_fragments,
        "render_to_string",
        lambda *a, **k: made.append(a) or real(*a, **k),
    )

    first = register_page(client, event).content.decode()
    second = register_page(client, event).content.decode()
    finnish = register_page(client, event, HTTP_ACCEPT_LANGUAGE="fi")

    assert len(made) == 2  # English once, Finnish once
    fields = first[first.index("<fieldset") : first.rindex("</fieldset>")]
    assert fields in second
    assert 'name="sessions"' in fields and "Grant writing" in fields
    assert fields not in finnish.content.decode()


def test_the_form_fields_follow_what_they_show(client, event):
    register_page(client, event)
    question = Question.objects.get(event=event, key=questions.ORGANISATION)
    question.label = "Your university"
    question.save()
    SessionFactory(event=event, title="Open data", signup_required=True, capacity=5)

    html = register_page(client, event).content.decode()

    assert "Your university" in html
    assert "Open data" in html


def test_a_form_with_errors_is_rendered_with_them(client, event):
    client.force_login(UserFactory())
    register_page(client, event)  # the fields are cached

    response = client.post(
        reverse("registrations:register", kwargs={"slug": event.slug}), {}
    )

    assert response.status_code == 200
    assert "Please answer this question." in response.content.decode() or (
        response.context["form"].errors
    )


def unchanged(session):
    pass


def cancelled(session):
    services.cancel_session(session=session)


def without_seats(session):
    services.update_session(session=session, signup_required=False)


def in_the_tray(session):
    services.take_to_tray(session=session, edit_count=session.edit_count)


@pytest.mark.parametrize(
    ("change", "offered"),
    [
        (unchanged, True),
        (cancelled, False),
        (without_seats, False),
        (in_the_tray, False),
    ],
)
def test_the_landing_page_offers_sessions_only_while_one_takes_seats(
    client, event, registration, change, offered
):
    client.get(registration.manage_path())  # the event's facts are kept
    change(event.sessions.get())

    html = client.get(registration.manage_path()).content.decode()

    assert (page(registration, "change_sessions") in html) is offered
    assert seat_sessions(event).exists() is offered


def test_the_landing_page_follows_the_event_and_its_questions(client):
    event = EventFactory(capacity=10)
    registration = register_attendee(event=event, attendee=UserFactory())
    assert (
        page(registration, "change_answers")
        not in client.get(registration.manage_path()).content.decode()
    )

    services.update_event(event=event, title="Spring Forum 2027")
    setup.save_question(event=event, label="Your university", kind="short_text")

    html = client.get(registration.manage_path()).content.decode()
    assert "Spring Forum 2027" in html
    assert page(registration, "change_answers") in html


def test_the_landing_page_shows_the_type_as_it_is_named_now(client):
    event = EventFactory(capacity=10)
    delegate = setup.save_registration_type(event=event, name="Delegate")
    registration = register_attendee(
        event=event, attendee=UserFactory(), registration_type=delegate
    )
    assert "Delegate" in client.get(registration.manage_path()).content.decode()

    setup.save_registration_type(
        event=event, registration_type=delegate, name="Rector's delegate"
    )

    html = client.get(registration.manage_path()).content.decode()
    assert "Rector&#x27;s delegate" in html
