"""Imports between the apps point one way:
accounts <- events <- registrations <- meetings <- notifications <- organise.

`lint-imports` (run by .ci/run and `make lint`) checks every import against the
contracts in pyproject.toml, including the imports inside functions. This test
keeps those contracts in step with the apps that exist, so that a new app cannot
stay outside them.
"""

import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
    return {item["name"]: item for item in config["importlinter"]["contracts"]}


def apps() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/apps.py")} - {"config"}


def test_the_layers_are_the_apps_that_exist_from_top_to_bottom():
    layers = contracts()["Apps depend one way"]["layers"]

    assert layers == [
        "organise",
        "notifications",
        "meetings",
        "registrations",
        "events",
        "accounts",
    ]
    assert set(layers) == apps()


def test_no_app_may_import_config():
    contract = contracts()["No app imports config"]

    assert contract["forbidden_modules"] == ["config"]
    assert set(contract["source_modules"]) == apps()


def test_the_linter_reads_every_app_and_config():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]

    assert set(config["importlinter"]["root_packages"]) == apps() | {"config"}
