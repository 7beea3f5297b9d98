import secrets

import pytest
from django.core.checks.mail import check_mailers_production_backend
from django.test import override_settings

from config.checks import check_deploy_settings, is_local_host

GOOD = {
    "SITE_URL": "https://events.uni.example",
    "CALENDAR_UID_DOMAIN": "events.uni.example",
    "DEFAULT_FROM_EMAIL": "Events office <events@uni.example>",
}


def production_env(**overrides: str) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "https://events.uni.example",
        "DEFAULT_FROM_EMAIL": "Events office <events@uni.example>",
        "EMAIL_URL": "smtp://events:secret@mail.uni.example:587?tls=1",
        "DATABASE_URL": "postgres://kokous:secret@db.uni.example:5432/kokous",
        "REDIS_URL": "redis://redis.uni.example:6379/0",
        **overrides,
    }


def test_deploy_check_is_silent_for_a_public_https_site():
    with override_settings(**GOOD):
        assert check_deploy_settings() == []


def test_deploy_check_warns_about_http_and_local_names():
    with override_settings(
        SITE_URL="http://127.0.0.1:8000",
        CALENDAR_UID_DOMAIN="localhost",
        DEFAULT_FROM_EMAIL="Kokous <noreply@localhost>",
    ):
        warnings = check_deploy_settings()

    assert [warning.id for warning in warnings] == [
        "kokous.W001",
        "kokous.W002",
        "kokous.W003",
    ]
    assert warnings[0].msg == (
        "SITE_URL is not https (http://127.0.0.1:8000): links in emails and calendar "
        "feeds, and the session cookies, are not protected."
    )


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("kokous.localhost", True),
        ("printer.local", True),
        ("127.0.0.1", True),
        ("[::1]", True),
        ("10.0.0.5", True),
        ("", True),
        ("events.uni.example", False),
        ("localhost.uni.example", False),
    ],
)
def test_is_local_host(host, expected):
    assert is_local_host(host) is expected


def test_check_deploy_is_clean_with_production_settings(run_python):
    result = run_python(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (1 silenced).\n"


def test_without_email_url_django_reports_that_mail_stays_on_the_machine(
    load_settings,
):
    env = production_env()
    del env["EMAIL_URL"]  # mail to files under var/mail: the demo's mailer
    production = load_settings(**env)

    with override_settings(MAILERS=production.MAILERS):
        errors = check_mailers_production_backend(None)

    assert [error.id for error in errors] == ["mail.E001"]
