"""Read the Excel workbook back into a map (``journeymap import register.xlsx``).

The workbook is the one File ▸ Export ▸ XLSX writes, edited in Excel or LibreOffice: the
sheets Register (one row per node) and Edges are read exactly as the CSV pair is (see
:mod:`exporters.csv_import`: loose headers, conversions as 0.3 or 30%, nodes named by id or
by a unique label), and Stages and SLAs bring back what a CSV register cannot: stage
definitions, entry criteria, owners and rejection rules, and every SLA with its teams,
response window, attempts and capacity per rep. The Company actions sheet is a view of
Register and Edges: it is not read, and the import says so (nothing in it is lost).

Sheets are found by name (any case); a workbook without those names is read as register
first, edges second. A bad cell stops the import with the file, the sheet, the row and the
column. Formulas are read as the values Excel last saved with them.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from defusedxml import DefusedXmlException

from models.document import SLA, Criteria, Stage, Team
from models.errors import MapFileError
from models.storage import IMPORT_LIMIT, read_input

from ._ids import Ids
from .csv_import import (
    EDGE_KEYS,
    NODE_KEYS,
    _key,
    _References,
    _slug,
    _Table,
    _validated,
    build_map,
)
from .import_result import ImportResult
from .tables import ACTIONS_SHEET, SLA_COLUMNS, STAGE_COLUMNS

NOT_CARRIED = [
    "not in a workbook: the map's name, description, currency and period (the map is named after the file)",
    "not in a workbook: scenarios, and the questions and thresholds of criteria",
    "not in a workbook: team headcount and capacity, buyer role details, and roles no step names "
    "(the roles of steps keep their names and ids)",
    "not in a workbook: process descriptions and the buyer role a process belongs to",
    "not in a workbook: diagram positions (the nodes were laid out again)",
]
UNPACKED_LIMIT = 8 * IMPORT_LIMIT  # its XML, unzipped (openpyxl parses it with defusedxml)
UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    OSError,
    EOFError,
    SyntaxError,  # xml.etree's ParseError and lxml's XMLSyntaxError are SyntaxErrors
    DefusedXmlException,
)  # a workbook with a DTD or entities: refused, never expanded
STAGE_KEYS = {_key(c.header): c.header for c in STAGE_COLUMNS}
SLA_KEYS = {_key(c.header): c.header for c in SLA_COLUMNS}


def read_xlsx(path: str | Path) -> ImportResult:
    """Rebuild a map from a Journeymap workbook (see the module docstring)."""
    path = Path(path)
    with _Workbook(path) as book:
        return _read(path, book)


def _read(path: Path, book: _Workbook) -> ImportResult:
    order = book.names
    by_name = {name.strip().lower(): name for name in reversed(order)}  # the first of a name

    if {"register", "edges"} & set(by_name):
        register, edges = by_name.get("register"), by_name.get("edges")
    else:  # sheets named otherwise: register first, edges second
        register, edges = (order + [None, None])[:2]
    if register is None:
        raise MapFileError(
            path,
            'has no sheet "Register"',
            hint=f"The sheets are: {', '.join(order)}. Name the sheet of nodes Register",
        )
    skipped: list[str] = []
    nodes_table = _Table(path, NODE_KEYS, (register, book.rows(register)))
    edges_table = None
    if edges is None:
        skipped.append(f'{path.name} has no sheet "Edges": the map has no edges')
    else:
        edge_rows = book.rows(edges)
        if _blank(edge_rows):
            skipped.append(f'{path.name}: sheet "{edges}" is empty: the map has no edges')
        else:
            edges_table = _Table(path, EDGE_KEYS, (edges, edge_rows))
    doc = build_map(nodes_table, edges_table, path.stem, skipped)
    refs = _References(doc, skipped)
    for wanted, keys, read, what in (
        ("stages", STAGE_KEYS, _stages, "a stages"),
        ("slas", SLA_KEYS, _slas, "an SLA"),
    ):
        name = by_name.get(wanted)
        if name is None or name in (register, edges):
            continue
        rows = book.rows(name)
        if _blank(rows):
            skipped.append(f'{path.name}: sheet "{name}" is empty')
            continue
        table = _Table(path, keys, (name, rows))
        skipped += table.notes(what)
        read(table, refs)
    read_sheets = {register, edges, by_name.get("stages"), by_name.get("slas")}
    views = [name for name in order if name.strip().lower() == ACTIONS_SHEET.lower()]
    skipped += [
        f'{path.name}: sheet "{name}" was not read: it shows the Register and Edges sheets '
        "another way, so nothing in it is lost (edit actions in Register)"
        for name in views
        if name not in read_sheets
    ]
    known = {"register", "edges", "stages", "slas", ACTIONS_SHEET.lower()}
    skipped += [
        f'{path.name}: sheet "{name}" is not a Journeymap sheet; it was not imported'
        for name in order
        if name not in read_sheets
        and (name.strip().lower() not in known or by_name[name.strip().lower()] != name)
        and name not in views
    ]
    return ImportResult(doc=doc, skipped=skipped + NOT_CARRIED)


Rows = list[tuple[int, list[str]]]
"""A sheet's rows that hold something: (spreadsheet row number, its cells as text)."""
MAX_COLUMNS = 200
"""Columns of a sheet the import reads; cells further right are only noted (a register has 28)."""


class _Workbook:
    """An XLSX file opened for reading only the sheets asked for, row by row.

    Rows are streamed from the sheet's XML and never padded: a row whose one cell sits in
    column XFD costs one cell, not 16,384. Cells right of :data:`MAX_COLUMNS` are not kept,
    only marked (the table notes them as not imported).
    """

    def __init__(self, path: Path) -> None:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet

        self.path = path
        data = read_input(path, "workbook", max_bytes=IMPORT_LIMIT)
        with _reading(self.path):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:  # refuse a zip bomb unpacked
                unpacked = sum(info.file_size for info in archive.infolist())
                if unpacked > UNPACKED_LIMIT:
                    raise MapFileError(
                        path,
                        f"unpacks to {unpacked // 2**20} MB, more than the "
                        f"{UNPACKED_LIMIT // 2**20} MB Journeymap reads",
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

    def __enter__(self) -> _Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.reader.archive.close()

    def rows(self, name: str) -> Rows:
        """The sheet's non-empty rows; the header is the spreadsheet's row 1 (empty if blank)."""
        from openpyxl.worksheet._reader import WorkSheetParser

        book = self.reader.wb
        rows: Rows = []
        # openpyxl's own row parser, without the padding its read-only rows add (private
        # names of openpyxl 3.1, which pyproject pins; tests/test_import_xlsx.py reads through it)
        with _reading(self.path):
            with self.reader.archive.open(self.parts[name]) as source:
                parser = WorkSheetParser(
                    source,
                    self.reader.shared_strings,
                    data_only=True,
                    epoch=book.epoch,
                    date_formats=book._date_formats,  # noqa: SLF001
                    timedelta_formats=book._timedelta_formats,  # noqa: SLF001
                )
                for number, cells in parser.parse():
                    row = _row(cells)
                    if row is not None:
                        rows.append((number, row))
        if not rows or rows[0][0] != 1:
            rows.insert(0, (1, []))  # no header row: the table says what is missing
        return rows


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
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
    except UNREADABLE:  # read-only mode parses a sheet's XML only as its rows are read
        raise MapFileError(
            path,
            "is not an Excel workbook, or is damaged",
            hint="Save it again from Excel or LibreOffice as .xlsx (Excel 2007 or later)",
        ) from None


def _refuse_declarations(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose XML declares a DTD or entities (XXE, billion laughs), saying so:
    a declaration can only stand in a part's prolog, so the first bytes of each part tell."""
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


def _row(cells: list[dict]) -> list[str] | None:
    """A parsed row's cells as text, up to :data:`MAX_COLUMNS` (a marker cell after them when
    something lies further right); None when the row holds nothing."""
    out: list[str] = []
    beyond = False
    for cell in cells:
        value = cell["value"]
        if value is None:
            continue
        text = _text(value)
        if not text.strip():
            continue
        column = cell["column"]
        if column > MAX_COLUMNS:
            beyond = True
            continue
        if column > len(out):
            out.extend([""] * (column - len(out)))
        out[column - 1] = text
    if beyond:
        out.extend([""] * (MAX_COLUMNS - len(out)))
        out.append("(cells right of the columns read)")
    return out or None


def _blank(rows: Rows) -> bool:
    return not any(cell.strip() for _, row in rows for cell in row)


def _text(value) -> str:
    """A cell as the CSV reader expects it: 0.3 stays "0.3", 1200.0 becomes "1200"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as the spreadsheet shows it
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return (
            value.date().isoformat()
        )  # a date typed in a cell: 2024-01-02, not 2024-01-02T00:00:00
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _team(
    table: _Table, refs: _References, row: int, column: str, cells: dict[str, str]
) -> str | None:
    return refs.resolve(
        table,
        row,
        None,
        "team",
        refs.doc.teams,
        lambda i, n: Team(id=i, name=n),
        "",
        table.text(cells, column),
        column,
    )


def _stages(table: _Table, refs: _References) -> None:
    doc = refs.doc
    for row, _, cells in table.rows:
        stage_id = refs.resolve(
            table,
            row,
            None,
            "stage",
            doc.stages,
            lambda i, n: Stage(id=i, name=n),
            table.text(cells, "id"),
            table.text(cells, "stage"),
            "stage",
        )
        if stage_id is None:
            continue
        stages = refs.index(doc.stages)
        if stage_id not in stages.by_id:  # an id with no name: named by its id
            stages.add(Stage(id=stage_id, name=stage_id))
        fields = stages.by_id[stage_id].model_dump()
        fields.update(
            {
                "definition": table.text(cells, "definition"),
                "entry_criteria": table.text(cells, "entry criteria"),
                "on_rejection": table.text(cells, "on rejection"),
                "owner": _team(table, refs, row, "owner team", cells),
            }
        )
        stages.replace(
            _validated(
                table,
                row,
                None,
                Stage,
                fields,
                {
                    "entry_criteria": "entry criteria",
                    "on_rejection": "on rejection",
                    "owner": "owner team",
                },
            )
        )


def _slas(table: _Table, refs: _References) -> None:
    doc = refs.doc
    taken = Ids()
    for row, _, cells in table.rows:
        name = table.text(cells, "SLA")
        given = table.text(cells, "id").strip()
        sla_id = given or _slug(name or "sla", taken)
        if given and given in taken:
            raise table.error(
                row,
                None,
                "id",
                f'the id "{sla_id}" is already used by another SLA',
                "Give each SLA its own id",
            )
        taken.take(sla_id)
        fields = {
            "id": sla_id,
            "name": name or sla_id,
            "description": table.text(cells, "description"),
            "from_team": _team(table, refs, row, "from team", cells),
            "to_team": _team(table, refs, row, "to team", cells),
            "stage": refs.resolve(
                table,
                row,
                None,
                "stage",
                doc.stages,
                lambda i, n: Stage(id=i, name=n),
                "",
                table.text(cells, "stage"),
                "stage",
            ),
            "criteria": refs.resolve(
                table,
                row,
                None,
                "criteria",
                doc.criteria,
                lambda i, n: Criteria(id=i, name=n),
                "",
                table.text(cells, "criteria"),
                "criteria",
            ),
            "leads_per_rep": table.number(row, None, cells, "leads per rep"),
            "response_hours": table.number(row, None, cells, "response (hours)"),
            "attempts": _whole(table, row, cells, "attempts"),
            "attempt_window_days": table.number(row, None, cells, "attempt window (days)"),
            "late_conversion_factor": table.number(
                row, None, cells, "late conversion factor", share=True
            ),
        }
        for end in ("from_team", "to_team"):
            if fields[end] is None:
                column = end.replace("_", " ")
                raise table.error(
                    row,
                    None,
                    column,
                    f"the SLA names no {column}",
                    f"Name the team in the {column} column",
                )
        doc.slas.append(
            _validated(
                table,
                row,
                None,
                SLA,
                fields,
                {
                    "from_team": "from team",
                    "to_team": "to team",
                    "leads_per_rep": "leads per rep",
                    "response_hours": "response (hours)",
                    "attempt_window_days": "attempt window (days)",
                    "late_conversion_factor": "late conversion factor",
                },
            )
        )


def _whole(table: _Table, row: int, cells: dict[str, str], column: str) -> int | None:
    number = table.number(row, None, cells, column)
    if number is not None and not float(number).is_integer():
        raise table.error(
            row,
            None,
            column,
            f'"{cells[column]}" is not a whole number',
            "Write a whole number such as 3",
        )
    return None if number is None else int(number)
