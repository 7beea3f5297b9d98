"""Who belongs to a network: from an answer, by hand, by request."""

import pytest

from meetings.models import Network, NetworkMember
from meetings.services import MeetingError
from meetings.services.network_members import (
    add_member,
    answer_join_request,
    remove_member,
    request_to_join,
    sync_answer_networks,
)
from registrations.services.answers import update_answers
from registrations.services.registering import cancel_registration

from .network_helpers import NETWORKS, network_at, network_event, registrant

pytestmark = pytest.mark.django_db
Status = NetworkMember.Status


def statuses(network):
    return {
        m.registration.attendee.name: (m.source, m.status)
        for m in network.members.select_related("registration__attendee")
    }


def test_answer_makes_members_when_linked_and_when_answered_later(
    django_capture_on_commit_callbacks,
):
    event, question, session = network_event()
    registrant(event, "Aino", {question.pk: [NETWORKS[0]]})
    registrant(event, "Bo", {question.pk: [NETWORKS[1]]})
    network = network_at(event, session, question)

    with django_capture_on_commit_callbacks(execute=True):
        later = registrant(event, "Cai", {question.pk: NETWORKS})

    assert statuses(network) == {
        "Aino": ("answer", "member"),
        "Cai": ("answer", "member"),
    }
    assert later.network_memberships.get().network == network


def test_answer_taken_back_or_registration_cancelled_leaves(
    django_capture_on_commit_callbacks,
):
    event, question, session = network_event()
    aino = registrant(event, "Aino", {question.pk: [NETWORKS[0]]})
    bo = registrant(event, "Bo", {question.pk: [NETWORKS[0]]})
    network = network_at(event, session, question)

    with django_capture_on_commit_callbacks(execute=True):
        update_answers(registration=aino, answers={question.pk: [NETWORKS[1]]})
    # Leaving is in the cancellation's own transaction.
    cancel_registration(registration=bo)

    assert statuses(network) == {
        "Aino": ("answer", "left"),
        "Bo": ("answer", "left"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        update_answers(registration=aino, answers={question.pk: [NETWORKS[0]]})
    assert statuses(network)["Aino"] == ("answer", "member")


def test_removed_member_is_not_brought_back_by_the_answer(
    django_capture_on_commit_callbacks,
):
    event, question, session = network_event()
    aino = registrant(event, "Aino", {question.pk: [NETWORKS[0]]})
    network = network_at(event, session, question)

    remove_member(member=network.members.get())
    with django_capture_on_commit_callbacks(execute=True):
        update_answers(registration=aino, answers={question.pk: NETWORKS})

    assert statuses(network) == {"Aino": ("answer", "removed")}


def test_organiser_adds_by_hand_only_a_confirmed_participant_of_the_event():
    event, _question, session = network_event()
    network = network_at(event, session)
    aino = registrant(event, "Aino")
    other_event, _q, _s = network_event()
    stranger = registrant(other_event, "Stranger")

    add_member(network=network, registration=aino)

    assert statuses(network) == {"Aino": ("hand", "member")}
    with pytest.raises(MeetingError, match="another event"):
        add_member(network=network, registration=stranger)


def test_request_to_join_approved_and_declined():
    event, _question, session = network_event()
    network = network_at(event, session, join_policy=Network.JoinPolicy.REQUEST)
    aino, bo = registrant(event, "Aino"), registrant(event, "Bo")

    asked_a = request_to_join(network=network, registration=aino)
    asked_b = request_to_join(network=network, registration=bo)
    assert (asked_a.status, asked_b.status) == (Status.REQUESTED, Status.REQUESTED)
    answer_join_request(member=asked_a, approve=True)
    answer_join_request(member=asked_b, approve=False)

    assert statuses(network) == {
        "Aino": ("request", "member"),
        "Bo": ("request", "declined"),
    }
    with pytest.raises(MeetingError, match="decided"):
        request_to_join(network=network, registration=bo)
    with pytest.raises(MeetingError, match="answered already"):
        answer_join_request(member=asked_a, approve=False)


def test_open_network_joins_at_once_and_closed_refuses():
    event, _question, session = network_event()
    open_network = network_at(
        event, session, name="Open", join_policy=Network.JoinPolicy.OPEN
    )
    closed = network_at(event, session, name="Closed")
    aino = registrant(event, "Aino")

    assert request_to_join(network=open_network, registration=aino).status == (
        Status.MEMBER
    )
    with pytest.raises(MeetingError, match="does not take requests"):
        request_to_join(network=closed, registration=aino)


def test_a_join_lost_after_the_commit_is_made_up_by_the_periodic_sync(
    django_capture_on_commit_callbacks,
):
    event, question, session = network_event()
    network = network_at(event, session, question)
    # The process dies between the registration's commit and its after-commit
    # join: the callbacks are captured and never run.
    with django_capture_on_commit_callbacks(execute=False):
        registrant(event, "Cai", {question.pk: [NETWORKS[0]]})
    assert statuses(network) == {}

    assert sync_answer_networks() == 1

    assert statuses(network) == {"Cai": ("answer", "member")}
    assert sync_answer_networks() == 1  # once more: nothing changes
    assert statuses(network) == {"Cai": ("answer", "member")}


def test_the_periodic_sync_leaves_events_that_are_over_alone(
    django_capture_on_commit_callbacks,
):
    event, question, session = network_event()
    network_at(event, session, question)

    assert sync_answer_networks(now=event.ends_at) == 0
