import re

from .test_health import free_port


def test_ci_fails_tests_whose_service_is_missing_instead_of_skipping(run_python):
    # SQLite and a Redis URL where nothing listens, as on a CI box missing services.
    result = run_python(
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "tests/config/ci_probe.py",
        env={"CI": "true", "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"},
    )

    assert result.returncode == 1
    assert re.findall(r"^ERROR .*", result.stdout, flags=re.MULTILINE) == [
        "ERROR tests/config/ci_probe.py::test_needs_postgres - Failed: needs "
        "DATABASE_URL pointing at PostgreSQL (CI=true: this test must run)",
        "ERROR tests/config/ci_probe.py::test_needs_redis[1] - Failed: needs "
        "REDIS_URL pointing at a running Redis (CI=true: this test must run)",
        "ERROR tests/config/ci_probe.py::test_needs_redis[2] - Failed: needs "
        "REDIS_URL pointing at a running Redis (CI=true: this test must run)",
    ]
    assert "= 1 passed, 3 errors in " in result.stdout
