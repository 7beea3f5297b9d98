"""The event's team: inviting colleagues by email, changing and removing roles;
owners only, and the last owner stays."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from events.models import EventOrganiser
from notifications.models import Message
from tests.factories import EventOrganiserFactory, UserFactory

from .conftest import Role, signed_in

pytestmark = pytest.mark.django_db


def url(name, event, *args):
    return reverse(f"organise:{name}", args=[event.slug, *args])


def roles(event) -> list[tuple[str, str]]:
    return sorted(event.organisers.values_list("user__email", "role"))


def test_team_page_lists_the_team_with_their_roles(owner_client, owner, forum):
    door = EventOrganiserFactory(event=forum, role=Role.CHECKIN)

    response = owner_client.get(url("team", forum))

    rows = [(o.user, form["role"].value()) for o, form in response.context["rows"]]
    assert sorted(rows, key=lambda row: row[1]) == [
        (door.user, Role.CHECKIN),
        (owner, Role.OWNER),
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_team_page_reads_a_fixed_number_of_queries(
    owner_client, forum, count, django_assert_num_queries
):
    for _n in range(count):
        EventOrganiserFactory(event=forum, role=Role.EDITOR)

    with django_assert_num_queries(5):
        response = owner_client.get(url("team", forum))

    assert len(response.context["rows"]) == count + 1


def test_inviting_someone_new_makes_their_account_and_emails_them_once(
    owner_client, owner, forum, mailoutbox, django_capture_on_commit_callbacks
):
    owner.name = "Olli Owner"
    owner.save()
    data = {"email": " Ada@Example.org ", "name": "Ada Lovelace", "role": "editor"}

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url("team", forum), data)
        again = owner_client.post(url("team", forum), data)

    ada = User.objects.get(email="ada@example.org")
    assert (ada.name, ada.has_usable_password()) == ("Ada Lovelace", False)
    assert response.status_code == 302
    assert roles(forum) == [
        ("ada@example.org", Role.EDITOR),
        (owner.email, Role.OWNER),
    ]
    assert again.context["form"].errors == {
        "email": ["ada@example.org is already in this event's team."]
    }
    [email] = mailoutbox
    assert email.to == ["ada@example.org"]
    assert email.subject == "You are in the team of Spring Forum"
    assert (
        "Olli Owner has added you to the team of Spring Forum as Editor." in email.body
    )
    assert f"{settings.SITE_URL}{url('home', forum)}" in email.body
    assert "Send me a sign-in code" in email.body
    assert Message.objects.get().key == (
        f"organiser:{forum.organisers.get(user=ada).pk}:role_invited:{ada.pk}"
    )


def test_inviting_someone_with_an_account_keeps_their_account(
    owner_client, forum, mailoutbox, django_capture_on_commit_callbacks
):
    bea = UserFactory(email="bea@example.org", name="Bea", preferred_language="fi")

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            url("team", forum),
            {"email": "BEA@example.org", "name": "Someone else", "role": "checkin"},
        )

    bea.refresh_from_db()
    assert bea.name == "Bea"
    assert forum.organisers.get(user=bea).role == Role.CHECKIN
    [email] = mailoutbox
    assert "Send me a sign-in code" not in email.body
    assert Message.objects.get().language == "fi"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not an address", "role": "editor"}, "email"),
        ({"email": "ada@example.org", "role": "boss"}, "role"),
        ({"role": "editor"}, "email"),
    ],
)
def test_invite_form_explains_bad_input(owner_client, forum, data, field):
    response = owner_client.post(url("team", forum), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert forum.organisers.count() == 1


def test_roles_are_changed_from_the_team_page(owner_client, forum):
    editor = EventOrganiserFactory(event=forum, role=Role.EDITOR)

    response = owner_client.post(
        url("team_role", forum, editor.pk), {f"o{editor.pk}-role": "owner"}
    )

    editor.refresh_from_db()
    assert (response.status_code, editor.role) == (302, Role.OWNER)


def test_the_role_page_changes_a_role(owner_client, forum):
    editor = EventOrganiserFactory(event=forum, role=Role.EDITOR)

    shown = owner_client.get(url("team_role", forum, editor.pk))
    owner_client.post(url("team_role", forum, editor.pk), {"role": "checkin"})

    editor.refresh_from_db()
    assert shown.context["form"]["role"].value() == Role.EDITOR
    assert editor.role == Role.CHECKIN


def test_the_last_owner_cannot_step_down_or_be_removed(owner_client, owner, forum):
    me = forum.organisers.get(user=owner)

    demoted = owner_client.post(
        url("team_role", forum, me.pk), {"role": "editor"}, follow=True
    )
    removed = owner_client.post(url("team_remove", forum, me.pk), follow=True)

    assert roles(forum) == [(owner.email, Role.OWNER)]
    for response in (demoted, removed):
        [message] = [str(m) for m in response.context["messages"]]
        assert "An event needs at least one owner" in message


def test_removing_someone_asks_first_then_takes_them_off(owner_client, owner, forum):
    door = EventOrganiserFactory(event=forum, role=Role.CHECKIN)

    asked = owner_client.get(url("team_remove", forum, door.pk))
    owner_client.post(url("team_remove", forum, door.pk))

    assert asked.status_code == 200
    assert roles(forum) == [(owner.email, Role.OWNER)]


def test_an_owner_who_steps_off_goes_back_to_the_index(owner_client, owner, forum):
    EventOrganiserFactory(event=forum, role=Role.OWNER)
    me = forum.organisers.get(user=owner)

    response = owner_client.post(url("team_remove", forum, me.pk))

    assert response.url == reverse("organise:index")
    assert not EventOrganiser.objects.filter(pk=me.pk).exists()


def test_a_role_of_another_event_is_not_found(owner_client, forum):
    theirs = EventOrganiserFactory()

    assert owner_client.get(url("team_role", forum, theirs.pk)).status_code == 404
    assert owner_client.post(url("team_remove", forum, theirs.pk)).status_code == 404


@pytest.mark.parametrize("role", [Role.EDITOR, Role.CHECKIN])
def test_only_owners_manage_the_team(client, forum, role):
    signed_in(client, forum, role)

    assert client.get(url("team", forum)).status_code == 403
    assert (
        client.post(
            url("team", forum), {"email": "x@example.org", "role": "owner"}
        ).status_code
        == 403
    )
    assert forum.organisers.count() == 1


def test_names_are_escaped_on_the_team_page(owner_client, forum):
    EventOrganiserFactory(
        event=forum, user=UserFactory(name="<img src=x onerror=alert(1)>")
    )

    body = owner_client.get(url("team", forum)).content.decode()

    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
