"""Registration lists as CSV and Excel files for organisers.

Every cell is text that a spreadsheet will not run: a value that starts with
= + - @, a tab or a carriage return gets a leading apostrophe (OWASP's advice
against formula injection), since names and answers are typed by attendees.
Times are in the event's own time zone, as the organisers think of them.

Besides the answers, each row carries what the door and the badges need: the
check-in code, and the name, organisation and type a badge shows.
"""

import csv
import io

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from events.times import machine_time

from .models import Question, Registration, SessionSeat
from .services.questions import ORGANISATION
from .spreadsheet import workbook_bytes

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


def has_sort_name() -> bool:
    """Whether people have a sort name (the name as badges are sorted by)."""
    try:
        get_user_model()._meta.get_field("sort_name")
    except FieldDoesNotExist:
        return False
    return True


def export_rows(
    event,
    *,
    include_sensitive: bool,
    status: str | None = None,
    registrations=None,
):
    """The header and one row per registration (oldest first), as raw strings.

    `registrations`: the event's registrations to export (a filtered list);
    every one of the event's by default.
    """
    questions = export_questions(event, include_sensitive=include_sensitive)
    if registrations is None:
        registrations = Registration.objects.filter(event=event)
    registrations = (
        registrations.filter(event=event)
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
    sort_name = has_sort_name()
    organisation = next((q for q in questions if q.key == ORGANISATION), None)
    if organisation is None:  # a sensitive organisation question is unheard of
        organisation = Question.objects.filter(event=event, key=ORGANISATION).first()
    header = [
        _("Name"),
        _("Email"),
        _("Affiliation"),
        _("Registration type"),
        _("Status"),
        _("Registered at (%(zone)s)") % {"zone": zone},
        _("Checked in at (%(zone)s)") % {"zone": zone},
        _("Sessions"),
        _("Check-in code"),
        _("Badge name"),
        *([_("Badge sort name")] if sort_name else []),
        _("Badge organisation"),
        _("Badge type"),
        *(question.label for question in questions),
    ]
    rows = []
    for registration in registrations:
        person = registration.attendee
        answers = {a.question_id: a.value for a in registration.answers.all()}
        type_name = (
            registration.registration_type.name
            if registration.registration_type
            else ""
        )
        given = answers.get(organisation.pk) if organisation else None
        rows.append(
            [
                person.name,
                person.email,
                person.affiliation,
                type_name,
                registration.get_status_display(),
                machine_time(registration.created_at, event),
                machine_time(registration.checked_in_at, event),
                "; ".join(seat.session.title for seat in registration.taken_seats),
                registration.checkin_code,
                person.name or person.email,
                *([person.sort_name] if sort_name else []),
                given if isinstance(given, str) and given else person.affiliation,
                type_name,
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
    return workbook_bytes(
        [safe_cell(cell) for cell in header],
        [[safe_cell(cell) for cell in row] for row in rows],
        title=title,
    )
