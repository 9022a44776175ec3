"""The map from a draw.io file's pages (:mod:`exporters.drawio_import` reads the file).

Each page becomes a process, except Journeymap's "Buying group" page
(:mod:`exporters.drawio`), whose steps repeat the process pages': from it only
the edges between two processes are read (an edge drawn there between two lanes
from a company action to a buyer step becomes an "addresses" edge, any other a
"message" edge), and a step or
label found only there is listed in ``ImportResult.skipped``. Vertices become nodes, by their ``jm_*`` data
when :mod:`exporters.drawio` wrote them, else by style (:mod:`exporters.drawio_shapes`:
rhombus and flowchart decisions -> decision, terminators -> entry or outcome, the BPMN
library's gateways, events and tasks with their BPMN type, anything else -> action).
Labels shown as HTML come in as plain text, and a label cell on an edge labels that edge
(:mod:`exporters.drawio_labels`). Edges between two imported vertices
become edges; a percentage in an edge label (``"Yes (30%)"``) is its
conversion (:mod:`exporters.drawio_cells` reads each cell). A named swimlane becomes a team
that owns the shapes inside it
(lanes must come before their shapes, as draw.io writes them). Groups,
text-only cells, dangling edges and edges the connection rules refuse
(:mod:`models.connect`: a self-loop, a second edge of one kind between the same
two shapes, a flow out of a won or lost outcome) are listed in
``ImportResult.skipped``. Positions become the layout (cell centres, with
container offsets added).
"""

from __future__ import annotations

from models.connect import Connections, connection_kind
from models.connect_errors import ConnectError
from models.document import BuyerRole, Criteria, JourneyMap, Layout, Process, Stage, Team
from models.units import some_of

from ._ids import Ids, position_pair, usable_position
from ._labels import node_text
from .drawio import GROUP_PAGE
from .drawio_cells import cell_label, map_id, page_cells, read_edge, read_node, validated
from .drawio_geometry import Offsets, centre_of
from .drawio_labels import edge_label_cells
from .drawio_shapes import degrees
from .import_result import ImportResult


def _is_group_page(diagram, model) -> bool:
    """Whether a page is Journeymap's buying-group page: marked on the page, or (should a
    tool drop the page's attributes) by its lanes' ``jm_lane`` data."""
    if diagram is not None and diagram.get("jm_page") == GROUP_PAGE:
        return True
    return any(holder.get("jm_lane") for _cid, holder, _cell in page_cells(model))


class _State:
    """What the pages read so far share: the map, ids taken, the connections, the teams."""

    def __init__(self, pages) -> None:
        self.skipped: list[str] = []
        self.doc = JourneyMap(name="Imported draw.io")
        self.has_map_data = False
        for _name, _diagram, model in pages[:1]:
            for cid, holder, cell in page_cells(model):
                if holder is not cell and cell.get("parent") is None and holder.get("jm_map"):
                    self._map_data(cid, holder)
                    break
        self.process_ids = Ids()
        self.node_ids = Ids()
        self.edge_ids = Ids()
        self.team_ids = Ids(t.id for t in self.doc.teams)
        self.team_named: dict[str, str] = {}
        for team in self.doc.teams:
            self.team_named.setdefault(team.name, team.id)
        self.connections = Connections()
        self.unplaced: list[str] = []
        self.journeymap_steps = False
        """Whether steps came with their Journeymap data (jm_node): a file the export wrote."""

    def _map_data(self, cid: str, holder) -> None:
        """The map's own data, kept as the first page's diagram data by :mod:`exporters.drawio`."""
        where = "the diagram's data (jm_map)"
        self.doc = validated(
            where, JourneyMap.model_validate_json, holder.get("jm_map"), strict=True
        )
        self.has_map_data = True
        if holder.get("jm_group"):
            self.doc.layout.group = validated(
                where, Layout.model_validate_json, holder.get("jm_group"), strict=True
            ).group

    def team(self, name: str) -> str:
        """The id of the team a swimlane names, added on first use."""
        team_id = self.team_named.get(name)
        if team_id is None:
            team_id = map_id(name, self.team_ids)
            self.doc.teams.append(validated(f"lane {name[:40]!r}", Team, id=team_id, name=name))
            self.team_named[name] = team_id
        return team_id


def read_pages(pages) -> ImportResult:
    """The map the pages hold: ``pages`` are (name, <diagram> or None, <mxGraphModel>)."""
    state = _State(pages)
    doc, skipped = state.doc, state.skipped
    group_pages = []
    for name, diagram, model in pages:
        if _is_group_page(diagram, model):
            group_pages.append((name, model))  # read once every process page is
            continue
        _read_page(state, name, diagram, model)
    for name, model in group_pages:
        _read_group(name, model, doc, state.connections, state.edge_ids, skipped)
    known = state.connections.nodes
    doc.layout.group = {k: v for k, v in doc.layout.group.items() if k in known}
    if state.unplaced:
        shown = some_of(state.unplaced)
        skipped.append(
            f"the position of {len(state.unplaced)} shape"
            f"{'s' if len(state.unplaced) > 1 else ''} ({shown}): not a finite number on the "
            "canvas; those steps were placed on a grid"
        )
    if state.journeymap_steps and not state.has_map_data:
        skipped += _missing_map_data(doc)
    return ImportResult(doc=doc, skipped=skipped)


def _missing_map_data(doc: JourneyMap) -> list[str]:
    """For a Journeymap file whose map data was removed (by a tool that drops the diagram's
    data): what could not come back, and the items steps name, added with their ids as names."""
    notes = [
        "not in this file (its diagram data jm_map was removed): the map's name, description, "
        "currency and period, buyer role details, team headcount and capacity, stage "
        "definitions, criteria questions, SLAs and scenarios"
    ]
    for collection, field, make in (
        ("roles", "role", BuyerRole),
        ("teams", "owner", Team),
        ("stages", "stage", Stage),
        ("criteria", "criteria", Criteria),
    ):
        items = getattr(doc, collection)
        have = {item.id for item in items}
        named = []
        for node in doc.nodes:
            ref = getattr(node, field)
            if ref and ref not in have:
                have.add(ref)
                named.append(ref)
                items.append(make(id=ref, name=ref))
        if named:
            notes.append(
                f"{collection} the steps name but the file does not define were added with their "
                f"ids as names: {some_of(named)}"
            )
    return notes


def _read_page(state: _State, name: str, diagram, model) -> None:
    doc, skipped = state.doc, state.skipped
    where = f"page {name[:60]!r}"
    jm = diagram.get("jm_process") if diagram is not None else None
    if jm:
        process = validated(where, Process.model_validate_json, jm, strict=True)
        if process.id in state.process_ids:
            process.id = map_id(process.id, state.process_ids)
        state.process_ids.take(process.id)
        validated(where, setattr, process, "name", name)
    else:
        process_id = map_id(name.lower().replace(" ", "-"), state.process_ids)
        process = validated(where, Process, id=process_id, name=name)
    doc.processes.append(process)
    origin = _origin(diagram)
    cells = list(page_cells(model))
    offsets = Offsets({cid: cell for cid, _h, cell in cells})
    node_of: dict[str, str] = {}
    lanes: dict[str, str] = {}  # swimlane cell id -> its name (a team)
    on_edges = edge_label_cells(cells)  # edge id -> its label cells, which are not steps
    label_of = {cid: cell_label(holder, cell) for cid, holder, cell in cells}
    ins, outs = degrees(cells)  # a terminator with no edge in is an entry, none out an outcome
    for cid, holder, cell in cells:
        if cell.get("vertex") != "1" or cell.get("parent") in on_edges:
            continue
        style = cell.get("style") or ""
        label = label_of[cid]
        if "swimlane" in style and label:
            lanes[cid] = label
            continue
        if "swimlane" in style or "group" in style.split(";") or style.startswith("text;"):
            skipped.append(
                f"page {name!r}: {('swimlane ' if 'swimlane' in style else 'cell ')}"
                f"{label or cid!r}"
            )
            continue
        cell_where = f"{where}, cell {cid[:40]!r}"
        degree = (ins.get(cid, 0), outs.get(cid, 0))
        node = read_node(cell_where, holder, style, label, process.id, state.node_ids, degree)
        lane = lanes.get(cell.get("parent", ""))
        if lane and not holder.get("jm_node"):
            node.owner = state.team(lane)
        state.journeymap_steps = state.journeymap_steps or bool(holder.get("jm_node"))
        doc.nodes.append(node)
        state.connections.add_node(node)
        node_of[cid] = node.id
        centre = centre_of(cell, offsets)
        if centre is None:
            continue
        x, y = centre[0] + origin[0], centre[1] + origin[1]
        exact = holder.get("jm_pos")
        if exact is not None:  # where the map had it, unless the shape was moved in draw.io
            kept = position_pair(exact)
            was = kept if kept is not None else None
            if was is None and exact == "":
                continue  # placed on a grid by the export, and not moved: still no position
            if was is not None and abs(was[0] - x) < 0.5 and abs(was[1] - y) < 0.5:
                x, y = was
        if usable_position(x, y):
            doc.layout.nodes[node.id] = (x, y)
        else:
            state.unplaced.append(cid)
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
        texts = [label_of[cid], *(label_of[c] for c in on_edges.get(cid, []))]
        label = " ".join(text for text in texts if text)
        edge = validated(
            f"{where}, cell {cid[:40]!r}",
            read_edge,
            holder,
            cell,
            label,
            source,
            target,
            state.edge_ids,
        )
        try:
            state.connections.check(edge.source, edge.target, edge.kind)
        except ConnectError as error:
            skipped.append(f"page {name!r}: edge {cid!r} was not imported: {error.message}")
            continue
        state.connections.add(edge)
        doc.edges.append(edge)


def _origin(diagram) -> tuple[float, float]:
    """The map's point at the page's (0, 0) (``jm_origin``, written by the export), else (0, 0)."""
    found = position_pair(diagram.get("jm_origin") or "") if diagram is not None else None
    return found if found is not None and usable_position(*found) else (0.0, 0.0)


def _read_group(
    name: str,
    model,
    doc: JourneyMap,
    connections: Connections,
    edge_ids: Ids,
    skipped: list[str],
) -> None:
    """The buying-group page: its steps repeat the process pages' (matched by ``jm_id``), so
    only its edges between two processes are new; a step or edge found only here is listed."""
    drawn = {edge.id for edge in doc.edges}
    node_of: dict[str, str] = {}
    for cid, holder, cell in page_cells(model):
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
    for cid, holder, cell in page_cells(model):
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
        edge = validated(
            f"page {name[:60]!r}, cell {cid[:40]!r}",
            read_edge,
            holder,
            cell,
            label,
            source,
            target,
            edge_ids,
        )
        ends = connections.nodes[source], connections.nodes[target]
        if not holder.get("jm_edge") and ends[0].process != ends[1].process:
            addresses = connection_kind(*ends) == "addresses"  # drawn across two lanes
            edge.kind = "addresses" if addresses else "message"
        try:
            connections.check(edge.source, edge.target, edge.kind)
        except ConnectError as error:
            skipped.append(f"page {name!r}: edge {cid!r} was not imported: {error.message}")
            continue
        connections.add(edge)
        doc.edges.append(edge)
