"""The event's settings in steps, the registration form's preview, and creating
or copying an event."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventOrganiser, ScheduleChange
from registrations.models import Question, Registration, RegistrationType
from registrations.services.questions import create_default_questions
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    QuestionFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    VenueFactory,
)

from .conftest import HELSINKI, Role, helsinki, signed_in

pytestmark = pytest.mark.django_db


def step_url(event, step):
    return reverse("organise:settings_step", args=[event.slug, step])


def url(name, event, *args):
    return reverse(f"organise:{name}", args=[event.slug, *args])


def current(form) -> dict:
    """What a browser would post back unchanged: the form's shown values."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.disabled or value is None or value is False:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif hasattr(value, "strftime"):
            data[name] = value.strftime("%Y-%m-%dT%H:%M")
        else:
            data[name] = "on" if value is True else str(value)
    return data


def test_settings_open_on_the_first_step_with_the_steps_listed(owner_client, forum):
    response = owner_client.get(url("settings", forum), follow=True)

    assert response.redirect_chain == [(step_url(forum, "basics"), 302)]
    assert [step.slug for step, _url in response.context["steps"]] == [
        "basics",
        "time-and-place",
        "registration",
        "questions",
        "privacy",
    ]
    assert b'aria-current="step"' in response.content


def test_an_unknown_step_is_not_found(owner_client, forum):
    assert owner_client.get(step_url(forum, "colours")).status_code == 404


def test_basics_change_the_title_and_log_it(owner_client, forum):
    form = owner_client.get(step_url(forum, "basics")).context["form"]
    data = current(form) | {"title_en": "Spring Forum 2030"}

    response = owner_client.post(step_url(forum, "basics"), data)

    forum.refresh_from_db()
    assert response.status_code == 302
    assert forum.title == "Spring Forum 2030"
    change = ScheduleChange.objects.get(kind="event_changed")
    assert change.changes == {"title_en": ["Spring Forum", "Spring Forum 2030"]}


def test_basics_keep_a_published_events_address(owner_client, forum):
    form = owner_client.get(step_url(forum, "basics")).context["form"]

    owner_client.post(step_url(forum, "basics"), current(form) | {"slug": "moved"})

    forum.refresh_from_db()
    assert forum.slug == "spring-forum"
    assert form.fields["slug"].disabled is True


def test_basics_refuse_an_address_another_event_has(owner_client, forum):
    draft = EventFactory(status=Event.Status.DRAFT, slug="draft-event")
    EventOrganiserFactory(event=draft, user=forum.organisers.get().user)
    form = owner_client.get(step_url(draft, "basics")).context["form"]

    response = owner_client.post(
        step_url(draft, "basics"), current(form) | {"slug": "spring-forum"}
    )

    assert response.status_code == 200
    assert "slug" in response.context["form"].errors


def test_a_draft_is_published_from_the_basics(owner_client, forum):
    Event.objects.filter(pk=forum.pk).update(status=Event.Status.DRAFT)

    owner_client.post(step_url(forum, "basics"), {"action": "publish"})

    forum.refresh_from_db()
    assert forum.status == Event.Status.PUBLISHED


def test_time_and_place_read_times_on_the_event_clocks(owner_client, forum):
    form = owner_client.get(step_url(forum, "time-and-place")).context["form"]
    assert form["starts_at"].value() == helsinki(2030, 5, 6, 9, 0).replace(tzinfo=None)
    data = current(form) | {"ends_at": "2030-05-08T18:30"}

    owner_client.post(step_url(forum, "time-and-place"), data)

    forum.refresh_from_db()
    assert forum.ends_at == helsinki(2030, 5, 8, 18, 30)


def test_time_and_place_read_times_in_a_newly_chosen_zone(owner_client, forum):
    form = owner_client.get(step_url(forum, "time-and-place")).context["form"]
    data = current(form) | {"timezone": "Europe/Stockholm"}

    owner_client.post(step_url(forum, "time-and-place"), data)

    forum.refresh_from_db()
    stockholm = forum.tzinfo
    assert forum.timezone == "Europe/Stockholm"
    assert forum.starts_at.astimezone(stockholm).strftime("%H:%M") == "09:00"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "2030-05-05T09:00"}, "ends_at"),
        ({"starts_at": "yesterday"}, "starts_at"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
    ],
)
def test_time_and_place_explain_bad_input(owner_client, forum, changes, field):
    form = owner_client.get(step_url(forum, "time-and-place")).context["form"]

    response = owner_client.post(
        step_url(forum, "time-and-place"), current(form) | changes
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    forum.refresh_from_db()
    assert forum.ends_at == helsinki(2030, 5, 8, 17, 0)


def test_time_and_place_offer_the_venues_the_person_sees(owner_client, forum):
    VenueFactory(name="New building")
    EventFactory(venue=VenueFactory(name="Someone else's hall"))

    form = owner_client.get(step_url(forum, "time-and-place")).context["form"]

    assert sorted(v.name for v in form.fields["venue"].queryset) == [
        "Dipoli",
        "New building",
    ]


def test_registration_rules_promote_when_the_capacity_grows(owner_client, forum):
    Event.objects.filter(pk=forum.pk).update(capacity=1)
    forum.refresh_from_db()
    RegistrationFactory(event=forum)
    waiting = RegistrationFactory(event=forum, status=Registration.Status.WAITLISTED)
    form = owner_client.get(step_url(forum, "registration")).context["form"]

    owner_client.post(
        step_url(forum, "registration"), current(form) | {"capacity": "2"}
    )

    waiting.refresh_from_db()
    forum.refresh_from_db()
    assert (forum.capacity, waiting.status) == (2, Registration.Status.CONFIRMED)


def test_registration_rules_refuse_closing_before_opening(owner_client, forum):
    form = owner_client.get(step_url(forum, "registration")).context["form"]
    data = current(form) | {
        "registration_opens_at": "2030-03-01T12:00",
        "registration_closes_at": "2030-02-01T12:00",
    }

    response = owner_client.post(step_url(forum, "registration"), data)

    assert response.context["form"].errors == {
        "registration_closes_at": ["Registration must close after it opens."]
    }


def test_privacy_step_saves_the_notice(owner_client, forum):
    form = owner_client.get(step_url(forum, "privacy")).context["form"]

    owner_client.post(
        step_url(forum, "privacy"),
        current(form) | {"privacy_notice": "We keep your data for a year."},
    )

    forum.refresh_from_db()
    assert forum.privacy_notice == "We keep your data for a year."


def test_saving_nothing_changed_writes_nothing(owner_client, forum):
    form = owner_client.get(step_url(forum, "privacy")).context["form"]

    response = owner_client.post(step_url(forum, "privacy"), current(form), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Nothing changed."]
    assert ScheduleChange.objects.count() == 0


def test_editors_may_not_change_settings(client, forum):
    signed_in(client, forum, Role.EDITOR)

    assert client.get(step_url(forum, "basics")).status_code == 403
    assert client.post(step_url(forum, "basics"), {"title": "X"}).status_code == 403


# --- registration types and questions -----------------------------------------------


def test_registration_types_are_added_changed_and_deleted(owner_client, forum):
    owner_client.post(
        url("settings_types_new", forum),
        {
            "name_en": "Participant",
            "quota": "300",
            "sale_ends_at": "2030-04-30T23:59",
            "position": "1",
        },
    )
    participant = RegistrationType.objects.get(event=forum)
    refused = owner_client.post(
        url("settings_types_new", forum), {"name_en": "Participant", "position": "2"}
    )
    owner_client.post(
        url("settings_types_edit", forum, participant.pk),
        {"name_en": "Delegate", "quota": "", "position": "1"},
    )

    participant.refresh_from_db()
    assert (participant.name, participant.quota) == ("Delegate", None)
    assert refused.status_code == 200
    assert refused.context["form"].errors  # the name is taken
    RegistrationFactory(event=forum, registration_type=participant)
    response = owner_client.post(
        url("settings_types_delete", forum, participant.pk), follow=True
    )
    assert "cannot be deleted" in str(list(response.context["messages"])[-1])
    assert RegistrationType.objects.count() == 1


def test_a_type_quota_that_grows_promotes(owner_client, forum):
    participant = RegistrationTypeFactory(event=forum, quota=1)
    RegistrationFactory(event=forum, registration_type=participant)
    waiting = RegistrationFactory(
        event=forum,
        registration_type=participant,
        status=Registration.Status.WAITLISTED,
    )

    owner_client.post(
        url("settings_types_edit", forum, participant.pk),
        {"name_en": participant.name, "quota": "2", "position": "0"},
    )

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_type_sale_window_must_end_after_it_starts(owner_client, forum):
    response = owner_client.post(
        url("settings_types_new", forum),
        {
            "name_en": "Early bird",
            "sale_starts_at": "2030-03-01T00:00",
            "sale_ends_at": "2030-02-01T00:00",
            "position": "0",
        },
    )

    assert response.context["form"].errors == {
        "sale_ends_at": ["The end must come after the start."]
    }


def test_questions_are_added_changed_and_deleted(owner_client, forum):
    delegate = RegistrationTypeFactory(event=forum, name="Delegate")
    no_choices = owner_client.post(
        url("settings_questions_new", forum),
        {"label_en": "Lunch", "kind": "single_choice", "position": "1"},
    )
    owner_client.post(
        url("settings_questions_new", forum),
        {
            "label_en": "Lunch",
            "kind": "single_choice",
            "choices_text_en": "Fish\nVegetarian\nFish\n",
            "registration_types": [delegate.pk],
            "position": "1",
        },
    )
    lunch = Question.objects.get(event=forum)
    owner_client.post(
        url("settings_questions_edit", forum, lunch.pk),
        {"label_en": "Lunch on day 1", "kind": "short_text", "position": "1"},
    )
    owner_client.post(url("settings_questions_delete", forum, lunch.pk))

    assert no_choices.context["form"].errors == {
        "choices_text_en": ["Give at least one choice."]
    }
    assert Question.objects.count() == 0


def test_a_question_keeps_its_choices_and_types(owner_client, forum):
    delegate = RegistrationTypeFactory(event=forum, name="Delegate")

    owner_client.post(
        url("settings_questions_new", forum),
        {
            "label_en": "Lunch",
            "kind": "single_choice",
            "choices_text_en": "Fish\nVegetarian\nFish\n",
            "registration_types": [delegate.pk],
            "position": "1",
            "required": "on",
        },
    )

    lunch = Question.objects.get(event=forum)
    assert (lunch.choices, lunch.required) == (["Fish", "Vegetarian"], True)
    assert list(lunch.registration_types.all()) == [delegate]


def test_questions_step_lists_the_questions(owner_client, forum):
    create_default_questions(forum)

    response = owner_client.get(step_url(forum, "questions"))

    assert [q.key for q in response.context["questions"]] == [
        "organisation",
        "country",
        "dietary",
        "accessibility",
        "participant_list_consent",
    ]


def test_preview_shows_the_registration_form_disabled(owner_client, forum):
    QuestionFactory(event=forum, label="Your <b>organisation</b>", required=True)
    RegistrationTypeFactory(event=forum, name="Delegate")
    RegistrationTypeFactory(event=forum, name="Student")
    RegistrationTypeFactory(event=forum, name="VIP", invitation_only=True)
    Event.objects.filter(pk=forum.pk).update(privacy_notice="We keep data.")

    response = owner_client.get(url("settings_preview", forum))

    form = response.context["form"]
    assert [label for _pk, label in form.fields["registration_type"].choices] == [
        "Delegate",
        "Student",
    ]
    assert all(field.disabled for field in form.fields.values())
    body = response.content.decode()
    assert "Your &lt;b&gt;organisation&lt;/b&gt;" in body
    assert "We keep data." in body
    assert 'type="submit"' not in body.split('class="preview"')[1]


# --- creating and copying events ----------------------------------------------------


def new_event_data(**changes):
    data = {
        "title": "Autumn Seminar",
        "slug": "autumn-seminar",
        "timezone": "Europe/Helsinki",
        "starts_at": "2030-10-01T09:00",
        "ends_at": "2030-10-01T16:00",
    }
    data.update(changes)
    return data


def test_an_owner_creates_an_event_and_owns_it(owner_client, owner, forum):
    response = owner_client.post(reverse("organise:new_event"), new_event_data())

    event = Event.objects.get(slug="autumn-seminar")
    assert response.url == reverse("organise:home", args=["autumn-seminar"])
    assert (event.status, event.starts_at) == (
        Event.Status.DRAFT,
        helsinki(2030, 10, 1, 9, 0),
    )
    assert list(event.organisers.values_list("user", "role")) == [
        (owner.pk, EventOrganiser.Role.OWNER)
    ]
    assert event.questions.count() == 5  # the built-in questions


def test_an_owner_copies_last_years_event(owner_client, forum):
    Event.objects.filter(pk=forum.pk).update(
        registration_closes_at=helsinki(2030, 4, 25, 23, 59)
    )
    delegate = RegistrationTypeFactory(
        event=forum, name="Delegate", sale_ends_at=helsinki(2030, 4, 20, 12, 0)
    )
    lunch = QuestionFactory(event=forum, label="Lunch", kind="single_choice")
    lunch.choices = ["Fish", "Vegetarian"]
    lunch.save()
    lunch.registration_types.set([delegate])

    response = owner_client.post(
        reverse("organise:new_event"),
        {
            "copy_from": forum.pk,
            "title": "Spring Forum 2031",
            "slug": "spring-forum-2031",
            "timezone": "UTC",  # a copy keeps its source's zone
            "starts_at": "2031-05-05T09:00",
        },
    )

    assert response.status_code == 302
    copy = Event.objects.get(slug="spring-forum-2031")
    local = copy.ends_at.astimezone(HELSINKI)
    assert (copy.starts_at, local.date().isoformat(), local.strftime("%H:%M")) == (
        helsinki(2031, 5, 5, 9, 0),
        "2031-05-07",
        "17:00",
    )
    assert copy.registration_closes_at == helsinki(2031, 4, 24, 23, 59)
    [copied_type] = copy.registration_types.all()
    assert copied_type.sale_ends_at == helsinki(2031, 4, 19, 12, 0)
    [copied_question] = copy.questions.all()
    assert copied_question.choices == ["Fish", "Vegetarian"]
    assert list(copied_question.registration_types.all()) == [copied_type]


def test_the_copy_form_starts_from_the_event_named(owner_client, forum):
    response = owner_client.get(reverse("organise:new_event"), {"from": forum.slug})

    assert response.context["form"]["copy_from"].value() == forum.pk


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"slug": "spring-forum"}, "slug", "Another event has this address."),
        ({"slug": "new"}, "slug", "This address is reserved"),
        ({"slug": "not a slug"}, "slug", "Enter a valid “slug”"),
        ({"ends_at": "2030-09-30T09:00"}, "ends_at", "must end after it starts"),
        ({"ends_at": ""}, "ends_at", "Give the end of a new event."),
        ({"starts_at": "soon"}, "starts_at", "Enter a valid date/time."),
        ({"copy_from": "999"}, "copy_from", "Select a valid choice."),
    ],
)
def test_new_event_form_explains_bad_input(
    owner_client, forum, changes, field, message
):
    response = owner_client.post(
        reverse("organise:new_event"), new_event_data(**changes)
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Event.objects.count() == 1


def test_only_events_one_owns_can_be_copied(client, forum):
    mine = EventFactory(title="Mine")
    person = EventOrganiserFactory(event=mine, role=Role.OWNER).user
    EventOrganiserFactory(event=forum, user=person, role=Role.EDITOR)
    client.force_login(person)

    form = client.get(reverse("organise:new_event")).context["form"]

    assert list(form.fields["copy_from"].queryset) == [mine]


def test_people_who_own_no_event_may_not_create_one(client, forum):
    signed_in(client, forum, Role.EDITOR)

    assert client.get(reverse("organise:new_event")).status_code == 403
    assert (
        client.post(reverse("organise:new_event"), new_event_data()).status_code == 403
    )


def test_the_index_offers_a_new_event_to_owners_only(client, forum):
    signed_in(client, forum, Role.EDITOR)
    editor_page = client.get(reverse("organise:index"))
    signed_in(client, forum, Role.OWNER)
    owner_page = client.get(reverse("organise:index"))

    link = reverse("organise:new_event").encode()
    assert (link in editor_page.content, link in owner_page.content) == (False, True)


def test_times_are_read_on_the_new_events_clocks(owner_client, forum):
    owner_client.post(
        reverse("organise:new_event"),
        new_event_data(timezone="America/New_York"),
    )

    event = Event.objects.get(slug="autumn-seminar")
    assert event.starts_at.astimezone(timezone.UTC).hour == 13  # 09:00 EDT
    assert event.ends_at - event.starts_at == timedelta(hours=7)
