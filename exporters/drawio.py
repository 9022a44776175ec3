"""draw.io / diagrams.net files: one uncompressed page per process, at the map's layout.

Shapes follow the method: actions beige rectangles, buyer steps green rounded
rectangles, decisions rhombi, entries ellipses, won and lost double ellipses,
sub-processes "process" boxes; recycle edges dashed, "addresses" edges dotted.
Each cell is wrapped in an ``<object>`` whose ``label`` is the plain text shown
(styles never set ``html=1``, so draw.io shows markup in labels as text) and
whose ``jm_*`` attributes (draw.io's "Edit Data" properties) keep Journeymap's
ids, kinds and conversions for :mod:`exporters.drawio_import`. Cell ids are
generated; ElementTree escapes every attribute.

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

from models.document import JourneyMap, Process
from models.storage import write_atomic

from ._labels import FILL, edge_text, local_edges, node_text, positions, processes

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
}
MARGIN = 40


def generate_drawio(doc: JourneyMap, process_id: str | None = None, **options) -> str:
    """An mxfile with one page per process (or one page for ``process_id``)."""
    mxfile = ET.Element("mxfile", {"host": "Journeymap", "version": "1", "type": "device"})
    for i, process in enumerate(processes(doc, process_id)):
        _page(mxfile, doc, process, i)
    ET.indent(mxfile)
    return ET.tostring(mxfile, encoding="unicode") + "\n"


def _page(mxfile: ET.Element, doc: JourneyMap, process: Process, index: int) -> None:
    diagram = ET.SubElement(
        mxfile,
        "diagram",
        {"id": f"page-{index + 1}", "name": process.name, "jm_process": process.model_dump_json()},
    )
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
    ET.SubElement(root, "mxCell", {"id": "0"})
    ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    nodes = doc.nodes_of(process.id)
    pos = positions(doc, nodes)
    min_x = min(
        (x - SIZE.get(n.kind, BOX)[0] / 2 for n, (x, _y) in ((n, pos[n.id]) for n in nodes)),
        default=0.0,
    )
    min_y = min(
        (y - SIZE.get(n.kind, BOX)[1] / 2 for n, (_x, y) in ((n, pos[n.id]) for n in nodes)),
        default=0.0,
    )
    ids: dict[str, str] = {}
    for node in nodes:
        cell_id = ids.setdefault(node.id, f"n{len(ids)}")
        w, h = SIZE.get(node.kind, BOX)
        x, y = pos[node.id]
        obj = ET.SubElement(
            root,
            "object",
            {
                "id": cell_id,
                "label": node_text(node),
                "jm_id": node.id,
                "jm_kind": node.kind,
                "jm_node": node.model_dump_json(),
            },
        )
        style = (
            STYLE.get(node.kind, STYLE["action"]) + f"fillColor={FILL.get(node.kind, '#ffffff')};"
        )
        cell = ET.SubElement(obj, "mxCell", {"style": style, "vertex": "1", "parent": "1"})
        ET.SubElement(
            cell,
            "mxGeometry",
            {
                "x": _num(x - w / 2 - min_x + MARGIN),
                "y": _num(y - h / 2 - min_y + MARGIN),
                "width": _num(w),
                "height": _num(h),
                "as": "geometry",
            },
        )
    for j, edge in enumerate(local_edges(doc, process)):
        attrs = {
            "id": f"e{j}",
            "label": edge_text(edge),
            "jm_id": edge.id,
            "jm_kind": edge.kind,
            "jm_edge": edge.model_dump_json(),
        }
        if edge.conversion is not None:
            attrs["jm_conversion"] = repr(edge.conversion)
        obj = ET.SubElement(root, "object", attrs)
        cell = ET.SubElement(
            obj,
            "mxCell",
            {
                "style": EDGE_STYLE.get(edge.kind, EDGE_STYLE["flow"]),
                "edge": "1",
                "parent": "1",
                "source": ids[edge.source],
                "target": ids[edge.target],
            },
        )
        ET.SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def write_drawio(doc: JourneyMap, path: Path, process_id: str | None = None) -> None:
    write_atomic(Path(path), generate_drawio(doc, process_id).encode("utf-8"))
