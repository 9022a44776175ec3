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

import datetime
import io
import warnings
import zipfile
import zlib
from pathlib import Path

from defusedxml import DefusedXmlException

from models.document import SLA, Criteria, Stage, Team
from models.errors import MapFileError
from models.storage import IMPORT_LIMIT, read_input

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
    sheets = _sheets(path)
    by_name = {name.strip().lower(): name for name in sheets}
    order = list(sheets)

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
    nodes_table = _Table(path, NODE_KEYS, (register, sheets[register]))
    edges_table = None
    if edges is None:
        skipped.append(f'{path.name} has no sheet "Edges": the map has no edges')
    elif _blank(sheets[edges]):
        skipped.append(f'{path.name}: sheet "{edges}" is empty: the map has no edges')
    else:
        edges_table = _Table(path, EDGE_KEYS, (edges, sheets[edges]))
    doc = build_map(nodes_table, edges_table, path.stem, skipped)
    refs = _References(doc, skipped)
    for wanted, keys, read, what in (
        ("stages", STAGE_KEYS, _stages, "a stages"),
        ("slas", SLA_KEYS, _slas, "an SLA"),
    ):
        name = by_name.get(wanted)
        if name is None:
            continue
        if _blank(sheets[name]):
            skipped.append(f'{path.name}: sheet "{name}" is empty')
            continue
        table = _Table(path, keys, (name, sheets[name]))
        skipped += table.notes(what)
        read(table, refs)
    views = [name for name in order if name.strip().lower() == ACTIONS_SHEET.lower()]
    skipped += [
        f'{path.name}: sheet "{name}" was not read: it shows the Register and Edges sheets '
        "another way, so nothing in it is lost (edit actions in Register)"
        for name in views
        if name not in (register, edges)
    ]
    known = {"register", "edges", "stages", "slas", ACTIONS_SHEET.lower()}
    skipped += [
        f'{path.name}: sheet "{name}" is not a Journeymap sheet; it was not imported'
        for name in order
        if name.strip().lower() not in known and name not in (register, edges)
    ]
    return ImportResult(doc=doc, skipped=skipped + NOT_CARRIED)


def _sheets(path: Path) -> dict[str, list[list[str]]]:
    """Every sheet's rows as text cells, the way a CSV file would hold them."""
    from openpyxl import load_workbook

    data = read_input(path, "workbook", max_bytes=IMPORT_LIMIT)
    damaged = MapFileError(
        path,
        "is not an Excel workbook, or is damaged",
        hint="Save it again from Excel or LibreOffice as .xlsx (Excel 2007 or later)",
    )
    try:
        with zipfile.ZipFile(
            io.BytesIO(data)
        ) as archive:  # a workbook is a zip: refuse a zip bomb unpacked
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > UNPACKED_LIMIT:
            raise MapFileError(
                path,
                f"unpacks to {unpacked // 2**20} MB, more than the "
                f"{UNPACKED_LIMIT // 2**20} MB Journeymap reads",
                hint="Split the workbook, or export the register as CSV",
            )
        with (
            warnings.catch_warnings()
        ):  # openpyxl warns about styles and extensions it skips: not the user's concern
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheets = {}
                for sheet in book.worksheets:
                    sheet.reset_dimensions()  # some programs write a wrong used range: read every row there is
                    sheets[sheet.title] = [
                        [_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
                    ]
                return sheets
            finally:
                book.close()
    except MapFileError:
        raise
    except UNREADABLE:  # read-only mode parses each sheet's XML only now, as its rows are read
        raise damaged from None


def _blank(rows: list[list[str]]) -> bool:
    return not any(cell.strip() for row in rows for cell in row)


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
        index = next(i for i, s in enumerate(doc.stages) if s.id == stage_id)
        fields = doc.stages[index].model_dump()
        fields.update(
            {
                "definition": table.text(cells, "definition"),
                "entry_criteria": table.text(cells, "entry criteria"),
                "on_rejection": table.text(cells, "on rejection"),
                "owner": _team(table, refs, row, "owner team", cells),
            }
        )
        doc.stages[index] = _validated(
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


def _slas(table: _Table, refs: _References) -> None:
    doc = refs.doc
    taken: set[str] = set()
    for row, _, cells in table.rows:
        name = table.text(cells, "SLA")
        sla_id = table.text(cells, "id").strip() or _slug(name or "sla", taken)
        if sla_id in taken:
            raise table.error(
                row,
                None,
                "id",
                f'the id "{sla_id}" is already used by another SLA',
                "Give each SLA its own id",
            )
        taken.add(sla_id)
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
