"""Meetings' tests: calendar entries named as the test client's host names them."""

import pytest


@pytest.fixture
def uids_on_testserver(settings):
    """Feed UIDs end in @testserver, the test client's host."""
    settings.CALENDAR_UID_DOMAIN = "testserver"
