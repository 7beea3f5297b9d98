"""Browser tests' shared tools: Debian's Chromium, CSP violations, axe.

    from tests.e2e.browser import axe_violations, csp_violations, open_page

    with open_page() as page:                 # or the `page` fixture (conftest)
        page.goto(live_server.url + "/")
        assert csp_violations(page) == []     # every page of the browser so far
        assert axe_violations(page)["serious"] == []

The page's Content-Security-Policy stays in force (Playwright's bypass_csp is
off): the violation recorder is an init script and axe is evaluated through the
DevTools protocol, neither of which the policy governs, so what the tests see is
what a visitor's browser does.
"""

import shutil
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connections

from tests.conftest import require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
]
PHONE = {"width": 390, "height": 844}
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
IMPACTS = ("critical", "serious", "moderate", "minor")

# Runs in every document before the page's own scripts. Each violation goes to
# Python at once, so that none is lost when the page navigates away.
_RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__kokousCspViolation({
    page: document.location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
}, true);
"""
_violations_by_context: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@contextmanager
def open_page(*, viewport: dict | None = None) -> Iterator:
    """A Playwright page in a fresh headless Chromium that records CSP violations.

    Skips (fails under CI) without /usr/bin/chromium. Set DJANGO_ALLOW_ASYNC_UNSAFE
    when the test uses the ORM between browser steps (the `page` fixture does).
    """
    require(
        bool(shutil.which(CHROMIUM)), "needs Debian's chromium at /usr/bin/chromium"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport=viewport or PHONE, bypass_csp=False)
            record_csp_violations(context)
            yield context.new_page()
        finally:
            # The ORM calls made while Playwright's loop runs got a connection of
            # their own: close it, or the test database cannot be dropped at the end.
            connections.close_all()
            browser.close()


def record_csp_violations(context) -> list[dict]:
    """Record every securitypolicyviolation in the context's pages from now on.

    Returns the list the violations are appended to (open_page() has called it).
    """
    violations = _violations_by_context.setdefault(context, [])
    context.expose_binding(
        "__kokousCspViolation", lambda _source, violation: violations.append(violation)
    )
    context.add_init_script(_RECORD_VIOLATIONS)
    return violations


def csp_violations(page) -> list[dict]:
    """Every CSP violation in the page's browser context so far, oldest first.

    Each is a dict: page, directive, blocked, source, line, sample.
    """
    settle(page)
    return list(_violations_by_context[page.context])


def settle(page) -> None:
    """Let the page deliver the events it has queued (violation reports are queued).

    One round through the page's task queue, not a timed wait: by the time this
    returns, Python has received every report queued before it.
    """
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 0))")


def axe_violations(page, *, options: dict | None = None) -> dict[str, list[str]]:
    """axe-core's violations on the current page, by impact.

    {"critical": [...], "serious": [...], "moderate": [...], "minor": [...]}, each
    item "rule: help (selector, selector)". `options` go to axe.run, e.g.
    {"runOnly": ["wcag2a", "wcag2aa"]}.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    found = page.evaluate(
        """async (options) => (await axe.run(document, options)).violations.map(
            (v) => ({id: v.id, impact: v.impact, help: v.help,
                     targets: v.nodes.map((node) => node.target.join(" "))}))""",
        options or {},
    )
    by_impact = {impact: [] for impact in IMPACTS}
    for violation in found:
        targets = ", ".join(violation["targets"])
        by_impact[violation["impact"]].append(
            f"{violation['id']}: {violation['help']} ({targets})"
        )
    return by_impact
