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

import csv
import io
import re
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from models.connect import ConnectError, Connections
from models.document import (
    MAX_CELL,
    BuyerRole,
    Criteria,
    Edge,
    JourneyMap,
    Node,
    Process,
    ProcessKind,
    Stage,
    Team,
)
from models.errors import MapFileError, plain_validation
from models.layout import layered_layouts
from models.storage import IMPORT_LIMIT, read_input

from ._ids import Ids
from ._register import EDGE_COLUMNS, NODE_COLUMNS, NUMBER_FIELDS, split_list, unneutralise
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
_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,79}$")
_ID_BAD = re.compile(r"[^A-Za-z0-9_.\-]+")
ALIASES = {
    "owner": "owner team",
    "team": "owner team",
    "delay days": "delay",
    "deal": "deal value",
    "subprocess": "opens process id",
    "opens process": "opens process id",
    "process name": "process",
    "from": "source",
    "to": "target",
    "name": "label",
    "duration days": "duration",
}


def _key(header: str) -> str:
    """A loose header key: ``"Duration (days)"`` and ``duration_days`` both give ``duration``."""
    key = re.sub(r"\(.*?\)", " ", header.strip().lower().lstrip("\ufeff"))
    key = " ".join(key.replace("_", " ").replace("-", " ").split())
    return ALIASES.get(key, key)


NODE_KEYS = {_key(c.header): c.header for c in NODE_COLUMNS}
EDGE_KEYS = {_key(c.header): c.header for c in EDGE_COLUMNS}


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


class _Table:
    """The rows of one CSV file or spreadsheet sheet, with loose headers and located errors."""

    def __init__(
        self,
        path: Path,
        keys: dict[str, str],
        sheet: tuple[str, list[tuple[int, list[str]]]] | None = None,
    ) -> None:
        self.path = path
        # a workbook's sheet name: errors name it and its row
        self.sheet = sheet[0] if sheet else None
        self.delimiter = ","
        # (spreadsheet row, line, cells)
        self.rows: list[tuple[int, int | None, dict[str, str]]] = []
        if sheet is not None:  # (row number, cells) of the rows holding something, header first
            sheet_rows = sheet[1]
            if not sheet_rows:
                raise MapFileError(
                    path, f'sheet "{self.sheet}" is empty', hint="Export the workbook again"
                )
            self._header(sheet_rows[0][1], keys)
            for number, row in sheet_rows[1:]:
                self._add(number, None, row)
            return
        text = _read_text(path)
        first = text.split("\n", 1)[0]
        self.delimiter = (
            "," if "," in first else ";" if ";" in first else "\t" if "\t" in first else ","
        )
        csv.field_size_limit(MAX_CELL)  # what an export writes at most (the default is 131,072)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise MapFileError(path, "is empty", line=1, hint="Export the register again")
            self._header(header, keys)
            line = reader.line_num + 1
            for number, cells in enumerate(reader, start=2):
                if any(cell.strip() for cell in cells[len(header) :]):
                    raise MapFileError(
                        path,
                        f"row {number} has {len(cells)} cells but the header "
                        f"has {len(header)} columns",
                        line=line,
                        hint="Put quotes around a cell that holds a comma",
                    )
                self._add(number, line, cells)
                line = reader.line_num + 1
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise MapFileError(
                    path,
                    f"a cell holds more than {MAX_CELL:,} characters, more than Journeymap "
                    "reads in one cell",
                    line=reader.line_num,
                    hint="Shorten that cell (a label or a description is a few sentences)",
                ) from None
            raise MapFileError(
                path,
                f"is not valid CSV ({error})",
                line=reader.line_num,
                hint="Save it again as CSV from the spreadsheet",
            ) from None

    def _header(self, header: list[str], keys: dict[str, str]) -> None:
        self.overflow: list[int] = []
        while header and not header[-1].strip():  # a sheet's trailing empty header cells
            header = header[:-1]
        self.width = len(header)
        self.columns = [keys.get(_key(h), "") for h in header]
        self.unknown = [h for h, c in zip(header, self.columns, strict=True) if not c and h.strip()]

    def _add(self, number: int, line: int | None, cells: list[str]) -> None:
        if any(cell.strip() for cell in cells[self.width :]):
            self.overflow.append(
                number
            )  # a sheet row with cells right of the last header (a CSV refuses it)
        if any(cell.strip() for cell in cells):
            cells = (cells + [""] * self.width)[: self.width]
            self.rows.append(
                (number, line, {c: cell for c, cell in zip(self.columns, cells, strict=True) if c})
            )

    def notes(self, what: str) -> list[str]:
        """What this table holds that was not imported, for ImportResult.skipped."""
        notes = [
            f'{self.name}: column "{h}" is not {what} column; its cells were not imported'
            for h in self.unknown
        ]
        if self.overflow:
            rows = ", ".join(map(str, self.overflow[:5])) + (
                " ..." if len(self.overflow) > 5 else ""
            )
            notes.append(
                f"{self.name}: row{'s' if len(self.overflow) > 1 else ''} {rows} "
                "had cells right of the last column with a header; they were not imported"
            )
        return notes

    @property
    def name(self) -> str:
        """The file, and the sheet in a workbook, as messages name it."""
        return f'{self.path.name}, sheet "{self.sheet}"' if self.sheet else self.path.name

    def has(self, header: str) -> bool:
        return header in self.columns

    def header_error(self, message: str, hint: str) -> MapFileError:
        """Something missing from the header row."""
        where = f'sheet "{self.sheet}" row 1' if self.sheet else "row 1"
        return MapFileError(
            self.path, message, line=None if self.sheet else 1, field=where, hint=hint
        )

    def error(
        self, row: int, line: int | None, column: str, message: str, hint: str = ""
    ) -> MapFileError:
        where = (
            f'sheet "{self.sheet}" row {row} "{column}"' if self.sheet else f'row {row} "{column}"'
        )
        return MapFileError(self.path, message, line=line, field=where, hint=hint)

    def text(self, cells: dict[str, str], header: str) -> str:
        raw = cells.get(header, "")
        # A CSV cell starting with = + - @ was written with an apostrophe in front (spreadsheets
        # drop it or keep it); a workbook cell is a string cell and needs none.
        return raw if self.sheet else unneutralise(raw)

    def number(
        self, row: int, line: int | None, cells: dict[str, str], header: str, share: bool = False
    ) -> float | None:
        raw = cells.get(header, "").strip()
        if not raw:
            return None
        text = raw.replace("\u00a0", "").replace(" ", "")
        if self.delimiter == ";" and re.fullmatch(r"\d+,\d+", text):
            text = text.replace(",", ".")  # a European decimal comma
        elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
            text = text.replace(",", "")  # thousands separators
        scale = 1.0
        if share and text.endswith("%"):
            text, scale = text[:-1], 0.01
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            example = "0.3 or 30%" if share else "a plain number such as 1200"
            raise self.error(
                row,
                line,
                header,
                f'"{raw}" is not a number',
                f"Write {example}, or leave the cell empty",
            )
        return round(number * scale, 12) if scale != 1.0 else number


def _read_text(path: Path) -> str:
    data = read_input(path, "CSV file", max_bytes=IMPORT_LIMIT)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise MapFileError(
            path,
            "is not UTF-8 text",
            line=line,
            hint="In Excel use Save As > CSV UTF-8; in LibreOffice pick the UTF-8 character set",
        ) from None


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


class _Index:
    """One collection of the map being built, looked up by id and by name in constant time."""

    def __init__(self, items: list) -> None:
        self.items = items
        self.by_id = {item.id: item for item in items}
        self.position = {item.id: i for i, item in enumerate(items)}
        self.by_name: dict[str, Any] = {}
        for item in items:
            self.by_name.setdefault(item.name, item)
        self.ids = Ids(self.by_id)

    def add(self, item) -> None:
        self.position.setdefault(item.id, len(self.items))
        self.items.append(item)
        self.by_id.setdefault(item.id, item)
        self.by_name.setdefault(item.name, item)
        self.ids.take(item.id)

    def replace(self, item) -> None:
        """Put ``item`` where the item with its id is (same id and name: a fuller copy)."""
        self.items[self.position[item.id]] = item
        self.by_id[item.id] = item


class _References:
    """Processes, roles, teams, stages and criteria named by the rows, created on first use."""

    def __init__(self, doc: JourneyMap, skipped: list[str]) -> None:
        self.doc, self.skipped = doc, skipped
        self.node_rows: dict[str, int] = {}
        self.node_ids = Ids()
        self._indexes: dict[int, _Index] = {}

    def index(self, items: list) -> _Index:
        """The index of one of the map's lists (``doc.teams``...), made on first use."""
        found = self._indexes.get(id(items))
        if found is None or found.items is not items:
            found = self._indexes[id(items)] = _Index(items)
        return found

    def resolve(
        self,
        table: _Table,
        row: int,
        line: int | None,
        what: str,
        items: list,
        make,
        ref_id: str,
        name: str,
        header: str,
    ) -> str | None:
        """The id a cell pair (id column, name column) refers to, adding the item if it is new."""
        ref_id = ref_id.strip()
        if not ref_id and not name.strip():
            return None
        if ref_id and not _ID.match(ref_id):
            raise table.error(
                row,
                line,
                f"{header} id",
                f'"{ref_id}" is not a valid id',
                "An id starts with a letter or _, then letters, digits, _ . or -",
            )
        index = self.index(items)
        if not ref_id:  # by name, or an id typed in the name column
            found = index.by_name.get(name) or index.by_id.get(name)
            if found is not None:
                return found.id
            ref_id = _slug(name, index.ids)
        existing = index.by_id.get(ref_id)
        if existing is None:
            if name.strip():
                index.add(make(ref_id, name))
        elif name.strip() and existing.name != name:
            self.skipped.append(
                f"{table.name} row {row}: {what} {ref_id!r} is called "
                f"{name!r} here but {existing.name!r} earlier; kept the first name"
            )
        return ref_id


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


def _validated(table: _Table, row: int, line: int | None, model, fields: dict, headers: dict):
    """``model(**fields)``, or a refusal naming the row and the column of the field refused."""
    try:
        return model(**fields)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = str(first["loc"][0]) if first["loc"] else "id"
        column = headers.get(field, field)
        message, hint = plain_validation(first, f"the {column}")
        if field == "conversion":
            hint = "Write a share such as 0.3 or 30%"
        raise table.error(
            row, line, column, message, hint or "Fix the cell and import again"
        ) from None


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


def _slug(name: str, taken: Ids) -> str:
    """A valid id made from a name, not in ``taken`` (and now taken): ``"SDR team"`` ->
    ``"SDR-team"``, then ``"SDR-team-2"``..."""
    base = _ID_BAD.sub("-", name.strip()).strip("-")[:70] or "x"
    if not (base[0].isalpha() or base[0] == "_"):
        base = "_" + base
    return taken.fresh(base)
