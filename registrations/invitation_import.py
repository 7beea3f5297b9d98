"""Reading a pasted list or CSV file of invitees into checked rows.

Organisers paste from spreadsheets, address books and old emails, so the reader is
forgiving about form (comma, semicolon or tab; an optional header row in any
column order; "Name <email>" on its own) and strict about content: every line
that cannot be used is reported with its number, and the caller writes nothing
unless every line is good.
"""

import csv
import io
import re
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from accounts.models import normalise_email
from accounts.validators import validate_single_line

from .models import RegistrationType

COLUMNS = ("name", "email", "institution", "type", "language")
HEADER_NAMES = {
    "name": {"name", "full name", "nimi", "namn"},
    "email": {"email", "e-mail", "email address", "sähköposti", "e-post"},
    "institution": {
        "institution",
        "organisation",
        "organization",
        "university",
        "affiliation",
    },
    "type": {"type", "registration type", "ticket"},
    "language": {"language", "lang", "kieli", "språk"},
}
NAME_MAX = 200
INSTITUTION_MAX = 200
MAX_ROWS = 2000


@dataclass(frozen=True)
class InviteeRow:
    line: int
    name: str
    email: str
    institution: str
    registration_type: RegistrationType  # one of the event's
    language: str = ""  # a code of settings.LANGUAGES; "": the invitation's default


def decode_upload(data: bytes) -> str:
    """The text of an uploaded CSV file; raises ValueError with a safe message."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is not a text (CSV) file."))


def _delimiter(lines: list[str]) -> str:
    """The separator most lines use (a spreadsheet paste is tab-separated)."""
    sample = [line for line in lines if line.strip()][:50]
    counts = {d: sum(d in line for line in sample) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header_map(cells: list[str]) -> dict[str, int] | None:
    """Column positions if `cells` is a header row naming an email column."""
    found = {}
    for position, cell in enumerate(cells):
        label = cell.strip().lower()
        for column, names in HEADER_NAMES.items():
            if label in names and column not in found:
                found[column] = position
    return found if "email" in found else None


def _cells_by_position(cells: list[str]) -> dict[str, str] | str:
    if len(cells) == 1:
        name, email = parseaddr(cells[0])
        return {"name": name, "email": email or cells[0]}
    if len(cells) > len(COLUMNS):
        return _(
            "expected at most 5 columns (name, email, institution, type, language), "
            "found %(n)d."
        ) % {"n": len(cells)}
    return dict(zip(COLUMNS, cells, strict=False))


def parse_invitees(text: str, *, types, default_type=None):
    """Parse `text` into InviteeRows; returns (rows, errors).

    `types` are the event's registration types (matched by name, any case); a row
    without a type gets `default_type`. `errors` is a list of "Line N: …" strings;
    when it is not empty the rows must not be used.
    """
    by_name = {t.name.strip().lower(): t for t in types}
    lines = text.lstrip("\ufeff").splitlines()
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=_delimiter(lines))
    rows, errors, seen, header = [], [], {}, None
    try:
        # line_num, not a count of records: a quoted cell may span lines.
        records = [(reader.line_num, cells) for cells in reader]
    except csv.Error as error:
        return [], [_("The list could not be read: %(error)s") % {"error": error}]
    for number, cells in records:
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if header is None and not rows and not errors:
            header = _header_map(cells)
            if header is not None:
                continue
            header = {}
        if header:
            values = {
                column: cells[position] if position < len(cells) else ""
                for column, position in header.items()
            }
        else:
            values = _cells_by_position(cells)
        problem = (
            values
            if isinstance(values, str)
            else _check(values, by_name, default_type, seen, number)
        )
        if isinstance(problem, str):
            errors.append(
                _("Line %(line)d: %(problem)s") % {"line": number, "problem": problem}
            )
            continue
        rows.append(problem)
        seen[problem.email] = number
        if len(rows) > MAX_ROWS:
            return [], [_("At most %(max)d people at a time.") % {"max": MAX_ROWS}]
    if not rows and not errors:
        errors.append(_("The list is empty."))
    return rows, errors


def _check(values: dict, by_name: dict, default_type, seen: dict, number: int):
    """An InviteeRow, or the problem with this line as a string."""
    email = normalise_email(values.get("email"))
    name = _one_line(values.get("name", ""))
    institution = _one_line(values.get("institution", ""))
    type_name = values.get("type", "").strip()
    language = language_code(values.get("language", ""))
    if language is None:
        return _("“%(language)s” is not a language of this site (%(known)s).") % {
            "language": values["language"].strip(),
            "known": ", ".join(code for code, _name in settings.LANGUAGES),
        }
    if not email:
        return _("no email address.")
    try:
        validate_email(email)
    except ValidationError:
        return _("“%(email)s” is not a valid email address.") % {"email": email}
    if email in seen:
        return _("%(email)s is already on line %(line)d.") % {
            "email": email,
            "line": seen[email],
        }
    if len(name) > NAME_MAX:
        return _("the name is longer than %(max)d characters.") % {"max": NAME_MAX}
    if len(institution) > INSTITUTION_MAX:
        return _("the institution is longer than %(max)d characters.") % {
            "max": INSTITUTION_MAX
        }
    if _has_control_character(name):
        return _("the name holds an invisible control character.")
    if _has_control_character(institution):
        return _("the institution holds an invisible control character.")
    if type_name:
        registration_type = by_name.get(type_name.lower())
        if registration_type is None:
            return _("this event has no registration type “%(type)s”.") % {
                "type": type_name
            }
    elif default_type is not None:
        registration_type = default_type
    else:
        return _("no registration type given, and no default chosen.")
    return InviteeRow(
        line=number,
        name=name,
        email=email,
        institution=institution,
        registration_type=registration_type,
        language=language,
    )


def _one_line(cell: str) -> str:
    # A spreadsheet cell may wrap a name over lines (Alt+Enter): that is form.
    return re.sub(r"[\t\r\n]+", " ", cell).strip()


def _has_control_character(text: str) -> bool:
    try:
        validate_single_line(text)
    except ValidationError:
        return True
    return False


def language_code(given: str) -> str | None:
    """The site's code for a language given as a code or a name ("fi", "Finnish",
    "suomi"); "" for none given, None for one the site does not have."""
    wanted = given.strip().casefold()
    if not wanted:
        return ""
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        if wanted in {code, info["name"].casefold(), info["name_local"].casefold()}:
            return code
    return None
