"""Staff sign in through allauth (rate limits, a second factor), and organiser pages
need a second factor in the session from superusers, owners and editors."""

from urllib.parse import quote, urlencode

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.utils import encrypt
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

import config.settings
from events.models import EventOrganiser
from tests.factories import EventFactory, EventOrganiserFactory, UserFactory
from tests.totp import totp_code

pytestmark = pytest.mark.django_db
Role = EventOrganiser.Role
PASSWORD = "correct horse battery staple"  # noqa: S105 - tests.factories.UserFactory's
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth counts failed attempts and remembers used codes in the cache, by user
    id, and the database gives the ids of rolled-back tests out again."""
    cache.clear()


def signed_in_url(next_url: str = "/admin/") -> str:
    return f"{reverse('account_login')}?{urlencode({'next': next_url})}"


def staff(kind: str):
    """A superuser, an owner, an editor or check-in staff, with a verified email."""
    if kind == "superuser":
        user = UserFactory(is_staff=True, is_superuser=True)
    else:
        role = {"owner": Role.OWNER, "editor": Role.EDITOR, "checkin": Role.CHECKIN}
        user = EventOrganiserFactory(role=role[kind]).user
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def with_totp(user, secret: str = SECRET):
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
    )
    return user


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- the admin's login and logout are allauth's -------------------------------------


def test_admin_login_hands_over_to_allauth_keeping_next(password_only_client):
    response = password_only_client.get("/admin/login/?next=/admin/events/event/")

    assert response.status_code == 302
    assert response["Location"] == signed_in_url("/admin/events/event/")


def test_admin_login_drops_a_next_pointing_off_site(password_only_client):
    response = password_only_client.get("/admin/login/?next=https://evil.example/")

    assert response["Location"] == signed_in_url("/admin/")


def test_an_anonymous_admin_page_ends_on_allauths_login(password_only_client):
    response = password_only_client.get("/admin/events/event/", follow=True)

    assert response.redirect_chain == [
        ("/admin/login/?next=/admin/events/event/", 302),
        (signed_in_url("/admin/events/event/"), 302),
    ]
    assert response.status_code == 200


def test_posting_a_password_to_the_admin_login_signs_nobody_in(password_only_client):
    user = with_totp(staff("superuser"))

    response = password_only_client.post(
        "/admin/login/", {"username": user.email, "password": PASSWORD}
    )

    assert (response.status_code, response["Location"]) == (302, signed_in_url())
    assert not is_signed_in(password_only_client)


def test_admin_login_for_a_signed_in_attendee_explains_instead_of_looping(
    password_only_client,
):
    password_only_client.force_login(UserFactory(email="ada@example.org"))

    response = password_only_client.get("/admin/login/?next=/admin/", follow=True)

    assert response.redirect_chain == [(reverse("events:list"), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "You are signed in as ada@example.org, which has no access to the organiser "
        "pages. Sign out to sign in with another account."
    ]


def test_admin_logout_signs_out_through_allauth(client):
    client.force_login(staff("owner"))

    response = client.post("/admin/logout/", follow=True)

    assert response.redirect_chain == [
        (reverse("account_logout"), 307),
        (reverse("events:list"), 302),
    ]
    assert not is_signed_in(client)


@override_settings(ACCOUNT_RATE_LIMITS=config.settings.ACCOUNT_RATE_LIMITS)
def test_admin_sign_in_refuses_even_the_right_password_after_five_wrong_ones(
    password_only_client,
):
    user = with_totp(staff("owner"))
    login_url = password_only_client.get("/admin/login/?next=/admin/")["Location"]

    errors = []
    for password in ["wrong"] * 5 + [PASSWORD]:
        response = password_only_client.post(
            login_url, {"login": user.email, "password": password}
        )
        errors.append(response.context["form"].non_field_errors())

    assert [list(error) for error in errors] == [
        ["The email address and/or password you specified are not correct."]
    ] * 5 + [["Too many failed login attempts. Try again later."]]
    assert not is_signed_in(password_only_client)


# --- organiser pages need a second factor -------------------------------------------


@pytest.mark.parametrize("kind", ["superuser", "owner", "editor"])
def test_without_an_authenticator_organisers_are_sent_to_set_one_up(
    password_only_client, kind
):
    password_only_client.force_login(staff(kind))

    responses = [
        password_only_client.get(path)
        for path in ("/admin/", "/admin/events/event/", "/organise/")
    ]

    assert [(r.status_code, r["Location"]) for r in responses] == [
        (302, reverse("mfa_activate_totp"))
    ] * 3


@pytest.mark.parametrize("kind", ["superuser", "owner", "editor"])
def test_with_an_authenticator_organisers_confirm_a_code_first(
    password_only_client, kind
):
    password_only_client.force_login(with_totp(staff(kind)))

    response = password_only_client.get("/admin/events/event/?q=x")

    expected = (
        reverse("mfa_reauthenticate") + "?next=%2Fadmin%2Fevents%2Fevent%2F%3Fq%3Dx"
    )
    assert (response.status_code, response["Location"]) == (302, expected)


@pytest.mark.parametrize("kind", ["superuser", "owner", "editor"])
def test_with_a_second_factor_in_the_session_organisers_get_in(client, kind):
    client.force_login(with_totp(staff(kind)))

    response = client.get("/organise/")

    assert response.status_code == 200
    assert response.templates[0].name == "organise/event_list.html"


def test_check_in_staff_need_no_second_factor(password_only_client):
    password_only_client.force_login(staff("checkin"))

    assert password_only_client.get("/organise/").status_code == 200


def test_a_check_in_role_does_not_exempt_an_owner_elsewhere(password_only_client):
    user = staff("checkin")
    EventOrganiser.objects.create(event=EventFactory(), user=user, role=Role.OWNER)
    password_only_client.force_login(user)

    assert password_only_client.get("/admin/")["Location"] == reverse(
        "mfa_activate_totp"
    )


def test_staff_with_model_permissions_need_a_second_factor(password_only_client):
    plain = UserFactory(is_staff=True)
    granted = UserFactory(is_staff=True)
    granted.user_permissions.add(Permission.objects.get(codename="change_event"))
    password_only_client.force_login(plain)
    plain_status = password_only_client.get("/admin/").status_code
    password_only_client.force_login(granted)

    assert plain_status == 403  # the admin is for superusers; no second step asked
    assert password_only_client.get("/admin/")["Location"] == reverse(
        "mfa_activate_totp"
    )


def test_the_public_pages_ask_organisers_for_nothing(password_only_client):
    password_only_client.force_login(staff("owner"))

    assert password_only_client.get(reverse("events:list")).status_code == 200


def test_a_code_confirms_the_session_and_returns_to_the_page(password_only_client):
    password_only_client.force_login(with_totp(staff("editor")))
    confirm_url = password_only_client.get("/organise/?q=x")["Location"]

    wrong = password_only_client.post(confirm_url, {"code": "000000"})
    right = password_only_client.post(confirm_url, {"code": totp_code(SECRET)})

    assert wrong.context["form"].errors == {"code": ["Incorrect code."]}
    assert (right.status_code, right["Location"]) == (302, "/organise/?q=x")
    assert password_only_client.get("/organise/").status_code == 200


# --- the whole way, with an authenticator app ---------------------------------------


def follow_to_form(client, url):
    """GET `url`, following redirects, and return the last page."""
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return response


@pytest.mark.django_db(transaction=True)  # allauth records activation after commit
def test_an_owner_sets_up_an_authenticator_app_and_signs_in_with_it(
    password_only_client,
):
    client = password_only_client
    owner = staff("owner")

    # First sign-in: the password, then setting up the app before the organiser area.
    login = follow_to_form(client, "/organise/")
    response = client.post(
        login.redirect_chain[-1][0], {"login": owner.email, "password": PASSWORD}
    )
    assert response["Location"] == "/organise/"
    setup = client.get("/organise/", follow=True)
    assert [url for url, _ in setup.redirect_chain] == [
        reverse("mfa_activate_totp"),
        reverse("account_reauthenticate")
        + "?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    ]  # allauth asks for the password again before adding an authenticator
    response = client.post(setup.redirect_chain[-1][0], {"password": PASSWORD})
    activate = follow_to_form(client, response["Location"])
    secret = activate.context["form"].secret
    assert activate.context["totp_url"] == (
        f"otpauth://totp/{quote(owner.email)}?secret={secret}&issuer=Kokous"
    )
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    recovery = client.get(response["Location"])
    assert client.get("/organise/").status_code == 200

    # Next time: the password, then a code from the app.
    client.post("/admin/logout/", follow=True)
    login = follow_to_form(client, "/organise/")
    response = client.post(
        login.redirect_chain[-1][0], {"login": owner.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/organise/")["Location"].startswith(reverse("account_login"))
    code = totp_code(secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response["Location"] == "/organise/"
    assert client.get("/organise/").status_code == 200

    # The same code does not open a second session; a recovery code does, once.
    client.post("/admin/logout/", follow=True)
    for second_step, expected in [
        (code, None),
        (recovery.context["unused_codes"][0], "/organise/"),
    ]:
        response = client.post(
            signed_in_url("/organise/"), {"login": owner.email, "password": PASSWORD}
        )
        response = client.post(reverse("mfa_authenticate"), {"code": second_step})
        assert response.get("Location") == expected
    assert client.get("/organise/").status_code == 200


def test_a_recovery_code_alone_is_not_a_second_factor(password_only_client):
    owner = staff("owner")
    RecoveryCodes.activate(owner)
    password_only_client.force_login(owner)

    assert password_only_client.get("/admin/")["Location"] == reverse(
        "mfa_activate_totp"
    )
