"""Accounts through allauth: email login, mandatory verification, login codes,
no account enumeration, and the profile page."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_signup_stores_the_name_and_requires_verification(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "Ada@Example.org", "name": "Ada Lovelace",
         "password1": PASSWORD, "password2": PASSWORD},
    )  # fmt: skip

    user = User.objects.get(email__iexact="ada@example.org")
    assert user.name == "Ada Lovelace"
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert EmailAddress.objects.get(user=user).verified is False
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert re.search(r"/accounts/confirm-email/\S+/", mail.outbox[0].body)


def test_unverified_person_cannot_sign_in_with_password(client):
    user = UserFactory(email="bo@example.org")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=False, primary=True
    )

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_login_by_code_mails_a_code(client):
    user = UserFactory(email="cy@example.org")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )

    response = client.post(reverse("account_request_login_code"), {"email": user.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["cy@example.org"]


def test_password_reset_does_not_reveal_whether_an_account_exists(client):
    UserFactory(email="known@example.org")
    known = client.post(
        reverse("account_reset_password"), {"email": "known@example.org"}
    )
    unknown = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.org"}
    )

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_profile_page_saves_name_affiliation_country_language(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"),
        {"name": "  Aino   Virtanen ", "affiliation": "University of Helsinki",
         "country": "FI", "preferred_language": "fi"},
    )  # fmt: skip

    user.refresh_from_db()
    assert response.status_code == 302
    assert (user.name, user.affiliation, user.country, user.preferred_language) == (
        "Aino Virtanen", "University of Helsinki", "FI", "fi",
    )  # fmt: skip


def test_profile_rejects_an_unknown_country_and_language(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"),
        {"name": "Aino", "country": "XX", "preferred_language": "de"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"country", "preferred_language"}
