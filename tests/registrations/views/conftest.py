"""These pages keep rendered parts in the cache: each test starts and ends with an
empty one."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()
