"""The check-in code as an inline SVG QR code, drawn once per code."""

import hashlib

import segno
from django.core.cache import cache

QR_TIMEOUT = 30 * 24 * 3600
# Raise when the drawing changes (size, error correction, mask): cache keys include it.
QR_FORMAT = "2"
# Every reader decodes any of the eight mask patterns (the code names its own);
# choosing one instead of scoring all eight draws the code in a quarter of the
# time, on the page every registration lands on.
QR_MASK = 0


def checkin_qr_svg(code: str) -> str:
    """The SVG for `code`, from the cache when it was drawn before.

    The key is a hash of the code (codes are looked up at the door, so the
    cache does not hold them in clear)."""
    key = "qr:" + QR_FORMAT + ":" + hashlib.sha256(code.encode()).hexdigest()[:32]
    svg = cache.get(key)
    if svg is None:
        svg = segno.make(code, error="m", mask=QR_MASK).svg_inline(scale=5)
        cache.set(key, svg, QR_TIMEOUT)
    return svg
