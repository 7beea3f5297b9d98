"""Name badges as a PDF of A4 sheets, for printing and cutting or for label sheets.

The PDF is drawn by WeasyPrint from an HTML template: it lays text out through
Pango and HarfBuzz, so every script is shaped and right-to-left names read
right to left, and it embeds only the glyphs used (a subset) of each font, so a
Chinese name does not bring a whole CJK font into the file. The fonts are the
system's (fontconfig picks one that has each character; `make test` and the
Dockerfile install them).

Each badge carries the registration's check-in code as a QR code, the same
content the manage page and the confirmation email show, so that any door,
a workshop's included, can scan a badge.
"""

import functools
import unicodedata
from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .selectors.badges import Badge

A4 = (210.0, 297.0)  # millimetres
POINT = 25.4 / 72  # a typographic point in millimetres


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """Badges of one size in a grid on A4, centred; sizes in millimetres."""

    key: str
    label: str
    columns: int
    rows: int
    width: float
    height: float
    name_pt: float  # the name's largest size; the other lines scale with it
    qr: float  # the QR code's side, its quiet zone included

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    @property
    def padding(self) -> float:
        return round(self.height * 0.07, 2)

    @property
    def text_width(self) -> float:
        """The width of the text lines: beside the QR code, or above it."""
        if self.portrait:
            return self.width - 2 * self.padding
        return self.width - self.qr - 2 * self.padding

    @property
    def origin(self) -> tuple[float, float]:
        """The grid's top left corner on the sheet."""
        return (
            round((A4[0] - self.columns * self.width) / 2, 2),
            round((A4[1] - self.rows * self.height) / 2, 2),
        )

    def slots(self) -> list[tuple[float, float]]:
        """(left, top) of each badge on a sheet, row by row."""
        left, top = self.origin
        return [
            (round(left + column * self.width, 2), round(top + row * self.height, 2))
            for row in range(self.rows)
            for column in range(self.columns)
        ]


LAYOUTS: dict[str, SheetLayout] = {
    layout.key: layout
    for layout in [
        SheetLayout(
            key="90x55",
            label=_("90 × 55 mm, 8 a sheet (2 × 4)"),
            columns=2, rows=4, width=90, height=55, name_pt=18, qr=26,
        ),
        SheetLayout(
            key="86x54",
            label=_("86 × 54 mm, card size, 10 a sheet (2 × 5)"),
            columns=2, rows=5, width=86, height=54, name_pt=17, qr=25,
        ),
        SheetLayout(
            key="a6",
            label=_("A6, 105 × 148 mm, 4 a sheet (2 × 2)"),
            columns=2, rows=2, width=105, height=148, name_pt=28, qr=42,
        ),
        SheetLayout(
            key="6x4in",
            label=_("6 × 4 in, 152 × 102 mm, 2 a sheet (1 × 2)"),
            columns=1, rows=2, width=152.4, height=101.6, name_pt=30, qr=44,
        ),
    ]
}  # fmt: skip
DEFAULT_LAYOUT = "90x55"
# The name's size in steps, as a share of the layout's largest: a long name is
# drawn smaller, on one line if it can be, else on two.
NAME_STEPS = (1.0, 0.85, 0.72, 0.6, 0.5)
# A bold letter's average advance as a share of the font size (a wide one, as
# a Chinese character is, counts twice), and the share of two lines' width that
# a name broken between words fills.
LETTER = 0.62
TWO_LINES = 1.7
# A name shrinks to stay on one line down to this step; a longer one takes two.
ONE_LINE_LAST = 2


def text_direction(text: str) -> str:
    """The direction of `text`: that of its first letter that has one."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in {"R", "AL"}:
            return "rtl"
        if direction == "L":
            return "ltr"
    return "ltr"


def _letters(text: str) -> int:
    """The width of `text` in average letters (a wide one counts twice)."""
    return sum(
        2 if unicodedata.east_asian_width(character) in {"W", "F"} else 1
        for character in text
    )


def name_step(name: str, layout: SheetLayout) -> int:
    """The step of NAME_STEPS to draw `name` at: the largest that fits one line
    without shrinking below ONE_LINE_LAST, else the largest that fits two lines
    with its longest word on one."""
    longest = max((_letters(word) for word in name.split()), default=0)
    candidates = [(step, 1.0) for step in range(ONE_LINE_LAST + 1)] + [
        (step, TWO_LINES) for step in range(len(NAME_STEPS))
    ]
    for step, lines in candidates:
        letter = LETTER * layout.name_pt * NAME_STEPS[step] * POINT
        fits_word = longest * letter <= layout.text_width
        if fits_word and _letters(name) * letter <= layout.text_width * lines:
            return step
    return len(NAME_STEPS) - 1


@functools.lru_cache(maxsize=8192)
def qr_data_uri(code: str) -> str:
    """The check-in code as a PNG QR code, one pixel a module (the PDF scales it
    without smoothing), with the quiet zone scanners need."""
    return segno.make(code, error="m").png_data_uri(scale=1, border=4)


def badges_html(
    event, badges: list[Badge], layout: SheetLayout, *, cut_lines: bool = True
) -> str:
    """The print document: one section per A4 sheet."""
    slots = layout.slots()
    sheets = []
    for start in range(0, len(badges), layout.per_sheet):
        sheets.append(
            [
                {
                    "badge": badge,
                    "slot": index,
                    "direction": text_direction(badge.name),
                    "organisation_direction": text_direction(badge.organisation),
                    "step": name_step(badge.name, layout),
                    "qr": qr_data_uri(badge.checkin_code),
                }
                for index, badge in enumerate(badges[start : start + layout.per_sheet])
            ]
        )
    return render_to_string(
        "registrations/registration_badges.html",
        {
            "event": event,
            "layout": layout,
            "sheets": sheets,
            "slots": list(enumerate(slots)),
            "name_sizes": [
                (step, round(layout.name_pt * share, 1))
                for step, share in enumerate(NAME_STEPS)
            ],
            "text_pt": round(layout.name_pt * 0.55, 1),
            "small_pt": round(layout.name_pt * 0.45, 1),
            "cut_lines": cut_lines,
        },
    )


def badges_pdf(
    event, badges: list[Badge], layout: SheetLayout, *, cut_lines: bool = True
) -> bytes:
    """The badges as a PDF of A4 sheets, in the order given."""
    # WeasyPrint loads Pango, fontTools and Pillow when imported (seconds on a
    # small machine): imported by the first badge, not by every process.
    from weasyprint import HTML, URLFetcher  # noqa: PLC0415

    html = badges_html(event, badges, layout, cut_lines=cut_lines)
    # The document holds only data: URIs; nothing else is ever fetched (a name
    # is escaped text, but no file or address should be reachable from it).
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
