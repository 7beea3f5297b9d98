"""Run only by test_ci.py in a subprocess; its name keeps pytest from collecting it."""

import pytest


def test_plain():
    assert 1 + 1 == 2


@pytest.mark.postgres
def test_needs_postgres():
    assert True


@pytest.mark.redis
@pytest.mark.parametrize("n", [1, 2])
def test_needs_redis(n):
    assert n in {1, 2}
