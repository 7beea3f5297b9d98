"""The check-in code as an inline SVG QR code, drawn once per code.

zxing-cpp encodes the code (in C++, a third of segno's time, on the page every
registration lands on); its bitmap's dark modules become one SVG path, a
horizontal stroke per run of dark modules in a row, with the quiet zone around.
"""

import hashlib
import re

import zxingcpp
from django.core.cache import cache

QR_TIMEOUT = 30 * 24 * 3600
# Raise when the drawing changes (size, error correction, encoder): keys include it.
QR_FORMAT = "3"
SCALE = 5  # pixels a module
QUIET_ZONE = 4  # modules of light margin, as readers expect
_DARK_RUNS = re.compile(rb"\x00+")  # in zxing's bitmap 0 is dark, 255 light


def checkin_qr_svg(code: str) -> str:
    """The SVG for `code`, from the cache when it was drawn before.

    The key is a hash of the code (codes are looked up at the door, so the
    cache does not hold them in clear)."""
    key = "qr:" + QR_FORMAT + ":" + hashlib.sha256(code.encode()).hexdigest()[:32]
    svg = cache.get(key)
    if svg is None:
        svg = draw(code)
        cache.set(key, svg, QR_TIMEOUT)
    return svg


def modules(code: str) -> tuple[int, bytes]:
    """The QR code's side in modules and its bitmap, a byte a module, row by row
    (error correction M: the code survives a scratched or dimmed screen)."""
    barcode = zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    bitmap = memoryview(barcode.to_image(add_quiet_zones=False))
    return bitmap.shape[0], bitmap.tobytes()


def draw(code: str) -> str:
    side, bitmap = modules(code)
    path = "".join(
        f"M{run.start() - row * side + QUIET_ZONE} {row + QUIET_ZONE}.5"
        f"h{run.end() - run.start()}"
        for row in range(side)
        for run in _DARK_RUNS.finditer(bitmap, row * side, (row + 1) * side)
    )
    full = side + 2 * QUIET_ZONE
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{full * SCALE}" '
        f'height="{full * SCALE}" viewBox="0 0 {full} {full}">'
        f'<rect width="{full}" height="{full}" fill="#fff"/>'
        f'<path stroke="#000" d="{path}"/></svg>'
    )
