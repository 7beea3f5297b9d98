"""The one-tap star (with and without htmx) and "My schedule"."""

from datetime import timedelta

import pytest
from django.urls import reverse

from registrations.models import Bookmark, SessionSeat
from tests.factories import (
    BookmarkFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def bookmark_url(session):
    return reverse(
        "registrations:bookmark",
        kwargs={"slug": session.event.slug, "session_uuid": session.uuid},
    )


def test_star_without_javascript_redirects_back_to_the_page(client):
    person = UserFactory()
    session = SessionFactory()
    client.force_login(person)
    schedule = f"/events/{session.event.slug}/schedule/?day=2027-05-05"

    response = client.post(bookmark_url(session), {"action": "add", "next": schedule})

    assert response.status_code == 302
    assert response["Location"] == schedule
    assert Bookmark.objects.filter(user=person, session=session).count() == 1


def test_star_with_htmx_answers_the_new_star_alone(client):
    person = UserFactory()
    session = SessionFactory()
    client.force_login(person)

    response = client.post(
        bookmark_url(session),
        {"action": "add", "next": "/x/", "described_by": f"h-{session.uuid}"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<form class="star-form"')
    assert body.endswith("</form>")
    assert 'aria-pressed="true"' in body
    assert 'name="action" value="remove"' in body
    assert f'aria-describedby="h-{session.uuid}"' in body
    assert Bookmark.objects.filter(user=person, session=session).count() == 1

    response = client.post(
        bookmark_url(session), {"action": "remove"}, headers={"HX-Request": "true"}
    )
    assert 'aria-pressed="false"' in response.content.decode()
    assert not Bookmark.objects.filter(user=person, session=session).exists()


def test_star_refuses_a_foreign_next_and_keeps_the_old_redirect(client):
    person = UserFactory()
    session = SessionFactory()
    client.force_login(person)
    seat_page = reverse(
        "registrations:seat",
        kwargs={"slug": session.event.slug, "session_uuid": session.uuid},
    )
    for data in ({"action": "add", "next": "https://evil.example/"}, {}):
        response = client.post(bookmark_url(session), data)
        assert response["Location"] == seat_page


def test_session_page_has_the_star(client):
    person = UserFactory()
    session = SessionFactory()
    BookmarkFactory(user=person, session=session)
    client.force_login(person)
    body = client.get(session.get_absolute_url()).content.decode()
    assert 'aria-describedby="session-title" aria-pressed' not in body
    assert 'aria-pressed="true" aria-describedby="session-title"' in body


def test_my_schedule_lists_by_day_and_flags_a_clash(client):
    person = UserFactory()
    event = EventFactory(title="Spring Forum")
    start = event.starts_at + timedelta(hours=2)
    seated = SessionFactory(
        event=event, title="Workshop", signup_required=True, capacity=10,
        starts_at=start, ends_at=start + timedelta(hours=1),
    )  # fmt: skip
    overlapping = SessionFactory(
        event=event, title="Panel", starts_at=start + timedelta(minutes=30),
        ends_at=start + timedelta(minutes=90),
    )  # fmt: skip
    later = SessionFactory(
        event=event, title="Closing", starts_at=start + timedelta(days=1),
        ends_at=start + timedelta(days=1, hours=1),
    )  # fmt: skip
    registration = RegistrationFactory(event=event, attendee=person)
    SessionSeatFactory(registration=registration, session=seated)
    BookmarkFactory(user=person, session=overlapping)
    BookmarkFactory(user=person, session=later)
    BookmarkFactory(session=SessionFactory(event=event, title="Not mine"))
    client.force_login(person)

    response = client.get("/registrations/schedule/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    days = response.context["days"]
    assert [[(i.kind, i.title) for i in items] for _day, items in days] == [
        [("event", "Spring Forum"), ("session", "Workshop"), ("session", "Panel")],
        [("event", "Spring Forum"), ("session", "Closing")],
        [("event", "Spring Forum")],
    ]
    workshop, panel = days[0][1][1:]
    assert workshop.clashes_with == ["Panel"]
    assert panel.clashes_with == ["Workshop"]
    assert days[1][1][1].clashes_with == []
    assert workshop.seat_status == SessionSeat.Status.CONFIRMED
    assert panel.starred
    body = response.content.decode()
    assert "2 sessions overlap others you chose." in body
    assert body.count('class="my-item my-session has-clash"') == 2
    assert "Not mine" not in body
    assert "webcal://" in body


def test_my_schedule_is_routed_before_the_manage_token(client):
    assert client.get("/registrations/schedule/").status_code == 302  # sign in


def test_my_registrations_has_the_personal_subscribe_box(client):
    client.force_login(UserFactory())
    body = client.get("/registrations/").content.decode()
    assert "webcal://" in body
    assert "/calendar/" in body
