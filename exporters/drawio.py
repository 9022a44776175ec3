"""draw.io / diagrams.net files: one uncompressed page per process, at the map's layout, and
first, when the map has several processes, a "Buying group" page with all of them.

Shapes follow the method: actions beige rectangles, buyer steps green rounded
rectangles, decisions rhombi, entries ellipses, won and lost double ellipses,
sub-processes "process" boxes; recycle edges dashed, "addresses" edges dotted, "message"
edges as BPMN draws a message flow (dashed, a small circle at the start, an open arrow).
Each cell is wrapped in an ``<object>`` whose ``label`` is the plain text shown
(styles never set ``html=1``, so draw.io shows markup in labels as text) and
whose ``jm_*`` attributes (draw.io's "Edit Data" properties) keep Journeymap's
ids, kinds and conversions for :mod:`exporters.drawio_import`. Cell ids are
generated; ElementTree escapes every attribute.

The "Buying group" page (``jm_page="buying-group"``) is the editor's buying-group page: a
swimlane per process (``jm_lane`` names it; the buyer roles' processes first), the stage
titles above the columns, every step in its lane and stage column, and every edge, with the
links between processes (a company action serving another role's step) drawn thick in
:data:`~exporters._labels.CROSS_COLOR`. Its steps repeat the process pages' (same ``jm_id``),
so the import reads steps from the process pages and only the links between processes from
this page.

>>> from models.document import JourneyMap, Process, Node, Edge
>>> m = JourneyMap(processes=[Process(id="p", name="P")],
...                nodes=[Node(id="a", process="p", kind="decision", label="<b>?"),
...                       Node(id="b", process="p", kind="won")],
...                edges=[Edge(id="e", source="a", target="b", conversion=0.3)])
>>> xml = generate_drawio(m)
>>> 'label="&lt;b&gt;?"' in xml, "rhombus;" in xml, 'jm_conversion="0.3"' in xml
(True, True, True)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from models.document import Edge, JourneyMap, Layout, Node, Process
from models.storage import write_atomic

from ._group import HEADER, group_page
from ._labels import CROSS_COLOR, FILL, Selection, edge_text, node_text, positions, select

STYLE = {
    "entry": "ellipse;whiteSpace=wrap;",
    "buyer_step": "rounded=1;whiteSpace=wrap;",
    "action": "rounded=0;whiteSpace=wrap;",
    "decision": "rhombus;whiteSpace=wrap;",
    "subprocess": "shape=process;whiteSpace=wrap;",
    "won": "ellipse;shape=doubleEllipse;whiteSpace=wrap;",
    "lost": "ellipse;shape=doubleEllipse;whiteSpace=wrap;",
}
SIZE = {"entry": (80, 60), "decision": (100, 80), "won": (80, 60), "lost": (80, 60)}
BOX = (140, 70)
EDGE_STYLE = {
    "flow": "edgeStyle=orthogonalEdgeStyle;endArrow=block;",
    "recycle": "edgeStyle=orthogonalEdgeStyle;endArrow=block;dashed=1;",
    "addresses": "endArrow=none;dashed=1;dashPattern=1 3;",
    "message": "dashed=1;dashPattern=8 4;startArrow=oval;startFill=0;endArrow=block;endFill=0;",
}
CROSS_STYLE = f"strokeColor={CROSS_COLOR};fontColor={CROSS_COLOR};strokeWidth=2;"
LANE_STYLE = "swimlane;horizontal=0;startSize=30;container=1;collapsible=0;"
LANE_FILL = {"buyer": "#f3faf5", "funnel": "#fdf8ee", "subprocess": "#f7f4fb"}
STAGE_STYLE = "text;align=center;verticalAlign=middle;fontStyle=1;strokeColor=none;fillColor=none;"
MARGIN = 40
GROUP_PAGE = "buying-group"
"""``jm_page`` of the buying-group page (the import reads only its links between processes)."""


def generate_drawio(doc: JourneyMap, process_id: str | None = None, **options) -> str:
    """An mxfile with one page per process (or one page for ``process_id``), after a "Buying
    group" page when there are several processes."""
    mxfile = ET.Element("mxfile", {"host": "Journeymap", "version": "1", "type": "device"})
    chosen = select(doc, process_id)
    data = map_data(doc, chosen)
    if len(chosen.processes) > 1:
        _group(mxfile, doc, chosen, data)
        data = {}
    for i, process in enumerate(chosen.processes):
        _page(mxfile, doc, chosen, process, i, data)
        data = {}
    ET.indent(mxfile)
    mxfile.tail = "\n"  # written by tostring: no copy of a 200 MB text to add it
    return ET.tostring(mxfile, encoding="unicode")


def map_data(doc: JourneyMap, chosen: Selection) -> dict[str, str]:
    """What the pages do not show, as the first page's diagram data (draw.io's Edit Data with
    nothing selected): ``jm_map``, the map without its processes, steps, edges and layout (its
    name, settings, roles, teams, stages, criteria, SLAs and scenarios), and ``jm_group``, the
    steps moved on the editor's buying-group page."""
    data = {"jm_map": doc.model_dump_json(exclude={"processes", "nodes", "edges", "layout"})}
    moved = {k: v for k, v in doc.layout.group.items() if k in chosen.node}
    if moved:
        data["jm_group"] = Layout(group=moved).model_dump_json(include={"group"})
    return data


def _model(diagram: ET.Element, data: dict[str, str] | None = None) -> ET.Element:
    """The page's graph model with draw.io's root cell "0" (holding ``data``, when given, as
    the diagram's data) and layer "1"; its <root>."""
    model = ET.SubElement(
        diagram,
        "mxGraphModel",
        {
            "grid": "1",
            "gridSize": "10",
            "guides": "1",
            "tooltips": "1",
            "connect": "1",
            "arrows": "1",
            "fold": "1",
            "page": "1",
            "pageScale": "1",
            "pageWidth": "1100",
            "pageHeight": "850",
            "math": "0",
            "shadow": "0",
        },
    )
    root = ET.SubElement(model, "root")
    if data:
        ET.SubElement(ET.SubElement(root, "object", {"id": "0", "label": "", **data}), "mxCell")
    else:
        ET.SubElement(root, "mxCell", {"id": "0"})
    ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    return root


def _page(
    mxfile: ET.Element,
    doc: JourneyMap,
    chosen: Selection,
    process: Process,
    index: int,
    data: dict[str, str],
) -> None:
    nodes = chosen.nodes[process.id]
    pos = positions(doc, nodes)
    min_x = min((pos[n.id][0] - SIZE.get(n.kind, BOX)[0] / 2 for n in nodes), default=0.0)
    min_y = min((pos[n.id][1] - SIZE.get(n.kind, BOX)[1] / 2 for n in nodes), default=0.0)
    origin = (min_x - MARGIN, min_y - MARGIN)  # the map's point at the page's (0, 0)
    diagram = ET.SubElement(
        mxfile,
        "diagram",
        {
            "id": f"page-{index + 1}",
            "name": process.name,
            "jm_process": process.model_dump_json(exclude_defaults=True),
            "jm_origin": f"{origin[0]!r} {origin[1]!r}",
        },
    )
    root = _model(diagram, data)
    ids: dict[str, str] = {}
    for node in nodes:
        cell_id = ids.setdefault(node.id, f"n{len(ids)}")
        x, y = pos[node.id]
        placed = doc.layout.nodes.get(node.id)
        obj = _vertex(root, cell_id, node, "1", x - origin[0], y - origin[1], full=True)
        # the exact position (or none: placed on a grid), which a re-import keeps unless the
        # shape was moved in draw.io
        obj.set("jm_pos", f"{placed[0]!r} {placed[1]!r}" if placed is not None else "")
    for j, edge in enumerate(chosen.edges[process.id]):
        _edge(root, f"e{j}", edge, ids)


def _group(mxfile: ET.Element, doc: JourneyMap, chosen: Selection, data: dict[str, str]) -> None:
    """The buying-group page: a swimlane per process, stage titles, every step and edge."""
    diagram = ET.SubElement(
        mxfile, "diagram", {"id": GROUP_PAGE, "name": "Buying group", "jm_page": GROUP_PAGE}
    )
    root = _model(diagram, data)
    page = group_page(doc)
    for i, column in enumerate(page.columns):
        if column.title and column.stage:
            obj = ET.SubElement(
                root,
                "object",
                {"id": f"stage-{i}", "label": column.title, "jm_stage": column.stage},
            )
            cell = ET.SubElement(
                obj, "mxCell", {"style": STAGE_STYLE, "vertex": "1", "parent": "1"}
            )
            _geometry(cell, column.left, 0, column.width, HEADER - 10)
    kinds = {p.id: p.kind for p in chosen.processes}
    ids: dict[str, str] = {}
    for i, lane in enumerate(page.lanes):
        nodes = chosen.nodes.get(lane.process)
        if nodes is None:
            continue
        lane_id = f"lane-{i}"
        obj = ET.SubElement(
            root, "object", {"id": lane_id, "label": lane.title, "jm_lane": lane.process}
        )
        fill = LANE_FILL.get(kinds[lane.process], "#ffffff")
        cell = ET.SubElement(
            obj,
            "mxCell",
            {"style": LANE_STYLE + f"swimlaneFillColor={fill};", "vertex": "1", "parent": "1"},
        )
        _geometry(cell, 0, lane.top, page.width, lane.height)
        for node in nodes:
            cell_id = ids.setdefault(node.id, f"g{len(ids)}")
            x, y = page.centre[node.id]
            _vertex(root, cell_id, node, lane_id, x, y - lane.top, full=False)
    j = 0
    for lane in page.lanes:
        for edge in chosen.edges.get(lane.process, ()):
            _edge(root, f"ge{j}", edge, ids)
            j += 1
    for edge in chosen.cross:
        _edge(root, f"ge{j}", edge, ids, CROSS_STYLE)
        j += 1


def _vertex(
    root: ET.Element, cell_id: str, node: Node, parent: str, cx: float, cy: float, full: bool
) -> ET.Element:
    """A step's cell centred at (cx, cy) in its parent; ``full`` keeps the whole node as data."""
    w, h = SIZE.get(node.kind, BOX)
    attrs = {"id": cell_id, "label": node_text(node), "jm_id": node.id, "jm_kind": node.kind}
    if full:
        attrs["jm_node"] = node.model_dump_json(exclude_defaults=True)
    obj = ET.SubElement(root, "object", attrs)
    style = STYLE.get(node.kind, STYLE["action"]) + f"fillColor={FILL.get(node.kind, '#ffffff')};"
    cell = ET.SubElement(obj, "mxCell", {"style": style, "vertex": "1", "parent": parent})
    _geometry(cell, cx - w / 2, cy - h / 2, w, h)
    return obj


def _edge(
    root: ET.Element, cell_id: str, edge: Edge, ids: dict[str, str], extra_style: str = ""
) -> None:
    attrs = {
        "id": cell_id,
        "label": edge_text(edge),
        "jm_id": edge.id,
        "jm_kind": edge.kind,
        "jm_edge": edge.model_dump_json(exclude_defaults=True),
    }
    if edge.conversion is not None:
        attrs["jm_conversion"] = repr(edge.conversion)
    obj = ET.SubElement(root, "object", attrs)
    cell = ET.SubElement(
        obj,
        "mxCell",
        {
            "style": EDGE_STYLE.get(edge.kind, EDGE_STYLE["flow"]) + extra_style,
            "edge": "1",
            "parent": "1",
            "source": ids[edge.source],
            "target": ids[edge.target],
        },
    )
    ET.SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})


def _geometry(cell: ET.Element, x: float, y: float, w: float, h: float) -> None:
    ET.SubElement(
        cell,
        "mxGeometry",
        {"x": _num(x), "y": _num(y), "width": _num(w), "height": _num(h), "as": "geometry"},
    )


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def write_drawio(doc: JourneyMap, path: Path, process_id: str | None = None) -> None:
    write_atomic(Path(path), generate_drawio(doc, process_id).encode("utf-8"))
