"""Name badges: who gets one, in which order, what each says, and that every
script prints, read back out of the PDF.

pypdf gives a page's text with runs of right-to-left letters turned round into
reading order: a run drawn right to left, as it must be, comes out as the name
was typed, while a run drawn left to right in typing order (no bidi reordering)
comes out backwards. So the checks compare each right-to-left line, turned back
into the order its glyphs stand on the page, with python-bidi's display order
of the name.
"""

import io
from types import SimpleNamespace

import pytest
import segno
from bidi import get_display
from pypdf import PdfReader

from accounts.models import default_sort_name
from registrations.badges import (
    LAYOUTS,
    SheetLayout,
    badges_html,
    badges_pdf,
    name_step,
    text_direction,
)
from registrations.models import Registration
from registrations.selectors.badges import (
    Badge,
    badge_of,
    badge_registrations,
    badges,
    collation_key,
)
from registrations.services.questions import create_default_questions
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

EVENT = SimpleNamespace(title="Kevätfoorumi – Vårforum")
# One name per script a badge must print: Finnish, Swedish, Northern Sámi,
# Greek, Chinese, Arabic and Hebrew.
NAMES = {
    "Finnish": "Äijä Öörni-Häkkinen",
    "Swedish": "Åsa Ångström",
    "Sámi": "Máret Ŋuvlat Čuđđe-Šđŧž",
    "Greek": "Γιώργος Παπαδόπουλος",
    "Chinese": "王小明",
    "Arabic": "محمد العلي",
    "Hebrew": "דוד כהן",
}
RIGHT_TO_LEFT = {"Arabic", "Hebrew"}


def badge(name: str, code: str = "CODE123456", **fields) -> Badge:
    values = {
        "name": name,
        "sort_name": default_sort_name(name),
        "organisation": "Helsingin yliopisto",
        "registration_type": "Participant",
        "checkin_code": code,
    } | fields
    return Badge(**values)


def pdf_lines(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [
        line.strip()
        for page in reader.pages
        for line in page.extract_text().splitlines()
        if line.strip()
    ]


def as_drawn(line: str) -> str:
    """A right-to-left line as its glyphs stand on the page, left to right
    (undoing pypdf's turning of right-to-left runs into reading order)."""
    return line[::-1]


def test_every_script_prints_and_reads_back_out_of_the_pdf():
    made = [badge(name, code=f"CODE{i:06d}") for i, name in enumerate(NAMES.values())]

    lines = pdf_lines(badges_pdf(EVENT, made, LAYOUTS["90x55"]))

    # A long name may wrap onto two lines: compared without the spaces.
    joined = "".join("".join(line.split()) for line in lines)
    for script, name in NAMES.items():
        if script in RIGHT_TO_LEFT:
            drawn = [as_drawn(line) for line in lines]
            assert get_display(name) in drawn, script
            assert get_display(name) != name  # the comparison means something
        else:
            assert "".join(name.split()) in joined, script
    assert lines.count(EVENT.title) == len(NAMES)
    assert lines.count("Helsingin yliopisto") == len(NAMES)
    assert lines.count("Participant") == len(NAMES)


def test_a_right_to_left_name_drawn_without_reordering_fails_the_check():
    # Forcing left-to-right display (U+202D ... U+202C) draws the letters in
    # typing order, as a renderer without bidi would: the check must see it.
    name = NAMES["Hebrew"]
    forced = badge("\u202d" + name + "\u202c")

    lines = pdf_lines(badges_pdf(EVENT, [forced], LAYOUTS["90x55"]))

    assert get_display(name) not in [as_drawn(line) for line in lines]
    assert get_display(name) in lines  # pypdf turned the typing order round


def test_organisation_in_another_script_prints_too():
    made = [badge("Aino Virtanen", organisation="جامعة القاهرة")]

    lines = pdf_lines(badges_pdf(EVENT, made, LAYOUTS["a6"]))

    assert get_display("جامعة القاهرة") in [as_drawn(line) for line in lines]


@pytest.mark.parametrize("key", list(LAYOUTS))
def test_each_layout_fills_its_sheets_in_order(key):
    layout = LAYOUTS[key]
    names = [f"Person {chr(ord('A') + i)}" for i in range(layout.per_sheet + 1)]

    reader = PdfReader(io.BytesIO(badges_pdf(EVENT, [badge(n) for n in names], layout)))

    assert len(reader.pages) == 2
    first, second = (page.extract_text() for page in reader.pages)
    assert [n for n in names if n in first] == names[:-1]
    assert [n for n in names if n in second] == names[-1:]
    width, height = (float(v) * 25.4 / 72 for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (210, 297)


@pytest.mark.parametrize("layout", list(LAYOUTS.values()), ids=list(LAYOUTS))
def test_each_layout_fits_on_a4(layout):
    left, top = layout.origin
    assert left >= 0 and top >= 0
    assert left + layout.columns * layout.width <= 210
    assert top + layout.rows * layout.height <= 297
    assert layout.text_width > 30


def test_the_qr_code_is_the_check_in_code():
    html = badges_html(
        EVENT, [badge("Aino Virtanen", code="K7M2P9Q4XR")], LAYOUTS["90x55"]
    )

    expected = segno.make("K7M2P9Q4XR", error="m").png_data_uri(scale=1, border=4)
    assert f'src="{expected}"' in html


def test_names_are_escaped_in_the_document():
    html = badges_html(
        EVENT, [badge('<img src="file:///etc/passwd">')], LAYOUTS["90x55"]
    )

    assert '<img src="file:' not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html


def test_long_names_are_drawn_smaller():
    layout = LAYOUTS["90x55"]

    assert name_step("Ida Oja", layout) == 0
    assert name_step("Maximiliane Wolfenschiessen-Vandervelde", layout) > name_step(
        "Aino Virtanen", layout
    )
    # A Chinese character is as wide as two Latin letters.
    assert name_step("王" * 10, layout) > name_step("W" * 10, layout)


def test_right_to_left_names_are_marked_so():
    assert text_direction(NAMES["Arabic"]) == "rtl"
    assert text_direction(NAMES["Hebrew"]) == "rtl"
    assert text_direction("1. " + NAMES["Hebrew"]) == "rtl"
    assert text_direction(NAMES["Greek"]) == "ltr"
    assert text_direction("") == "ltr"


def test_a_layout_places_badges_row_by_row():
    layout = SheetLayout("t", "test", 2, 2, 100, 100, 18, 30)

    assert layout.slots() == [(5.0, 48.5), (105.0, 48.5), (5.0, 148.5), (105.0, 148.5)]


# --- who gets a badge, in which order ---------------------------------------------


def test_sort_names_sort_as_a_finnish_or_swedish_office_does():
    names = ["Öhman", "Zetterberg", "Čuđđe", "Cederberg", "Åberg", "ärölä", "Dahl"]

    assert sorted(names, key=collation_key) == [
        "Cederberg", "Čuđđe", "Dahl", "Zetterberg", "Åberg", "ärölä", "Öhman",
    ]  # fmt: skip


@pytest.mark.django_db
def test_badges_sort_by_sort_name_then_name():
    event = EventFactory()
    for name, sort_name in [
        ("Zoe Aalto", ""),
        ("Anna van Dijk", "Dijk"),
        ("Bo Östberg", ""),
        ("Carl Aalto", ""),
        ("Eve Berg", "Aaltonen"),
        ("王小明", ""),
    ]:
        RegistrationFactory(
            event=event, attendee=UserFactory(name=name, sort_name=sort_name)
        )

    made = badges(badge_registrations(event))

    assert [(b.name, b.sort_name) for b in made] == [
        ("Carl Aalto", "Aalto"),
        ("Zoe Aalto", "Aalto"),
        ("Eve Berg", "Aaltonen"),
        ("Anna van Dijk", "Dijk"),
        ("Bo Östberg", "Östberg"),
        ("王小明", "王小明"),
    ]


@pytest.mark.django_db
def test_a_badge_shows_the_organisation_answer_else_the_affiliation_and_the_type():
    event = EventFactory()
    create_default_questions(event)
    speaker = RegistrationTypeFactory(event=event, name="Speaker")
    answered = RegistrationFactory(
        event=event,
        registration_type=speaker,
        attendee=UserFactory(name="Aino Virtanen", affiliation="UH"),
    )
    answered.answers.create(
        question=event.questions.get(key="organisation"), value="Helsingin yliopisto"
    )
    plain = RegistrationFactory(
        event=event, attendee=UserFactory(name="", email="nn@kth.se", affiliation="KTH")
    )

    assert badge_of(answered) == Badge(
        name="Aino Virtanen",
        sort_name="Virtanen",
        organisation="Helsingin yliopisto",
        registration_type="Speaker",
        checkin_code=answered.checkin_code,
    )
    assert badge_of(plain) == Badge(
        name="nn@kth.se",
        sort_name="nn@kth.se",
        organisation="KTH",
        registration_type="",
        checkin_code=plain.checkin_code,
    )


@pytest.mark.django_db
def test_everyone_means_everyone_confirmed_and_a_list_leaves_out_the_cancelled():
    event = EventFactory()
    Status = Registration.Status
    people = {
        status: RegistrationFactory(
            event=event,
            status=status,
            attendee=UserFactory(name=f"Person {status}"),
            **(
                {"waitlisted_at": event.starts_at}
                if status == Status.WAITLISTED
                else {}
            ),
        )
        for status in [Status.CONFIRMED, Status.WAITLISTED, Status.CANCELLED]
    }
    RegistrationFactory(attendee=UserFactory(name="Other Event"))

    everyone = badge_registrations(event)
    listed = badge_registrations(event, Registration.objects.all())

    assert list(everyone) == [people[Status.CONFIRMED]]
    assert set(listed) == {people[Status.CONFIRMED], people[Status.WAITLISTED]}
