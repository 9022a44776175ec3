"""Reading an XLSX workbook's sheets as rows of text, for the import (:mod:`exporters.xlsx_import`).

openpyxl reads the workbook's parts that are small (the list of sheets, shared strings, number
formats); each sheet's XML, the part that grows with the map, is streamed here by expat with
one small handler per element: openpyxl builds several objects per cell (the 100,000-step
workbook's import took 145 processor seconds, at a load of 7), this reads its 250,000 rows in
about 20 (0.08 ms a row), and the whole import takes 44. Rows are never
padded: a row whose one cell sits in column XFD costs one cell, not 16,384. Cells right of
:data:`MAX_COLUMNS` are not kept, only marked (the table notes them as not imported).

Values are read as openpyxl reads them with ``data_only=True``: a formula as the value Excel
last saved with it, a number in a date format as a date, shared and inline (rich) strings as
their text, and each turned into the text a CSV register would hold (:func:`cell_text`).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden

from models.errors import MapFileError
from models.storage import IMPORT_LIMIT, read_input

Rows = list[tuple[int, list[str]]]
"""A sheet's rows that hold something: (spreadsheet row number, its cells as text)."""
MAX_COLUMNS = 200
"""Columns of a sheet the import reads; cells further right are only noted (a register has 28)."""
BEYOND = "(cells right of the columns read)"
UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    OSError,
    EOFError,
    OverflowError,
    SyntaxError,  # xml.etree's ParseError and lxml's XMLSyntaxError are SyntaxErrors
    expat.ExpatError,
    DefusedXmlException,
)  # a workbook with a DTD or entities: refused, never expanded
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL, _VALUE, _INLINE, _TEXT, _PHONETIC = (
    f"{MAIN} {name}" for name in ("row", "c", "v", "is", "t", "rPh")
)


class Workbook:
    """An XLSX file opened for reading only the sheets asked for, row by row."""

    def __init__(self, path: Path, unpacked_limit: int) -> None:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet

        self.path = path
        data = read_input(path, "workbook", max_bytes=IMPORT_LIMIT)
        with reading(self.path):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:  # refuse a zip bomb unpacked
                unpacked = sum(info.file_size for info in archive.infolist())
                if unpacked > unpacked_limit:
                    raise MapFileError(
                        path,
                        f"unpacks to {unpacked // 2**20} MB, more than the "
                        f"{unpacked_limit // 2**20} MB Journeymap reads",
                        hint="Split the workbook, or export the register as CSV",
                    )
                _refuse_declarations(path, archive)
            # openpyxl's reader, up to the sheets: load_workbook would size every sheet, and a
            # sheet without a <dimension> is sized by parsing all of it, even one never read
            reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)  # which number formats are dates
            self.reader = reader
            self.parts = {
                sheet.name: rel.target
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            }
        self.names: list[str] = list(self.parts)

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.reader.archive.close()

    def rows(self, name: str) -> Rows:
        """The sheet's non-empty rows; the header is the spreadsheet's row 1 (empty if blank)."""
        book = self.reader.wb
        # the cell styles (indices) whose number format shows a date or a duration: openpyxl
        # 3.1's private names, which pyproject pins and tests/test_import_xlsx.py reads through
        dates = set(book._date_formats)  # noqa: SLF001
        spans = set(book._timedelta_formats)  # noqa: SLF001
        with reading(self.path), self.reader.archive.open(self.parts[name]) as source:
            rows = _read_sheet(source, self.reader.shared_strings, dates, spans, book.epoch)
        if not rows or rows[0][0] != 1:
            rows.insert(0, (1, []))  # no header row: the table says what is missing
        return rows


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn what a damaged or hostile workbook makes the zip and XML readers raise into one
    sentence; warnings about styles and extensions openpyxl skips are not the user's concern."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    except MapFileError:
        raise
    except DefusedXmlException as error:
        raise MapFileError(
            path,
            f"declares XML entities or a DTD ({type(error).__name__}), which Journeymap "
            "refuses to read: a workbook saved by Excel or LibreOffice has none",
            hint="Save it again from Excel or LibreOffice as .xlsx",
        ) from None
    except UNREADABLE:  # a sheet's XML is parsed only as its rows are read
        raise MapFileError(
            path,
            "is not an Excel workbook, or is damaged",
            hint="Save it again from Excel or LibreOffice as .xlsx (Excel 2007 or later)",
        ) from None


def _refuse_declarations(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose XML declares a DTD or entities (XXE, billion laughs), saying so:
    a declaration can only stand in a part's prolog, so the first bytes of each part tell (the
    sheet reader refuses one further on as well)."""
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as part:
            head = part.read(4096)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise MapFileError(
                path,
                f"declares XML entities or a DTD (in {info.filename}), which Journeymap refuses "
                "to read: a workbook saved by Excel or LibreOffice has none",
                hint="Save it again from Excel or LibreOffice as .xlsx",
            )


_COLUMNS: dict[str, int] = {}


def _column(reference: str) -> int:
    """``"AB12"`` -> 28 (cached by letters: a sheet has few distinct columns)."""
    letters = reference.rstrip("0123456789")
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for letter in letters.upper():
            if not "A" <= letter <= "Z":
                raise ValueError(f"not a cell reference: {reference!r}")
            index = index * 26 + ord(letter) - 64
        if not 0 < index <= 16384:
            raise ValueError(f"not a cell reference: {reference!r}")
        if len(_COLUMNS) < 20000:
            _COLUMNS[letters] = index
    return index


def _forbid(kind: type[DefusedXmlException]) -> Callable[..., Any]:
    def refuse(*_args: object) -> None:
        raise kind(*(("?",) * (3 if kind is DTDForbidden else 6)))

    return refuse


def _read_sheet(
    source: IO[bytes], strings: list[Any], dates: set[int], spans: set[int], epoch: Any
) -> Rows:
    """One pass of expat over a sheet's XML, keeping each row's non-blank cells as text.

    The handlers run once per element (several million for a large map), so they keep their
    state in local variables of this function rather than in an object's attributes."""
    rows: Rows = []
    number = 0  # the current row's number (a <row> without r= follows the last)
    cells: list[str] = []
    beyond = False  # a cell of this row lies right of MAX_COLUMNS
    column = 0
    kind = "n"
    style = 0
    texts: list[str] = []  # the current cell's <v> or inline <t> text
    collect = False  # inside a <v>, or a <t> of an inline string (not a phonetic guide)
    inline = phonetic = False
    append = texts.append

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal number, cells, beyond, column, kind, style, texts, append
        nonlocal collect, inline, phonetic
        if name == _CELL:
            reference = attrs.get("r")
            column = _column(reference) if reference else column + 1
            kind = attrs.get("t", "n")
            style = int(attrs.get("s", 0))
            texts = []
            append = texts.append
            inline = False
        elif name == _TEXT:
            collect = inline and not phonetic and kind == "inlineStr"
        elif name == _INLINE:
            inline, phonetic = True, False
        elif name == _VALUE:
            collect = kind != "inlineStr"  # openpyxl reads an inline string's <is> only
        elif name == _ROW:
            given = attrs.get("r")
            number = int(given) if given else number + 1
            cells, beyond, column = [], False, 0
        elif name == _PHONETIC:
            phonetic = True

    def data(text: str) -> None:
        if collect:
            append(text)

    def end(name: str) -> None:
        nonlocal collect, beyond, phonetic
        if name == _TEXT or name == _VALUE:
            collect = False
        elif name == _CELL:
            if not texts:
                return
            raw = "".join(texts)
            if kind == "inlineStr" or kind == "str" or kind == "e":
                text = raw
            elif kind == "s":
                text = str(strings[int(raw)])
            else:
                text = cell_text(_typed(kind, raw, style in dates, style in spans, epoch))
            if not text.strip():
                return
            if column > MAX_COLUMNS:
                beyond = True
                return
            if column > len(cells):
                cells.extend([""] * (column - len(cells)))
            cells[column - 1] = text
        elif name == _ROW:
            if beyond:
                cells.extend([""] * (MAX_COLUMNS - len(cells)))
                cells.append(BEYOND)
            if cells:
                rows.append((number, cells))
        elif name == _PHONETIC:
            phonetic = False

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    # what defusedxml refuses, refused here too, wherever it stands
    parser.StartDoctypeDeclHandler = _forbid(DTDForbidden)
    parser.EntityDeclHandler = _forbid(EntitiesForbidden)
    parser.UnparsedEntityDeclHandler = _forbid(EntitiesForbidden)
    parser.ExternalEntityRefHandler = _forbid(EntitiesForbidden)
    parser.ParseFile(source)
    return rows


def _typed(kind: str, raw: str, date: bool, span: bool, epoch: Any) -> object:
    """A number, boolean or date cell's value, as openpyxl reads it."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    if kind == "b":
        return bool(int(raw))
    if kind == "d":
        return from_ISO8601(raw)
    number: float = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
    if not date:
        return number
    try:
        return from_excel(number, epoch, timedelta=span)
    except (OverflowError, ValueError):
        return "#VALUE!"  # a date out of range, as openpyxl reads it


def cell_text(value: object) -> str:
    """A cell as the CSV reader expects it: 0.3 stays "0.3", 1200.0 becomes "1200"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as the spreadsheet shows it
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()  # a date typed in a cell: 2024-01-02, not ...T00:00:00
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)
