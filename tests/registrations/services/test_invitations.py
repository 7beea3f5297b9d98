"""Invitations: services (invite, answer, substitute, expire) and the invitee's page."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from config.celery import app
from events.models import Event
from registrations.invitation_import import InviteeRow
from registrations.models import Activity, Invitation, Registration
from registrations.selectors import places
from registrations.services import RegistrationError
from registrations.services import invitation_answers as answers
from registrations.services import invitations as services
from registrations.services.invitation_expiry import expire_invitations
from registrations.services.questions import create_default_questions
from registrations.services.registering import register_attendee
from registrations.tasks import task_expire_invitations
from tests.factories import (
    EventFactory,
    InvitationFactory,
    QuestionFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    """The presidents' meeting: by invitation, 3 places."""
    return EventFactory(
        title="Nordic Five Tech Presidents' Meeting",
        visibility=Event.Visibility.INVITATION_ONLY,
        capacity=3,
    )


@pytest.fixture
def president(meeting):
    return RegistrationTypeFactory(event=meeting, name="President")


def _row(line, email, registration_type, name="", institution="KTH"):
    return InviteeRow(
        line=line,
        name=name,
        email=email,
        institution=institution,
        registration_type=registration_type,
    )


def verbs(**filters):
    return list(
        Activity.objects.filter(**filters).order_by("pk").values_list("verb", flat=True)
    )


# --- inviting -------------------------------------------------------------------------


def test_invite_creates_a_pending_invitation_and_records_invited(meeting, president):
    organiser = UserFactory()
    deadline = timezone.now() + timedelta(days=7)

    invitation = services.invite(
        event=meeting,
        email=" Sigrid@KTH.se ",
        name="Sigrid Berg",
        institution="KTH",
        registration_type=president,
        rsvp_deadline=deadline,
        actor=organiser,
    )

    assert (invitation.email, invitation.status, invitation.invited_by) == (
        "sigrid@kth.se",
        Invitation.Status.PENDING,
        organiser,
    )
    assert len(invitation.token) >= 43
    activity = Activity.objects.get(invitation=invitation)
    assert (activity.verb, activity.actor, activity.details) == (
        Activity.Verb.INVITED,
        organiser,
        {
            "email": "sigrid@kth.se",
            "name": "Sigrid Berg",
            "rsvp_deadline": deadline.isoformat(),
            "message": "",
            "language": "",
        },
    )


def test_invite_many_is_all_or_nothing(meeting, president):
    InvitationFactory(event=meeting, registration_type=president, email="b@ntnu.no")
    registered = RegistrationFactory(
        event=meeting, attendee=UserFactory(email="c@dtu.dk")
    )
    rows = [
        _row(1, "a@kth.se", president),
        _row(2, "b@ntnu.no", president),
        _row(3, "c@dtu.dk", president),
    ]

    with pytest.raises(services.InvitationError) as refused:
        services.invite_many(event=meeting, rows=rows)

    assert str(refused.value) == "Nobody was invited."
    assert refused.value.errors == [
        "Line 2: b@ntnu.no already has an open invitation.",
        "Line 3: c@dtu.dk is already registered.",
    ]
    assert Invitation.objects.filter(event=meeting).count() == 1
    assert registered.status == Registration.Status.CONFIRMED
    assert verbs(event=meeting) == []


def test_invite_many_refuses_to_reserve_more_places_than_are_free(meeting, president):
    RegistrationFactory(event=meeting)
    rows = [_row(n, f"p{n}@kth.se", president) for n in (1, 2, 3)]

    with pytest.raises(services.InvitationError) as refused:
        services.invite_many(event=meeting, rows=rows, reserves_seat=True)

    assert str(refused.value) == (
        "Only 2 places are free: reserve places for fewer people or raise the capacity."
    )
    assert Invitation.objects.count() == 0


def test_invite_refuses_a_deadline_in_the_past(meeting, president):
    with pytest.raises(services.InvitationError) as refused:
        services.invite(
            event=meeting,
            email="a@kth.se",
            registration_type=president,
            rsvp_deadline=timezone.now() - timedelta(minutes=1),
        )

    assert str(refused.value) == "The answer deadline must be in the future."


def test_invite_refuses_a_type_of_another_event(meeting):
    other_type = RegistrationTypeFactory(name="Delegate")

    with pytest.raises(services.InvitationError) as refused:
        services.invite(event=meeting, email="a@kth.se", registration_type=other_type)

    assert str(refused.value) == "the registration type belongs to another event."


# --- answering ------------------------------------------------------------------------


@pytest.fixture
def invitation(meeting, president):
    return services.invite(
        event=meeting,
        email="sigrid@kth.se",
        name="Sigrid Berg",
        institution="KTH",
        registration_type=president,
        reserves_seat=True,
    )


def _full_with_waitlist(meeting, president, invitation):
    """Two confirmed people + the invitation's reserved place fill 3 places."""
    for _n in range(2):
        register_attendee(event=meeting, attendee=UserFactory(), actor=UserFactory())
    waiting = register_attendee(
        event=meeting, attendee=UserFactory(), actor=UserFactory()
    )
    return waiting


def test_accept_invitation_registers_into_the_reserved_place(
    meeting, president, invitation
):
    for _n in range(2):
        RegistrationFactory(event=meeting, registration_type=president)
    sigrid = UserFactory(email="Sigrid@KTH.se")

    registration = answers.accept_invitation(invitation=invitation, user=sigrid)

    invitation.refresh_from_db()
    assert (registration.status, registration.registration_type) == (
        Registration.Status.CONFIRMED,
        president,
    )
    assert (invitation.status, invitation.registration) == (
        Invitation.Status.ACCEPTED,
        registration,
    )
    assert verbs(invitation=invitation) == ["invited", "invitation_accepted"]
    assert (
        EmailAddress.objects.filter(
            user=sigrid, email="sigrid@kth.se", verified=True
        ).count()
        == 1
    )


def test_accept_invitation_refuses_another_signed_in_address(invitation):
    other = UserFactory(email="assistant@kth.se")

    with pytest.raises(services.InvitationError) as refused:
        answers.accept_invitation(invitation=invitation, user=other)

    assert str(refused.value) == (
        "This invitation is for sigrid@kth.se, but you are signed in as "
        "assistant@kth.se. Sign out and sign in (or create an account) with "
        "sigrid@kth.se to accept it."
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert Registration.objects.filter(attendee=other).count() == 0


def test_accept_invitation_is_single_use(invitation):
    sigrid = UserFactory(email="sigrid@kth.se")
    answers.accept_invitation(invitation=invitation, user=sigrid)

    with pytest.raises(services.InvitationError) as refused:
        answers.accept_invitation(invitation=invitation, user=sigrid)

    assert str(refused.value) == "This invitation has already been answered."
    assert Registration.objects.filter(attendee=sigrid).count() == 1


def test_accept_after_the_deadline_is_refused(meeting, president):
    invitation = InvitationFactory(
        event=meeting,
        registration_type=president,
        email="late@kth.se",
        rsvp_deadline=timezone.now() - timedelta(minutes=1),
    )

    with pytest.raises(services.InvitationError) as refused:
        answers.accept_invitation(
            invitation=invitation, user=UserFactory(email="late@kth.se")
        )

    assert str(refused.value) == (
        "The deadline for answering this invitation has passed."
    )


def test_accept_when_already_registered_closes_the_invitation(invitation, meeting):
    sigrid = UserFactory(email="sigrid@kth.se")
    existing = register_attendee(event=meeting, attendee=sigrid, actor=UserFactory())

    registration = answers.accept_invitation(invitation=invitation, user=sigrid)

    invitation.refresh_from_db()
    assert registration == existing
    assert (invitation.status, invitation.registration) == (
        Invitation.Status.ACCEPTED,
        existing,
    )
    assert places.places_taken(meeting) == 1


def test_accept_by_link_makes_a_verified_account_without_a_password(invitation):
    user, registration = answers.accept_by_link(
        invitation=invitation, name="Sigrid Berg"
    )

    assert (user.email, user.name, user.has_usable_password()) == (
        "sigrid@kth.se",
        "Sigrid Berg",
        False,
    )
    assert list(
        EmailAddress.objects.filter(user=user).values_list(
            "email", "verified", "primary"
        )
    ) == [("sigrid@kth.se", True, True)]
    assert registration.attendee == user


def test_accept_by_link_leaves_no_account_when_registration_is_refused(
    invitation, meeting
):
    Event.objects.filter(pk=meeting.pk).update(privacy_notice="We keep your data.")
    User = get_user_model()

    with pytest.raises(RegistrationError) as refused:
        answers.accept_by_link(invitation=invitation, name="Sigrid")

    assert str(refused.value) == "Please accept the privacy notice to register."
    assert User.objects.filter(email="sigrid@kth.se").count() == 0
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_accept_by_link_registers_an_existing_account_as_it_is(invitation):
    sigrid = UserFactory(email="sigrid@kth.se", name="Sigrid B.")
    sigrid.set_password("her own password 42")
    sigrid.save()

    user, registration = answers.accept_by_link(invitation=invitation, name="Other")

    user.refresh_from_db()
    assert (user, user.name, user.check_password("her own password 42")) == (
        sigrid,
        "Sigrid B.",
        True,
    )
    assert registration.attendee == sigrid


def test_decline_frees_the_reserved_place_for_the_waitlist(
    meeting, president, invitation
):
    waiting = _full_with_waitlist(meeting, president, invitation)
    assert waiting.status == Registration.Status.WAITLISTED

    answers.decline_invitation(invitation=invitation)

    invitation.refresh_from_db()
    waiting.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert waiting.status == Registration.Status.CONFIRMED
    assert verbs(invitation=invitation) == ["invited", "invitation_declined"]
    assert Activity.objects.get(
        invitation=invitation, verb="invitation_declined"
    ).details == {"email": "sigrid@kth.se", "name": "Sigrid Berg"}


def test_name_substitute_passes_type_deadline_and_place(meeting, president, invitation):
    waiting = _full_with_waitlist(meeting, president, invitation)

    substitute = answers.name_substitute(
        invitation=invitation, name="Anna Vice", email=" Anna@KTH.se "
    )

    invitation.refresh_from_db()
    waiting.refresh_from_db()
    assert invitation.status == Invitation.Status.SUBSTITUTED
    assert (
        substitute.email,
        substitute.name,
        substitute.institution,
        substitute.registration_type,
        substitute.reserves_seat,
        substitute.status,
        substitute.substitute_for,
    ) == (
        "anna@kth.se",
        "Anna Vice",
        "KTH",
        president,
        True,
        Invitation.Status.PENDING,
        invitation,
    )
    assert substitute.token != invitation.token
    assert waiting.status == Registration.Status.WAITLISTED  # the place moved on
    assert verbs(event=meeting, invitation__isnull=False) == [
        "invited",
        "invitation_substituted",
        "substitute_invited",
    ]
    assert Activity.objects.get(verb="substitute_invited").details == {
        "email": "anna@kth.se",
        "name": "Anna Vice",
        "rsvp_deadline": None,
        "message": "",
        "language": "",
        "substitute_for_name": "Sigrid Berg",
    }


def test_substitute_waits_for_approval_when_the_event_wants_it(meeting, invitation):
    Event.objects.filter(pk=meeting.pk).update(substitutes_need_approval=True)
    organiser = UserFactory()

    substitute = answers.name_substitute(
        invitation=invitation, name="Anna Vice", email="anna@kth.se"
    )
    with pytest.raises(services.InvitationError) as refused:
        answers.accept_invitation(
            invitation=substitute, user=UserFactory(email="anna@kth.se")
        )
    assert verbs(invitation=substitute) == []
    services.approve_substitute(invitation=substitute, actor=organiser)

    substitute.refresh_from_db()
    assert str(refused.value) == (
        "The organisers have not yet approved this invitation. You will get an "
        "email when they do."
    )
    assert substitute.status == Invitation.Status.PENDING
    assert verbs(invitation=substitute) == ["substitute_invited"]


def test_name_substitute_refuses_someone_already_invited(
    meeting, president, invitation
):
    InvitationFactory(event=meeting, registration_type=president, email="anna@kth.se")

    with pytest.raises(services.InvitationError) as refused:
        answers.name_substitute(invitation=invitation, name="Anna", email="anna@kth.se")

    assert str(refused.value) == (
        "anna@kth.se is already invited to or registered for this event."
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_expire_invitations_closes_due_ones_and_promotes(
    meeting, president, invitation
):
    waiting = _full_with_waitlist(meeting, president, invitation)
    Invitation.objects.filter(pk=invitation.pk).update(
        rsvp_deadline=timezone.now() + timedelta(hours=1)
    )
    later = InvitationFactory(
        event=meeting,
        registration_type=president,
        rsvp_deadline=timezone.now() + timedelta(days=3),
    )

    first = expire_invitations(now=timezone.now() + timedelta(hours=2))
    second = expire_invitations(now=timezone.now() + timedelta(hours=2))

    invitation.refresh_from_db()
    later.refresh_from_db()
    waiting.refresh_from_db()
    assert (first, second) == (1, 0)
    assert (invitation.status, later.status) == (
        Invitation.Status.EXPIRED,
        Invitation.Status.PENDING,
    )
    assert waiting.status == Registration.Status.CONFIRMED
    assert verbs(invitation=invitation) == ["invited", "invitation_expired"]


def test_expire_task_runs_the_service(meeting, president):
    InvitationFactory(
        event=meeting,
        registration_type=president,
        rsvp_deadline=timezone.now() + timedelta(seconds=1),
    )
    Invitation.objects.update(rsvp_deadline=timezone.now() - timedelta(seconds=1))

    result = task_expire_invitations.delay()

    assert result.get() == 1
    assert Invitation.objects.get().status == Invitation.Status.EXPIRED
    assert app.conf.beat_schedule["registrations-expire-invitations"]["task"] == (
        "registrations.expire_invitations"
    )


def test_resend_gives_a_new_link_and_the_old_one_404s(client, invitation):
    old = invitation.token

    services.resend_invitation(invitation=invitation, actor=UserFactory())

    invitation.refresh_from_db()
    assert invitation.token != old
    assert client.get(f"/invitations/{old}/").status_code == 404
    assert client.get(f"/invitations/{invitation.token}/").status_code == 200
    assert verbs(invitation=invitation) == ["invited", "invited"]


def test_invitation_only_event_refuses_registration_without_invitation(
    client, meeting, president
):
    person = UserFactory()
    client.force_login(person)

    with pytest.raises(RegistrationError) as refused:
        register_attendee(event=meeting, attendee=person)
    response = client.post(
        f"/events/{meeting.slug}/register/",
        {"registration_type": president.pk, "privacy_accepted": "on"},
    )

    assert str(refused.value) == (
        "This event is by invitation only: use the link in your invitation."
    )
    assert response.status_code == 200
    assert "This event is by invitation only" in response.content.decode()
    assert Registration.objects.filter(event=meeting).count() == 0


# --- the invitee's page ---------------------------------------------------------------


def test_invitation_page_unknown_token_is_404(client):
    assert client.get("/invitations/not-a-real-token-0123456789/").status_code == 404


def test_invitation_page_shows_event_and_type_to_anyone_with_the_link(
    client, invitation
):
    response = client.get(invitation.answer_path())

    text = response.content.decode()
    assert response.status_code == 200
    assert "You are invited to Nordic Five Tech Presidents&#x27; Meeting" in text
    assert "President" in text
    assert 'name="action" value="signup"' in text


def test_invitation_page_signed_in_owner_accepts(client, invitation):
    sigrid = UserFactory(email="sigrid@kth.se")
    client.force_login(sigrid)

    response = client.post(invitation.answer_path(), {"action": "accept"})

    registration = Registration.objects.get(attendee=sigrid)
    assert response.status_code == 302
    assert response["Location"] == registration.manage_path()
    assert registration.status == Registration.Status.CONFIRMED


def test_invitation_page_other_user_gets_a_clear_message(client, invitation):
    client.force_login(UserFactory(email="someone@else.org"))

    get = client.get(invitation.answer_path())
    post = client.post(invitation.answer_path(), {"action": "accept"})

    assert "but you are signed in as someone@else.org" in get.content.decode()
    assert post.status_code == 400
    assert Registration.objects.count() == 0


def test_invitation_page_accepts_without_password_and_signs_nobody_in(
    client, invitation
):
    page = client.get(invitation.answer_path()).content.decode()
    response = client.post(
        invitation.answer_path(), {"action": "signup", "name": "Sigrid Berg"}
    )

    user = get_user_model().objects.get(email="sigrid@kth.se")
    registration = Registration.objects.get(attendee=user)
    assert 'type="password"' not in page
    assert response.status_code == 302
    assert response["Location"] == registration.manage_path()
    assert registration.status == "confirmed"
    assert user.has_usable_password() is False
    assert EmailAddress.objects.get(user=user).verified is True
    assert "_auth_user_id" not in client.session
    assert client.get("/registrations/").wsgi_request.user.is_authenticated is False


def test_invitation_page_without_a_name_changes_nothing(client, invitation):
    response = client.post(invitation.answer_path(), {"action": "signup", "name": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert get_user_model().objects.filter(email="sigrid@kth.se").count() == 0


def test_invitation_page_decline_then_link_says_answered(client, invitation):
    response = client.post(invitation.answer_path(), {"action": "decline"})
    again = client.get(invitation.answer_path())
    repost = client.post(invitation.answer_path(), {"action": "decline"})

    assert response.status_code == 302
    assert again.status_code == 200
    assert "This invitation was declined." in again.content.decode()
    assert repost.status_code == 400
    assert repost.context["error"] == "This invitation has already been answered."
    assert Activity.objects.filter(verb="invitation_declined").count() == 1


def test_invitation_page_substitute_form(client, invitation):
    bad = client.post(
        invitation.answer_path(),
        {"action": "substitute", "substitute_name": "Anna", "substitute_email": "x"},
    )
    good = client.post(
        invitation.answer_path(),
        {
            "action": "substitute",
            "substitute_name": "Anna Vice",
            "substitute_email": "anna@kth.se",
        },
    )
    after = client.get(invitation.answer_path())

    assert bad.status_code == 400
    assert good.status_code == 302
    assert "This invitation was passed on to Anna Vice." in after.content.decode()
    assert Invitation.objects.get(email="anna@kth.se").status == "pending"


def test_invitation_page_expired_link_explains(client, meeting, president):
    invitation = InvitationFactory(
        event=meeting,
        registration_type=president,
        rsvp_deadline=timezone.now() - timedelta(hours=1),
    )

    response = client.get(invitation.answer_path())

    assert response.status_code == 200
    assert (
        "The deadline for answering this invitation has passed."
        in response.content.decode()
    )


def test_invitation_page_asks_the_types_questions_and_the_privacy_notice(
    client, meeting, president, invitation
):
    Event.objects.filter(pk=meeting.pk).update(privacy_notice="We keep your data.")
    create_default_questions(meeting)
    organisation = meeting.questions.get(key="organisation")  # required
    consent = meeting.questions.get(key="participant_list_consent")
    only_delegates = QuestionFactory(
        event=meeting, label="Delegation size", required=True
    )
    only_delegates.registration_types.set(
        [RegistrationTypeFactory(event=meeting, name="Delegate")]
    )
    sigrid = UserFactory(email="sigrid@kth.se")
    client.force_login(sigrid)

    page = client.get(invitation.answer_path()).content.decode()
    missing = client.post(invitation.answer_path(), {"action": "accept"})
    done = client.post(
        invitation.answer_path(),
        {
            "action": "accept",
            f"q_{organisation.pk}": "KTH",
            f"q_{consent.pk}": "yes",
            "privacy_accepted": "on",
        },
    )

    assert "We keep your data." in page
    assert "Delegation size" not in page
    assert missing.status_code == 400
    assert "Please answer this question." in missing.content.decode()
    assert done.status_code == 302
    registration = Registration.objects.get(attendee=sigrid)
    assert registration.privacy_notice_accepted == "We keep your data."
    assert {
        a.question.key: a.value
        for a in registration.answers.select_related("question")
        if a.value is not None
    } == {"organisation": "KTH", "participant_list_consent": True}


def test_a_withdrawn_invitation_cannot_be_answered_or_withdrawn_again(invitation):
    organiser = UserFactory()
    services.withdraw_invitation(invitation=invitation, actor=organiser)
    sigrid = UserFactory(email="Sigrid@KTH.se")

    with pytest.raises(RegistrationError, match="organisers have withdrawn"):
        answers.accept_invitation(invitation=invitation, user=sigrid)
    with pytest.raises(RegistrationError, match="organisers have withdrawn"):
        answers.decline_invitation(invitation=invitation)
    with pytest.raises(RegistrationError, match="nobody has answered yet"):
        services.withdraw_invitation(invitation=invitation, actor=organiser)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert verbs(invitation=invitation) == ["invited", "invitation_withdrawn"]
    assert not Registration.objects.filter(attendee=sigrid).exists()
