"""Graphviz DOT: one digraph, left to right, a cluster per process when there are several,
and the edges between processes (the buying group's links) drawn between the clusters.

Node ids in the output are generated (``n0``, ``n1``...), never the map's ids,
and every label goes through :func:`graphviz.escape` (backslashes doubled)
before the ``graphviz`` package quotes it, so no label can close a string,
start an escape sequence or add a statement.

>>> from models.document import JourneyMap, Process, Node, Edge
>>> m = JourneyMap(processes=[Process(id="p", name="P")],
...                nodes=[Node(id="a", process="p", kind="entry", label='Say "hi"'),
...                       Node(id="b", process="p", kind="won")],
...                edges=[Edge(id="e", source="a", target="b", conversion=0.3)])
>>> print(generate_dot(m, "p"))  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
digraph journeymap {
...
n0 [label="Say \\"hi\\"" fillcolor="#d8ecff" shape=ellipse style=filled tooltip=a]
...
n0 -> n1 [label="30%" constraint=true style=solid]
}
"""

from __future__ import annotations

from pathlib import Path

import graphviz

from models.document import JourneyMap, Process
from models.storage import write_atomic

from ._labels import CROSS_COLOR, FILL, Selection, edge_text, node_text, positions, select

SHAPE = {
    "entry": ("ellipse", "filled"),
    "buyer_step": ("box", "rounded,filled"),
    "action": ("box", "filled"),
    "decision": ("diamond", "filled"),
    "subprocess": ("box3d", "filled"),
    "won": ("ellipse", "filled"),
    "lost": ("ellipse", "filled"),
}
EDGE_STYLE = {"flow": "solid", "recycle": "dashed", "addresses": "dotted", "message": "dashed"}
MESSAGE_ENDS = {"dir": "both", "arrowtail": "odot", "arrowhead": "empty"}
"""A message edge's ends, as BPMN draws a message flow: a small circle at the start, an open
arrow at the end."""


def dot_text(text: str) -> str:
    r"""A label for a quoted DOT string: backslashes escaped, line breaks as ``\n``.

    >>> dot_text('a\\')
    'a\\\\'
    >>> dot_text("two\r\nlines")
    'two\\nlines'
    """
    text = graphviz.escape(text.replace("\r\n", "\n").replace("\r", "\n"))
    return graphviz.nohtml(text.replace("\n", "\\n"))


def build_graph(
    doc: JourneyMap, process_id: str | None = None, layout: str = "auto"
) -> graphviz.Digraph:
    """The ``graphviz.Digraph`` of one process or every process (one cluster each).

    With several processes the clusters follow the buying-group page's lane order (the buyer
    roles' processes first) and the edges between processes (a company action serving a buyer
    step of another role) are drawn between the clusters, dotted in :data:`CROSS_COLOR`.

    ``layout="map"`` pins every node at the map's own position (``pos="x,y!"``,
    processes stacked top to bottom) for ``neato -n``: the canvas as the user
    laid it out. ``"auto"`` lets ``dot`` lay the graph out left to right.
    """
    chosen = select(doc, process_id)
    several = len(chosen.processes) > 1
    order = chosen.in_lane_order(doc) if several else chosen.processes
    pins = _pins(doc, chosen, order) if layout == "map" else {}
    routing = {"splines": "true"} if pins else {}
    graph = graphviz.Digraph(
        name="journeymap",
        graph_attr={
            "rankdir": "LR",
            "label": dot_text(doc.name if several or not order else order[0].name),
            "labelloc": "t",
            "fontname": "Helvetica",
            **routing,
        },
        node_attr={"fontname": "Helvetica", "fontsize": "11"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9"},
    )
    ids: dict[str, str] = {}
    for i, process in enumerate(order):
        if several:
            with graph.subgraph(name=f"cluster_{i}") as sub:
                sub.attr(label=dot_text(process.name), style="rounded", color="#999999")
                _add(sub, chosen, process, ids, pins)
        else:
            _add(graph, chosen, process, ids, pins)
    for edge in chosen.cross:  # between clusters: they leave each process's own layout alone
        graph.edge(
            ids[edge.source],
            ids[edge.target],
            label=dot_text(edge_text(edge)),
            style=EDGE_STYLE.get(edge.kind, "dotted"),
            color=CROSS_COLOR,
            fontcolor=CROSS_COLOR,
            penwidth="1.5",
            constraint="false",
            **(MESSAGE_ENDS if edge.kind == "message" else {}),
        )
    return graph


def _pins(doc: JourneyMap, chosen: Selection, order: list[Process]) -> dict[str, str]:
    """``pos`` attribute per node id: layout pixels as points, y up, processes stacked."""
    out: dict[str, str] = {}
    top = 0.0
    for process in order:
        pos = positions(doc, chosen.nodes[process.id])
        if not pos:
            continue
        min_y = min(y for _x, y in pos.values())
        for node_id, (x, y) in pos.items():
            out[node_id] = f"{x:.2f},{-(top + y - min_y):.2f}!"
        top += max(y for _x, y in pos.values()) - min_y + 200
    return out


def _add(
    graph: graphviz.Digraph,
    chosen: Selection,
    process: Process,
    ids: dict[str, str],
    pins: dict[str, str],
) -> None:
    for node in chosen.nodes[process.id]:
        gid = ids.setdefault(node.id, f"n{len(ids)}")
        shape, style = SHAPE.get(node.kind, ("box", "filled"))
        graph.node(
            gid,
            label=dot_text(node_text(node)),
            shape=shape,
            style=style,
            fillcolor=FILL.get(node.kind, "#ffffff"),
            tooltip=dot_text(node.id),
            **({"peripheries": "2"} if node.kind in ("won", "lost") else {}),
            **({"pos": pins[node.id]} if node.id in pins else {}),
        )
    for edge in chosen.edges[process.id]:
        graph.edge(
            ids[edge.source],
            ids[edge.target],
            label=dot_text(edge_text(edge)),
            style=EDGE_STYLE.get(edge.kind, "solid"),
            constraint="false" if edge.kind == "recycle" else "true",
        )


def generate_dot(doc: JourneyMap, process_id: str | None = None, **options) -> str:
    """DOT source of one process, or of every process (None) as clusters of one graph with the
    edges between processes.

    Option ``layout="map"``: nodes pinned at the map's positions (see :func:`build_graph`).
    """
    return build_graph(doc, process_id, options.get("layout", "auto")).source


def write_dot(doc: JourneyMap, path: Path, process_id: str | None = None) -> None:
    write_atomic(Path(path), generate_dot(doc, process_id).encode("utf-8"))
