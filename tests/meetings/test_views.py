"""The participant pages: profile, directory, requests and answers over HTTP."""

import pytest
from django.urls import reverse
from django.utils import translation

from events import times
from meetings.forms import slot_value
from meetings.models import Meeting, MeetingFact, MeetingRequest, Profile
from meetings.services.accepting import accept
from meetings.services.requests import request_meeting
from notifications.models import Message
from notifications.services.meeting_news import compose_meeting_facts
from registrations.services.registering import register_attendee
from tests.factories import EventFactory, UserFactory

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


def login(client, profile):
    client.force_login(profile.registration.attendee)
    return client


def url(name, event, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"slug": event.slug, **kwargs})


def errors(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_profile_opts_in_with_interests_partners_and_unavailable_slots(client):
    event, block = meeting_event(slots=3)
    event.meeting_settings.interest_choices = "Mobility\nDigital exchange"
    event.meeting_settings.save()
    user = UserFactory(name="Aino")
    register_attendee(event=event, attendee=user)
    client.force_login(user)

    response = client.post(
        url("profile", event),
        {
            "opted_in": "on",
            "organisation": "University of Turku",
            "role": "Mobility coordinator",
            "country": "fi",
            "interests": ["Mobility"],
            "text": "Erasmus+ partnerships",
            "partners": "Uppsala University\nTartu Ülikool",
            "unavailable": [slot_value(block, slot(block, 1))],
        },
    )

    assert response.status_code == 302
    profile = Profile.objects.get(registration__attendee=user)
    assert (
        profile.opted_in,
        profile.country,
        profile.interests,
        profile.partner_organisations,
        list(profile.unavailable.values_list("slot_start", flat=True)),
    ) == (
        True,
        "FI",
        ["Mobility"],
        ["Uppsala University", "Tartu Ülikool"],
        [slot(block, 1)],
    )


def test_profile_refuses_an_interest_not_on_the_list(client):
    event, _block = meeting_event()
    user = UserFactory()
    register_attendee(event=event, attendee=user)
    client.force_login(user)

    response = client.post(
        url("profile", event), {"organisation": "X", "interests": ["Golf"]}
    )

    assert response.status_code == 200
    assert "interests" in response.context["form"].errors


def test_directory_only_for_opted_in_participants_of_the_same_event(client):
    event, _block = meeting_event()
    aino = person(event, "Aino", organisation="Turku", country="FI")
    person(event, "Bo", organisation="Uppsala", country="SE")
    hidden = person(event, "Hidden", opted_in=False)
    elsewhere_event, _other_block = meeting_event()
    stranger = person(elsewhere_event, "Stranger")

    seen = login(client, aino).get(url("directory", event))
    assert [p.registration.attendee.name for p in seen.context["people"]] == ["Bo"]
    assert b"Hidden" not in seen.content

    not_opted = login(client, hidden).get(url("directory", event))
    assert not_opted.status_code == 302
    assert not_opted.url == url("profile", event)

    other_event = login(client, stranger).get(url("directory", event))
    assert other_event.status_code == 403
    assert b"Bo" not in other_event.content

    client.logout()
    assert client.get(url("directory", event)).status_code == 302  # sign in


def test_directory_filters_by_country_interest_and_partner(client):
    event, _block = meeting_event()
    event.meeting_settings.interest_choices = "Mobility\nResearch"
    event.meeting_settings.save()
    aino = person(event, "Aino")
    person(event, "Bo", country="SE", interests=["Mobility"])
    person(event, "Cai", country="SE", partner_organisations=["Tartu Ülikool"])
    person(event, "Dan", country="EE", interests=["Research"])
    login(client, aino)

    def names(**query):
        response = client.get(url("directory", event), query)
        return [p.registration.attendee.name for p in response.context["people"]]

    assert names(country="se") == ["Bo", "Cai"]
    assert names(interest="Research") == ["Dan"]
    assert names(partner="tartu") == ["Cai"]


def test_request_page_sends_a_request_and_refuses_a_long_message(client):
    event, block = meeting_event(slots=3)
    aino, bo = person(event, "Aino"), person(event, "Bo")
    login(client, aino)
    ask = url("request", event, profile_id=bo.pk)

    too_long = client.post(
        ask, {"slot": slot_value(block, slot(block, 0)), "message": "x" * 301}
    )
    sent = client.post(
        ask, {"slot": slot_value(block, slot(block, 0)), "message": "Hello"}
    )

    assert too_long.status_code == 200
    assert too_long.context["form"].errors["message"]
    assert sent.status_code == 302
    request = MeetingRequest.objects.get()
    assert (request.requester, request.recipient, request.message) == (
        aino,
        bo,
        "Hello",
    )


def test_request_refusal_from_the_service_is_a_form_error(client):
    event, block = meeting_event(slots=2, open_requests_limit=1)
    aino, bo, cai = person(event, "Aino"), person(event, "Bo"), person(event, "Cai")
    request_meeting(
        requester=aino, recipient=cai, block=block, slot_start=slot(block, 0)
    )

    response = login(client, aino).post(
        url("request", event, profile_id=bo.pk),
        {"slot": slot_value(block, slot(block, 1))},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "You already have 1 open request; the limit is 1 open requests per person. "
        "Wait for an answer or withdraw one."
    ]


def test_request_page_for_someone_not_opted_in_is_404(client):
    event, _block = meeting_event()
    aino = person(event, "Aino")
    hidden = person(event, "Hidden", opted_in=False)

    response = login(client, aino).get(url("request", event, profile_id=hidden.pk))

    assert response.status_code == 404


def test_accept_from_the_hub_books_a_table(client):
    event, block = meeting_event(slots=2)
    aino, bo = person(event, "Aino"), person(event, "Bo")
    asked = request_meeting(
        requester=aino, recipient=bo, block=block, slot_start=slot(block, 0)
    )
    login(client, bo)
    hub = client.get(url("hub", event))
    assert [r.pk for r, _choices in hub.context["received"]] == [asked.pk]

    response = client.post(
        url("answer", event, request_id=asked.pk), {"action": "accept"}, follow=True
    )

    meeting = Meeting.objects.get()
    assert meeting.table.name == "T01"
    assert errors(response) == ["Meeting confirmed at table T01."]
    assert b"Table T01" in response.content


def test_accept_without_a_free_table_says_so(client):
    event, block = meeting_event(slots=2, tables=1)
    aino, bo, cai, dan = (person(event, n) for n in ("Aino", "Bo", "Cai", "Dan"))
    accept(
        request=request_meeting(
            requester=cai, recipient=dan, block=block, slot_start=slot(block, 0)
        )
    )
    asked = request_meeting(
        requester=aino, recipient=bo, block=block, slot_start=slot(block, 0)
    )

    response = login(client, bo).post(
        url("answer", event, request_id=asked.pk), {"action": "accept"}, follow=True
    )

    assert response.status_code == 200
    assert len(errors(response)) == 1
    assert errors(response)[0].startswith("No table is free at ")
    assert MeetingRequest.objects.get(pk=asked.pk).status == "pending"


def test_decline_counter_withdraw_and_cancel_from_the_pages(client):
    event, block = meeting_event(slots=3)
    aino, bo = person(event, "Aino"), person(event, "Bo")

    def ask(index):
        return request_meeting(
            requester=aino, recipient=bo, block=block, slot_start=slot(block, index)
        )

    first, second = ask(0), ask(1)
    login(client, bo)
    answer = url("answer", event, request_id=first.pk)
    client.post(answer, {"action": "decline", "reason": "Busy"})
    client.post(
        url("answer", event, request_id=second.pk),
        {"action": "counter", "slot": slot_value(block, slot(block, 2))},
    )
    proposal = MeetingRequest.objects.get(replaces=second)
    login(client, aino)
    meeting = accept(request=proposal)
    client.post(url("cancel", event, meeting_uuid=meeting.uuid))
    third = ask(0)
    client.post(url("withdraw", event, request_id=third.pk))

    statuses = MeetingRequest.objects.order_by("pk").values_list("status", "reason")
    assert list(statuses) == [
        ("declined", "Busy"),
        ("countered", ""),
        ("cancelled", ""),
        ("cancelled", ""),
    ]
    assert Meeting.objects.get().status == "cancelled"


def test_pages_404_when_meetings_are_off(client):
    event = EventFactory()
    user = UserFactory()
    register_attendee(event=event, attendee=user)
    client.force_login(user)

    assert client.get(url("hub", event)).status_code == 404


@pytest.mark.parametrize("others", [1, 3])
def test_directory_reads_a_fixed_number_of_queries(
    client, django_assert_num_queries, others
):
    event, _block = meeting_event()
    aino = person(event, "Aino")
    for n in range(others):
        person(event, f"Person {n}", organisation="Uni", interests=[])
    login(client, aino)

    # The same count for one person as for three: the rows come in one query.
    with django_assert_num_queries(8):
        response = client.get(url("directory", event))

    assert len(response.context["people"]) == others


def test_the_hub_and_the_meeting_news_write_times_in_the_readers_language(
    client, django_capture_on_commit_callbacks
):
    event, block = meeting_event(slots=2)
    aino, bo = person(event, "Aino"), person(event, "Bo")
    type(bo.registration.attendee).objects.filter(
        pk=bo.registration.attendee_id
    ).update(preferred_language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        asked = request_meeting(
            requester=aino, recipient=bo, block=block, slot_start=slot(block, 0)
        )
    with translation.override("fi"):
        finnish = times.show_day_time(asked.slot_start, event)
    with translation.override("sv"):
        swedish = times.show_datetime(asked.slot_start, event)  # with the year
    login(client, bo)

    hub = client.get(url("hub", event), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    compose_meeting_facts(MeetingFact.objects.values_list("pk", flat=True))

    assert finnish.startswith(("ma ", "ti ", "ke ", "to ", "pe ", "la ", "su "))
    assert f"{finnish}</time>" in hub
    [news] = Message.objects.filter(
        kind="meeting_news", recipient=bo.registration.attendee
    )
    assert swedish in news.body_text
    assert swedish in news.body_html


def test_a_slot_taken_since_the_form_was_shown_is_refused_with_the_reason(client):
    event, block = meeting_event(slots=2)
    aino, bo, cai = person(event, "Aino"), person(event, "Bo"), person(event, "Cai")
    client.force_login(aino.registration.attendee)
    url = reverse("meetings:request", kwargs={"slug": event.slug, "profile_id": bo.pk})
    shown = client.get(url).text
    taken = slot_value(block, slot(block, 0))
    assert taken in shown
    request_meeting(requester=cai, recipient=bo, block=block, slot_start=slot(block, 0))

    response = client.post(url, {"slot": taken, "message": ""})

    assert response.status_code == 200
    assert "Bo already has a meeting or request at" in response.text
    assert taken not in response.text.split("<select", 1)[1].split("</select>")[0]


def test_a_refused_request_says_why_even_when_no_common_slot_is_left(client):
    event, block = meeting_event(slots=1)
    aino, bo, cai = person(event, "Aino"), person(event, "Bo"), person(event, "Cai")
    client.force_login(aino.registration.attendee)
    url = reverse("meetings:request", kwargs={"slug": event.slug, "profile_id": bo.pk})
    request_meeting(requester=cai, recipient=bo, block=block, slot_start=slot(block, 0))

    response = client.post(url, {"slot": slot_value(block, slot(block, 0))})

    assert "Bo already has a meeting or request at" in response.text
    assert "You have no free meeting slot in common." in response.text
