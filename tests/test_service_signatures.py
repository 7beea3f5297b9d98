"""Services take the acting user one way: the keyword `actor: User | None = None`.

None is the system acting (a periodic job, a command). Read from the source with
ast, so every function of every services module counts, helpers included.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ACTOR = "actor: User | None = None"


def service_modules() -> list[Path]:
    return sorted([*ROOT.glob("*/services/*.py"), *ROOT.glob("*/services.py")])


def actor_parameters(path: Path):
    """(function, how its `actor` is declared) for each function that takes one."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        arguments = node.args
        positional = arguments.posonlyargs + arguments.args
        for argument in positional:
            if argument.arg == "actor":
                yield node.name, f"positional {ast.unparse(argument)}"
        for argument, default in zip(
            arguments.kwonlyargs, arguments.kw_defaults, strict=True
        ):
            if argument.arg == "actor":
                declared = ast.unparse(argument)
                if default is not None:
                    declared += f" = {ast.unparse(default)}"
                yield node.name, declared


def test_every_service_takes_the_acting_user_as_one_typed_keyword():
    wrong = [
        f"{path.relative_to(ROOT)}: {name}({declared})"
        for path in service_modules()
        for name, declared in actor_parameters(path)
        if declared != ACTOR
    ]

    assert wrong == []


def test_the_services_take_the_acting_user():
    # The walk above finds what it checks: a guard against a layout it cannot read.
    found = [
        name for path in service_modules() for name, _declared in actor_parameters(path)
    ]

    assert {"register_attendee", "move_to_waitlist", "start_event"} <= set(found)
