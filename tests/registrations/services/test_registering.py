from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from registrations.models import Activity, Answer, Registration, SessionSeat
from registrations.services import RegistrationError
from registrations.services.answers import update_answers
from registrations.services.registering import cancel_registration, register_attendee
from tests.factories import (
    EventFactory,
    InvitationFactory,
    QuestionFactory,
    RegistrationTypeFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def verbs(registration):
    return list(registration.activities.order_by("pk").values_list("verb", flat=True))


def test_register_confirms_while_places_remain_then_waitlists_with_positions():
    event = EventFactory(capacity=2)
    people = [UserFactory() for _ in range(4)]

    outcomes = [register_attendee(event=event, attendee=p) for p in people]

    assert [r.status for r in outcomes] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert [
        a.details.get("position") for a in Activity.objects.filter(verb="waitlisted")
    ] == [1, 2]


def test_register_is_idempotent_for_a_live_registration():
    event = EventFactory()
    person = UserFactory()

    first = register_attendee(event=event, attendee=person)
    again = register_attendee(event=event, attendee=person)

    assert again.pk == first.pk
    assert Registration.objects.filter(event=event).count() == 1
    assert Activity.objects.filter(registration=first).count() == 1


@pytest.mark.parametrize(
    "limits",
    [
        {"capacity": 1, "waitlist_enabled": False},  # full: the repeat is not refused
        {"capacity": 1, "waitlist_enabled": True},  # full: not waitlisted twice
        {"approval_required": True},
    ],
)
def test_a_repeat_returns_the_live_registration_whatever_the_limits(limits):
    event = EventFactory(**limits)
    person = UserFactory()

    first = register_attendee(event=event, attendee=person)
    again = register_attendee(event=event, attendee=person)

    assert again.pk == first.pk and again.status == first.status
    assert Registration.objects.filter(event=event).count() == 1
    assert Activity.objects.filter(event=event).count() == 1


def test_register_refuses_before_window_opens_and_after_it_closes():
    soon = EventFactory(registration_opens_at=timezone.now() + timedelta(days=1))
    closed = EventFactory(
        registration_opens_at=timezone.now() - timedelta(days=3),
        registration_closes_at=timezone.now() - timedelta(days=1),
    )

    with pytest.raises(RegistrationError, match="Registration opens on"):
        register_attendee(event=soon, attendee=UserFactory())
    with pytest.raises(RegistrationError, match="has closed"):
        register_attendee(event=closed, attendee=UserFactory())
    assert Registration.objects.count() == 0


def test_register_refuses_draft_and_cancelled_events():
    with pytest.raises(RegistrationError, match="not open"):
        register_attendee(
            event=EventFactory(status=Event.Status.DRAFT), attendee=UserFactory()
        )
    with pytest.raises(RegistrationError, match="cancelled"):
        register_attendee(
            event=EventFactory(status=Event.Status.CANCELLED), attendee=UserFactory()
        )


def test_full_event_without_waitlist_refuses():
    event = EventFactory(capacity=1, waitlist_enabled=False)
    register_attendee(event=event, attendee=UserFactory())

    with pytest.raises(RegistrationError, match="full"):
        register_attendee(event=event, attendee=UserFactory())
    assert Registration.objects.filter(event=event).count() == 1


def test_approval_required_puts_registration_awaiting():
    event = EventFactory(approval_required=True)

    registration = register_attendee(event=event, attendee=UserFactory())

    assert registration.status == Registration.Status.AWAITING_APPROVAL
    assert verbs(registration) == ["awaiting_approval"]


def test_type_quota_waitlists_when_the_type_is_full():
    event = EventFactory(capacity=10)
    presenter = RegistrationTypeFactory(event=event, name="Presenter", quota=1)
    RegistrationTypeFactory(event=event, name="Participant")

    first = register_attendee(
        event=event, attendee=UserFactory(), registration_type=presenter
    )
    second = register_attendee(
        event=event, attendee=UserFactory(), registration_type=presenter
    )

    assert (first.status, second.status) == ("confirmed", "waitlisted")


def test_several_types_require_a_choice_and_a_single_type_is_implied():
    event = EventFactory()
    only = RegistrationTypeFactory(event=event)
    assert (
        register_attendee(event=event, attendee=UserFactory()).registration_type == only
    )

    RegistrationTypeFactory(event=event)
    with pytest.raises(RegistrationError, match="Choose a registration type"):
        register_attendee(event=event, attendee=UserFactory())


def test_type_outside_its_sale_window_is_refused():
    event = EventFactory()
    late = RegistrationTypeFactory(
        event=event, sale_starts_at=timezone.now() + timedelta(days=2)
    )
    with pytest.raises(RegistrationError, match="not available now"):
        register_attendee(event=event, attendee=UserFactory(), registration_type=late)


def test_invitation_only_event_refuses_without_invitation_and_accepts_with_one():
    invitation = InvitationFactory(email="rector@kth.se")
    event = invitation.event
    rector = UserFactory(email="rector@kth.se")

    with pytest.raises(RegistrationError, match="by invitation only"):
        register_attendee(event=event, attendee=UserFactory())
    registration = register_attendee(
        event=event, attendee=rector, invitation=invitation
    )

    invitation.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert invitation.status == "accepted"
    assert invitation.registration == registration
    assert verbs(registration) == ["confirmed", "invitation_accepted"]


def test_invitation_is_bound_to_its_email():
    invitation = InvitationFactory(email="rector@kth.se")

    with pytest.raises(RegistrationError, match="another email"):
        register_attendee(
            event=invitation.event, attendee=UserFactory(), invitation=invitation
        )


def test_reserved_invitation_places_count_as_taken():
    event = EventFactory(capacity=1, visibility=Event.Visibility.PUBLIC)
    InvitationFactory(event=event, reserves_seat=True)

    registration = register_attendee(event=event, attendee=UserFactory())

    assert registration.status == Registration.Status.WAITLISTED


def test_privacy_notice_must_be_accepted_and_is_recorded():
    event = EventFactory(privacy_notice="We keep your data for 6 months.")
    with pytest.raises(RegistrationError, match="privacy notice"):
        register_attendee(event=event, attendee=UserFactory())

    registration = register_attendee(
        event=event, attendee=UserFactory(), privacy_accepted=True
    )
    assert registration.privacy_notice_accepted == "We keep your data for 6 months."
    assert registration.privacy_accepted_at is not None


def test_answers_are_stored_and_foreign_questions_refused():
    event = EventFactory()
    question = QuestionFactory(event=event, label="Organisation")
    foreign = QuestionFactory()

    with pytest.raises(RegistrationError, match="another event"):
        register_attendee(
            event=event, attendee=UserFactory(), answers={foreign.pk: "x"}
        )
    registration = register_attendee(
        event=event, attendee=UserFactory(), answers={question.pk: "Aalto"}
    )

    assert list(Answer.objects.values_list("question__label", "value")) == [
        ("Organisation", "Aalto")
    ]
    assert registration.answers.count() == 1


def test_update_answers_records_changed_labels_and_respects_deadline():
    event = EventFactory()
    question = QuestionFactory(event=event, label="Diet")
    registration = register_attendee(
        event=event, attendee=UserFactory(), answers={question: "none"}
    )

    assert update_answers(registration=registration, answers={question: "vegan"}) == [
        "Diet"
    ]
    assert update_answers(registration=registration, answers={question: "vegan"}) == []
    assert Activity.objects.get(verb="answers_changed").details == {
        "questions": ["Diet"]
    }

    Event.objects.filter(pk=event.pk).update(
        modification_deadline=timezone.now() - timedelta(hours=1)
    )
    registration.event.refresh_from_db()
    with pytest.raises(RegistrationError, match="deadline"):
        update_answers(registration=registration, answers={question: "fish"})


def test_sessions_chosen_at_registration_get_seats_listed_in_the_activity():
    event = EventFactory()
    workshop = SessionFactory(event=event, signup_required=True, capacity=1, title="W1")

    registration = register_attendee(
        event=event, attendee=UserFactory(), session_ids=[workshop.pk]
    )

    assert list(registration.seats.values_list("session__title", "status")) == [
        ("W1", "confirmed")
    ]
    confirmed = Activity.objects.get(verb="confirmed")
    assert [s["session_title"] for s in confirmed.details["sessions"]] == ["W1"]
    assert not Activity.objects.filter(verb="seat_taken").exists()


def test_overlapping_chosen_sessions_are_refused_naming_both():
    event = EventFactory()
    a = SessionFactory(event=event, signup_required=True, title="Alpha")
    b = SessionFactory(
        event=event, signup_required=True, title="Beta", starts_at=a.starts_at
    )

    with pytest.raises(RegistrationError, match="“Alpha” and “Beta” overlap"):
        register_attendee(event=event, attendee=UserFactory(), session_ids=[a.pk, b.pk])
    assert Registration.objects.count() == 0


def test_cancel_frees_place_and_seat_and_promotes_both_lines():
    event = EventFactory(capacity=1)
    workshop = SessionFactory(event=event, signup_required=True, capacity=1)
    first = register_attendee(
        event=event, attendee=UserFactory(), session_ids=[workshop.pk]
    )
    second = register_attendee(event=event, attendee=UserFactory())

    cancel_registration(registration=first)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled"
    assert list(first.seats.values_list("status", flat=True)) == ["left"]
    assert second.status == "confirmed"
    assert verbs(second) == ["waitlisted", "promoted"]
    assert Activity.objects.get(verb="cancelled").details == {"by": "attendee"}


def test_cancel_by_organiser_is_marked_and_allowed_after_deadline():
    event = EventFactory(modification_deadline=timezone.now() - timedelta(hours=1))
    registration = register_attendee(event=event, attendee=UserFactory())
    organiser = UserFactory(is_staff=True)

    with pytest.raises(RegistrationError, match="deadline"):
        cancel_registration(registration=registration)
    cancel_registration(registration=registration, actor=organiser)

    assert Activity.objects.get(verb="cancelled").details == {"by": "organiser"}


def test_cancel_twice_is_a_no_op_and_person_may_register_again():
    event = EventFactory()
    person = UserFactory()
    registration = register_attendee(event=event, attendee=person)

    cancel_registration(registration=registration)
    cancel_registration(registration=registration)
    again = register_attendee(event=event, attendee=person)

    assert Activity.objects.filter(verb="cancelled").count() == 1
    assert again.pk != registration.pk
    assert again.status == "confirmed"


def test_organiser_override_confirms_over_capacity_and_logs_it():
    event = EventFactory(capacity=1)
    register_attendee(event=event, attendee=UserFactory())
    organiser = UserFactory(is_staff=True)

    president = register_attendee(
        event=event, attendee=UserFactory(), actor=organiser, override_capacity=True
    )

    assert president.status == "confirmed"
    assert president.capacity_override is True
    assert president.registered_by == organiser
    assert Activity.objects.get(verb="capacity_overridden").details == {
        "limit": "event"
    }


def test_attendee_cannot_override_capacity():
    event = EventFactory(capacity=1)
    person = UserFactory()
    with pytest.raises(RegistrationError, match="Only organisers"):
        register_attendee(event=event, attendee=person, override_capacity=True)
    assert SessionSeat.objects.count() == 0
