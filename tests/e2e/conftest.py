import pytest

from tests.e2e.browser import open_page


@pytest.fixture
def page(monkeypatch):
    """A phone-sized Chromium page recording CSP violations (tests.e2e.browser)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls made
    # here between browser steps are ordinary blocking calls. (Set for this test
    # only: a deploy check in another test's subprocess would flag it.)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with open_page() as page:
        yield page
