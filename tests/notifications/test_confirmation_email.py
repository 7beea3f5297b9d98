"""The confirmation email: the check-in QR code inline and as text, the personal
calendar as webcal:// beside https, dates in the recipient's language, the manage
link; HTML with a plain-text part and no external images."""

import re
import struct
import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import segno
from django.utils import translation

from events import times
from tests.factories import EventFactory, RegistrationFactory, UserFactory

from .helpers import record

pytestmark = pytest.mark.django_db


def _confirm(registration, capture):
    with capture(execute=True):
        record(
            "confirmed",
            event=registration.event,
            registration=registration,
            details={"sessions": []},
        )


def _png_modules(png: bytes, *, scale: int, border: int) -> list[list[bool]]:
    """The dark/light modules of a 1-bit greyscale PNG, read pixel by pixel."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", data)
        elif kind == b"IDAT":
            idat += data
        position += 12 + length
    width, height, bit_depth, colour_type, _c, _f, interlace = header
    assert (bit_depth, colour_type, interlace) == (1, 0, 0)
    raw = zlib.decompress(idat)
    stride = (width + 7) // 8
    rows, previous = [], bytes(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        method, scan = line[0], bytearray(line[1:])
        for i in range(stride):  # 1-bit images: filters work byte by byte.
            left = scan[i - 1] if i else 0
            up = previous[i]
            upper_left = previous[i - 1] if i else 0
            if method == 1:
                scan[i] = (scan[i] + left) & 0xFF
            elif method == 2:
                scan[i] = (scan[i] + up) & 0xFF
            elif method == 3:
                scan[i] = (scan[i] + (left + up) // 2) & 0xFF
            elif method == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                if pa <= pb and pa <= pc:
                    guess = left
                else:
                    guess = up if pb <= pc else upper_left
                scan[i] = (scan[i] + guess) & 0xFF
        rows.append([not (scan[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
        previous = bytes(scan)
    size = width // scale - 2 * border
    return [
        [rows[(border + r) * scale + scale // 2][(border + c) * scale + scale // 2]
         for c in range(size)]
        for r in range(size)
    ]  # fmt: skip


@pytest.fixture
def registration():
    return RegistrationFactory(
        attendee=UserFactory(email="ada@example.org", name="Ada"),
        event=EventFactory(title="Spring Forum"),
    )


def test_the_inline_qr_is_the_registrations_check_in_code(
    registration, django_capture_on_commit_callbacks, mailoutbox
):
    _confirm(registration, django_capture_on_commit_callbacks)

    (email,) = mailoutbox
    mime = email.message()
    html_part = mime.get_body(preferencelist=("html",))
    assert mime.get_body(preferencelist=("plain",)) is not None
    related = next(
        p for p in mime.walk() if p.get_content_type() == "multipart/related"
    )
    [image] = [p for p in related.iter_parts() if p.get_content_maintype() == "image"]
    assert image.get_content_type() == "image/png"
    assert image["Content-ID"] == "<checkin-qr>"
    assert image.get_content_disposition() == "inline"
    html = html_part.get_content()
    assert 'src="cid:checkin-qr"' in html
    # No external images: every <img> is a part of the message itself.
    assert re.findall(r'<img[^>]+src="([^"]+)"', html) == ["cid:checkin-qr"]

    # Read back the picture's modules and compare with the QR symbol of the code.
    modules = _png_modules(image.get_content(), scale=6, border=4)
    expected = segno.make(registration.checkin_code, error="m").matrix
    assert modules == [[bool(m) for m in row] for row in expected]
    other = segno.make(registration.checkin_code + "X", error="m").matrix
    assert modules != [[bool(m) for m in row] for row in other]


def test_the_code_calendar_and_manage_links_are_in_both_parts(
    registration, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.SITE_URL = "https://kokous.example.org"
    _confirm(registration, django_capture_on_commit_callbacks)

    (email,) = mailoutbox
    ((html, _mimetype),) = email.alternatives
    token = registration.attendee.personal_calendar.token
    feed = registration.attendee.personal_calendar.feed_path()
    manage = f"https://kokous.example.org{registration.manage_path()}"
    for body in (email.body, html):
        assert registration.checkin_code in body
        assert f"webcal://kokous.example.org{feed}" in body
        assert f"https://kokous.example.org{feed}" in body
        assert manage in body
    assert token in feed


def test_dates_are_in_the_recipients_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    helsinki = ZoneInfo("Europe/Helsinki")
    event = EventFactory(
        title="Kevätfoorumi",
        timezone="Europe/Helsinki",
        starts_at=datetime(2027, 5, 5, 9, 0, tzinfo=helsinki),
        ends_at=datetime(2027, 5, 6, 17, 0, tzinfo=helsinki),
    )
    registration = RegistrationFactory(
        event=event, attendee=UserFactory(preferred_language="sv")
    )
    _confirm(registration, django_capture_on_commit_callbacks)

    (email,) = mailoutbox
    # Written by the one time module, in Swedish: not the English "Wed 5 May".
    with translation.override("sv"):
        starts = times.show_datetime(event.starts_at, event)
        ends = times.show_datetime(event.ends_at, event)
    assert starts.startswith("ons 5 ")
    assert f"När: {starts} – {ends}" in email.body
    ((html, _mimetype),) = email.alternatives
    assert f"När: {starts} – {ends}" in html
