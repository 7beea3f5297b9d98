import pytest

from registrations.invitation_import import decode_upload, parse_invitees
from tests.factories import EventFactory, RegistrationTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def types():
    event = EventFactory()
    return (
        RegistrationTypeFactory(event=event, name="President"),
        RegistrationTypeFactory(event=event, name="Delegate"),
    )


def test_parse_invitees_reads_positional_comma_rows_with_default_type(types):
    president, delegate = types
    text = (
        "Sigrid Berg, SIGRID@kth.se, KTH, president\n"
        "\n"
        "Ola Nordmann, ola@ntnu.no, NTNU\n"
    )

    rows, errors = parse_invitees(text, types=types, default_type=delegate)

    assert errors == []
    assert [
        (r.line, r.name, r.email, r.institution, r.registration_type) for r in rows
    ] == [
        (1, "Sigrid Berg", "sigrid@kth.se", "KTH", president),
        (3, "Ola Nordmann", "ola@ntnu.no", "NTNU", delegate),
    ]


def test_parse_invitees_reads_a_header_in_any_order_with_semicolons(types):
    president, _ = types
    text = (
        '\ufeffE-mail;Institution;Name;Type\nanna@dtu.dk;DTU;"Jensen; Anna";President\n'
    )

    rows, errors = parse_invitees(text, types=types)

    assert errors == []
    assert [
        (r.line, r.name, r.email, r.institution, r.registration_type) for r in rows
    ] == [
        (2, "Jensen; Anna", "anna@dtu.dk", "DTU", president),
    ]


def test_parse_invitees_reads_tabs_and_name_angle_address(types):
    _, delegate = types
    text = "Matti Meikäläinen <matti@aalto.fi>\nLiisa\tliisa@aalto.fi\tAalto\n"

    rows, errors = parse_invitees(text, types=types, default_type=delegate)

    assert errors == []
    assert [(r.name, r.email, r.institution) for r in rows] == [
        ("Matti Meikäläinen", "matti@aalto.fi", ""),
        ("Liisa", "liisa@aalto.fi", "Aalto"),
    ]


def test_parse_invitees_reports_every_bad_line_with_its_number(types):
    text = (
        "A, a@kth.se, KTH, President\n"
        "B, not-an-email, KTH, President\n"
        "C, c@kth.se, KTH, Chancellor\n"
        "D, A@KTH.SE, KTH, President\n"
        "E, e@kth.se, KTH, President, fi, extra\n"
        "F, f@kth.se, KTH\n"
    )

    rows, errors = parse_invitees(text, types=types)

    assert errors == [
        "Line 2: “not-an-email” is not a valid email address.",
        "Line 3: this event has no registration type “Chancellor”.",
        "Line 4: a@kth.se is already on line 1.",
        "Line 5: expected at most 5 columns (name, email, institution, type, "
        "language), found 6.",
        "Line 6: no registration type given, and no default chosen.",
    ]


def test_parse_invitees_refuses_an_empty_list(types):
    assert parse_invitees(" \n\n", types=types) == ([], ["The list is empty."])


def test_parse_invitees_numbers_lines_after_a_multiline_cell(types):
    _, delegate = types
    text = '"Long\nName", x@kth.se\nB, bad\n'

    rows, errors = parse_invitees(text, types=types, default_type=delegate)

    assert errors == ["Line 3: “bad” is not a valid email address."]


def test_decode_upload_accepts_utf8_bom_and_windows_1252():
    assert decode_upload("\ufeffÅsa".encode()) == "Åsa"
    assert decode_upload("Åsa".encode("cp1252")) == "Åsa"
