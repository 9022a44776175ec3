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

from pathlib import Path

from models.document import SLA, Criteria, Stage, Team
from models.errors import MapFileError
from models.storage import IMPORT_LIMIT

from ._ids import Ids
from ._import_table import (
    EDGE_KEYS,
    NODE_KEYS,
    _key,
    _References,
    _slug,
    _Table,
    _validated,
)
from ._xlsx_sheets import Rows, Workbook
from .csv_import import build_map
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
STAGE_KEYS = {_key(c.header): c.header for c in STAGE_COLUMNS}
SLA_KEYS = {_key(c.header): c.header for c in SLA_COLUMNS}


def read_xlsx(path: str | Path) -> ImportResult:
    """Rebuild a map from a Journeymap workbook (see the module docstring)."""
    path = Path(path)
    with Workbook(path, UNPACKED_LIMIT) as book:
        return _read(path, book)


def _read(path: Path, book: Workbook) -> ImportResult:
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


def _blank(rows: Rows) -> bool:
    return not any(cell.strip() for _, row in rows for cell in row)


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
