"""Registration lists as CSV and Excel files for organisers.

Every cell is text that a spreadsheet will not run, since names and answers are
typed by attendees: control characters and leading blanks go first (a spreadsheet
may drop them itself and then see a formula), and a value that still starts
with = + - @ (or their fullwidth forms), a tab or a line break gets a leading
apostrophe (OWASP's advice against formula injection). Excel cells are written
as strings, so not even a slip of this check can make one a formula.
Times are in the event's own time zone, as the organisers think of them.

Besides the answers, each row carries what the door and the badges need: the
check-in code, and the name, organisation and type a badge shows.
"""

import csv
import io
import re
import unicodedata

from django.utils.translation import gettext as _

from events.languages import translated
from events.times import machine_time

from .models import Answer, Question, Registration, SessionSeat
from .selectors.badges import badge_fields
from .services.questions import ORGANISATION
from .spreadsheet import workbook_bytes

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


def export_rows(
    event,
    *,
    include_sensitive: bool,
    status: str | None = None,
    registrations=None,
):
    """The header and one row per registration (oldest first), as raw strings.

    `registrations`: the event's registrations to export (a filtered list);
    every one of the event's by default. Read as plain values in three queries:
    thousands of model instances cost seconds.
    """
    questions = export_questions(event, include_sensitive=include_sensitive)
    if registrations is None:
        registrations = Registration.objects.filter(event=event)
    registrations = registrations.filter(event=event)
    if status:
        registrations = registrations.filter(status=status)
    organisation = Question.objects.filter(event=event, key=ORGANISATION).first()
    header = [
        _("Name"),
        _("Email"),
        _("Affiliation"),
        _("Registration type"),
        _("Status"),
        _("Registered at (%(zone)s)") % {"zone": event.timezone},
        _("Checked in at (%(zone)s)") % {"zone": event.timezone},
        _("Sessions"),
        _("Check-in code"),
        _("Badge name"),
        _("Badge sort name"),
        _("Badge organisation"),
        _("Badge type"),
        *(question.label for question in questions),
    ]
    chosen = registrations.values("pk")
    answers: dict[int, dict[int, object]] = {}
    for registration_id, question_id, value in Answer.objects.filter(
        registration__in=chosen
    ).values_list("registration_id", "question_id", "value"):
        answers.setdefault(registration_id, {})[question_id] = value
    sessions: dict[int, list[str]] = {}
    for registration_id, title in (
        SessionSeat.objects.taken()
        .filter(registration__in=chosen)
        .values_list("registration_id", translated("session__title"))
    ):
        sessions.setdefault(registration_id, []).append(title)
    statuses = {value: str(label) for value, label in Registration.Status.choices}
    fields = [
        "pk", "attendee__name", "attendee__email", "attendee__affiliation",
        translated("registration_type__name"), "status", "created_at", "checked_in_at",
        "checkin_code", "attendee__sort_name",
    ]  # fmt: skip
    rows = []
    for values in registrations.order_by("created_at", "pk").values_list(*fields):
        pk, name, email, affiliation, type_name, state, created, checked_in = values[:8]
        code, sort_name = values[8:]
        given = answers.get(pk, {})
        organisation_answer = given.get(organisation.pk) if organisation else None
        badge = badge_fields(
            name, email, sort_name, affiliation, organisation_answer, type_name, code
        )
        rows.append(
            [
                name,
                email,
                affiliation,
                type_name or "",
                statuses[state],
                machine_time(created, event),
                machine_time(checked_in, event),
                "; ".join(sessions.get(pk, [])),
                code,
                badge.name,
                badge.sort_name,
                badge.organisation,
                badge.registration_type,
                *(display_answer(given.get(q.pk)) for q in questions),
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
    return workbook_bytes(
        [safe_cell(cell) for cell in header],
        [[safe_cell(cell) for cell in row] for row in rows],
        title=title,
    )
