"""Tiny typed readers for settings that come from the environment.

Each raises ImproperlyConfigured with the variable's name on bad input, so a
misconfigured deploy stops at start-up with one line saying why.
"""

import os

from django.core.exceptions import ImproperlyConfigured

# Set by manage.py for commands that sign nothing (see CODE_ONLY_COMMANDS there).
code_only_command = False
# Set by config/wsgi.py: this process serves web requests (statement timeout).
web_process = False

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (1/0, true/false), got {raw!r}."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, got {raw!r}."
        ) from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]
