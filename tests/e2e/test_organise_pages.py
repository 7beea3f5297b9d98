"""Every organiser page, in English, Finnish and Swedish, as the event's owner
past both sign-in steps: axe-core finds no serious or critical WCAG problem, any
of lower impact is one docs/accessibility.md lists with its reason, and the W3C's
Nu Html Checker finds no error in the HTML as served.

The pages come from the URLconf (tests.e2e.pages.organiser_pages), their ids from
the access matrix's world, so a new page is checked without being named here.
"""

import pytest
from django.conf import settings

from tests.conftest import MfaVerifiedClient
from tests.e2e.browser import axe_violations, csp_violations
from tests.e2e.pages import (
    documented_findings,
    organiser_pages,
    save_page,
    vnu_errors,
)
from tests.test_access_matrix import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LANGUAGES = ["en", "fi", "sv"]


def sign_in(page, base: str, user, language: str) -> None:
    client = MfaVerifiedClient()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME,
             "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": base},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base},
        ]
    )  # fmt: skip


def test_every_organiser_page_passes_axe_and_vnu_in_three_languages(
    live_server, page, tmp_path
):
    world = build_world()
    owner = world["people"]["owner"]
    paths = organiser_pages(world)
    accepted = documented_findings()
    serious, undocumented, failed = [], [], []

    for language in LANGUAGES:
        sign_in(page, live_server.url, owner, language)
        for path in paths:
            response = page.goto(live_server.url + path)
            if response.status != 200 or "text/html" not in response.headers.get(
                "content-type", ""
            ):
                failed.append(f"{path}: {response.status}")
                continue
            assert page.locator("html").get_attribute("lang") == language, path
            save_page(tmp_path, path, language, response.body())
            found = axe_violations(page)
            where = f"{language} {path}"
            serious += [f"{where}: {v}" for v in found["critical"] + found["serious"]]
            undocumented += [
                f"{where}: {v}"
                for v in found["moderate"] + found["minor"]
                if v.split(":")[0] not in accepted
            ]

    problems = {
        "not a page": failed,
        "axe, serious or critical": serious,
        "axe, lower impact, not in docs/accessibility.md": undocumented,
        "CSP": [str(v) for v in csp_violations(page)],
        "vnu": vnu_errors(tmp_path),
    }
    assert len(paths) >= 40
    assert {k: v for k, v in problems.items() if v} == {}
