"""Views stay thin: no function in a view module is longer than 40 lines.

A page with several POSTed actions dispatches through a table of small handlers
instead of growing an `if action == ...` chain. The count runs from the `def`
line to the function's last line. Every app's `views.py` and `views/` package is
read, so a new view module is held to the same rule without listing it here.
"""

import ast
from pathlib import Path

from django.conf import settings

MAX_LINES = 40
ROOT = Path(settings.BASE_DIR)


def view_modules() -> list[Path]:
    apps = [path.parent for path in ROOT.glob("*/apps.py")]
    modules = [app / "views.py" for app in apps if (app / "views.py").exists()]
    modules += [path for app in apps for path in (app / "views").glob("*.py")]
    return sorted(modules)


def long_functions(path: Path, *, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(root)}:{node.lineno} {node.name} "
        f"({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_LINES
    ]


def test_the_attendee_facing_view_modules_are_all_read():
    found = {str(path.relative_to(ROOT)) for path in view_modules()}

    assert found >= {
        "accounts/views.py",
        "events/views.py",
        "registrations/views/attendee.py",
        "registrations/views/calendar.py",
        "registrations/views/invitations.py",
        "registrations/views/participants.py",
        "registrations/views/seats.py",
    }


def test_no_view_function_is_longer_than_40_lines():
    too_long = [line for path in view_modules() for line in long_functions(path)]

    assert too_long == []


def test_the_line_count_runs_from_def_to_the_last_line(tmp_path):
    module = tmp_path / "views.py"
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_LINES - 1))
    # fits() is lines 1-40; too_long() starts on line 43 and has one line more.
    module.write_text(f"def fits():\n{body}\n\ndef too_long():\n{body}    x = 0\n")

    assert long_functions(module, root=tmp_path) == ["views.py:43 too_long (41 lines)"]
