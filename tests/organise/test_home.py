"""The event home: each figure against a known world, every figure equal to the
organiser counts and to the CSV export, and a constant number of queries."""

import csv
import io
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from events.models import EventOrganiser, ScheduleChange, Session
from meetings.management.commands.load_demo import ORGANISER_EMAIL
from notifications.models import Message, ScheduleDigest
from organise import dashboard
from registrations import exports
from registrations.models import Answer, Registration
from registrations.selectors import places, reports
from registrations.services.questions import (
    COUNTRY,
    ORGANISATION,
    create_default_questions,
)
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    InvitationFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    RoomFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)
from tests.totp import totp_code

pytestmark = pytest.mark.django_db
Status = Registration.Status
Role = EventOrganiser.Role
NOW = datetime(2027, 4, 20, 9, 0, tzinfo=UTC)  # 12:00 in Helsinki
# Registration days, at Helsinki times that fall on another UTC date or not.
DAY_1 = datetime(2027, 4, 1, 7, 0, tzinfo=UTC)  # 10:00 on 1 April in Helsinki
DAY_2_EARLY = datetime(2027, 4, 1, 21, 30, tzinfo=UTC)  # 00:30 on 2 April there
DAY_4 = datetime(2027, 4, 4, 8, 0, tzinfo=UTC)


def home_url(event):
    return reverse("organise:home", args=[event.slug])


def register(event, status, *, at, type=None, organisation=None, country=None):
    registration = RegistrationFactory(
        event=event,
        registration_type=type,
        status=status,
        offer_expires_at=NOW + timedelta(days=1) if status == Status.OFFERED else None,
    )
    Registration.objects.filter(pk=registration.pk).update(created_at=at)
    questions = {q.key: q for q in event.questions.exclude(key="")}
    for key, value in ((ORGANISATION, organisation), (COUNTRY, country)):
        if value is not None:
            Answer.objects.create(
                registration=registration, question=questions[key], value=value
            )
    return registration


@pytest.fixture
def world():
    """The Spring Forum three weeks before it starts, seen at NOW."""
    event = EventFactory(
        title="Spring Forum",
        capacity=10,
        starts_at=datetime(2027, 5, 5, 6, tzinfo=UTC),
        ends_at=datetime(2027, 5, 7, 15, tzinfo=UTC),
        registration_opens_at=datetime(2027, 3, 1, tzinfo=UTC),
        registration_closes_at=datetime(2027, 4, 28, 21, tzinfo=UTC),
        modification_deadline=datetime(2027, 4, 10, tzinfo=UTC),  # passed
    )
    create_default_questions(event)
    participant = RegistrationTypeFactory(event=event, name="Participant", position=0)
    presenter = RegistrationTypeFactory(event=event, name="Presenter", position=1)
    RegistrationTypeFactory(event=event, name="Press", position=2)  # none yet
    people = {
        "ada": register(event, Status.CONFIRMED, at=DAY_1, type=participant,
                        organisation="Aalto University", country="FI"),
        "bo": register(event, Status.CONFIRMED, at=DAY_2_EARLY, type=participant,
                       organisation=" aalto  university", country="FI"),
        "cy": register(event, Status.CONFIRMED, at=DAY_2_EARLY, type=presenter,
                       organisation="KTH", country="SE"),
        "di": register(event, Status.WAITLISTED, at=DAY_2_EARLY, type=participant),
        "ed": register(event, Status.OFFERED, at=DAY_4, type=participant,
                       organisation="KTH", country="SE"),
        "fi": register(event, Status.AWAITING_APPROVAL, at=DAY_4, type=presenter,
                       organisation="Aalto University"),
        "gu": register(event, Status.CANCELLED, at=DAY_1, type=participant,
                       organisation="Hanken", country="FI"),
        "hu": register(event, Status.DECLINED, at=DAY_4),
    }  # fmt: skip
    Registration.objects.filter(pk=people["ada"].pk).update(checked_in_at=NOW)

    workshop = SessionFactory(
        event=event, title="Workshop", signup_required=True, capacity=2
    )
    for name, seat in (("ada", "confirmed"), ("cy", "confirmed"), ("bo", "waitlisted")):
        SessionSeatFactory(
            registration=people[name], session=workshop, status=seat,
            waitlisted_at=NOW if seat == "waitlisted" else None,
        )  # fmt: skip
    clinic = SessionFactory(
        event=event, title="Clinic", signup_required=True, capacity=5,
        starts_at=event.starts_at + timedelta(hours=3),
    )  # fmt: skip
    SessionSeatFactory(
        registration=people["bo"], session=clinic, status="offered",
        offer_expires_at=NOW + timedelta(hours=5),
    )  # fmt: skip
    SessionFactory(event=event, title="Keynote")  # no sign-up: not counted

    def invitation(status, **fields):
        return InvitationFactory(
            event=event, registration_type=presenter, status=status, **fields
        )

    invitation("pending", reserves_seat=True, rsvp_deadline=NOW + timedelta(days=2))
    invitation("pending", rsvp_deadline=NOW + timedelta(days=2))
    invitation("pending", rsvp_deadline=NOW - timedelta(hours=1))  # overdue
    invitation("pending")  # no answer-by date
    for status in ("accepted", "declined", "substituted", "expired", "revoked"):
        invitation(status)
    invitation("awaiting_approval")

    def message(status, n, on=event):
        for index in range(n):
            Message.objects.create(
                key=f"{on.pk}:{status}:{index}", kind="confirmed", status=status,
                to_email="a@example.org", subject="Hello", body_text="Hello", event=on,
            )  # fmt: skip

    message("queued", 2)
    message("sending", 1)
    message("failed", 1)
    message("sent", 3)
    message("failed", 4, on=EventFactory())

    def change(session, kind, composed=False):
        ScheduleChange.objects.create(
            event=event, session=session, kind=kind,
            composed_at=NOW if composed else None,
        )  # fmt: skip

    change(workshop, "moved")
    change(workshop, "moved")
    change(clinic, "cancelled")
    change(clinic, "moved", composed=True)
    change(clinic, "changed")  # a title: nobody is told
    ScheduleDigest.objects.create(event=event, due_at=NOW + timedelta(minutes=10))
    return event


def figures(event):
    return dashboard.home_figures(event, now=NOW, registrations=True, messages=True)


def test_registration_figures(world):
    home = figures(world)

    assert [(value, count) for value, _label, count in home["statuses"]] == [
        ("awaiting_approval", 1),
        ("confirmed", 3),
        ("waitlisted", 1),
        ("offered", 1),
        ("declined", 1),
        ("cancelled", 1),
    ]
    assert home["live"] == 6
    # Confirmed 3, offered 1, and the pending invitation that reserves a place.
    assert home["places_taken"] == 5
    assert home["reserved"] == 1
    assert home["places_left"] == 5
    assert home["approvals_pending"] == 2  # a registration and a substitute
    assert [
        (row.type.name if row.type else None, row.counts, row.live)
        for row in home["types"]
    ] == [
        ("Participant", {"awaiting_approval": 0, "confirmed": 2, "waitlisted": 1,
                         "offered": 1, "declined": 0, "cancelled": 1}, 4),
        ("Presenter", {"awaiting_approval": 1, "confirmed": 1, "waitlisted": 0,
                       "offered": 0, "declined": 0, "cancelled": 0}, 2),
        ("Press", dict.fromkeys(Status, 0), 0),
        (None, {"awaiting_approval": 0, "confirmed": 0, "waitlisted": 0,
                "offered": 0, "declined": 1, "cancelled": 0}, 0),
    ]  # fmt: skip
    assert (home["checked_in"], home["expected"]) == (1, 3)


def test_registrations_by_day_in_the_events_time_zone(world):
    home = figures(world)

    # 1 April: Ada (Gu cancelled); 2 April in Helsinki, 1 April in UTC: three;
    # 4 April: Ed and Fi (Hu declined); every day after, to today, with none.
    days = [(d.day.isoformat(), d.new, d.total) for d in home["timeline"]["days"]]
    assert days[:5] == [
        ("2027-04-01", 1, 1),
        ("2027-04-02", 3, 4),
        ("2027-04-03", 0, 4),
        ("2027-04-04", 2, 6),
        ("2027-04-05", 0, 6),
    ]
    assert days[-1] == ("2027-04-20", 0, 6)
    assert len(days) == 20


def test_session_fill(world):
    home = figures(world)

    assert [
        (r.session.title, r.taken, r.waiting, r.is_full) for r in home["sessions"]
    ] == [
        ("Workshop", 2, 1, True),
        ("Clinic", 1, 0, False),  # an open offer holds the seat
    ]
    assert home["session_waiting"] == 1


def test_invitation_figures(world):
    invitations = figures(world)["invitations"]

    assert invitations.by_status == {
        "pending": 4, "awaiting_approval": 1, "accepted": 1, "declined": 1,
        "expired": 1, "substituted": 1, "revoked": 1,
    }  # fmt: skip
    assert invitations.total == 10
    assert invitations.answered == 3  # accepted, declined, passed to a substitute
    assert invitations.waiting == 3  # pending within the date, or with none
    assert invitations.overdue == 1
    assert invitations.past_answer_by == 2  # the overdue one and the expired one


def test_next_deadlines(world):
    rows = [(row.at, row.label) for row in figures(world)["deadlines"]]

    assert rows == [
        (NOW + timedelta(hours=5), "1 offer of a session seat ends"),
        (NOW + timedelta(days=1), "1 offer of a place ends"),
        (NOW + timedelta(days=2), "Answer-by date of 2 invitations"),
        (datetime(2027, 4, 28, 21, tzinfo=UTC), "Registration closes"),
    ]


def test_countries_and_organisations(world):
    home = figures(world)

    # Live registrations only; spellings of one name count together.
    assert home["countries"].rows == [("Finland", 2), ("Sweden", 2)]
    assert home["countries"].unanswered == 2
    assert home["organisations"].rows == [("Aalto University", 3), ("KTH", 2)]
    assert home["organisations"].unanswered == 1
    assert home["organisations"].others == 0


def test_messages_and_untold_schedule_changes(world):
    home = figures(world)

    assert home["messages"]["counts"] == {
        "queued": 2, "sending": 1, "sent": 3, "failed": 1,
    }  # fmt: skip
    assert home["messages"]["failed_url"] == (
        f"/organise/{world.slug}/messages/?status=failed"
    )
    untold = home["untold"]
    assert (untold.changes, untold.sessions, untold.due_at) == (
        3,
        2,
        NOW + timedelta(minutes=10),
    )


def test_every_figure_equals_the_organiser_counts(world):
    home = figures(world)
    counts = reports.event_counts(world)

    assert {v: n for v, _label, n in home["statuses"]} == counts["by_status"]
    assert home["places_taken"] == counts["places_taken"]
    assert home["reserved"] == counts["reserved"]
    assert home["places_left"] == places.free_places(world)
    by_type = {
        row.type.pk: (
            row.counts[Status.CONFIRMED],
            row.counts[Status.AWAITING_APPROVAL],
            row.counts[Status.WAITLISTED],
        )
        for row in home["types"]
        if row.type
    }
    assert by_type == {
        t.type.pk: (t.confirmed, t.awaiting, t.waitlisted) for t in counts["types"]
    }
    assert [(r.session, r.taken, r.waiting) for r in home["sessions"]] == [
        (s, s.taken, s.waiting) for s in counts["sessions"]
    ]
    for status in Status:
        assert (
            sum(row.counts[status] for row in home["types"])
            == (counts["by_status"][status])
        )


def csv_export(event) -> list[dict]:
    """Today's CSV export of the event, read back as a spreadsheet would."""
    data = exports.to_csv(*exports.export_rows(event, include_sensitive=False))
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_every_figure_equals_the_csv_export(world):
    home = figures(world)
    rows = csv_export(world)
    labels = dict(Status.choices)
    dead = {labels[s] for s in Registration.DEAD_STATUSES}
    live = [row for row in rows if row["Status"] not in dead]

    assert {labels[v]: n for v, _l, n in home["statuses"] if n} == Counter(
        r["Status"] for r in rows
    )
    assert home["live"] == len(live)
    assert Counter(
        {
            (row.type.name if row.type else "", labels[status]): n
            for row in home["types"]
            for status, n in row.counts.items()
            if n
        }
    ) == Counter((r["Registration type"], r["Status"]) for r in rows)
    registered_at = "Registered at (Europe/Helsinki)"
    assert {
        d.day.isoformat(): d.new for d in home["timeline"]["days"] if d.new
    } == Counter(r[registered_at][:10] for r in live)
    checked_in = [r for r in rows if r["Checked in at (Europe/Helsinki)"]]
    assert home["checked_in"] == len(checked_in)
    assert home["expected"] == sum(
        1 for r in rows if r["Status"] == labels[Status.CONFIRMED]
    )
    organisations = Counter(
        " ".join(r["Organisation"].split()).casefold()
        for r in live
        if r["Organisation"]
    )
    assert {name.casefold(): n for name, n in home["organisations"].rows} == (
        organisations
    )
    assert home["organisations"].unanswered == sum(
        1 for r in live if not r["Organisation"]
    )
    countries = Counter(r["Country"] for r in live if r["Country"])
    tallies = reports.answer_tallies(world, keys=[COUNTRY])
    assert dict(tallies[COUNTRY]) == countries
    # Seats: the export lists each person's held seats.
    assert {r.session.title: r.taken for r in home["sessions"]} == Counter(
        title
        for r in rows
        if r["Status"] == labels[Status.CONFIRMED]
        for title in r["Sessions"].split("; ")
        if title
    )


def test_home_page_shows_the_figures_in_the_events_time_zone(client, world):
    client.force_login(EventOrganiserFactory(event=world, role=Role.OWNER).user)

    response = client.get(home_url(world))

    assert response.status_code == 200
    html = response.content.decode()
    home = response.context["home"]
    assert home["places_taken"] == 5
    # The registration deadline, 21:00 UTC, is midnight in Helsinki.
    assert '<time datetime="2027-04-29T00:00:00+03:00">Thu 29 Apr, 00:00</time>' in html
    assert html.count('role="img"') == 4  # timeline, fill, countries, organisations
    assert '<th scope="row">Aalto University</th><td class="number">3</td>' in html
    assert f"/organise/{world.slug}/messages/?status=failed" in html
    assert "style=" not in html


def test_checkin_staff_see_no_messages(client, world):
    client.force_login(EventOrganiserFactory(event=world, role=Role.CHECKIN).user)

    response = client.get(home_url(world))

    assert response.status_code == 200
    assert "messages" not in response.context["home"]
    assert response.context["home"]["places_taken"] == 5
    assert f"/organise/{world.slug}/messages/".encode() not in response.content


def test_an_event_with_nothing_yet(client):
    event = EventFactory(capacity=None)
    client.force_login(EventOrganiserFactory(event=event).user)

    response = client.get(home_url(event))

    home = response.context["home"]
    assert home["places_left"] is None
    assert home["timeline"] == {"days": [], "chart": ""}
    assert home["sessions"] == []
    assert home["deadlines"] == []
    assert b"No registrations yet." in response.content
    assert b"No invitations sent." in response.content
    assert b"No limit" in response.content


def test_now_and_next_in_each_room_during_the_event(client):
    now = timezone.now()
    event = EventFactory(starts_at=now - timedelta(hours=2))
    aula, sali, tuuli = (
        RoomFactory(venue=event.venue, name=n) for n in ("Aula", "Sali", "Tuuli")
    )

    def session(title, room, starts, minutes=45, **fields):
        return SessionFactory(
            event=event, title=title, room=room,
            starts_at=now + timedelta(minutes=starts),
            ends_at=now + timedelta(minutes=starts + minutes), **fields,
        )  # fmt: skip

    session("Opening", aula, -120, 60)  # over
    session("Keynote", aula, -15)
    session("Panel", aula, 45)
    session("Lunch", aula, 120)  # after next: not shown
    session("Workshop", sali, 30)
    session("Cancelled talk", tuuli, -10, status=Session.Status.CANCELLED)
    session("Morning coffee", tuuli, -90, 30)  # over: Tuuli has nothing left
    session("Poster walk", None, 5)
    client.force_login(EventOrganiserFactory(event=event).user)

    response = client.get(home_url(event))

    rows = [
        (
            row.room.name if row.room else None,
            row.now.title if row.now else None,
            row.next.title if row.next else None,
        )
        for row in response.context["home"]["now_next"]
    ]
    assert rows == [
        ("Aula", "Keynote", "Panel"),
        ("Sali", None, "Workshop"),
        (None, None, "Poster walk"),
    ]
    assert b"Now and next" in response.content


@pytest.mark.parametrize(
    ("starts_in", "status"),
    [(timedelta(days=30), "published"), (-timedelta(hours=1), "cancelled")],
)
def test_now_and_next_only_while_the_event_is_on(client, starts_in, status):
    event = EventFactory(starts_at=timezone.now() + starts_in, status=status)
    SessionFactory(event=event, starts_at=timezone.now() + timedelta(minutes=5))
    client.force_login(EventOrganiserFactory(event=event).user)

    response = client.get(home_url(event))

    assert "now_next" not in response.context["home"]
    assert b"Now and next" not in response.content


def grow(event, count: int) -> None:
    """`count` registrations, each with a type, answers, a seat and an invitation."""
    types = [RegistrationTypeFactory(event=event, name=f"Type {n}") for n in range(2)]
    session = SessionFactory(event=event, signup_required=True, capacity=1000)
    SessionFactory(event=event, starts_at=timezone.now() + timedelta(minutes=30))
    for n in range(count):
        registration = register(
            event, Status.CONFIRMED if n % 3 else Status.WAITLISTED,
            at=timezone.now() - timedelta(days=n % 7), type=types[n % 2],
            organisation=f"University {n % 5}", country=["FI", "SE"][n % 2],
        )  # fmt: skip
        SessionSeatFactory(registration=registration, session=session)
        InvitationFactory(
            event=event, registration_type=types[0],
            rsvp_deadline=timezone.now() + timedelta(days=n % 4 + 1),
        )  # fmt: skip
        Message.objects.create(
            key=f"grow:{n}", kind="confirmed", to_email="a@example.org",
            subject="s", body_text="b", event=event,
        )  # fmt: skip


@pytest.mark.parametrize("count", [1, 50])
def test_the_home_costs_the_same_number_of_queries_however_many_register(
    client, django_assert_num_queries, count
):
    now = timezone.now()
    event = EventFactory(
        capacity=100,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
    )
    create_default_questions(event)
    grow(event, count)
    owner = EventOrganiserFactory(event=event).user
    client.force_login(owner)

    # The frame: the user (the session is in the cache), the event, the roles,
    # the event switcher (4); the home: untold changes (1), now and next (1),
    # registrations by type and status (2), sessions (1), invitations (1),
    # by day (1), deadlines (1), countries and organisations (1), messages (1);
    # places taken are summed from the counts by status and the invitations.
    with django_assert_num_queries(14):
        response = client.get(home_url(event))

    assert response.status_code == 200
    assert response.context["home"]["live"] == count


def test_a_name_typed_by_an_attendee_stays_text(client):
    event = EventFactory()
    create_default_questions(event)
    register(
        event, Status.CONFIRMED, at=timezone.now(),
        organisation='<script>alert("x")</script>',
    )  # fmt: skip
    client.force_login(EventOrganiserFactory(event=event).user)

    response = client.get(home_url(event))

    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.content


def test_people_without_a_role_get_404(client, world):
    client.force_login(UserFactory())

    assert client.get(home_url(world)).status_code == 404


@override_settings(DEBUG=True)
def test_the_demo_organiser_signs_in_and_lands_on_the_forums_home(
    password_only_client,
):
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    login_url = re.search(r"(/accounts/login/\S+) : it opens", output.getvalue())[1]
    secret = re.search(r"add the secret (\w+) to one", output.getvalue())[1]
    cache.clear()  # allauth remembers used codes there, by user id
    client = password_only_client

    client.post(login_url, {"login": ORGANISER_EMAIL, "password": "kokous-demo"})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response["Location"] == "/organise/spring-forum/"
    home = client.get(response["Location"]).context["home"]
    assert home["places_taken"] == 8
    assert home["places_left"] == 442
    assert [(r.session.title, r.taken) for r in home["sessions"] if r.taken] == [
        ("Workshop: Designing blended intensive programmes", 2),
        ("Workshop: Data-informed internationalisation", 1),
        ("Workshop: Inclusive mobility for students with disabilities", 1),
        ("Workshop: Writing a strong partnership agreement", 1),
    ]
    assert home["countries"].rows == [("Finland", 6), ("Sweden", 2)]
    assert len(home["organisations"].rows) == 8
    assert home["timeline"]["days"][-1].total == 8
