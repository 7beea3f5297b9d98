"""Helpers for testing the settings as a deploy sees them: in a fresh process, with
exactly the environment the test gives."""

import ast
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list"}


def env_names_read_by_settings() -> set[str]:
    """The environment variables config/settings.py reads, from its source."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ENV_READERS
        and isinstance(node.args[0], ast.Constant)
    }


@pytest.fixture(scope="session")
def settings_env_names() -> set[str]:
    return env_names_read_by_settings()


@pytest.fixture
def run_python(tmp_path, settings_env_names):
    """Run `python -c code` (or manage.py with args) in a fresh process.

    The outer environment's settings variables (CI's DATABASE_URL, REDIS_URL, ...)
    are dropped, so each test states all it depends on; var/ is a temporary dir.
    """

    def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
        base = {k: v for k, v in os.environ.items() if k not in settings_env_names}
        base.pop("DJANGO_SETTINGS_MODULE", None)
        # Each fresh process would otherwise compile Django anew (seconds per run).
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        base["KOKOUS_VAR_DIR"] = str(tmp_path / "var")
        return subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env={**base, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run


@pytest.fixture
def load_settings(tmp_path, monkeypatch, settings_env_names):
    """Execute config/settings.py afresh, in this process, with exactly `env`."""

    def load(**env: str):
        for name in settings_env_names:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("KOKOUS_VAR_DIR", str(tmp_path / "var"))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location(
            "config.settings_under_test", ROOT / "config" / "settings.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load
