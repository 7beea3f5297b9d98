"""The schedule's admin, for superusers: writes through services; organisers are
sent to the organiser area."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.admin import EventAdmin
from events.models import Event, EventOrganiser, ScheduleChange, Session, Track
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Role = EventOrganiser.Role


def url(name, *args):
    return reverse(f"admin:events_{name}", args=args)


def form_data(response) -> dict:
    """What a browser would post back from the page's change form, unchanged."""
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", id=re.compile(r"^\w+_form$"))
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "button"}:
            continue
        if field.name == "select":
            values = [
                o.get("value", "") for o in field.find_all("option", selected=True)
            ]
        elif field.name == "textarea":
            values = [field.text.lstrip("\n")]
        elif field.get("type") == "checkbox":
            values = [field.get("value", "on")] if field.has_attr("checked") else []
        else:
            values = [field.get("value", "")]
        data.setdefault(name, []).extend(values)
    return data


# The factories' events are in Helsinki; the admin edits times in the event's zone.
HELSINKI = ZoneInfo("Europe/Helsinki")


def set_time(data, name, moment) -> None:
    moment = moment.astimezone(HELSINKI)
    data[f"{name}_0"] = [moment.strftime("%Y-%m-%d")]
    data[f"{name}_1"] = [moment.strftime("%H:%M:%S")]


@pytest.fixture
def world():
    """Two events at two venues, each with its owner, sessions, a track, a speaker."""
    a, b = EventFactory(title="Spring Forum"), EventFactory(title="Nordic Five")
    w = {"a": a, "b": b}
    for key, event in (("a", a), ("b", b)):
        w[f"owner_{key}"] = EventOrganiserFactory(event=event, role=Role.OWNER).user
        w[f"room_{key}"] = RoomFactory(venue=event.venue, name=f"Hall {key}")
        w[f"track_{key}"] = TrackFactory(event=event, name=f"Track {key}")
        w[f"speaker_{key}"] = SpeakerFactory(event=event, name=f"Speaker {key}")
        w[f"session_{key}"] = SessionFactory(
            event=event, room=w[f"room_{key}"], title=f"Talk {key}"
        )
        services.update_session(session=w[f"session_{key}"], title=f"Talk {key}!")
    # The admin is for superusers; the tests edit through it as one.
    w["operator"] = UserFactory(is_staff=True, is_superuser=True)
    return w


def titles(response) -> list[str]:
    return sorted(str(obj) for obj in response.context["cl"].result_list)


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR, Role.CHECKIN])
def test_organisers_are_sent_to_the_organiser_area_and_change_nothing(
    client, world, role
):
    """The admin is for superusers: even an event's owner works in /organise/."""
    user = EventOrganiserFactory(event=world["a"], role=role).user
    client.force_login(user)
    session = world["session_a"]

    responses = [
        client.get(url("session_changelist")),
        client.post(url("session_change", session.pk), {"title": "Hijacked"}),
        client.post(
            url("session_changelist"),
            {"action": "cancel_sessions", "_selected_action": [session.pk]},
        ),
    ]

    session.refresh_from_db()
    assert [(r.status_code, r.url) for r in responses] == [
        (302, reverse("organise:index"))
    ] * 3
    assert (session.title, session.status) == ("Talk a!", Session.Status.SCHEDULED)


def test_staff_without_events_are_refused(client, world):
    client.force_login(UserFactory(is_staff=True))

    responses = [
        client.get(reverse("admin:index")),
        client.get(url("session_changelist")),
        client.get(url("event_changelist")),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]


def test_superuser_sees_every_event(admin_client, world):
    response = admin_client.get(url("session_changelist"))

    assert titles(response) == ["Talk a!", "Talk b!"]


def test_editing_a_session_goes_through_the_service(client, world):
    owner = world["operator"]
    session = world["session_a"]
    client.force_login(owner)
    data = form_data(client.get(url("session_change", session.pk)))
    new_start = session.starts_at + timedelta(hours=3)
    set_time(data, "starts_at", new_start)
    set_time(data, "ends_at", new_start + timedelta(hours=1))
    data["speakers"] = [str(world["speaker_a"].pk)]

    response = client.post(url("session_change", session.pk), data)

    assert response.status_code == 302
    session.refresh_from_db()
    change = ScheduleChange.objects.filter(session=session).latest("pk")
    assert (session.starts_at, session.sequence) == (new_start, 1)
    assert (change.kind, change.actor) == (ScheduleChange.Kind.MOVED, owner)
    assert sorted(change.changes) == ["ends_at", "speakers", "starts_at"]
    assert list(session.speakers.all()) == [world["speaker_a"]]


def test_a_conflict_is_refused_with_the_message_on_the_form(client, world):
    session = world["session_a"]
    other = SessionFactory(
        event=world["a"],
        room=RoomFactory(venue=world["a"].venue),
        starts_at=session.starts_at + timedelta(hours=2),
        title="Closing",
    )
    client.force_login(world["operator"])
    data = form_data(client.get(url("session_change", other.pk)))
    data["room"] = [str(session.room_id)]
    set_time(data, "starts_at", session.starts_at)
    set_time(data, "ends_at", session.ends_at)
    logged = ScheduleChange.objects.count()

    response = client.post(url("session_change", other.pk), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith("Hall a is already booked for “Talk a!” at ")
    own_room = other.room
    other.refresh_from_db()
    assert (other.room, other.sequence) == (own_room, 0)
    assert ScheduleChange.objects.count() == logged


def test_a_refusal_at_save_time_is_shown_on_the_form(client, world, monkeypatch):
    session = world["session_a"]
    client.force_login(world["operator"])
    data = form_data(client.get(url("session_change", session.pk)))
    data["title_en"] = ["Renamed"]

    def refuse(**kwargs):
        raise services.ScheduleError("Someone else took that room a moment ago.")

    monkeypatch.setattr(services, "update_session", refuse)
    response = client.post(url("session_change", session.pk), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Someone else took that room a moment ago."
    ]
    assert response.context["adminform"].form["title_en"].value() == "Renamed"
    session.refresh_from_db()
    assert session.title == "Talk a!"


def test_adding_a_session_with_speakers(client, world):
    event = world["a"]
    client.force_login(world["operator"])
    data = form_data(client.get(url("session_add")))
    data |= {
        "event": [str(event.pk)],
        "title_en": ["Network meeting"],
        "kind": [Session.Kind.NETWORK_MEETING],
        "status": [Session.Status.SCHEDULED],
        "speakers": [str(world["speaker_a"].pk)],
        "track": [str(world["track_a"].pk)],
    }
    start = event.starts_at + timedelta(hours=5)
    set_time(data, "starts_at", start)
    set_time(data, "ends_at", start + timedelta(hours=1))

    response = client.post(url("session_add"), data)

    assert response.status_code == 302
    created = Session.objects.get(title="Network meeting")
    assert list(created.speakers.all()) == [world["speaker_a"]]
    assert ScheduleChange.objects.get(session=created).actor == world["operator"]


def test_adding_a_session_with_another_events_speaker_is_refused(client, world):
    client.force_login(world["operator"])
    data = form_data(client.get(url("session_add")))
    data |= {"event": [str(world["a"].pk)], "title_en": ["Sneaky"]}
    data["speakers"] = [str(world["speaker_b"].pk)]
    set_time(data, "starts_at", world["a"].starts_at)
    set_time(data, "ends_at", world["a"].starts_at + timedelta(hours=1))

    response = client.post(url("session_add"), data)

    assert response.status_code == 200
    assert "speakers" in response.context["adminform"].form.errors
    assert not Session.objects.filter(title="Sneaky").exists()


def test_swap_action_swaps_times_and_rooms_in_one_call(client, world):
    a = world["session_a"]
    b = SessionFactory(
        event=world["a"],
        room=RoomFactory(venue=world["a"].venue),
        starts_at=a.ends_at,
        ends_at=a.ends_at + timedelta(hours=1),
    )
    a_place, b_place = (a.starts_at, a.room_id), (b.starts_at, b.room_id)
    client.force_login(world["operator"])

    response = client.post(
        url("session_changelist"),
        {"action": "swap_sessions", "_selected_action": [a.pk, b.pk]},
    )

    a.refresh_from_db()
    b.refresh_from_db()
    assert response.status_code == 302
    assert ((a.starts_at, a.room_id), (b.starts_at, b.room_id)) == (b_place, a_place)


def test_cancel_and_restore_actions(client, world):
    session = world["session_a"]
    client.force_login(world["operator"])
    post = {"_selected_action": [session.pk]}

    client.post(url("session_changelist"), {**post, "action": "cancel_sessions"})
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    client.post(url("session_changelist"), {**post, "action": "restore_sessions"})

    session.refresh_from_db()
    assert (session.status, session.sequence) == (Session.Status.SCHEDULED, 2)
    assert list(
        ScheduleChange.objects.filter(session=session).values_list("kind", "actor")
    )[-2:] == [
        (ScheduleChange.Kind.CANCELLED, world["operator"].pk),
        (ScheduleChange.Kind.RESTORED, world["operator"].pk),
    ]


def test_conflicts_show_on_the_list_and_the_event_page(client, world):
    a = world["session_a"]
    clash = SessionFactory(event=world["a"], room=a.room, title="Clash")
    client.force_login(world["operator"])

    listing = client.get(url("session_changelist"), {"event__id__exact": world["a"].pk})
    page = client.get(url("event_change", world["a"].pk))

    model_admin = listing.context["cl"].model_admin
    column = model_admin.get_list_display(listing.wsgi_request)[-1]
    assert {s.title: column(s) for s in listing.context["cl"].result_list} == {
        "Talk a!": True,
        "Clash": True,
    }
    warnings = [str(m) for m in listing.context["messages"]]
    assert len(warnings) == 1
    assert warnings[0].startswith("Hall a is already booked for ")
    assert "Hall a is already booked for" in page.content.decode()
    assert clash.pk


def test_day_filter_uses_the_events_local_days(client, world):
    event = world["a"]
    day_two = event.local_days()[1]
    SessionFactory(event=event, starts_at=event.starts_at + timedelta(days=1))
    client.force_login(world["operator"])

    response = client.get(url("session_changelist"), {"day": day_two.isoformat()})

    assert [
        s.starts_at.astimezone(event.tzinfo).date()
        for s in response.context["cl"].result_list
    ] == [day_two]


def test_event_slug_is_read_only_once_published(client, world):
    draft = EventFactory(status=Event.Status.DRAFT)
    client.force_login(world["operator"])

    published = client.get(url("event_change", world["a"].pk)).context["adminform"]
    editable = client.get(url("event_change", draft.pk)).context["adminform"]

    assert "slug" not in published.form.fields
    assert "slug" in editable.form.fields


def test_event_edit_logs_changes_and_saves_tracks(client, world):
    event = world["a"]
    client.force_login(world["operator"])
    data = form_data(client.get(url("event_change", event.pk)))
    data["title_en"] = ["Spring Forum 2027"]
    prefix = "tracks"
    total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(total + 1)]
    data |= {
        f"{prefix}-{total}-name_en": ["Mobility"],
        f"{prefix}-{total}-slug": ["mobility"],
        f"{prefix}-{total}-colour": ["#123456"],
    }
    event.refresh_from_db()
    version = event.schedule_version

    response = client.post(url("event_change", event.pk), data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Spring Forum 2027"
    assert Track.objects.get(event=event, slug="mobility").name == "Mobility"
    change = ScheduleChange.objects.filter(event=event).latest("pk")
    assert (change.kind, change.changes, change.actor) == (
        ScheduleChange.Kind.EVENT_CHANGED,
        {"title_en": ["Spring Forum", "Spring Forum 2027"]},
        world["operator"],
    )
    assert event.schedule_version == version + 2  # the title, then the track


def test_capacity_goes_through_the_overridable_hook(client, world, monkeypatch):
    calls = []
    registered = type(admin.site._registry[Event])  # maybe a subclass (registrations)
    assert issubclass(registered, EventAdmin)
    monkeypatch.setattr(
        registered,
        "save_capacity",
        lambda self, request, event, capacity: calls.append((event.pk, capacity)),
    )
    event = world["a"]
    client.force_login(world["operator"])
    data = form_data(client.get(url("event_change", event.pk)))
    data["capacity"] = ["450"]

    response = client.post(url("event_change", event.pk), data)

    assert response.status_code == 302
    assert calls == [(event.pk, 450)]


def test_organisers_are_named_by_email(client, world):
    event = world["a"]
    colleague = UserFactory(email="colleague@example.org", is_staff=True)
    client.force_login(world["operator"])
    data = form_data(client.get(url("event_change", event.pk)))
    prefix = "organisers"
    total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(total + 1)]
    data |= {
        f"{prefix}-{total}-email": ["Colleague@example.org"],
        f"{prefix}-{total}-role": [Role.EDITOR],
    }

    response = client.post(url("event_change", event.pk), data)

    assert response.status_code == 302
    assert EventOrganiser.objects.get(event=event, user=colleague).role == Role.EDITOR


def test_an_unknown_organiser_email_is_a_form_error(client, world):
    event = world["a"]
    client.force_login(world["operator"])
    data = form_data(client.get(url("event_change", event.pk)))
    total = int(data["organisers-TOTAL_FORMS"][0])
    data["organisers-TOTAL_FORMS"] = [str(total + 1)]
    data |= {
        f"organisers-{total}-email": ["nobody@example.org"],
        f"organisers-{total}-role": [Role.OWNER],
    }

    response = client.post(url("event_change", event.pk), data)

    assert response.status_code == 200
    assert EventOrganiser.objects.filter(event=event).count() == 1


def test_an_owner_creates_an_event_and_owns_it(client, world):
    owner = world["operator"]
    client.force_login(owner)
    data = form_data(client.get(url("event_add")))
    start = world["a"].starts_at + timedelta(days=60)
    data |= {"slug": ["autumn-forum"], "title_en": ["Autumn Forum"]}
    data["venue"] = [str(world["a"].venue_id)]
    set_time(data, "starts_at", start)
    set_time(data, "ends_at", start + timedelta(days=1))

    response = client.post(url("event_add"), data)

    assert response.status_code == 302
    event = Event.objects.get(slug="autumn-forum")
    assert (event.timezone, event.starts_at) == ("Europe/Helsinki", start)
    assert list(event.organisers.values_list("user", "role")) == [
        (owner.pk, Role.OWNER)
    ]


def test_a_speaker_edit_bumps_the_schedule(client, world):
    speaker = world["speaker_a"]
    event = world["a"]
    event.refresh_from_db()
    version = event.schedule_version
    client.force_login(world["operator"])
    data = form_data(client.get(url("speaker_change", speaker.pk)))
    data["affiliation"] = ["KTH"]

    response = client.post(url("speaker_change", speaker.pk), data)

    assert response.status_code == 302
    event.refresh_from_db()
    speaker.refresh_from_db()
    assert (speaker.affiliation, event.schedule_version) == ("KTH", version + 1)


def test_session_list_queries_do_not_grow_with_rows(client, world):
    client.force_login(world["operator"])
    counts = []
    for extra in (0, 2):
        for _ in range(extra):
            SessionFactory(event=world["a"], track=world["track_a"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("session_changelist"))
        assert len(response.context["cl"].result_list) == 2 + extra
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_session_times_are_edited_in_the_events_time_zone(client, world):
    session = world["session_a"]
    client.force_login(world["operator"])

    response = client.get(url("session_change", session.pk))

    local_start = session.starts_at.astimezone(HELSINKI)
    data = form_data(response)
    assert (data["starts_at_0"], data["starts_at_1"]) == (
        [local_start.strftime("%Y-%m-%d")],
        [local_start.strftime("%H:%M:%S")],
    )
    form = response.context["adminform"].form
    assert form.fields["starts_at"].help_text == "Local time in Europe/Helsinki."


def test_sessions_are_found_by_speaker_name(client, world):
    world["session_a"].speakers.add(world["speaker_a"])
    SessionFactory(event=world["a"], title="Unrelated")
    client.force_login(world["operator"])

    response = client.get(url("session_changelist"), {"q": "Speaker a"})

    assert titles(response) == ["Talk a!"]


def test_the_last_owner_cannot_be_removed(client, world):
    event = world["a"]
    client.force_login(world["operator"])
    data = form_data(client.get(url("event_change", event.pk)))
    data["organisers-0-role"] = [Role.EDITOR]

    response = client.post(url("event_change", event.pk), data)

    assert response.status_code == 200
    formset = [
        f
        for f in response.context["inline_admin_formsets"]
        if f.opts.model is EventOrganiser
    ][0].formset
    assert formset.non_form_errors() == ["An event needs at least one owner."]
    assert list(event.organisers.values_list("role", flat=True)) == [Role.OWNER]
