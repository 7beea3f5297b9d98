"""A one-sheet Excel workbook (.xlsx) of text cells, written directly.

The lists organisers download are plain tables of text, and openpyxl without
lxml serialises its XML in pure Python: 5,000 registrations took it about 3 s
(bench/README.md). A table of inline strings needs only a handful of fixed
parts beside the sheet itself, which is written here as one string; tests read
the result back with openpyxl.
"""

import io
import re
import zipfile
from xml.sax.saxutils import escape

# Characters XML 1.0 cannot hold; nobody needs them in a list.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_WIDTH = 60

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""  # noqa: E501

PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""  # noqa: E501

WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"""

WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
</Relationships>"""  # noqa: E501

# Two cell formats: 0 plain, 1 bold (the header row).
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""  # noqa: E501


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _text(value) -> str:
    return escape(ILLEGAL.sub("", "" if value is None else str(value)))


def _sheet(header: list, rows: list[list]) -> str:
    letters = [column_letter(n) for n in range(1, len(header) + 1)]
    widths = [len(str(name)) for name in header]
    parts = []
    for number, row in enumerate([header, *rows], start=1):
        style = ' s="1"' if number == 1 else ""
        cells = []
        for position, value in enumerate(row):
            text = _text(value)
            if not text:
                continue
            if len(text) > widths[position]:
                widths[position] = len(text)
            cells.append(
                f'<c r="{letters[position]}{number}" t="inlineStr"{style}>'
                f'<is><t xml:space="preserve">{text}</t></is></c>'
            )
        parts.append(f'<row r="{number}">{"".join(cells)}</row>')
    columns = "".join(
        f'<col min="{n}" max="{n}" width="{min(max(width + 2, 10), MAX_WIDTH)}" '
        f'customWidth="1"/>'
        for n, width in enumerate(widths, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
        f"<cols>{columns}</cols>"
        f"<sheetData>{''.join(parts)}</sheetData></worksheet>"
    )


def workbook_bytes(header: list, rows: list[list], *, title: str) -> bytes:
    """The .xlsx file: `header` in bold and frozen, then `rows`, every cell text."""
    # Excel's limits for sheet names: 31 characters, none of []:*?/\
    name = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Sheet1"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=5) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", PACKAGE_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK.format(name=escape(name)))
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/styles.xml", STYLES)
        book.writestr("xl/worksheets/sheet1.xml", _sheet(header, rows))
    return buffer.getvalue()
