"""Registration lists as CSV and Excel files for organisers.

Every cell is text that a spreadsheet will not run, since names and answers are
typed by attendees: control characters and leading blanks go first (a spreadsheet
may drop them itself and then see a formula), and a value that still starts
with = + - @ (or their fullwidth forms), a tab or a line break gets a leading
apostrophe (OWASP's advice against formula injection). Excel cells are written
as strings, so not even a slip of this check can make one a formula.
Times are in the event's own time zone, as the organisers think of them.
"""

import csv
import io
import re
import unicodedata

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from events.times import machine_time

from .models import Question, Registration, SessionSeat

# = + - @ in ASCII, fullwidth and small forms: spreadsheets in East Asian locales
# read the latter as the former. Tab and line breaks need no entry: safe_cell
# strips leading blanks first.
FORMULA_STARTS = tuple("=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b")
# C0 and C1 controls and DEL, but tab and line breaks, which multi-line answers hold.
CONTROL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _is_blank(character: str) -> bool:
    # Whitespace and invisible format characters (zero-width space, BOM, bidi marks).
    return character.isspace() or unicodedata.category(character) == "Cf"


def safe_cell(value) -> str:
    """`value` as text a spreadsheet shows as text and never evaluates."""
    text = CONTROL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    start = 0
    while start < len(text) and _is_blank(text[start]):
        start += 1
    text = text[start:]
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def display_answer(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def export_questions(event, *, include_sensitive: bool):
    questions = Question.objects.filter(event=event)
    if not include_sensitive:
        questions = questions.filter(is_sensitive=False)
    return list(questions)


def export_rows(event, *, include_sensitive: bool, status: str | None = None):
    """The header and one row per registration (oldest first), as raw strings."""
    questions = export_questions(event, include_sensitive=include_sensitive)
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("attendee", "registration_type")
        .prefetch_related(
            "answers",
            Prefetch(
                "seats",
                queryset=SessionSeat.objects.taken().select_related("session"),
                to_attr="taken_seats",
            ),
        )
        .order_by("created_at", "pk")
    )
    if status:
        registrations = registrations.filter(status=status)
    zone = event.timezone
    header = [
        _("Name"),
        _("Email"),
        _("Affiliation"),
        _("Registration type"),
        _("Status"),
        _("Registered at (%(zone)s)") % {"zone": zone},
        _("Checked in at (%(zone)s)") % {"zone": zone},
        _("Sessions"),
        *(question.label for question in questions),
    ]
    rows = []
    for registration in registrations:
        person = registration.attendee
        answers = {a.question_id: a.value for a in registration.answers.all()}
        rows.append(
            [
                person.name,
                person.email,
                person.affiliation,
                registration.registration_type.name
                if registration.registration_type
                else "",
                registration.get_status_display(),
                machine_time(registration.created_at, event),
                machine_time(registration.checked_in_at, event),
                "; ".join(seat.session.title for seat in registration.taken_seats),
                *(display_answer(answers.get(q.pk)) for q in questions),
            ]
        )
    return header, rows


def to_csv(header, rows) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens non-ASCII names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header, rows, *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit for sheet names
    for number, row in enumerate([header, *rows], start=1):
        for column, value in enumerate(row, start=1):
            # safe_cell also drops the control characters openpyxl refuses.
            cell = sheet.cell(row=number, column=column, value=safe_cell(value))
            # openpyxl makes any text starting with "=" a formula: say it is text.
            cell.data_type = "s"
    for position, name in enumerate(header, start=1):
        widest = max([len(str(name))] + [len(str(row[position - 1])) for row in rows])
        sheet.column_dimensions[get_column_letter(position)].width = min(
            max(widest + 2, 10), 60
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
