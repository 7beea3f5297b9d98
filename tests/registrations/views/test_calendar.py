"""The personal calendar feed and its page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events import ical, services
from events.models import Event
from registrations.models import PersonalCalendar, Registration, SessionSeat
from registrations.services.calendar import (
    get_personal_calendar,
    mark_fetched,
    regenerate_calendar_token,
)
from tests.events.icalcheck import calendar_names, entries_by_uid, parse
from tests.factories import (
    BookmarkFactory,
    EventFactory,
    PersonalCalendarFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def fetch(client, calendar, **headers):
    return client.get(f"/calendar/{calendar.token}.ics", **headers)


@pytest.fixture
def ada():
    return UserFactory(email="ada@example.org")


def test_feed_holds_exactly_its_owners_items(client, ada):
    event = EventFactory()
    registration = RegistrationFactory(event=event, attendee=ada)
    seated = SessionSeatFactory(registration=registration).session
    bookmarked = BookmarkFactory(user=ada).session  # in an event she isn't attending
    SessionSeatFactory(  # waitlisted: not in the feed
        registration=registration,
        status=SessionSeat.Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    SessionSeatFactory(registration=registration, status=SessionSeat.Status.LEFT)
    # Somebody else's registration, seat and bookmark.
    bob = UserFactory()
    other_registration = RegistrationFactory(attendee=bob)
    SessionSeatFactory(registration=other_registration)
    BookmarkFactory(user=bob)
    # Her own cancelled registration and a bookmark in a draft event.
    RegistrationFactory(attendee=ada, status=Registration.Status.CANCELLED)
    BookmarkFactory(
        user=ada, session=SessionFactory(event=EventFactory(status=Event.Status.DRAFT))
    )
    calendar = PersonalCalendarFactory(user=ada)

    response = fetch(client, calendar)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"
    assert set(entries_by_uid(parse(response.content))) == {
        ical.event_uid(event),
        ical.session_uid(seated),
        ical.session_uid(bookmarked),
    }
    assert calendar_names(response.content)[2] == "My events and sessions"


def test_a_session_seated_and_bookmarked_appears_once(client, ada):
    seat = SessionSeatFactory(registration=RegistrationFactory(attendee=ada))
    BookmarkFactory(user=ada, session=seat.session)
    calendar = PersonalCalendarFactory(user=ada)

    entries = entries_by_uid(parse(fetch(client, calendar).content))

    assert list(entries).count(ical.session_uid(seat.session)) == 1
    assert len(entries) == 2  # the session and its event


def test_cancelled_session_stays_cancelled_in_the_personal_feed(client, ada):
    seat = SessionSeatFactory(registration=RegistrationFactory(attendee=ada))
    calendar = PersonalCalendarFactory(user=ada)
    before = fetch(client, calendar)

    services.cancel_session(session=seat.session)
    after = fetch(client, calendar, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    entry = entries_by_uid(parse(after.content))[ical.session_uid(seat.session)]
    assert (entry["STATUS"], int(entry["SEQUENCE"])) == ("CANCELLED", 1)


def test_cancelled_items_leave_after_their_event_ended(client, ada):
    past = EventFactory(
        starts_at=datetime(2025, 5, 5, 6, tzinfo=UTC),
        ends_at=datetime(2025, 5, 6, 16, tzinfo=UTC),
        status=Event.Status.CANCELLED,
    )
    RegistrationFactory(event=past, attendee=ada)
    BookmarkFactory(user=ada, session=SessionFactory(event=past))
    kept = BookmarkFactory(
        user=ada,
        session=SessionFactory(
            event=EventFactory(
                starts_at=datetime(2025, 6, 5, 6, tzinfo=UTC),
                ends_at=datetime(2025, 6, 6, 16, tzinfo=UTC),
            )
        ),
    ).session
    calendar = PersonalCalendarFactory(user=ada)

    entries = entries_by_uid(parse(fetch(client, calendar).content))

    assert set(entries) == {ical.session_uid(kept)}


def test_a_new_bookmark_or_a_removed_one_changes_the_etag(client, ada):
    calendar = PersonalCalendarFactory(user=ada)
    empty = fetch(client, calendar)

    bookmark = BookmarkFactory(user=ada)
    one = fetch(client, calendar, HTTP_IF_NONE_MATCH=empty["ETag"])
    same = fetch(client, calendar, HTTP_IF_NONE_MATCH=one["ETag"])
    bookmark.delete()
    gone = fetch(client, calendar, HTTP_IF_NONE_MATCH=one["ETag"])

    assert [empty.status_code, one.status_code, same.status_code] == [200, 200, 304]
    assert gone.status_code == 200
    assert gone["ETag"] == empty["ETag"]
    assert parse(gone.content).walk("VEVENT") == []


def test_old_token_gives_404_after_regenerating(client, ada):
    calendar = get_personal_calendar(user=ada)
    old = calendar.token

    new = regenerate_calendar_token(user=ada)

    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new.token}.ics").status_code == 200
    assert new.token != old


def test_fetch_is_recorded_at_most_every_five_minutes(client, ada):
    calendar = PersonalCalendarFactory(user=ada)

    fetch(client, calendar)
    first = PersonalCalendar.objects.get(pk=calendar.pk).last_fetched_at
    fetch(client, calendar)
    second = PersonalCalendar.objects.get(pk=calendar.pk).last_fetched_at

    assert first is not None
    assert second == first


def test_mark_fetched_writes_again_after_the_window(ada):
    calendar = PersonalCalendarFactory(user=ada)
    start = timezone.now()

    wrote = [
        mark_fetched(calendar=calendar, now=start),
        mark_fetched(calendar=calendar, now=start + timedelta(minutes=4)),
        mark_fetched(calendar=calendar, now=start + timedelta(minutes=6)),
    ]

    assert wrote == [True, False, True]
    calendar.refresh_from_db()
    assert calendar.last_fetched_at == start + timedelta(minutes=6)


def test_a_recent_poll_writes_nothing(ada, django_assert_num_queries):
    calendar = PersonalCalendarFactory(user=ada, last_fetched_at=timezone.now())

    with django_assert_num_queries(0):
        assert mark_fetched(calendar=calendar) is False


def test_cached_personal_feed_costs_only_the_version_lookup(
    client, ada, django_assert_num_queries
):
    seat = SessionSeatFactory(registration=RegistrationFactory(attendee=ada))
    BookmarkFactory(user=ada)
    calendar = PersonalCalendarFactory(user=ada)
    fetch(client, calendar)

    # Calendar by token; events; sessions; meetings (the fetch was recorded
    # just now).
    with django_assert_num_queries(4):
        response = fetch(client, calendar)

    assert ical.session_uid(seat.session) in entries_by_uid(parse(response.content))


def test_page_needs_sign_in(client):
    response = client.get("/calendar/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_page_shows_the_feed_url_and_subscribe_links(client, ada):
    client.force_login(ada)

    response = client.get("/calendar/")

    calendar = PersonalCalendar.objects.get(user=ada)
    url = f"http://127.0.0.1:8000/calendar/{calendar.token}.ics"
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{url}"' in html
    assert f'href="webcal://127.0.0.1:8000/calendar/{calendar.token}.ics"' in html
    assert (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F127.0.0.1%3A8000"
        f"%2Fcalendar%2F{calendar.token}.ics"
    ) in html


def test_regenerating_on_the_page_kills_the_old_url(client, ada):
    client.force_login(ada)
    old = get_personal_calendar(user=ada).token

    response = client.post("/calendar/")

    new = PersonalCalendar.objects.get(user=ada).token
    assert response.status_code == 302
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
