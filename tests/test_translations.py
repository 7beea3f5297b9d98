"""Finnish and Swedish: every message translated, placeholders kept, pages shown.

The catalogues are compiled here with GNU gettext's msgfmt into a temporary
directory (as `make translations` does into locale/), so these tests read what is
in the .po files, not a stale .mo.
"""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

from tests.factories import EventFactory

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["fi", "sv"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


@pytest.fixture(scope="session")
def compiled(tmp_path_factory):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt is needed (apt-get install gettext)"
    root = tmp_path_factory.mktemp("locale")
    for language in LANGUAGES:
        target = root / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        done = subprocess.run(
            [
                msgfmt, "--check", "--statistics", "-o", str(target / "django.mo"),
                str(LOCALE / language / "LC_MESSAGES" / "django.po"),
            ],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        # msgfmt leaves fuzzy and empty entries out of the .mo: none may be left.
        assert "fuzzy" not in done.stderr, done.stderr
        assert "untranslated" not in done.stderr, done.stderr
    return root


def catalogue(compiled, language) -> dict:
    with open(compiled / language / "LC_MESSAGES" / "django.mo", "rb") as f:
        return gettext.GNUTranslations(f)._catalog


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_keeps_its_placeholders(compiled, language):
    messages = catalogue(compiled, language)
    messages.pop("", None)  # the header
    assert len(messages) > 600
    for key, text in messages.items():
        # Plural forms are keyed (singular msgid, form index).
        msgid = key[0] if isinstance(key, tuple) else key
        assert text.strip(), f"untranslated: {msgid!r}"
        assert sorted(PLACEHOLDER.findall(text)) == sorted(
            PLACEHOLDER.findall(msgid)
        ), f"placeholders differ in {msgid!r}: {text!r}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "Ilmoittaudu"), ("sv", "Anmäl")],
)
@pytest.mark.django_db
def test_pages_show_in_the_visitors_language(
    client, compiled, settings, language, expected
):
    settings.LOCALE_PATHS = [compiled]
    trans_real._translations = {}  # forget catalogues loaded from elsewhere
    translation.deactivate_all()
    try:
        event = EventFactory(title="Spring Forum <b>2027</b>")
        page = client.get(
            event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
    finally:
        trans_real._translations = {}
        translation.activate(settings.LANGUAGE_CODE)
    assert f'lang="{language}"' in page
    assert expected in page
    assert "Spring Forum &lt;b&gt;2027&lt;/b&gt;" in page
