"""Arranging networks: an event with a network question, a meeting room and session."""

from events.models import Session
from meetings.services.networks import save_network
from registrations.models import PersonalCalendar, Question
from registrations.services.registering import register_attendee
from tests.events.icalcheck import entries_by_uid, parse
from tests.factories import (
    EventFactory,
    QuestionFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
)

NETWORKS = ["Mobility coordinators", "Partnership officers"]


def network_event():
    """An event with a venue, a network question and a network-meeting session."""
    event = EventFactory(venue=VenueFactory())
    question = QuestionFactory(
        event=event,
        label="Which networks do you belong to?",
        kind=Question.Kind.MULTIPLE_CHOICE,
        choices=NETWORKS,
    )
    room = RoomFactory(venue=event.venue, name="Sali 1", capacity=2)
    session = SessionFactory(
        event=event, kind=Session.Kind.NETWORK_MEETING, room=room, title="Networks"
    )
    return event, question, session


def network_at(event, session=None, question=None, choice=NETWORKS[0], **fields):
    return save_network(
        event=event,
        name=fields.pop("name", choice),
        session=session,
        question=question,
        choice=choice if question else "",
        **fields,
    )


def registrant(event, name="", answers=None):
    return register_attendee(
        event=event, attendee=UserFactory(name=name), answers=answers or {}
    )


def feed_entry(client, member, network):
    """The network's entry in the member's personal feed (None: not there)."""
    user = member.registration.attendee
    calendar, _created = PersonalCalendar.objects.get_or_create(user=user)
    response = client.get(f"/calendar/{calendar.token}.ics")
    assert response.status_code == 200
    return entries_by_uid(parse(response.content)).get(
        f"network-{network.uuid}@testserver"
    )
