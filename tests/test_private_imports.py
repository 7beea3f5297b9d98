"""No module imports another module's private names: what one module shares is
public, so a reader can tell from a name whether others depend on it."""

import ast
from pathlib import Path

from django.conf import settings

APPS = ["accounts", "events", "registrations", "notifications", "config"]


def private_imports(root: Path) -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom):
                    continue
                found += [
                    f"{path.relative_to(root)}:{node.lineno} {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    return found


def test_no_module_imports_a_private_name_of_another():
    assert private_imports(Path(settings.BASE_DIR)) == []
