import pytest

from meetings.selectors import free_slots, visible_profiles
from meetings.services.requests import request_meeting
from registrations.services.registering import cancel_registration

from .helpers import meeting_event, person, slot

pytestmark = pytest.mark.django_db


def names(profiles):
    return [p.registration.attendee.name for p in profiles]


def test_profiles_visible_only_to_opted_in_people_of_the_same_event():
    event, _block = meeting_event()
    me = person(event, "Me", organisation="Aalto")
    person(event, "Bo", organisation="Uppsala")
    person(event, "Shy", organisation="Oulu", opted_in=False)
    gone = person(event, "Gone", organisation="Tartu")
    cancel_registration(registration=gone.registration)
    other_event, _ = meeting_event()
    person(other_event, "Elsewhere", organisation="Bergen")
    outsider = person(event, "Outsider", opted_in=False)

    assert names(visible_profiles(viewer=me.registration.attendee, event=event)) == [
        "Bo"
    ]
    assert visible_profiles(viewer=outsider.registration.attendee, event=event) == []
    assert visible_profiles(viewer=me.registration.attendee, event=other_event) == []


def test_directory_filters():
    event, _block = meeting_event()
    me = person(event, "Me")
    person(
        event,
        "Bo",
        organisation="Uppsala University",
        country="SE",
        interests=["mobility"],
        partner_organisations=["Aalto University"],
    )
    person(event, "Cai", organisation="Oulu", country="FI", interests=["data"])
    viewer = me.registration.attendee

    def find(**filters):
        return names(visible_profiles(viewer=viewer, event=event, **filters))

    assert find(organisation="uppsala") == ["Bo"]
    assert find(country="fi") == ["Cai"]
    assert find(interest="data") == ["Cai"]
    assert find(partner="aalto") == ["Bo"]


def test_free_slots_leave_out_held_ones():
    event, block = meeting_event(slots=3)
    a, b = person(event), person(event)
    request_meeting(requester=a, recipient=b, block=block, slot_start=slot(block, 1))
    assert free_slots(block, a) == [slot(block, 0), slot(block, 2)]
