"""Limits by registration type: each overrides the event's for its people, an
empty one falls back to the event's, and every refusal names the limit."""

import pytest
from django.urls import reverse

from events.models import EventOrganiser
from meetings.models import TypeLimits
from meetings.services import MeetingError
from meetings.services.accepting import accept
from meetings.services.requests import request_meeting
from meetings.services.setup import save_type_limits
from tests.factories import EventOrganiserFactory, RegistrationTypeFactory

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


def ask(block, a, b, index):
    return request_meeting(
        requester=a, recipient=b, block=block, slot_start=slot(block, index)
    )


@pytest.fixture
def forum():
    event, block = meeting_event(tables=4, slots=4, open_requests_limit=10)
    student = RegistrationTypeFactory(event=event, name="Student")
    staff = RegistrationTypeFactory(event=event, name="Staff")
    RegistrationTypeFactory(event=event, name="Guest")  # everyone else's type
    return event, block, student, staff


def test_a_types_open_request_limit_refuses_naming_the_type(forum):
    event, block, student, staff = forum
    save_type_limits(event=event, limits={student.pk: (1, None)})
    sara = person(event, "Sara", registration_type=student)
    ask(block, sara, person(event), 0)

    with pytest.raises(
        MeetingError,
        match="You already have 1 open request; the limit for Student is 1 open "
        "requests per person. Wait for an answer or withdraw one.",
    ):
        ask(block, sara, person(event), 1)


def test_people_of_another_type_keep_the_events_limit(forum):
    event, block, student, staff = forum
    save_type_limits(event=event, limits={student.pk: (1, None)})
    tom = person(event, "Tom", registration_type=staff)

    sent = [ask(block, tom, person(event), n) for n in range(3)]

    assert len(sent) == 3


def test_a_type_may_allow_more_than_the_event(forum):
    event, block, student, staff = forum
    event.meeting_settings.open_requests_limit = 1
    event.meeting_settings.save()
    save_type_limits(event=event, limits={staff.pk: (3, None)})
    tom = person(event, "Tom", registration_type=staff)
    sara = person(event, "Sara", registration_type=student)
    ask(block, sara, person(event), 0)

    assert len([ask(block, tom, person(event), n) for n in range(3)]) == 3
    with pytest.raises(MeetingError, match="the limit is 1 open requests per person"):
        ask(block, sara, person(event), 1)


def test_a_types_block_limit_refuses_requests_and_accepts_naming_the_type(forum):
    event, block, student, staff = forum
    save_type_limits(event=event, limits={student.pk: (None, 1)})
    sara = person(event, "Sara", registration_type=student)
    tom, uma = person(event, "Tom"), person(event, "Uma")
    pending = ask(block, tom, sara, 1)
    accept(request=ask(block, sara, uma, 0))
    message = (
        "Sara already has 1 meeting in this block; the limit for Student is 1 "
        "meetings per person per block."
    )

    with pytest.raises(MeetingError, match=message):
        ask(block, sara, tom, 2)
    with pytest.raises(MeetingError, match=message):
        accept(request=pending)
    # Tom, a guest (no limit of its own), is held by the event's (none).
    accept(request=ask(block, tom, uma, 2))


def test_the_events_block_limit_applies_where_the_type_sets_none(forum):
    event, block, student, staff = forum
    event.meeting_settings.meetings_per_block_limit = 1
    event.meeting_settings.save()
    save_type_limits(event=event, limits={student.pk: (5, None)})
    sara = person(event, "Sara", registration_type=student)
    accept(request=ask(block, sara, person(event), 0))

    with pytest.raises(
        MeetingError,
        match="the limit is 1 meetings per person per block",
    ):
        ask(block, sara, person(event), 1)


def test_saving_type_limits_checks_and_clears(forum):
    event, block, student, staff = forum
    other = RegistrationTypeFactory()
    with pytest.raises(MeetingError, match="belongs to another event"):
        save_type_limits(event=event, limits={other.pk: (1, 1)})
    with pytest.raises(MeetingError, match="at least one open request"):
        save_type_limits(event=event, limits={student.pk: (0, 1)})

    save_type_limits(event=event, limits={student.pk: (2, 1), staff.pk: (None, 3)})
    assert TypeLimits.objects.count() == 2
    save_type_limits(event=event, limits={student.pk: (None, None)})
    assert list(
        TypeLimits.objects.values_list("registration_type__name", flat=True)
    ) == ["Staff"]


def test_owners_set_type_limits_on_their_page_editors_may_not(client, forum):
    event, block, student, staff = forum
    owner = EventOrganiserFactory(event=event, role=EventOrganiser.Role.OWNER).user
    editor = EventOrganiserFactory(event=event, role=EventOrganiser.Role.EDITOR).user
    url = reverse("organise:meetings_limits", kwargs={"event": event.slug})
    client.force_login(owner)

    page = client.get(url)
    assert page.status_code == 200
    assert "Student: open requests per person" in page.text
    response = client.post(
        url,
        {f"open_{student.pk}": "2", f"block_{student.pk}": "1", f"open_{staff.pk}": ""},
    )
    assert response.status_code == 302
    row = TypeLimits.objects.get()
    assert (row.registration_type, row.open_requests_limit) == (student, 2)
    assert row.meetings_per_block_limit == 1
    bad = client.post(url, {f"open_{student.pk}": "0"})
    assert bad.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in bad.text

    client.force_login(editor)
    assert client.get(url).status_code == 403
