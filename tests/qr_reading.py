"""Reading back the QR codes the site draws: the SVG's path is turned into a
picture, module by module, and zxing-cpp decodes that picture as a phone would."""

import re

import zxingcpp
from PIL import Image

_SIZE = re.compile(r'viewBox="0 0 (\d+) (\d+)"')
_RUN = re.compile(r"M(\d+) (\d+)\.5h(\d+)")
PIXELS = 6  # a module's side in the picture


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """(x, y) of every module the path strokes."""
    path = svg[svg.index(' d="') + 4 :]
    return {
        (x + i, y)
        for x, y, length in (map(int, run) for run in _RUN.findall(path))
        for i in range(length)
    }


def read_qr(svg: str) -> str | None:
    """The text the QR code in `svg` holds, or None if no reader could read it."""
    side = int(_SIZE.search(svg).group(1))
    picture = Image.new("L", (side * PIXELS, side * PIXELS), 255)
    for x, y in dark_modules(svg):
        picture.paste(0, (x * PIXELS, y * PIXELS, (x + 1) * PIXELS, (y + 1) * PIXELS))
    found = zxingcpp.read_barcode(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    return found.text if found else None
