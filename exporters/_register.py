"""The action register: one row per node, one per edge, shared by CSV, XLSX and the HTML report.

A row is a dict keyed by column header holding plain values: text, lists of
text, numbers (or None) and the derived "next steps" / "conversion (out)".
The formats turn those values into cells their own way; the CSV ones go
through :func:`join_list` and :func:`neutralise` so that a spreadsheet never
runs a label as a formula and :mod:`exporters.csv_import` reads every cell back
exactly.

>>> join_list(["a;b", "c\\\\"])
'a\\\\;b; c\\\\\\\\'
>>> split_list(join_list(["a;b", "c\\\\", " d"]))
['a;b', 'c\\\\', ' d']
>>> neutralise("=1+1"), neutralise("'quoted'"), neutralise("plain")
("'=1+1", "''quoted'", 'plain')
>>> unneutralise(neutralise("@SUM(A1)"))
'@SUM(A1)'
"""

from __future__ import annotations

from dataclasses import dataclass

from models.document import Edge, JourneyMap, Node
from models.scalars import MAX_CELL
from models.vocabulary import CARRIES_LEADS

from ._labels import percent, processes

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")
"""First characters a spreadsheet may read as a formula (and the apostrophe that marks them)."""


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | list | number | derived
    width: int = 14  # spreadsheet column width, in characters


NODE_COLUMNS: list[Column] = [
    Column("process", width=22),
    Column("role", width=18),
    Column("id", width=16),
    Column("kind", width=11),
    Column("label", width=30),
    Column("owner team", width=18),
    Column("stage", width=12),
    Column("motivations", "list", 30),
    Column("concerns", "list", 30),
    Column("criteria", width=14),
    Column("technology", "list", 18),
    Column("call to action", width=24),
    Column("next steps", "derived", 30),
    Column("conversion (out)", "derived", 10),
    Column("duration (days)", "number", 10),
    Column("cost", "number", 9),
    Column("capacity", "number", 9),
    Column("volume", "number", 9),
    Column("deal value", "number", 11),
    Column("description", width=40),
    # ids, so that names can change and references survive the round trip
    Column("process id", width=16),
    Column("process kind", width=11),
    Column("role id", width=14),
    Column("owner id", width=14),
    Column("stage id", width=12),
    Column("criteria id", width=12),
    Column("opens process id", width=16),
    # a committee gate: "role id: step id" for each role that must clear a step of its process
    Column("committee gate", "list", 30),
]
"""Columns of the register (nodes) table, in order."""

EDGE_COLUMNS: list[Column] = [
    Column("id", width=14),
    Column("process", width=22),
    Column("source", width=16),
    Column("target", width=16),
    Column("kind", width=10),
    Column("conversion", "number", 11),
    Column("delay (days)", "number", 10),
    Column("label", width=24),
    Column("source label", "derived", 26),
    Column("target label", "derived", 26),
    Column("source process", "derived", 22),
    Column("target process", "derived", 22),
]
"""Columns of the edges table, in order. ``process`` is the source's; an edge between two
processes (a company action serving another role's buyer step) names both ends' processes."""

NUMBER_FIELDS = {
    "duration (days)": "duration_days",
    "cost": "cost",
    "capacity": "capacity",
    "volume": "volume",
    "deal value": "deal_value",
}


def join_list(items: list[str]) -> str:
    r"""A list as one cell: items joined with ``"; "``; a literal ``;`` or ``\`` gets a ``\``."""
    return "; ".join(i.replace("\\", "\\\\").replace(";", "\\;") for i in items)


def split_list(text: str) -> list[str]:
    r"""Read :func:`join_list` back; ``a;b`` and ``a; b`` both give two items, empties dropped."""
    items, current, escaped, after_separator = [], [], False, False
    for char in text:
        if after_separator:
            after_separator = False
            if char == " ":
                continue
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ";":
            items.append("".join(current))
            current, after_separator = [], True
        else:
            current.append(char)
    if escaped:  # a lone trailing backslash (typed by hand) stays what it was
        current.append("\\")
    items.append("".join(current))
    return [i for i in items if i != ""]


def neutralise(text: str) -> str:
    """Prefix an apostrophe to a cell a spreadsheet could run as a formula (OWASP's advice).

    A cell that already starts with an apostrophe gets one more, so that
    :func:`unneutralise` can always remove exactly one.
    """
    return "'" + text if text.startswith(TRIGGERS) else text


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise`: drop one leading apostrophe."""
    return text[1:] if text.startswith("'") else text


def number_text(number: float | None) -> str:
    """A number as the shortest text that reads back exactly: ``1000``, ``0.333``, ``''``."""
    if number is None:
        return ""
    if float(number).is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(float(number))


def chosen_nodes(doc: JourneyMap, process_id: str | None) -> list[Node]:
    """The nodes of one process (None: of every process), in file order."""
    ids = {p.id for p in processes(doc, process_id)}
    return [n for n in doc.nodes if n.process in ids]


def chosen_edges(doc: JourneyMap, nodes: list[Node]) -> list[Edge]:
    """The edges whose both ends are among ``nodes`` (so the tables import back)."""
    ids = {n.id for n in nodes}
    return [e for e in doc.edges if e.source in ids and e.target in ids]


def node_rows(doc: JourneyMap, process_id: str | None = None) -> list[dict]:
    """One dict per node, keyed by :data:`NODE_COLUMNS` headers, with plain values."""
    names = {
        "process": {p.id: p.name for p in doc.processes},
        "role": {r.id: r.name for r in doc.roles},
        "team": {t.id: t.name for t in doc.teams},
        "stage": {s.id: s.name for s in doc.stages},
        "criteria": {c.id: c.name for c in doc.criteria},
    }
    kinds = {p.id: p.kind for p in doc.processes}
    nodes = chosen_nodes(doc, process_id)
    labels = {n.id: n.label or n.id for n in doc.nodes}
    leaving: dict[str, list[Edge]] = {}
    for edge in doc.edges:
        if edge.kind in CARRIES_LEADS:  # no addresses edge nor message is a next step
            leaving.setdefault(edge.source, []).append(edge)
    rows = []
    for node in nodes:
        out = leaving.get(node.id, [])
        shares = [e.conversion for e in out if e.conversion is not None]
        steps = [
            labels.get(e.target, e.target)
            + (f" ({percent(e.conversion)})" if e.conversion is not None else "")
            for e in out
        ]
        rows.append(
            {
                "process": names["process"].get(node.process, ""),
                "role": names["role"].get(node.role, "") if node.role else "",
                "id": node.id,
                "kind": node.kind,
                "label": node.label,
                "owner team": names["team"].get(node.owner, "") if node.owner else "",
                "stage": names["stage"].get(node.stage, "") if node.stage else "",
                "motivations": list(node.motivations),
                "concerns": list(node.concerns),
                "criteria": names["criteria"].get(node.criteria, "") if node.criteria else "",
                "technology": list(node.technology),
                "call to action": node.call_to_action,
                "next steps": steps,
                "conversion (out)": round(sum(shares), 9) if shares else None,
                **{header: getattr(node, field) for header, field in NUMBER_FIELDS.items()},
                "description": node.description,
                "process id": node.process,
                "process kind": kinds.get(node.process, ""),
                "role id": node.role or "",
                "owner id": node.owner or "",
                "stage id": node.stage or "",
                "criteria id": node.criteria or "",
                "opens process id": node.subprocess or "",
                "committee gate": [f"{c.role}: {c.step}" for c in node.gate],
            }
        )
    return rows


def edge_rows(doc: JourneyMap, process_id: str | None = None) -> list[dict]:
    """One dict per edge (both ends in the chosen processes), keyed by :data:`EDGE_COLUMNS`."""
    nodes = chosen_nodes(doc, process_id)
    by_id = {n.id: n for n in nodes}
    process_names = {p.id: p.name for p in doc.processes}
    return [
        {
            "id": e.id,
            "process": process_names.get(by_id[e.source].process, ""),
            "source": e.source,
            "target": e.target,
            "kind": e.kind,
            "conversion": e.conversion,
            "delay (days)": e.delay_days,
            "label": e.label,
            "source label": by_id[e.source].label,
            "target label": by_id[e.target].label,
            "source process": process_names.get(by_id[e.source].process, ""),
            "target process": process_names.get(by_id[e.target].process, ""),
        }
        for e in chosen_edges(doc, nodes)
    ]


def text_cell(column: Column, cell) -> str:
    """A row value as spreadsheet text (before formula neutralisation).

    A cell is cut at :data:`~models.scalars.MAX_CELL` characters, so every cell imports back:
    only derived ones (next steps, steps addressed: shown, never read back) can be that long,
    the map's own fields are shorter by its limits.
    """
    if column.kind in ("number", "derived") and not isinstance(cell, (str, list)):
        return number_text(cell)
    if isinstance(cell, list):
        cell = join_list(cell)
    if len(cell) > MAX_CELL - 1:
        cell = cell[: MAX_CELL - 2] + "\u2026"  # room for a neutralising apostrophe
    return cell
