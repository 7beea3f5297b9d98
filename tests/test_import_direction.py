"""Imports between the apps point one way:
accounts <- events <- registrations <- meetings <- notifications <- organise.

Each app may import only the apps to its left; config/ wires them all and no app
imports it. Read from the source with ast, so an import inside a function counts
as much as one at the top of a module.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LAYERS = [
    "accounts",
    "events",
    "registrations",
    "meetings",
    "notifications",
    "organise",
]


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & (set(LAYERS) | {"config"})


def test_every_app_imports_only_the_apps_below_it():
    wrong = []
    for position, app in enumerate(LAYERS):
        allowed = set(LAYERS[: position + 1])
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for name in sorted(imported_apps(path) - allowed):
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")

    assert wrong == []


def test_the_layers_are_the_apps_that_exist():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} - {"config"}

    assert apps == set(LAYERS)
