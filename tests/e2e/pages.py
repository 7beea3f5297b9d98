"""Pages to check and the W3C's Nu Html Checker (vnu.jar) to check them with.

    pages = organiser_pages(world)        # every organiser GET page, from the URLconf
    errors = vnu_errors(directory)        # one run of vnu over the saved pages

Browser tests save each page's HTML as served (save_page) while they run axe on
it, then check the whole directory with one run of vnu: the checker takes
seconds to start, then little per page. `make vnu` fetches vnu.jar from the npm
package vnu-jar into .cache/vnu/ (`make test` does it too).
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

from organise.views.settings import STEPS as settings_steps
from tests.conftest import require
from tests.test_access_matrix import concrete_path, routes

ROOT = Path(__file__).resolve().parents[2]
# Where `make vnu` puts the version the Makefile names.
VNU_VERSION = re.search(
    r"^VNU_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE
)[1]
VNU_JAR = ROOT / ".cache" / "vnu" / VNU_VERSION / "vnu.jar"
AXE_DOC = ROOT / "docs" / "accessibility.md"

# Organiser routes a browser does not open as a page, and why.
NOT_ORGANISER_PAGES = {
    "organise/<slug:event>/registrations/export.<str:file_format>": "a CSV or XLSX",
    "organise/<slug:event>/registrations/actions/": "a POST-only form target",
    "organise/<slug:event>/invitations/actions/": "a POST-only form target",
    "organise/<slug:event>/invitations/news/": "a POST-only form target",
    "organise/<slug:event>/messages/<int:broadcast>/test/": "a POST-only form target",
    "organise/<slug:event>/messages/<int:broadcast>/retry/": "a POST-only form target",
    "organise/<slug:event>/messages/count/": "a fragment htmx puts into the form",
    "organise/<slug:event>/schedule/undo/": "a POST-only form target",
    "organise/<slug:event>/schedule/told/": "a POST-only form target",
    "organise/<slug:event>/schedule/sessions/<int:session_id>/check/": (
        "a POST-only check the editor asks while a block moves"
    ),
    "organise/<slug:event>/schedule/sessions/<int:session_id>/tray/": (
        "a POST-only form target"
    ),
    "organise/<slug:event>/schedule/sessions/<int:session_id>/move/": (
        "a POST-only form target"
    ),
    "organise/<slug:event>/check-in/<int:list_id>/scans/": "JSON scans, POST only",
    "organise/<slug:event>/check-in/<int:list_id>/roster/": "the offline roster, JSON",
    "organise/door-worker.js": "the door's service worker script",
    "organise/<slug:event>/registrations/badges.pdf": "a PDF",
    "organise/<slug:event>/registrations/<int:registration>/badge.pdf": "a PDF",
    "organise/<slug:event>/registrations/<int:registration>/note/": (
        "a POST-only form target"
    ),
    "organise/<slug:event>/registrations/<int:registration>/sort-name/": (
        "a POST-only form target"
    ),
    "organise/<slug:event>/messages/<int:broadcast>/preview.html": (
        "an email's HTML part, shown in a sandboxed frame (no scripts, so no axe)"
    ),
    "organise/<slug:event>/messages/<int:broadcast>/progress/": (
        "a fragment htmx puts into the message page"
    ),
    "organise/<slug:event>/meetings/networks/<int:network_id>/members/": (
        "a POST-only form target"
    ),
    "organise/<slug:event>/meetings/networks/<int:network_id>/members/"
    "<int:member_id>/remove/": "a POST-only form target",
    "organise/<slug:event>/meetings/networks/<int:network_id>/requests/"
    "<int:member_id>/": "a POST-only form target",
    "organise/<slug:event>/meetings/networks/<int:network_id>/restore/": (
        "a POST-only form target"
    ),
}
# Routes whose one page has several forms worth a look: each value is filled in.
MANY_VALUES = {"step": [step.slug for step in settings_steps]}


def organiser_pages(world: dict) -> list[str]:
    """The path of every organiser page, from the URLconf, with `world`'s ids.

    `world` is tests.test_access_matrix.build_world()'s: a new page's URL values
    come from there, as its access test needs them anyway.
    """
    pages = []
    for route in routes():
        if not route.startswith("organise/") or route in NOT_ORGANISER_PAGES:
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        variants = [{}]
        for name in names:
            if name in MANY_VALUES:
                variants = [
                    {**v, name: value} for v in variants for value in MANY_VALUES[name]
                ]
        for variant in variants:
            pages.append(concrete_path(route, _with_values(world, variant)))
    return pages


def _with_values(world: dict, values: dict) -> dict:
    return {**world, "values": {**world["values"], **values}}


def save_page(directory: Path, path: str, language: str, html: bytes) -> None:
    """Keep a page's HTML, as served, for vnu_errors()."""
    name = re.sub(r"[^\w.-]+", "_", path.strip("/")) or "index"
    (directory / f"{language}-{name}.html").write_bytes(html)


def vnu_errors(directory: Path) -> list[str]:
    """The Nu Html Checker's errors in the .html files under `directory`.

    Each is "file:line: message". Skips (fails under CI) without Java or vnu.jar.
    """
    require(bool(shutil.which("java")), "needs Java for vnu.jar")
    require(VNU_JAR.exists(), f"needs {VNU_JAR.relative_to(ROOT)}: run `make vnu`")
    result = subprocess.run(  # noqa: S603
        [
            "java",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            str(directory),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        + (f" [{m['extract'].strip()}]" if m.get("extract") else "")
        for m in messages
        if m.get("type") in {"error", "non-document-error"}
    ]


def documented_findings() -> set[str]:
    """The axe rules docs/accessibility.md accepts on organiser pages, by id.

    Its table lists them as "| `rule-id` | impact | where | why |".
    """
    if not AXE_DOC.exists():
        return set()
    return set(re.findall(r"^\| `([\w-]+)` \|", AXE_DOC.read_text(), re.MULTILINE))
