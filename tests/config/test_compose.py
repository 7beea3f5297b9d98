"""docker-compose.yml against the settings: Docker itself cannot run here."""

import json
import runpy
import shlex

import pytest
import yaml
from django.conf import settings

from .conftest import ROOT

DJANGO_SERVICES = ["web", "migrate", "worker", "worker-bulk", "beat"]
REQUIRED_ENV = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SITE_URL", "EMAIL_URL"}


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def command(service: dict) -> list[str]:
    raw = service["command"]
    return raw if isinstance(raw, list) else shlex.split(raw)


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_compose_has_the_services_and_only_mailpit_is_dev_only(services):
    assert sorted(services) == sorted(
        ["postgres", "redis", "mailpit", *DJANGO_SERVICES]
    )
    assert {name: s.get("profiles") for name, s in services.items()} == {
        **dict.fromkeys(services),
        "mailpit": ["dev"],
    }


def test_django_services_share_one_image_and_environment(services):
    web = services["web"]

    for name in DJANGO_SERVICES:
        assert (services[name]["build"], services[name]["image"]) == (".", "kokous")
        assert services[name]["environment"] == web["environment"]


def test_django_services_run_the_right_programs(services):
    assert command(services["web"])[:2] == ["gunicorn", "config.wsgi"]
    assert command(services["migrate"]) == [
        "python",
        "manage.py",
        "migrate",
        "--noinput",
    ]
    assert command(services["beat"])[:4] == ["celery", "-A", "config", "beat"]
    for name in ["worker", "worker-bulk"]:
        assert command(services[name])[:4] == ["celery", "-A", "config", "worker"]


def test_workers_consume_every_queue_the_settings_route_to(services):
    consumed = {
        option(command(services[name]), "-Q") for name in ["worker", "worker-bulk"]
    }
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}

    assert consumed == routed | {settings.CELERY_TASK_DEFAULT_QUEUE}
    assert consumed == {"default", "bulk"}


def test_services_wait_for_healthy_databases_and_the_migration(services):
    assert services["postgres"]["healthcheck"]["test"] == [
        "CMD-SHELL",
        "pg_isready -U kokous -d kokous",
    ]
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert services["migrate"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"}
    }
    for name in ["web", "worker", "worker-bulk", "beat"]:
        assert services[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }


def test_compose_sets_only_variables_the_settings_read(services, settings_env_names):
    environment = set(services["web"]["environment"])

    assert environment - settings_env_names == set()
    assert REQUIRED_ENV - environment == set()


def test_compose_points_django_at_its_own_services(services):
    environment = services["web"]["environment"]

    assert environment["DATABASE_URL"] == (
        "postgres://kokous:${POSTGRES_PASSWORD}@postgres:5432/kokous"
    )
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_web_serves_with_threads_in_compose_and_in_the_image(services):
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    image_cmd = json.loads(dockerfile.split("\nCMD ", 1)[1].splitlines()[0])
    gunicorn = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))

    for argv in (command(services["web"]), image_cmd):
        assert argv[:2] == ["gunicorn", "config.wsgi"]
        assert option(argv, "-c") == "config/gunicorn.conf.py"
    # A request waiting for a lock holds one thread; the others keep answering.
    assert (gunicorn["worker_class"], gunicorn["threads"]) == ("gthread", 8)
