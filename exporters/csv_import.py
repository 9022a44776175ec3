"""Read the CSV action register pair back into a map (``journeymap import register.csv``).

Give either file of the pair: ``register.csv`` (nodes) finds
``register-edges.csv`` next to it, and the other way round (``x-nodes.csv``
pairs with ``x-edges.csv`` too). What comes back exactly: processes (id, name,
kind), every field of every node, every edge with its kind, conversion, delay
and label, and the roles, teams, stages and criteria the rows name (by id, or
by name when the id column is empty). What a CSV register does not hold is
listed in ``ImportResult.skipped``: the map's own name and settings, SLAs,
scenarios, criteria questions, stage definitions, team sizes, role details,
process descriptions and positions (the nodes are laid out again).

Hand-made registers work too: only ``id`` (or ``label``) and ``process`` are
required, headers are matched loosely (``Call to action``, ``call_to_action``),
conversions may be written ``0.3`` or ``30%``, a file saved by a European Excel
(``;`` separators, decimal commas) is understood, and edges may name their
nodes by a unique label instead of an id (unique within the process the
``source process`` or ``target process`` column names, when it names one). A bad cell stops the import with the
file, the spreadsheet row and the column. An edge row the connection rules
refuse (:mod:`models.connect`: a self-loop, a second edge of one kind between
the same two nodes, a flow between processes or out of an outcome) is left out
and named, with its row, in ``ImportResult.skipped``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from models.connect import Connections
from models.connect_errors import ConnectError
from models.document import BuyerRole, Criteria, Edge, JourneyMap, Node, Process, Stage, Team
from models.layout import layered_layouts
from models.vocabulary import ProcessKind

from ._ids import Ids
from ._import_table import _ID, EDGE_KEYS, NODE_KEYS, _References, _slug, _Table, _validated
from ._register import NUMBER_FIELDS, split_list
from .import_result import ImportResult

NOT_CARRIED = [
    "not in a CSV register: the map's name, description, currency and period "
    "(the map is named after the file)",
    "not in a CSV register: SLAs, scenarios, and the questions and thresholds of criteria",
    "not in a CSV register: stage definitions, team headcount and capacity, buyer role details "
    "(their names and ids are kept)",
    "not in a CSV register: process descriptions and the buyer role a process belongs to",
    "not in a CSV register: diagram positions (the nodes were laid out again)",
]
# a process kind from a cell's text; ValidationError when the text names none
_PROCESS_KIND: TypeAdapter[ProcessKind] = TypeAdapter(ProcessKind)


def pair_paths(path: str | Path) -> tuple[Path, Path]:
    """The (nodes, edges) files of the pair ``path`` belongs to."""
    path = Path(path)
    stem, suffix = path.stem, path.suffix or ".csv"
    if stem.endswith("-edges"):
        base = stem[: -len("-edges")]
        nodes = path.with_name(base + suffix)
        if not nodes.exists() and path.with_name(f"{base}-nodes{suffix}").exists():
            nodes = path.with_name(f"{base}-nodes{suffix}")
        return nodes, path
    edges = path.with_name(f"{stem}-edges{suffix}")
    if not edges.exists() and stem.endswith("-nodes"):
        edges = path.with_name(f"{stem[: -len('-nodes')]}-edges{suffix}")
    return path, edges


def read_csv(path: str | Path) -> ImportResult:
    """Rebuild a map from a CSV register pair (see the module docstring); bad cells raise
    :class:`~models.errors.MapFileError` naming the file, row and column."""
    nodes_path, edges_path = pair_paths(path)
    skipped: list[str] = []
    name = (
        nodes_path.stem[: -len("-nodes")] if nodes_path.stem.endswith("-nodes") else nodes_path.stem
    )
    edges = None
    if edges_path.exists():
        edges = _Table(edges_path, EDGE_KEYS)
    else:
        skipped.append(
            f"no edges file {edges_path.name} next to {nodes_path.name}: the map has no edges"
        )
    doc = build_map(_Table(nodes_path, NODE_KEYS), edges, name, skipped)
    return ImportResult(doc=doc, skipped=skipped + NOT_CARRIED)


def build_map(table: _Table, edges: _Table | None, name: str, skipped: list[str]) -> JourneyMap:
    """A map from a register table and an edges table (CSV files or workbook sheets), laid out."""
    if not table.has("id") and not table.has("label"):
        raise table.header_error(
            'the header row has no "id" column',
            "The register needs at least the columns id and process; export one from "
            "Journeymap to see them all",
        )
    if not table.has("process") and not table.has("process id"):
        raise table.header_error(
            'the header row has no "process" column',
            "Add a process column naming each node's process",
        )
    skipped += table.notes("a register")
    if not table.rows:
        raise table.header_error(
            "the register has a header row but no rows of nodes, so there is nothing to import",
            "Add a row per step, or export the register again from Journeymap",
        )
    doc = JourneyMap(name=name or "Imported register")
    refs = _References(doc, skipped)
    for row, line, cells in table.rows:
        doc.nodes.append(_node(table, refs, row, line, cells))
    if edges is not None:
        _edges(doc, edges, skipped)
    doc.layout.nodes.update(layered_layouts(doc))
    return doc


def _node(
    table: _Table, refs: _References, row: int, line: int | None, cells: dict[str, str]
) -> Node:
    doc = refs.doc
    text = lambda header: table.text(cells, header)  # noqa: E731 - a short local reader
    process_id = refs.resolve(
        table,
        row,
        line,
        "process",
        doc.processes,
        lambda i, n: Process(id=i, name=n),
        text("process id"),
        text("process"),
        "process",
    )
    if process_id is None:
        raise table.error(
            row,
            line,
            "process",
            "the node belongs to no process",
            "Name its process in the process column",
        )
    processes = refs.index(doc.processes)
    if process_id not in processes.by_id:  # an id with no name: named by its id
        processes.add(Process(id=process_id, name=process_id))
    process = processes.by_id[process_id]
    kind = text("process kind").strip().lower().replace(" ", "_")
    if kind and "kind" not in process.model_fields_set:
        try:
            process.kind = _PROCESS_KIND.validate_python(kind)
        except ValidationError:
            raise table.error(
                row,
                line,
                "process kind",
                f'"{kind}" is not a process kind',
                "Use buyer, funnel or subprocess",
            ) from None
    node_id = text("id").strip() or _slug(text("label") or "node", refs.node_ids)
    if node_id in refs.node_rows:
        raise table.error(
            row,
            line,
            "id",
            f'the id "{node_id}" is already used in row {refs.node_rows[node_id]}',
            "Give each node its own id",
        )
    if not _ID.match(node_id):
        raise table.error(
            row,
            line,
            "id",
            f'"{node_id}" is not a valid id',
            "An id starts with a letter or _, then letters, digits, _ . or -",
        )
    refs.node_rows[node_id] = row
    refs.node_ids.take(node_id)
    fields = {
        "id": node_id,
        "process": process_id,
        "kind": (text("kind").strip().lower().replace(" ", "_") or "action"),
        "label": text("label"),
        "description": text("description"),
        "call_to_action": text("call to action"),
        "motivations": split_list(text("motivations")),
        "concerns": split_list(text("concerns")),
        "technology": split_list(text("technology")),
        "role": refs.resolve(
            table,
            row,
            line,
            "role",
            doc.roles,
            lambda i, n: BuyerRole(id=i, name=n),
            text("role id"),
            text("role"),
            "role",
        ),
        "owner": refs.resolve(
            table,
            row,
            line,
            "team",
            doc.teams,
            lambda i, n: Team(id=i, name=n),
            text("owner id"),
            text("owner team"),
            "owner",
        ),
        "stage": refs.resolve(
            table,
            row,
            line,
            "stage",
            doc.stages,
            lambda i, n: Stage(id=i, name=n),
            text("stage id"),
            text("stage"),
            "stage",
        ),
        "criteria": refs.resolve(
            table,
            row,
            line,
            "criteria",
            doc.criteria,
            lambda i, n: Criteria(id=i, name=n),
            text("criteria id"),
            text("criteria"),
            "criteria",
        ),
        "subprocess": text("opens process id").strip() or None,
        "gate": _gate(table, row, line, text("committee gate")),
        **{
            field: table.number(row, line, cells, header) for header, field in NUMBER_FIELDS.items()
        },
    }
    return _validated(table, row, line, Node, fields, _NODE_HEADERS)


def _gate(table: _Table, row: int, line: int | None, cell: str) -> list[dict[str, str]]:
    """A committee gate from its cell: "role id: step id" items, separated by ";"."""
    gate = []
    for item in split_list(cell):
        role, colon, step = item.partition(":")
        if not colon or not role.strip() or not step.strip():
            raise table.error(
                row,
                line,
                "committee gate",
                f'"{item}" does not name a role and a step',
                'Write each as "role id: step id", separated by ";" (cfo: cfo-signs; it: it-ok)',
            )
        gate.append({"role": role.strip(), "step": step.strip()})
    return gate


_NODE_HEADERS = {
    "gate": "committee gate",
    "call_to_action": "call to action",
    "duration_days": "duration (days)",
    "deal_value": "deal value",
    "owner": "owner team",
    "subprocess": "opens process id",
}
_EDGE_HEADERS = {"delay_days": "delay (days)"}


def _edges(doc: JourneyMap, table: _Table, skipped: list[str]) -> None:
    for needed in ("source", "target"):
        if not table.has(needed):
            raise table.header_error(
                f'the header row has no "{needed}" column',
                "The edges table needs the columns source and target (node ids)",
            )
    skipped += table.notes("an edges")
    ids = {n.id for n in doc.nodes}
    process_of = {n.id: n.process for n in doc.nodes}
    by_label: dict[str, list[str]] = {}
    for node in doc.nodes:
        by_label.setdefault(node.label, []).append(node.id)
    named: dict[str, set[str]] = {}  # a process's name or id -> the process ids it may mean
    for process in doc.processes:
        for key in (process.id, process.name):
            named.setdefault(key, set()).add(process.id)
    seen: dict[str, int] = {}
    edge_ids = Ids()
    connections = Connections(doc.nodes)
    for row, line, cells in table.rows:
        ends = {}
        for end in ("source", "target"):
            ref = table.text(cells, end).strip()
            if ref not in ids:
                matches = by_label.get(table.text(cells, end), [])
                in_process = table.text(cells, f"{end} process").strip()
                several = len(matches) > 1
                if several and in_process:  # a label used in several processes
                    allowed = named.get(in_process, set())
                    matches = [m for m in matches if process_of[m] in allowed]
                if len(matches) != 1:
                    why = (
                        "several nodes have that label"
                        + (f' in process "{in_process}"' if in_process and matches else "")
                        if matches
                        else f'no node of process "{in_process}" has that label'
                        if several
                        else "no node in the register has that id or label"
                    )
                    raise table.error(
                        row, line, end, f'"{ref}": {why}', "Use the id of a node of the register"
                    )
                ref = matches[0]
            ends[end] = ref
        edge_id = table.text(cells, "id").strip() or _slug(
            f"{ends['source']}-{ends['target']}", edge_ids
        )
        if edge_id in seen:
            raise table.error(
                row,
                line,
                "id",
                f'the id "{edge_id}" is already used in row {seen[edge_id]}',
                "Give each edge its own id",
            )
        seen[edge_id] = row
        edge_ids.take(edge_id)
        fields = {
            "id": edge_id,
            **ends,
            "kind": table.text(cells, "kind").strip().lower() or "flow",
            "conversion": table.number(row, line, cells, "conversion", share=True),
            "delay_days": table.number(row, line, cells, "delay (days)"),
            "label": table.text(cells, "label"),
        }
        edge = _validated(table, row, line, Edge, fields, _EDGE_HEADERS)
        try:
            connections.check(edge.source, edge.target, edge.kind)
        except ConnectError as error:
            skipped.append(f"{table.name} row {row}: the edge was not imported: {error.message}")
            continue
        connections.add(edge)
        doc.edges.append(edge)
