"""Read draw.io / diagrams.net files (plain or compressed pages) into a map.

Each page becomes a process, except Journeymap's "Buying group" page
(:mod:`exporters.drawio`), whose steps repeat the process pages': from it only
the edges between two processes are read (an edge drawn there between two lanes
from a company action to a buyer step becomes an "addresses" edge), and a step or
label found only there is listed in ``ImportResult.skipped``. Vertices become nodes, by their ``jm_*`` data
when :mod:`exporters.drawio` wrote them, else by style: ``rhombus`` ->
decision, ``doubleEllipse`` -> won (lost when the label says lost, lose,
disqualified, rejected), ``ellipse`` -> entry, ``shape=process`` ->
subprocess, anything else -> action. Edges between two imported vertices
become edges; a percentage in an edge label (``"Yes (30%)"``) is its
conversion. A named swimlane becomes a team that owns the shapes inside it
(lanes must come before their shapes, as draw.io writes them). Groups,
text-only cells, dangling edges and edges the connection rules refuse
(:mod:`models.connect`: a self-loop, a second edge of one kind between the same
two shapes, a flow out of a won or lost outcome) are listed in
``ImportResult.skipped``. Positions become the layout (cell centres, with
container offsets added).

Compressed pages (base64 of raw DEFLATE of URL-encoded XML) are inflated with a
cap of :data:`MAX_PAGE_BYTES`; a page that would inflate beyond it is refused.
XML is parsed with defusedxml: DTDs and entities are refused.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
import zlib
from pathlib import Path

from pydantic import ValidationError

from models.connect import ConnectError, Connections, connection_kind
from models.document import Edge, JourneyMap, Node, Process, Team
from models.errors import JourneymapError
from models.storage import IMPORT_LIMIT, read_input

from ._labels import node_text, parse_percent
from ._xmlread import parse_untrusted, refused_value
from .drawio import GROUP_PAGE
from .import_result import ImportResult

MAX_PAGE_BYTES = 20 * 1024 * 1024
WRAPPERS = ("object", "UserObject")
LOST_WORDS = re.compile(r"lost|lose|disqualif|reject|churn", re.IGNORECASE)
_ID_BAD = re.compile(r"[^A-Za-z0-9_.\-]")


def inflate_page(text: str, limit: int | None = None) -> str:
    """Decode a compressed draw.io page, refusing more than ``limit`` bytes of output
    (default :data:`MAX_PAGE_BYTES`).

    >>> import base64, zlib, urllib.parse
    >>> c = zlib.compressobj(9, zlib.DEFLATED, -15)
    >>> raw = c.compress(urllib.parse.quote("<mxGraphModel/>").encode()) + c.flush()
    >>> inflate_page(base64.b64encode(raw).decode())
    '<mxGraphModel/>'
    >>> inflate_page(base64.b64encode(raw).decode(), limit=5)
    Traceback (most recent call last):
    ...
    ValueError: the page inflates to more than 5 bytes
    """
    limit = MAX_PAGE_BYTES if limit is None else limit
    raw = base64.b64decode(text.strip(), validate=False)
    inflater = zlib.decompressobj(-15)
    data = inflater.decompress(raw, limit + 1)
    if len(data) > limit or inflater.unconsumed_tail:
        raise ValueError(f"the page inflates to more than {limit} bytes")
    decoded = data.decode("utf-8")
    if not decoded.lstrip().startswith("<"):
        decoded = urllib.parse.unquote(decoded)
    return decoded


def _parse(data, path: Path, what: str):
    return parse_untrusted(data, path, what, "save the diagram again from draw.io")


def read_drawio(path: Path) -> ImportResult:
    """Read a .drawio file into a :class:`JourneyMap`, one process per page."""
    path = Path(path)
    data = read_input(path, max_bytes=IMPORT_LIMIT)
    root = _parse(data, path, "the file")
    if root.tag == "mxGraphModel":
        pages = [("Page-1", None, root)]
    elif root.tag == "mxfile":
        pages = []
        for i, diagram in enumerate(root.findall("diagram")):
            model = diagram.find("mxGraphModel")
            if model is None and (diagram.text or "").strip():
                try:
                    model = _parse(inflate_page(diagram.text), path, f"page {i + 1}")
                except (ValueError, binascii.Error, zlib.error, UnicodeDecodeError) as error:
                    raise JourneymapError(
                        f"{path}: page {i + 1} cannot be decompressed "
                        f"({error}); Journeymap refuses it."
                    ) from None
            if model is None:
                continue
            pages.append((diagram.get("name") or f"Page-{i + 1}", diagram, model))
    else:
        raise JourneymapError(
            f"{path}: this is not a draw.io file (the root element is <{root.tag}>, not <mxfile>)."
        )
    try:
        return _read(pages)
    except ValidationError as error:
        raise refused_value(path, error) from None


def _map_id(raw: str, taken: set[str]) -> str:
    base = _ID_BAD.sub("_", raw or "")[:70] or "x"
    if not (base[0].isalpha() or base[0] == "_"):
        base = "n" + base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _cells(model):
    """(id, attributes holder, mxCell) of each cell in the page's <root>."""
    root = model.find("root")
    for child in root if root is not None else []:
        if child.tag == "mxCell":
            yield child.get("id", ""), child, child
        elif child.tag in WRAPPERS and child.find("mxCell") is not None:
            yield child.get("id", ""), child, child.find("mxCell")


def _is_group_page(diagram, model) -> bool:
    """Whether a page is Journeymap's buying-group page: marked on the page, or (should a
    tool drop the page's attributes) by its lanes' ``jm_lane`` data."""
    if diagram is not None and diagram.get("jm_page") == GROUP_PAGE:
        return True
    return any(holder.get("jm_lane") for _cid, holder, _cell in _cells(model))


def _read(pages) -> ImportResult:
    doc = JourneyMap(name="Imported draw.io")
    skipped: list[str] = []
    process_ids: set[str] = set()
    node_ids: set[str] = set()
    edge_ids: set[str] = set()
    connections = Connections()
    group_pages = []
    for name, diagram, model in pages:
        if _is_group_page(diagram, model):
            group_pages.append((name, model))  # read once every process page is
            continue
        jm = diagram.get("jm_process") if diagram is not None else None
        if jm:
            process = Process.model_validate_json(jm)
            process_ids.add(process.id)
            process.name = name
        else:
            process = Process(id=_map_id(name.lower().replace(" ", "-"), process_ids), name=name)
        doc.processes.append(process)
        cells = list(_cells(model))
        geometry = {cid: cell for cid, _h, cell in cells}
        node_of: dict[str, str] = {}
        lanes: dict[str, str] = {}  # swimlane cell id -> its name (a team)
        for cid, holder, cell in cells:
            if cell.get("vertex") != "1":
                continue
            style = cell.get("style") or ""
            label = holder.get("label") if holder is not cell else cell.get("value")
            label = label or ""
            if "swimlane" in style and label:
                lanes[cid] = label
                continue
            if "swimlane" in style or "group" in style.split(";") or style.startswith("text;"):
                skipped.append(
                    f"page {name!r}: {('swimlane ' if 'swimlane' in style else 'cell ')}"
                    f"{label or cid!r}"
                )
                continue
            node = _node(holder, style, label, process.id, node_ids)
            lane = lanes.get(cell.get("parent", ""))
            if lane and not holder.get("jm_node"):
                team = next((t for t in doc.teams if t.name == lane), None)
                if team is None:
                    team = Team(id=_map_id(lane, {t.id for t in doc.teams}), name=lane)
                    doc.teams.append(team)
                node.owner = team.id
            doc.nodes.append(node)
            connections.add_node(node)
            node_of[cid] = node.id
            centre = _centre(cell, geometry)
            if centre is not None:
                doc.layout.nodes[node.id] = centre
        for cid, holder, cell in cells:
            if cell.get("edge") != "1":
                continue
            source, target = (
                node_of.get(cell.get("source", "")),
                node_of.get(cell.get("target", "")),
            )
            if source is None or target is None:
                skipped.append(f"page {name!r}: edge {cid!r} is not connected to two shapes")
                continue
            label = (holder.get("label") if holder is not cell else cell.get("value")) or ""
            edge = _edge(holder, cell, label, source, target, edge_ids)
            try:
                connections.check(edge.source, edge.target, edge.kind)
            except ConnectError as error:
                skipped.append(f"page {name!r}: edge {cid!r} was not imported: {error.message}")
                continue
            connections.add(edge)
            doc.edges.append(edge)
    for name, model in group_pages:
        _read_group(name, model, doc, connections, edge_ids, skipped)
    return ImportResult(doc=doc, skipped=skipped)


def _read_group(
    name: str,
    model,
    doc: JourneyMap,
    connections: Connections,
    edge_ids: set[str],
    skipped: list[str],
) -> None:
    """The buying-group page: its steps repeat the process pages' (matched by ``jm_id``), so
    only its edges between two processes are new; a step or edge found only here is listed."""
    drawn = {edge.id for edge in doc.edges}
    node_of: dict[str, str] = {}
    for cid, holder, cell in _cells(model):
        if cell.get("vertex") != "1" or holder.get("jm_lane") or holder.get("jm_stage"):
            continue
        label = (holder.get("label") if holder is not cell else cell.get("value")) or ""
        node = connections.nodes.get(holder.get("jm_id") or "")
        if node is None:
            skipped.append(
                f"page {name!r}: shape {label or cid!r} is on no process page; draw it on its "
                "process's page to import it"
            )
            continue
        node_of[cid] = node.id
        if label != node_text(node):
            skipped.append(
                f"page {name!r}: shape {node.id!r} reads {label!r} here but "
                f"{node_text(node)!r} on its process page; kept the process page's label"
            )
    for cid, holder, cell in _cells(model):
        if cell.get("edge") != "1" or holder.get("jm_id") in drawn:
            continue  # an edge of a process page, drawn here again
        source, target = (
            node_of.get(cell.get("source", "")),
            node_of.get(cell.get("target", "")),
        )
        if source is None or target is None:
            skipped.append(
                f"page {name!r}: edge {cid!r} is not connected to two steps of the process pages"
            )
            continue
        label = (holder.get("label") if holder is not cell else cell.get("value")) or ""
        edge = _edge(holder, cell, label, source, target, edge_ids)
        ends = connections.nodes[source], connections.nodes[target]
        if not holder.get("jm_edge") and ends[0].process != ends[1].process:
            edge.kind = connection_kind(*ends)  # drawn in draw.io across two lanes
        try:
            connections.check(edge.source, edge.target, edge.kind)
        except ConnectError as error:
            skipped.append(f"page {name!r}: edge {cid!r} was not imported: {error.message}")
            continue
        connections.add(edge)
        doc.edges.append(edge)


def _node(holder, style: str, label: str, process_id: str, taken: set[str]) -> Node:
    if holder.get("jm_node"):
        node = Node.model_validate_json(holder.get("jm_node"))
        taken.add(node.id)
        if not (node.label == "" and label == node.id):
            node.label = label
        node.process = process_id
        return node
    parts = style.split(";")
    if "rhombus" in parts:
        kind = "decision"
    elif "shape=doubleEllipse" in parts:
        kind = "lost" if LOST_WORDS.search(label) else "won"
    elif "ellipse" in parts:
        kind = "entry"
    elif "shape=process" in parts:
        kind = "subprocess"
    else:
        kind = "action"
    node_id = _map_id(holder.get("jm_id") or holder.get("id", ""), taken)
    return Node(id=node_id, process=process_id, kind=kind, label=label)


def _edge(holder, cell, label: str, source: str, target: str, taken: set[str]) -> Edge:
    if holder.get("jm_edge"):
        edge = Edge.model_validate_json(holder.get("jm_edge"))
        taken.add(edge.id)
        edge.source, edge.target = source, target
        return edge
    conversion = None
    match = re.search(r"\(?\s*(\d+(?:\.\d+)?)\s*%\s*\)?\s*$", label)
    if match:
        conversion = parse_percent(match.group(1) + "%")
        label = label[: match.start()].strip()
    style = cell.get("style") or ""
    kind = "recycle" if "dashed=1" in style and "endArrow=none" not in style else "flow"
    if "endArrow=none" in style:
        kind = "addresses"
    edge_id = _map_id(holder.get("jm_id") or holder.get("id", ""), taken)
    return Edge(
        id=edge_id, source=source, target=target, kind=kind, label=label, conversion=conversion
    )


def _centre(cell, cells: dict) -> tuple[float, float] | None:
    """A vertex's centre in page coordinates (container offsets added)."""
    geo = cell.find("mxGeometry")
    if geo is None:
        return None
    try:
        x = float(geo.get("x", "0")) + float(geo.get("width", "0")) / 2
        y = float(geo.get("y", "0")) + float(geo.get("height", "0")) / 2
    except ValueError:
        return None
    parent, seen = cells.get(cell.get("parent", "")), set()
    while parent is not None and parent.get("vertex") == "1" and id(parent) not in seen:
        seen.add(id(parent))
        pgeo = parent.find("mxGeometry")
        if pgeo is not None:
            try:
                x += float(pgeo.get("x", "0"))
                y += float(pgeo.get("y", "0"))
            except ValueError:
                pass
        parent = cells.get(parent.get("parent", ""))
    return (x, y)
