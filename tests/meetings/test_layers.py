"""Imports run one way: the apps below meetings never import it."""

import ast
from pathlib import Path

from django.conf import settings

BELOW = ["accounts", "events", "registrations"]


def imports_of_meetings(root: Path) -> list[str]:
    found = []
    for app in BELOW:
        for path in sorted((root / app).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                found += [
                    f"{path.relative_to(root)}:{node.lineno} {name}"
                    for name in names
                    if name == "meetings" or name.startswith("meetings.")
                ]
    return found


def test_apps_below_meetings_do_not_import_it():
    assert imports_of_meetings(Path(settings.BASE_DIR)) == []
