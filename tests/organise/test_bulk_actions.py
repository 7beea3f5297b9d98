"""Acting on people is safe: every action, for one person or many, first shows a
confirmation naming how many, who, and what each will receive; a GET (or a POST
that does not confirm) changes nothing; a large action runs outside the request
and shows its progress."""

import pytest
from bs4 import BeautifulSoup
from celery import current_app
from django.urls import reverse

from events.models import Event, EventOrganiser
from notifications.models import Message
from registrations.models import Activity, BulkOperation, Invitation, Registration
from registrations.services import bulk
from registrations.tasks import task_run_bulk, task_run_pending_bulk
from tests.factories import (
    EventFactory,
    EventOrganiserFactory,
    InvitationFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Kind = BulkOperation.Kind
Role = EventOrganiser.Role


def text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.get_text(" ").split())


def action_url(event, kind) -> str:
    name = (
        "invitation_action" if kind in bulk.INVITATION_KINDS else "registration_action"
    )
    return reverse(f"organise:{name}", kwargs={"event": event.slug})


def arrange(kind):
    """An event, its owner, and one person the action `kind` applies to."""
    event = EventFactory(title="Spring Forum", capacity=5)
    owner = EventOrganiserFactory(event=event).user
    person = UserFactory(name="Ada Lovelace", email="ada@aalto.fi")
    if kind in bulk.INVITATION_KINDS:
        president = RegistrationTypeFactory(event=event)
        status = {Kind.APPROVE_SUBSTITUTE: Invitation.Status.AWAITING_APPROVAL}.get(
            kind, Invitation.Status.PENDING
        )
        target = InvitationFactory(
            event=event, registration_type=president, name=person.name,
            email=person.email, status=status,
        )  # fmt: skip
        return event, owner, target
    status = {
        Kind.APPROVE: Registration.Status.AWAITING_APPROVAL,
        Kind.OFFER: Registration.Status.WAITLISTED,
    }.get(kind, Registration.Status.CONFIRMED)
    if kind == Kind.WAITLIST:  # a full event: the person gives their place up
        Event.objects.filter(pk=event.pk).update(capacity=1)
        RegistrationFactory(event=event)
    target = RegistrationFactory(event=event, attendee=person, status=status)
    return event, owner, target


def state(target) -> tuple:
    """Everything an action could change, to compare before and after."""
    target.refresh_from_db()
    return (
        target.status,
        getattr(target, "token", None),
        Activity.objects.count(),
        Message.objects.count(),
        BulkOperation.objects.count(),
    )


# What each action does to its person, and the email it sends them (None: none).
OUTCOMES = {
    Kind.APPROVE: ("confirmed", "Your registration is approved: Spring Forum"),
    Kind.DECLINE: ("declined", "Your registration was declined: Spring Forum"),
    Kind.CANCEL: ("cancelled", "Registration cancelled: Spring Forum"),
    Kind.WAITLIST: ("waitlisted", "You are on the waitlist: Spring Forum"),
    Kind.OFFER: ("offered", "A place is free for you: Spring Forum"),
    Kind.REMIND: (
        "pending",
        "Reminder: please answer your invitation to Spring Forum",
    ),
    Kind.RESEND: ("pending", "Invitation: Spring Forum"),
    Kind.WITHDRAW: ("revoked", None),
    Kind.APPROVE_SUBSTITUTE: (
        "pending",
        "You have been named as a substitute: Spring Forum",
    ),
}
EVERY_KIND = list(OUTCOMES)


def test_every_action_is_covered():
    assert set(EVERY_KIND) == set(Kind.values)


@pytest.mark.parametrize("kind", EVERY_KIND)
def test_a_get_shows_the_confirmation_and_changes_nothing(client, mailoutbox, kind):
    event, owner, target = arrange(kind)
    client.force_login(owner)
    before = state(target)

    response = client.get(action_url(event, kind), {"action": kind, "ids": target.pk})

    page = text(response)
    assert response.status_code == 200
    assert "What will happen" in page
    assert "Among them: Ada Lovelace" in page
    subject = OUTCOMES[kind][1]
    if subject:
        assert f"The email “{subject}”" in page
    else:
        assert "What each will receive No email." in page
    assert response.context["count"] == 1
    assert state(target) == before
    assert mailoutbox == []


@pytest.mark.parametrize("kind", EVERY_KIND)
def test_a_post_without_confirming_changes_nothing(client, mailoutbox, kind):
    event, owner, target = arrange(kind)
    client.force_login(owner)
    before = state(target)

    response = client.post(
        action_url(event, kind), {"action": kind, "ids": [target.pk]}
    )

    assert response.status_code == 200
    assert response.context["count"] == 1
    assert state(target) == before
    assert mailoutbox == []


@pytest.mark.parametrize("kind", EVERY_KIND)
def test_confirming_does_it_and_sends_what_the_page_said(
    client, mailoutbox, django_capture_on_commit_callbacks, kind
):
    event, owner, target = arrange(kind)
    client.force_login(owner)
    old_token = getattr(target, "token", None)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(event, kind),
            {"action": kind, "ids": [target.pk], "expected": 1, "tell": "on",
             "confirm": "1"},
        )  # fmt: skip

    operation = BulkOperation.objects.get()
    assert response["Location"] == reverse(
        "organise:bulk_operation",
        kwargs={"event": event.slug, "operation": operation.pk},
    )
    target.refresh_from_db()
    status, subject = OUTCOMES[kind]
    assert (target.status, operation.status, operation.changed) == (status, "done", 1)
    assert [m.subject for m in mailoutbox if m.to == ["ada@aalto.fi"]] == (
        [subject] if subject else []
    )
    if kind == Kind.RESEND:
        assert target.token != old_token


def test_cancelling_without_telling_emails_them_nothing_and_logs_it(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event, owner, target = arrange(Kind.CANCEL)
    client.force_login(owner)
    page = client.get(
        action_url(event, Kind.CANCEL), {"action": "cancel", "ids": target.pk}
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            action_url(event, Kind.CANCEL),
            {"action": "cancel", "ids": [target.pk], "expected": 1, "confirm": "1"},
        )

    target.refresh_from_db()
    assert 'name="tell"' in page.content.decode()
    assert target.status == "cancelled"
    assert Activity.objects.get(verb="cancelled").details == {
        "by": "organiser",
        "silent": True,
    }
    assert mailoutbox == []


def test_actions_that_must_tell_offer_no_switch_and_always_tell(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event, owner, target = arrange(Kind.APPROVE)
    client.force_login(owner)
    page = client.get(
        action_url(event, Kind.APPROVE), {"action": "approve", "ids": target.pk}
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(  # a hand-made post without "tell"
            action_url(event, Kind.APPROVE),
            {"action": "approve", "ids": [target.pk], "expected": 1, "confirm": "1"},
        )

    assert 'type="checkbox" name="tell"' not in page.content.decode()
    assert [m.to for m in mailoutbox] == [["ada@aalto.fi"]]


def test_a_decline_tells_them_the_reason_given(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event, owner, target = arrange(Kind.DECLINE)
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            action_url(event, Kind.DECLINE),
            {"action": "decline", "ids": [target.pk], "expected": 1, "tell": "on",
             "reason": "The meeting is for presidents only.", "confirm": "1"},
        )  # fmt: skip

    (email,) = mailoutbox
    assert "The meeting is for presidents only." in email.body


def test_everyone_listed_names_the_first_ten_and_counts_the_rest(client):
    event = EventFactory(capacity=None)
    owner = EventOrganiserFactory(event=event).user
    people = [
        RegistrationFactory(
            event=event, status="awaiting_approval",
            attendee=UserFactory(name=f"Person {n:02}"),
        )
        for n in range(12)
    ]  # fmt: skip
    RegistrationFactory(event=event)  # confirmed: not listed by the filter
    client.force_login(owner)

    response = client.post(
        action_url(event, Kind.APPROVE),
        {"action": "approve", "scope": "all", "status": "awaiting_approval"},
    )

    page = text(response)
    assert response.context["count"] == 12
    assert response.context["names"] == [f"Person {n:02}" for n in range(10)]
    assert "…and 2 more." in page
    assert "12 registrations will be approved, oldest first." in page
    assert 'name="status" value="awaiting_approval"' in response.content.decode()
    assert {
        p.status for p in Registration.objects.filter(pk__in=[p.pk for p in people])
    } == {"awaiting_approval"}


def test_a_list_that_changed_since_the_confirmation_page_is_shown_again(client):
    event, owner, target = arrange(Kind.CANCEL)
    client.force_login(owner)
    before = state(target)

    response = client.post(
        action_url(event, Kind.CANCEL),
        {"action": "cancel", "scope": "all", "expected": 7, "confirm": "1"},
    )

    assert response.status_code == 400
    assert "The list has changed meanwhile: check the count again." in text(response)
    assert response.context["count"] == 1
    assert state(target) == before


def test_rows_of_another_event_are_never_acted_on(client):
    event, owner, _target = arrange(Kind.CANCEL)
    theirs = RegistrationFactory()
    client.force_login(owner)

    response = client.post(
        action_url(event, Kind.CANCEL),
        {"action": "cancel", "ids": [theirs.pk], "expected": 0, "confirm": "1"},
    )

    theirs.refresh_from_db()
    assert "This action applies to none of those chosen." in text(response)
    assert theirs.status == "confirmed"
    assert BulkOperation.objects.count() == 0


def test_an_unknown_action_or_no_one_chosen_is_a_clear_error(client):
    event, owner, target = arrange(Kind.CANCEL)
    client.force_login(owner)

    unknown = client.get(action_url(event, Kind.CANCEL), {"action": "delete"})
    nobody = client.get(action_url(event, Kind.CANCEL), {"action": "cancel"})

    assert (unknown.status_code, nobody.status_code) == (400, 400)
    assert "Select a valid choice." in text(unknown)
    assert "Tick at least one row, or choose everyone." in text(nobody)


@pytest.mark.parametrize("kind", [Kind.CANCEL, Kind.REMIND])
def test_check_in_staff_may_not_act(client, kind):
    event, _owner, target = arrange(kind)
    client.force_login(EventOrganiserFactory(event=event, role=Role.CHECKIN).user)
    before = state(target)

    get = client.get(action_url(event, kind), {"action": kind, "ids": target.pk})
    post = client.post(
        action_url(event, kind),
        {"action": kind, "ids": [target.pk], "expected": 1, "confirm": "1"},
    )

    assert (get.status_code, post.status_code) == (403, 403)
    assert state(target) == before


# --- long work -------------------------------------------------------------------


@pytest.fixture
def many(monkeypatch):
    """Three confirmed people, more than a request may act on at once here."""
    monkeypatch.setattr(bulk, "INLINE_LIMIT", 2)
    event = EventFactory()
    owner = EventOrganiserFactory(event=event).user
    people = [RegistrationFactory(event=event) for _ in range(3)]
    return event, owner, people


def confirm_all(client, event):
    return client.post(
        action_url(event, Kind.CANCEL),
        {"action": "cancel", "scope": "all", "expected": 3, "tell": "on",
         "confirm": "1"},
    )  # fmt: skip


def test_in_embedded_mode_a_large_action_waits_for_the_periodic_jobs(client, many):
    event, owner, people = many
    client.force_login(owner)

    response = confirm_all(client, event)
    waiting = client.get(response["Location"])
    polled = client.get(response["Location"], headers={"HX-Request": "true"})
    task_run_pending_bulk()
    done = client.get(response["Location"], headers={"HX-Request": "true"})

    assert "Waiting to start (0 of 3 done)." in text(waiting)
    assert "Reload to see how far it has got" in text(waiting)
    assert b"<html" not in polled.content
    assert b'data-hx-trigger="every 2s"' in polled.content
    assert "Done: 3 of 3 changed." in text(done)
    assert b"hx-trigger" not in done.content
    assert {p.status for p in Registration.objects.all()} == {"cancelled"}


def test_with_workers_a_large_action_is_published_to_one(client, many, monkeypatch):
    event, owner, people = many
    published = []
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    monkeypatch.setattr(
        task_run_bulk,
        "apply_async",
        lambda kwargs, **options: published.append(kwargs),
    )
    client.force_login(owner)

    confirm_all(client, event)

    assert published == [{"operation_id": BulkOperation.objects.get().pk}]
    assert {p.status for p in Registration.objects.all()} == {"confirmed"}


def test_another_events_operation_is_404(client, many):
    event, owner, _people = many
    theirs = BulkOperation.objects.create(event=EventFactory(), kind="cancel")
    client.force_login(owner)

    response = client.get(
        reverse(
            "organise:bulk_operation",
            kwargs={"event": event.slug, "operation": theirs.pk},
        )
    )

    assert response.status_code == 404


def test_everyone_under_a_filter_that_is_not_valid_is_nobody(client):
    event, owner, target = arrange(Kind.CANCEL)
    client.force_login(owner)

    response = client.post(
        action_url(event, Kind.CANCEL),
        {"action": "cancel", "scope": "all", "status": "nonsense"},
    )

    assert "This action applies to none of those chosen." in text(response)
    assert response.context["count"] == 0


def test_everyone_listed_means_only_those_the_filters_list(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=None)
    owner = EventOrganiserFactory(event=event).user
    waiting = RegistrationFactory(event=event, status="waitlisted")
    confirmed = RegistrationFactory(event=event)
    client.force_login(owner)
    form = {"action": "cancel", "scope": "all", "status": "waitlisted"}

    page = client.post(action_url(event, Kind.CANCEL), form)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            action_url(event, Kind.CANCEL),
            form | {"expected": 1, "tell": "on", "confirm": "1"},
        )

    assert page.context["count"] == 1
    assert [Registration.objects.get(pk=r.pk).status for r in (waiting, confirmed)] == [
        "cancelled",
        "confirmed",
    ]
