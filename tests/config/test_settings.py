import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import settings as kokous_settings
from config.mail import mailers_from_url

from .conftest import ROOT

# Opens the embedded database as `make run` does and reports what SQLite applied.
SQLITE_PROBE = """
import json, sqlite3
from django.db import connection, transaction
with connection.cursor() as cursor:
    pragmas = {
        name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "busy_timeout", "synchronous")
    }
# IMMEDIATE: an atomic block holds the write lock from BEGIN, so another writer
# cannot start a write transaction until it ends.
with transaction.atomic():
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        pragmas["other_writer"] = "got the lock"
    except sqlite3.OperationalError as error:
        pragmas["other_writer"] = str(error)
    other.close()
print(json.dumps(pragmas))
"""


def test_embedded_sqlite_uses_wal_busy_timeout_and_immediate_transactions(
    run_python,
):
    result = run_python(
        "-c",
        SQLITE_PROBE,
        env={"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"},
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "journal_mode": "wal",
        "busy_timeout": 5000,  # DB_LOCK_TIMEOUT: a few seconds, then "busy"
        "synchronous": 1,  # NORMAL: safe with WAL, without a sync per commit
        "other_writer": "database is locked",
    }


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off(run_python):
    result = run_python("manage.py", "check", env={"DEBUG": "0"})

    assert result.returncode == 1
    assert result.stderr == (
        "Configuration error: SECRET_KEY must be set when DEBUG is off "
        "(set DEBUG=1 for development).\n"
    )


def test_code_only_commands_run_without_secret_key(run_python):
    # makemigrations signs nothing: a bare clone can ask whether one is missing.
    result = run_python(
        "manage.py", "makemigrations", "--check", "--dry-run", env={"DEBUG": "0"}
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "No changes detected\n"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be a boolean (1/0, true/false), got 'maybe'."),
        (
            "SITE_URL",
            "events.example.org",
            "SITE_URL must be an absolute http(s) URL, got 'events.example.org'.",
        ),
        ("EMAIL_TIMEOUT", "soon", "EMAIL_TIMEOUT must be a whole number, got 'soon'."),
        ("DB_LOCK_TIMEOUT", "0", "DB_LOCK_TIMEOUT must be at least 1 second, got 0."),
        (
            "LOG_LEVEL",
            "loud",
            "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got 'LOUD'.",
        ),
    ],
)
def test_bad_environment_is_refused_naming_the_variable(
    load_settings, variable, value, message
):
    with pytest.raises(ImproperlyConfigured) as raised:
        load_settings(**{"DEBUG": "1", variable: value})

    assert str(raised.value) == message


def test_no_email_setting_is_defined_beside_mailers():
    # Django 6.1 refuses EMAIL_* settings when MAILERS is set; our names stay local.
    email_settings = [name for name in dir(kokous_settings) if name.startswith("EMAIL")]

    assert email_settings == []


def test_email_url_becomes_an_smtp_mailer_with_timeout():
    mailers = mailers_from_url(
        "smtp://events%40uni.example:p%40ss@mail.uni.example:587?tls=1", 7
    )

    assert mailers == {
        "default": {
            "BACKEND": "notifications.smtp.EmailBackend",
            "OPTIONS": {
                "host": "mail.uni.example",
                "port": 587,
                "timeout": 7,
                "use_ssl": False,
                "use_tls": True,
                "username": "events@uni.example",
                "password": "p@ss",
            },
        }
    }


def test_smtps_url_uses_implicit_tls_on_port_465():
    options = mailers_from_url("smtps://mail.uni.example", 15)["default"]["OPTIONS"]

    assert (options["port"], options["use_ssl"], options["use_tls"]) == (
        465,
        True,
        False,
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://mail.uni.example", "EMAIL_URL must look like smtp://host:port"),
        ("smtp://mail.uni.example?starttls=1", "EMAIL_URL knows only the option tls=1"),
        ("smtps://mail.uni.example?tls=1", "EMAIL_URL: smtps:// is TLS from the start"),
    ],
)
def test_bad_email_url_is_refused(url, message):
    with pytest.raises(ImproperlyConfigured) as raised:
        mailers_from_url(url, 15)

    assert str(raised.value).startswith(message)


def test_readme_documents_exactly_the_variables_settings_read(settings_env_names):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.MULTILINE))

    assert documented == settings_env_names


def test_redis_cache_answers_as_empty_while_away_and_gives_up_fast(load_settings):
    settings = load_settings(DEBUG="1", REDIS_URL="redis://cache.internal:6379/0")

    assert settings.CACHES["default"] == {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
        "KEY_PREFIX": "kokous",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }


# Prints the database options a process of that kind connects with.
OPTIONS_PROBE = (
    "from django.conf import settings; "
    "print(settings.DATABASES['default']['OPTIONS']['options'])"
)


def test_postgres_waits_for_a_lock_a_few_seconds_in_every_process(
    load_settings, monkeypatch
):
    monkeypatch.setattr("config.env.web_process", False)
    settings = load_settings(
        DEBUG="1", DATABASE_URL="postgres://kokous@db.internal:5432/kokous"
    )

    assert settings.DATABASES["default"]["OPTIONS"] == {
        "options": "-c lock_timeout=5000"
    }


def test_web_processes_also_get_a_statement_timeout(run_python):
    env = {
        "DEBUG": "1",
        "DATABASE_URL": "postgres://kokous@db.internal:5432/kokous",
        "DB_LOCK_TIMEOUT": "3",
    }

    web = run_python("-c", "import config.wsgi; " + OPTIONS_PROBE, env=env)
    command = run_python("manage.py", "shell", "-c", OPTIONS_PROBE, env=env)

    assert (web.returncode, command.returncode) == (0, 0), web.stderr + command.stderr
    assert web.stdout == "-c lock_timeout=3000 -c statement_timeout=20000\n"
    assert command.stdout.splitlines()[-1] == "-c lock_timeout=3000"
