"""Registration lists as CSV and Excel files for organisers.

Every cell is text that a spreadsheet will not run: a value that starts with
= + - @, a tab or a carriage return gets a leading apostrophe (OWASP's advice
against formula injection), since names and answers are typed by attendees.
Times are in the event's own time zone, as the organisers think of them.
"""

import csv
import io

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from events.times import machine_time

from .models import Question, Registration, SessionSeat

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """`value` as text a spreadsheet shows as text and never evaluates."""
    text = "" if value is None else str(value)
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


def _xlsx_text(value) -> str:
    # Control characters make an invalid workbook; nobody needs them in a list.
    return ILLEGAL_CHARACTERS_RE.sub("", safe_cell(value))


def to_xlsx(header, rows, *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit for sheet names
    for row in [header, *rows]:
        sheet.append([_xlsx_text(cell) for cell in row])
    for position, name in enumerate(header, start=1):
        widest = max([len(str(name))] + [len(str(row[position - 1])) for row in rows])
        sheet.column_dimensions[get_column_letter(position)].width = min(
            max(widest + 2, 10), 60
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
