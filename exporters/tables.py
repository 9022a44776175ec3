"""The action register as CSV and XLSX: one row per step or action, plus an edges table.

**CSV is a pair of files.** ``register.csv`` holds the nodes (the action
register a team reads and filters), ``register-edges.csv`` next to it the
edges. :func:`generate_csv` returns the register alone (what ``-o -`` prints),
:func:`generate_csv_files` both tables by file name and :func:`write_csv`
writes both, UTF-8 with a byte order mark so Excel shows accents right.
:func:`read_csv` (in :mod:`exporters.csv_import`) rebuilds a map from the pair.

Cells are safe to open in a spreadsheet: a text cell starting with ``= + - @``,
a tab, a carriage return or an apostrophe gets a leading apostrophe, which
:func:`read_csv` removes again; numbers are written as plain numbers. Lists
(motivations, concerns, technology) are joined with ``"; "``, a literal ``;``
or backslash escaped with a backslash.

**XLSX** is one workbook with the sheets Register, Edges, Company actions (every
company action in stage order with the buyer steps it serves, in any process: a
view of the first two, which the import does not read), Stages (the glossary)
and SLAs. Every text cell is a string cell, never a formula, whatever it starts
with; risky ones also carry Excel's "quote prefix" so that editing the cell
keeps it text. Headers are bold and frozen, columns sized, autofilter on. The
file is deterministic: the same map gives the same bytes.

>>> from models.document import JourneyMap, Process, Node
>>> m = JourneyMap(processes=[Process(id="p", name="Funnel")],
...                nodes=[Node(id="a", process="p", kind="entry", label="=HYPERLINK(x)", volume=500)])
>>> print(generate_csv(m).splitlines()[1])  # doctest: +ELLIPSIS
Funnel,,a,entry,'=HYPERLINK(x),,,,,,,,,,,,,500,,,p,funnel,,,,,,
>>> sorted(generate_csv_files(m, stem="../../x"))
['x-edges.csv', 'x.csv']
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from models.company_view import company_actions
from models.document import JourneyMap
from models.storage import write_atomic

from ._labels import processes
from ._register import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    Column,
    edge_rows,
    neutralise,
    node_rows,
    text_cell,
)
from ._xlsx import Sheet, workbook
from .csv_import import read_csv

__all__ = [
    "generate_csv",
    "generate_csv_files",
    "write_csv",
    "csv_paths",
    "generate_xlsx",
    "write_xlsx",
    "read_csv",
]


def _csv_text(columns: list[Column], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([neutralise(text_cell(c, row[c.header])) for c in columns])
    return buffer.getvalue()


def generate_csv(doc: JourneyMap, process_id: str | None = None) -> str:
    """The register (nodes) table as CSV text; the edges are in :func:`generate_csv_files`."""
    return _csv_text(NODE_COLUMNS, node_rows(doc, process_id))


def generate_edges_csv(doc: JourneyMap, process_id: str | None = None) -> str:
    """The edges table as CSV text."""
    return _csv_text(EDGE_COLUMNS, edge_rows(doc, process_id))


def generate_csv_files(
    doc: JourneyMap, process_id: str | None = None, stem: str = "register"
) -> dict[str, str]:
    """Both tables by file name: ``{"<stem>.csv": nodes, "<stem>-edges.csv": edges}``.

    ``stem`` is reduced to a bare file name, so the names never point into another folder.
    """
    stem = Path(stem).name or "register"
    return {
        f"{stem}.csv": generate_csv(doc, process_id),
        f"{stem}-edges.csv": generate_edges_csv(doc, process_id),
    }


def csv_paths(out: str | Path) -> tuple[Path, Path]:
    """Where :func:`write_csv` puts the two tables: ``OUT`` and ``OUT``'s stem + ``-edges``.

    The edges file always sits in ``OUT``'s folder.

    >>> [str(p) for p in csv_paths("out/register.csv")]
    ['out/register.csv', 'out/register-edges.csv']
    """
    out = Path(out)
    return out, out.with_name(f"{out.stem}-edges{out.suffix or '.csv'}")


def write_csv(doc: JourneyMap, path: str | Path, process_id: str | None = None) -> list[Path]:
    """Write the register to ``path`` and the edges next to it, atomically; the paths written."""
    nodes_path, edges_path = csv_paths(path)
    write_atomic(nodes_path, generate_csv(doc, process_id).encode("utf-8-sig"))
    write_atomic(edges_path, generate_edges_csv(doc, process_id).encode("utf-8-sig"))
    return [nodes_path, edges_path]


# --- XLSX ----------------------------------------------------------------------------------------

STAGE_COLUMNS = [
    Column("stage", width=16),
    Column("id", width=12),
    Column("definition", width=50),
    Column("entry criteria", width=40),
    Column("owner team", width=18),
    Column("on rejection", width=40),
]
SLA_COLUMNS = [
    Column("SLA", width=30),
    Column("id", width=14),
    Column("from team", width=18),
    Column("to team", width=18),
    Column("stage", width=12),
    Column("criteria", width=14),
    Column("leads per rep", "number", 12),
    Column("response (hours)", "number", 12),
    Column("attempts", "number", 10),
    Column("attempt window (days)", "number", 12),
    Column("late conversion factor", "number", 12),
    Column("description", width=50),
]


ACTION_COLUMNS = [
    Column("stage", width=12),
    Column("action", width=30),
    Column("id", width=16),
    Column("process", width=22),
    Column("owner team", width=18),
    Column("call to action", width=24),
    Column("technology", "list", 18),
    Column("buyer steps addressed", "list", 40),
]
"""The Company actions sheet: method step 4, every company action in stage order with the buyer
steps it serves (a view of Register and Edges; the import does not read it)."""
ACTIONS_SHEET = "Company actions"


def action_rows(doc: JourneyMap, process_id: str | None = None) -> list[dict]:
    """:func:`models.company_view.company_actions` (of one process, or all): one dict per
    action, keyed by :data:`ACTION_COLUMNS` headers."""
    chosen = {p.id for p in processes(doc, process_id)}
    return [
        {
            "stage": row.stage_name,
            "action": row.label,
            "id": row.node,
            "process": row.process_name,
            "owner team": row.owner_name,
            "call to action": row.call_to_action,
            "technology": list(row.technology),
            "buyer steps addressed": [
                f"{step.label} ({step.process_name})" for step in row.addresses
            ],
        }
        for row in company_actions(doc)
        if row.process in chosen
    ]


def stage_rows(doc: JourneyMap) -> list[dict]:
    """The stage glossary: one dict per stage, keyed by :data:`STAGE_COLUMNS` headers."""
    teams = {t.id: t.name for t in doc.teams}
    return [
        {
            "stage": s.name,
            "id": s.id,
            "definition": s.definition,
            "entry criteria": s.entry_criteria,
            "owner team": teams.get(s.owner, s.owner) if s.owner else "",
            "on rejection": s.on_rejection,
        }
        for s in doc.stages
    ]


def sla_rows(doc: JourneyMap) -> list[dict]:
    """The SLAs: one dict per SLA, keyed by :data:`SLA_COLUMNS` headers."""
    teams = {t.id: t.name for t in doc.teams}
    stages = {s.id: s.name for s in doc.stages}
    criteria = {c.id: c.name for c in doc.criteria}
    return [
        {
            "SLA": s.name,
            "id": s.id,
            "from team": teams.get(s.from_team, s.from_team),
            "to team": teams.get(s.to_team, s.to_team),
            "stage": stages.get(s.stage, s.stage or "") if s.stage else "",
            "criteria": criteria.get(s.criteria, s.criteria or "") if s.criteria else "",
            "leads per rep": s.leads_per_rep,
            "response (hours)": s.response_hours,
            "attempts": s.attempts,
            "attempt window (days)": s.attempt_window_days,
            "late conversion factor": s.late_conversion_factor,
            "description": s.description,
        }
        for s in doc.slas
    ]


def _sheet(title: str, columns: list[Column], rows: list[dict]) -> Sheet:
    """One sheet of the workbook: columns sized to their content, every text a string cell."""
    widths = []
    for column in columns:
        longest = max([len(column.header)] + [len(_first_line(row[column.header])) for row in rows])
        widths.append((column.header, max(8, min(longest + 2, column.width + 16))))

    def cells(row: dict) -> list[str | int | float | None]:
        out: list[str | int | float | None] = []
        for column in columns:
            raw = row[column.header]
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                out.append(raw)
            elif raw is not None and raw != [] and raw != "":
                out.append(text_cell(column, raw))
            else:
                out.append(None)
        return out

    return Sheet(title, widths, (cells(row) for row in rows))


def _first_line(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        raw = "; ".join(raw)
    return str(raw).split("\n", 1)[0]


def generate_xlsx(doc: JourneyMap, process_id: str | None = None) -> bytes:
    """The workbook (Register, Edges, Company actions, Stages, SLAs) as XLSX bytes."""
    return workbook(
        doc.name[:255],
        [
            _sheet("Register", NODE_COLUMNS, node_rows(doc, process_id)),
            _sheet("Edges", EDGE_COLUMNS, edge_rows(doc, process_id)),
            _sheet(ACTIONS_SHEET, ACTION_COLUMNS, action_rows(doc, process_id)),
            _sheet("Stages", STAGE_COLUMNS, stage_rows(doc)),
            _sheet("SLAs", SLA_COLUMNS, sla_rows(doc)),
        ],
    )


def write_xlsx(doc: JourneyMap, path: str | Path, process_id: str | None = None) -> None:
    """Write :func:`generate_xlsx` to ``path`` atomically."""
    write_atomic(Path(path), generate_xlsx(doc, process_id))
