"""accounts.mfa: whether a session passed a second factor, and enrolment counting
as passing it only for a person's first authenticator; the admin of authenticators."""

import base64

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from accounts.mfa import has_second_factor, is_mfa_verified, record_enrolment
from tests.factories import UserFactory
from tests.totp import totp_code

pytestmark = pytest.mark.django_db


def signed_in_request(user):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = user
    return request


def authenticator(user, kind):
    return Authenticator.objects.create(user=user, type=kind, data={})


def test_totp_code_helper_matches_the_rfc_6238_test_vectors():
    # RFC 6238 appendix B, SHA-1: the last six digits of its eight-digit codes.
    secret = base64.b32encode(b"12345678901234567890").decode()

    codes = [totp_code(secret, at) for at in (59, 1111111109, 1234567890)]

    assert codes == ["287082", "081804", "005924"]


def test_a_password_alone_does_not_verify_the_session():
    user = UserFactory()
    request = signed_in_request(user)
    record_authentication(request, user, "password", email=user.email)

    assert is_mfa_verified(request) is False


def test_an_mfa_record_verifies_the_session_of_its_own_user_only():
    ada, bob = UserFactory(), UserFactory()
    request = signed_in_request(ada)
    record_authentication(request, ada, "mfa", type="totp")
    verified_as_ada = is_mfa_verified(request)
    request.user = bob  # another sign-in in the same browser

    assert (verified_as_ada, is_mfa_verified(request)) == (True, False)


def test_recovery_codes_alone_are_not_a_second_factor():
    user = UserFactory()
    authenticator(user, Authenticator.Type.RECOVERY_CODES)
    without_app = has_second_factor(user)
    authenticator(user, Authenticator.Type.TOTP)

    assert (without_app, has_second_factor(user)) == (False, True)


def test_setting_up_the_first_authenticator_verifies_the_session():
    user = UserFactory()
    request = signed_in_request(user)

    record_enrolment(
        request=request, authenticator=authenticator(user, Authenticator.Type.TOTP)
    )

    assert is_mfa_verified(request) is True


def test_adding_a_further_authenticator_does_not_verify_the_session():
    user = UserFactory()
    authenticator(user, Authenticator.Type.WEBAUTHN)
    request = signed_in_request(user)

    record_enrolment(
        request=request, authenticator=authenticator(user, Authenticator.Type.TOTP)
    )

    assert is_mfa_verified(request) is False


def test_another_persons_authenticator_does_not_verify_the_session():
    user = UserFactory()
    request = signed_in_request(user)

    record_enrolment(
        request=request,
        authenticator=authenticator(UserFactory(), Authenticator.Type.TOTP),
    )

    assert is_mfa_verified(request) is False


def test_the_admin_shows_no_secret_and_deletes_a_lost_authenticator(admin_client):
    lost = Authenticator.objects.create(
        user=UserFactory(),
        type=Authenticator.Type.TOTP,
        data={"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"},
    )
    url = reverse("admin:mfa_authenticator_change", args=[lost.pk])

    page = admin_client.get(url)
    add = admin_client.get(reverse("admin:mfa_authenticator_add"))
    deleted = admin_client.post(
        reverse("admin:mfa_authenticator_delete", args=[lost.pk]), {"post": "yes"}
    )

    assert page.status_code == 200
    assert "JBSWY3DP" not in page.content.decode()
    assert add.status_code == 403
    assert deleted.status_code == 302
    assert not Authenticator.objects.filter(pk=lost.pk).exists()
