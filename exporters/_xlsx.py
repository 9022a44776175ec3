"""A small, fast XLSX writer for the register workbook: text and number cells, a bold frozen
header row, column widths and an autofilter, nothing else.

openpyxl builds an object per cell and per style assignment: a 100,000-step register took
minutes and gigabytes. This writes each sheet's XML as text, row by row (a few seconds, memory
in proportion to the sheet's own text), and the result opens in Excel and LibreOffice and reads
back with openpyxl as the same cells. Every text cell is an inline string (never a formula);
one whose text a spreadsheet could take for a formula also carries Excel's quote prefix, so
editing it keeps it text. The same sheets always give the same bytes (fixed zip dates).

>>> import io, openpyxl
>>> data = workbook("Demo", [Sheet("S", [("a", 10), ("b", 10)], [["=1+1", 2.5], ["x", None]])])
>>> cells = list(openpyxl.load_workbook(io.BytesIO(data))["S"].values)
>>> cells
[('a', 'b'), ('=1+1', 2.5), ('x', None)]
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = ["Sheet", "column_letter", "workbook"]

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER, TEXT, QUOTED = 1, 2, 3
"""Cell styles: the bold header, text at the top of its cell and wrapped, and the same with
Excel's quote prefix (a text that starts like a formula)."""
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


@dataclass(frozen=True)
class Sheet:
    """One sheet: its title, (header, width) per column, and rows of text, numbers or None."""

    title: str
    columns: Sequence[tuple[str, float]]
    rows: Iterable[Sequence[str | int | float | None]]


def column_letter(index: int) -> str:
    """1 -> ``A``, 28 -> ``AB``.

    >>> column_letter(1), column_letter(26), column_letter(27), column_letter(16384)
    ('A', 'Z', 'AA', 'XFD')
    """
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_XML_TEXT = {"\r": "&#13;"}  # a CR kept as a CR (a parser turns a raw one into a line feed)
_TEXT_CHARS = re.compile(r"[&<>\r]")


def _text(value: str) -> str:
    return escape(value, _XML_TEXT) if _TEXT_CHARS.search(value) else value


def _number(value: float) -> str:
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    return repr(float(value))


def _sheet_xml(sheet: Sheet) -> bytes:
    letters = [column_letter(i) for i in range(1, len(sheet.columns) + 1)]
    out: list[str] = []
    count = 0
    for r, row in enumerate(sheet.rows, start=2):
        count += 1
        cells = []
        for letter, value in zip(letters, row, strict=False):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                style = QUOTED if value.startswith(TRIGGERS) else TEXT
                cells.append(
                    f'<c r="{letter}{r}" s="{style}" t="inlineStr"><is>'
                    f'<t xml:space="preserve">{_text(value)}</t></is></c>'
                )
            else:
                cells.append(f'<c r="{letter}{r}"><v>{_number(value)}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    last = letters[-1] if letters else "A"
    area = f"A1:{last}{max(count + 1, 2)}"
    header = "".join(
        f'<c r="{letter}1" s="{HEADER}" t="inlineStr"><is><t xml:space="preserve">'
        f"{_text(title)}</t></is></c>"
        for letter, (title, _width) in zip(letters, sheet.columns, strict=True)
    )
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width:g}" customWidth="1"/>'
        for i, (_title, width) in enumerate(sheet.columns, start=1)
    )
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
        f'<dimension ref="A1:{last}{count + 1}"/>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" '
        'sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols><sheetData>"
        f'<row r="1">{header}</row>'
    )
    tail = f'</sheetData><autoFilter ref="{area}"/></worksheet>'
    return (head + "".join(out) + tail).encode("utf-8")


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1" '
    'quotePrefix="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def workbook(title: str, sheets: Sequence[Sheet], creator: str = "Journeymap") -> bytes:
    """The XLSX file holding ``sheets`` in order, with ``title`` and ``creator`` as its
    document properties (no dates: the same sheets give the same bytes)."""
    parts: dict[str, bytes | str] = {}
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.extended-properties+xml"/>{overrides}</Types>'
    )
    parts["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{RELS}/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )
    parts["docProps/app.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>Journeymap</Application></Properties>'
    )
    parts["docProps/core.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>{_text(creator)}</dc:creator>"
        "</cp:coreProperties>"
    )
    sheet_list = "".join(
        f'<sheet name="{escape(s.title, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    parts["xl/workbook.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{sheet_list}</sheets></workbook>'
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PACKAGE_RELS}">{rels}'
        f'<Relationship Id="rId{len(sheets) + 1}" Type="{RELS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    parts["xl/styles.xml"] = _STYLES
    for i, sheet in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            entry = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return out.getvalue()
