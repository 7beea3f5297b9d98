"""Whether this session passed a second factor, and whether a person can pass one.

allauth writes a record into the session for every authentication step: the
password, a login code, a single sign-on, and "mfa" for an authenticator app
code, a recovery code or a security key. Who must pass a second factor is not
decided here (accounts knows no roles): see config/staff_login.py.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

# Recovery codes alone are no way in: they only stand in for a lost app or key.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def is_mfa_verified(request: HttpRequest) -> bool:
    """True when the signed-in person passed a second factor in this session."""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def has_second_factor(user: AbstractBaseUser) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def record_enrolment(*, request: HttpRequest, authenticator: Authenticator) -> None:
    """Count setting up one's first second factor as passing it in this session.

    Activation asks for a code from the new app (or a touch of the new key), so the
    person has just proved they hold it; asking for another code at once would only
    make them wait for the app's next one. A further authenticator proves nothing
    new: a session that signed in with a password alone must not verify itself by
    adding one, so only the first counts.
    """
    user = authenticator.user
    if request.user != user or authenticator.type not in SECOND_FACTORS:
        return
    if Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).count() != 1:
        return
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type
    )


def on_authenticator_added(sender, *, request, authenticator, **kwargs) -> None:
    """allauth's `authenticator_added`, sent after the activation has committed."""
    record_enrolment(request=request, authenticator=authenticator)
