"""Every public and account page, in English, Finnish and Swedish, anonymously
and signed in: axe-core finds no violation of any impact (best practices
included), the browser reports no CSP violation, and the W3C's Nu Html Checker
finds no error in the HTML as served. Pages reached only part-way through a form
(the second sign-in step, a sign-in code, a sign-up with errors) are reached so.

Each route of the URLconf outside the organiser area and the admin is either
opened here, by the person who sees it, or listed as not a page with the reason;
a new route fails the test until it is one or the other.
"""

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import RequestFactory

from meetings.services.profiles import save_profile
from tests.conftest import MfaVerifiedClient
from tests.e2e.browser import IMPACTS, axe_violations, csp_violations
from tests.e2e.pages import save_page, vnu_errors
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.test_access_matrix import build_world, concrete_path, routes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LANGUAGES = ["en", "fi", "sv"]
PASSWORD = "a long and unusual passphrase"  # noqa: S105
ANONYMOUS, ATTENDEE, TWO_FACTOR, NO_PASSWORD = "anonymous", "attendee", "mfa", "nopw"

# Who opens each page. A tuple names the URL values that differ from the world's.
VISITS = {
    "": [ANONYMOUS, ATTENDEE],
    "events/<slug:slug>/": [ANONYMOUS, ATTENDEE],
    "events/<slug:slug>/schedule/": [ANONYMOUS, ATTENDEE],
    "events/<slug:slug>/sessions/<uuid:session_uuid>/": [ANONYMOUS, ATTENDEE],
    "events/<slug:slug>/sessions/<uuid:session_uuid>/seat/": [ATTENDEE],
    "events/<slug:slug>/participants/": [ANONYMOUS],
    "events/<slug:slug>/register/": [(ATTENDEE, {"slug": "autumn-school"})],
    "registrations/": [ATTENDEE],
    "registrations/schedule/": [ATTENDEE],
    "registrations/<str:token>/": [ANONYMOUS],
    "registrations/<str:token>/cancel/": [ANONYMOUS],
    "registrations/<str:token>/answers/": [ANONYMOUS],
    "registrations/<str:token>/sessions/": [ANONYMOUS],
    "invitations/<str:token>/": [ANONYMOUS],
    "calendar/": [ATTENDEE],
    "events/<slug:slug>/meetings/": [ATTENDEE],
    "events/<slug:slug>/meetings/profile/": [ATTENDEE],
    "events/<slug:slug>/meetings/people/": [ATTENDEE],
    "events/<slug:slug>/meetings/people/<int:profile_id>/request/": [ATTENDEE],
    "events/<slug:slug>/meetings/networks/": [ATTENDEE],
    "events/<slug:slug>/meetings/sheet/": [ATTENDEE],
    "events/<slug:slug>/meetings/at/<str:token>/": [ATTENDEE],
    **dict.fromkeys(
        [
            f"accounts/{page}"
            for page in [
                "login/",
                "signup/",
                "inactive/",
                "confirm-email/",
                "login/code/",
                "password/reset/",
                "password/reset/done/",
                "password/reset/key/done/",
                "3rdparty/login/cancelled/",
                "3rdparty/login/error/",
            ]
        ],
        [ANONYMOUS],
    ),  # fmt: skip
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": [ANONYMOUS],
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": [ANONYMOUS],
    **dict.fromkeys(
        [
            f"accounts/{page}"
            for page in [
                "profile/",
                "email/",
                "password/change/",
                "reauthenticate/",
                "reauthenticate/code/",
                "logout/",
                "3rdparty/",
                "2fa/",
                "2fa/totp/activate/",
            ]
        ],
        [ATTENDEE],
    ),  # fmt: skip
    "accounts/password/set/": [NO_PASSWORD],
    **dict.fromkeys(
        [
            f"accounts/2fa/{page}"
            for page in [
                "reauthenticate/",
                "totp/deactivate/",
                "recovery-codes/",
                "recovery-codes/generate/",
            ]
        ],
        [TWO_FACTOR],
    ),  # fmt: skip
}
# Pages reached part-way through a form: see the flows below.
FLOWS = {
    "accounts/2fa/authenticate/",
    "accounts/login/code/confirm/",
    "accounts/reauthenticate/code/confirm/",
}
NOT_PAGES = {
    "healthz": "JSON for the load balancer",
    "i18n/setlang/": "a POST-only form target",
    "events/<slug:slug>/sessions/<uuid:session_uuid>/bookmark/": "POST only",
    "events.ics": "a calendar feed",
    "events/<slug:slug>/schedule.ics": "a calendar feed",
    "events/<slug:slug>/sessions/<uuid:session_uuid>.ics": "a calendar feed",
    "calendar/<str:token>.ics": "a calendar feed",
    "accounts/2fa/recovery-codes/download/": "a text file",
    "events/<slug:slug>/meetings/requests/<int:request_id>/answer/": "POST only",
    "events/<slug:slug>/meetings/requests/<int:request_id>/withdraw/": "POST only",
    "events/<slug:slug>/meetings/<uuid:meeting_uuid>/cancel/": "POST only",
    "events/<slug:slug>/meetings/networks/<int:network_id>/answer/": "POST only",
    "events/<slug:slug>/meetings/networks/<int:network_id>/join/": "POST only",
    "events/<slug:slug>/meetings/<uuid:meeting_uuid>/met/": "POST only",
    "accounts/3rdparty/signup/": (
        "only during a sign-in through another provider, which tests have none of"
    ),
    "accounts/social/login/cancelled/": "allauth's old address: a redirect",
    "accounts/social/login/error/": "allauth's old address: a redirect",
    "accounts/social/signup/": "allauth's old address: a redirect",
    "accounts/social/connections/": "allauth's old address: a redirect",
}


def public_routes() -> list[str]:
    return [
        r for r in routes() if not r.startswith(("admin/", "organise/", "__debug__"))
    ]


def test_every_public_route_is_visited_or_said_not_to_be_a_page():
    known = VISITS.keys() | FLOWS | NOT_PAGES.keys()
    assert sorted(set(public_routes()) - known) == []
    assert sorted(known - set(public_routes())) == []


def people(world) -> dict:
    two_factor = UserFactory(email="mfa@example.org", password=PASSWORD)
    TOTP.activate(two_factor, generate_totp_secret())
    RecoveryCodes.activate(two_factor)
    no_password = UserFactory(email="nopw@example.org")
    no_password.set_unusable_password()
    no_password.save()
    attendee = world["people"]["attendee"]
    attendee.set_password(PASSWORD)
    attendee.save()
    for person in (two_factor, no_password):
        EmailAddress.objects.create(
            user=person, email=person.email, verified=True, primary=True
        )
    return {ATTENDEE: attendee, TWO_FACTOR: two_factor, NO_PASSWORD: no_password}


def session_of(user) -> str:
    """A session past both sign-in steps, with the password asked again just now
    (the pages that change a second factor ask for that)."""
    client = MfaVerifiedClient()
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "password", reauthenticated=True)
    request.session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def as_person(page, base: str, session: str | None, language: str) -> None:
    page.context.clear_cookies()
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    if session:
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}
        )
    page.context.add_cookies(cookies)


def paths_to_visit(world, special: dict) -> list[tuple[str, str]]:
    """(who, path) for every page of VISITS."""
    visits = []
    for route, visitors in VISITS.items():
        for visitor in visitors:
            who, values = visitor if isinstance(visitor, tuple) else (visitor, {})
            if route in special:
                path = special[route]
            else:
                filled = {**world, "values": {**world["values"], **values}}
                path = concrete_path(route, filled)
            visits.append((who, path))
    return visits


class Checker:
    """Runs axe on each page the browser shows and keeps its HTML for vnu."""

    def __init__(self, page, directory):
        self.page, self.directory = page, directory
        self.findings: list[str] = []
        self.count = 0

    def check(self, label: str, language: str, html: bytes) -> None:
        assert self.page.locator("html").get_attribute("lang") == language, label
        self.count += 1
        save_page(self.directory, f"{self.count}-{label}", language, html)
        found = axe_violations(self.page)
        self.findings += [f"{language} {label}: {v}" for i in IMPACTS for v in found[i]]

    def visit(self, base: str, path: str, language: str, label: str = "") -> None:
        response = self.page.goto(base + path)
        ok = response.status == 200 or path.endswith("/login/error/")
        assert ok and "text/html" in response.headers["content-type"], (
            f"{path}: {response.status} at {self.page.url}"
        )
        self.check(label or path, language, response.body())


def submit(page) -> None:
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")


def test_every_public_and_account_page_passes_axe_and_vnu_in_three_languages(
    live_server, page, tmp_path
):
    base = live_server.url
    world = build_world()
    event = world["objects"]["events.event"]
    event.participant_list_public = True
    event.save(update_fields=["participant_list_public"])
    EventFactory(title="Autumn School", slug="autumn-school")
    persons = people(world)
    unconfirmed = EmailAddress.objects.create(
        user=persons[ATTENDEE], email="ada.new@example.org", verified=False
    )
    attendee = persons[ATTENDEE]
    # Both opted in to meetings: the attendee sees the directory and asks the other.
    save_profile(
        registration=attendee.registrations.get(event=event), organisation="Aalto"
    )
    other = save_profile(
        registration=RegistrationFactory(event=event), organisation="KTH"
    )
    special = {
        "events/<slug:slug>/meetings/people/<int:profile_id>/request/": (
            f"/events/{event.slug}/meetings/people/{other.pk}/request/"
        ),
        "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": (
            f"/accounts/confirm-email/{EmailConfirmationHMAC(unconfirmed).key}/"
        ),
        "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
            f"/accounts/password/reset/key/{user_pk_to_url_str(attendee)}-"
            f"{default_token_generator.make_token(attendee)}/"
        ),
    }
    visits = paths_to_visit(world, special)
    checker = Checker(page, tmp_path)

    for language in LANGUAGES:
        for who in [ANONYMOUS, ATTENDEE, TWO_FACTOR, NO_PASSWORD]:
            session = None if who == ANONYMOUS else session_of(persons[who])
            as_person(page, base, session, language)
            for _who, path in [v for v in visits if v[0] == who]:
                checker.visit(base, path, language)

        # Sign-up with mistakes: the form comes back with its errors.
        as_person(page, base, None, language)
        page.goto(base + "/accounts/signup/")
        page.locator("input[name=email]").fill("new@example.org")
        page.locator("input[name=password1]").fill("short")
        page.locator("input[name=password2]").fill("other")
        submit(page)
        checker.check("signup-errors", language, page.content().encode())
        # The second sign-in step.
        page.goto(base + "/accounts/login/")
        page.locator("input[name=login]").fill(persons[TWO_FACTOR].email)
        page.locator("input[name=password]").fill(PASSWORD)
        submit(page)
        assert page.url == base + "/accounts/2fa/authenticate/"
        checker.visit(base, "/accounts/2fa/authenticate/", language)
        page.locator("input[name=code]").fill("000000")
        submit(page)
        checker.check("2fa-authenticate-errors", language, page.content().encode())
        # A sign-in code asked for by email.
        as_person(page, base, None, language)
        page.goto(base + "/accounts/login/code/")
        page.locator("input[name=email]").fill(attendee.email)
        submit(page)
        assert page.url == base + "/accounts/login/code/confirm/"
        checker.visit(base, "/accounts/login/code/confirm/", language)
        # Confirming who one is by a code.
        as_person(page, base, session_of(attendee), language)
        page.goto(base + "/accounts/reauthenticate/code/")
        submit(page)
        assert page.url.startswith(base + "/accounts/reauthenticate/code/confirm/")
        checker.visit(base, "/accounts/reauthenticate/code/confirm/", language)

    problems = {
        "axe": checker.findings,
        "CSP": [str(v) for v in csp_violations(page)],
        "vnu": vnu_errors(tmp_path),
    }
    assert checker.count >= 3 * 51
    assert {k: v for k, v in problems.items() if v} == {}
