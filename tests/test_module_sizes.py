"""Modules stay small: no module of the apps or of config/ is over 400 lines.

Migrations are generated and tests are specifications; everything else that
grows past the limit is split by sub-domain (a package with a module per part).
"""

from pathlib import Path

from django.conf import settings

MAX_LINES = 400
ROOT = Path(settings.BASE_DIR)


def app_modules() -> list[Path]:
    packages = [path.parent for path in ROOT.glob("*/apps.py")]
    return sorted(
        path
        for package in packages
        for path in package.rglob("*.py")
        if "migrations" not in path.parts
    )


def test_no_module_of_the_apps_is_over_400_lines():
    too_long = [
        f"{path.relative_to(ROOT)} ({count} lines)"
        for path in app_modules()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    ]

    assert too_long == []


def test_every_app_is_read():
    read = {path.relative_to(ROOT).parts[0] for path in app_modules()}

    assert read >= {"accounts", "config", "events", "registrations", "notifications"}
