"""How staff sign in: through allauth only, with a second factor for organisers.

The admin's own login form would bypass allauth's rate limits and second factor,
so its login and logout URLs hand over to allauth's. Before any organiser page,
those who must use a second factor (events.mfa) are sent to set one up, or to
confirm it, until this session has passed it.
"""

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from accounts.mfa import has_second_factor, is_mfa_verified
from events import access
from events.access import Capability
from events.mfa import must_use_mfa

# The admin today, the organiser area next to it.
ORGANISER_PATH_PREFIXES = ("/admin/", "/organise/")


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def admin_login(request):
    """The admin's sign-in page: allauth's, returning to where the admin sent us."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    user = request.user
    if not user.is_authenticated:
        return redirect(_with_next(reverse("account_login"), next_url))
    if access.may_use_admin(request):
        return redirect(next_url)
    if access.may_somewhere(request, Capability.VIEW_EVENT):
        return redirect("organise:index")  # the admin is not theirs
    # allauth's login page sends the signed-in back to `next`: that would loop.
    messages.error(
        request,
        _(
            "You are signed in as %(email)s, which has no access to the organiser "
            "pages. Sign out to sign in with another account."
        )
        % {"email": user.email},
    )
    return redirect("events:list")


def admin_logout(request):
    """Signing out is allauth's; 307 keeps the admin's POST (and its CSRF token)."""
    return redirect("account_logout", preserve_request=True)


def _is_organiser_page(path: str) -> bool:
    return path.startswith(ORGANISER_PATH_PREFIXES) and path not in {
        reverse("admin:login"),
        reverse("admin:logout"),
    }


class OrganiserMfaMiddleware:
    """Organiser pages only for a session that passed a second factor, for those who
    must use one; check-in staff and attendees are let through to the page's own
    permission check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            _is_organiser_page(request.path_info)
            and request.user.is_authenticated
            and not is_mfa_verified(request)
            and must_use_mfa(request.user)
        ):
            return self._second_step(request)
        return self.get_response(request)

    def _second_step(self, request):
        if has_second_factor(request.user):
            messages.info(
                request,
                _(
                    "Enter a code from your authenticator app to open the organiser "
                    "pages."
                ),
            )
            return redirect(
                _with_next(reverse("mfa_reauthenticate"), request.get_full_path())
            )
        messages.info(
            request,
            _(
                "The organiser pages need a second step when you sign in. Set up an "
                "authenticator app to continue."
            ),
        )
        return redirect("mfa_activate_totp")
