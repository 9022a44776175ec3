"""Shared helpers of the diagram exporters: which processes, labels, colours, positions.

Every diagram format draws a node kind the same way (the method's conventions:
company actions beige, decisions as diamonds, entries and outcomes as events),
and every format places nodes at the map's layout, with a grid as fallback.
Shares are written with :func:`models.units.percent`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.buying_group import lane_order
from models.document import Edge, JourneyMap, Node, Process
from models.errors import JourneymapError
from models.units import percent

FILL = {
    "entry": "#d8ecff",
    "buyer_step": "#e6f4ea",
    "action": "#f5e6c8",  # beige, as the method draws company actions
    "decision": "#fff4b3",
    "subprocess": "#e8e0f5",
    "won": "#b7e1b5",
    "lost": "#f4b6b6",
}
"""Fill colour per node kind."""

LOST_WORDS = re.compile(r"lost|lose|disqualif|reject|churn", re.IGNORECASE)
"""An end whose name says the lead is lost (a BPMN end event, a draw.io end read back)."""

CROSS_COLOR = "#9c6b1f"
"""The colour of an edge between two processes (a company action serving another role's step)."""

GRID_X, GRID_Y = 200.0, 120.0
SIZE = {"decision": (60.0, 60.0), "entry": (40.0, 40.0), "won": (40.0, 40.0), "lost": (40.0, 40.0)}
DEFAULT_SIZE = (140.0, 70.0)


def processes(doc: JourneyMap, process_id: str | None) -> list[Process]:
    """The processes to export: one by id, or every process (None)."""
    if process_id is None:
        return list(doc.processes)
    for process in doc.processes:
        if process.id == process_id:
            return [process]
    known = ", ".join(p.id for p in doc.processes) or "none"
    raise JourneymapError(
        f"The map has no process {process_id!r} (processes: {known}); "
        "pick one of those with --process."
    )


def parse_percent(text: str) -> float | None:
    """Read back :func:`percent` (``'30%'`` -> 0.3); None when it is not a percentage.

    >>> parse_percent("12.5%")
    0.125
    >>> parse_percent("Maybe") is None
    True
    """
    text = (text or "").strip()
    if not text.endswith("%"):
        return None
    try:
        value = float(text[:-1]) / 100
    except ValueError:
        return None
    return round(value, 6) if 0.0 <= value <= 1.0 else None


_SHARE_AT_END = re.compile(r"\(?\s*(\d{1,20}(?:\.\d{1,20})?)\s*%\s*\)?\s*$")


def split_share(label: str) -> tuple[str, float | None]:
    """A label another tool shows with its conversion at the end, and that conversion:
    ``"Yes (30%)"`` -> ``("Yes", 0.3)``. Only the label's last 64 characters are searched, so a
    long label costs no more than a short one.

    >>> split_share("Yes (30%)"), split_share("12.5%"), split_share("Maybe")
    (('Yes', 0.3), ('', 0.125), ('Maybe', None))
    """
    start = max(0, len(label) - 64)
    match = _SHARE_AT_END.search(label, start)
    if not match:
        return label, None
    return label[: match.start()].strip(), parse_percent(match.group(1) + "%")


def node_text(node: Node) -> str:
    """The label a node shows: its label, else its id; a step imported from BPMN without a
    name (an unnamed gateway, say) shows none, as in the modeller, never its id there.

    >>> node_text(Node(id="n1", process="p")), node_text(Node(id="sid-1", process="p", bpmn_type="parallelGateway"))
    ('n1', '')
    """
    if not node.label and node.bpmn_type:
        return ""
    return node.label or node.id


def edge_text(edge: Edge) -> str:
    """An edge's label with its conversion: ``'Yes (30%)'``, ``'30%'`` or the label."""
    share = percent(edge.conversion)
    if edge.label and share:
        return f"{edge.label} ({share})"
    return edge.label or share


def positions(doc: JourneyMap, nodes: list[Node]) -> dict[str, tuple[float, float]]:
    """Centre of every node: the layout's, else a grid slot after the laid-out ones."""
    out: dict[str, tuple[float, float]] = {}
    missing = []
    for node in nodes:
        if node.id in doc.layout.nodes:
            x, y = doc.layout.nodes[node.id]
            out[node.id] = (x, y)
        else:
            missing.append(node)
    base_y = max((y for _, y in out.values()), default=-GRID_Y) + GRID_Y * 1.5
    for i, node in enumerate(missing):
        out[node.id] = ((i % 6) * GRID_X, base_y + (i // 6) * GRID_Y)
    return out


def size(kind: str) -> tuple[float, float]:
    """Width and height a node kind is drawn with."""
    return SIZE.get(kind, DEFAULT_SIZE)


def local_edges(doc: JourneyMap, process: Process) -> list[Edge]:
    """The process's edges whose both ends are in the process (the ones its own page draws)."""
    ids = {n.id for n in doc.nodes_of(process.id)}
    return [e for e in doc.edges if e.source in ids and e.target in ids]


@dataclass
class Selection:
    """What a diagram export draws, sorted out in one pass over the map.

    ``nodes`` and ``edges`` list each chosen process's nodes and the edges with both ends in
    it (file order); ``cross`` holds the edges joining two chosen processes (``addresses``
    edges: a company action serving a buyer step of another role's process), which only a
    drawing of several processes can show.
    """

    processes: list[Process]
    nodes: dict[str, list[Node]] = field(default_factory=dict)
    edges: dict[str, list[Edge]] = field(default_factory=dict)
    cross: list[Edge] = field(default_factory=list)
    node: dict[str, Node] = field(default_factory=dict)
    """Every chosen node by id."""

    @property
    def edge_count(self) -> int:
        """Every edge the export draws: each process's own, and the ones between them."""
        return sum(map(len, self.edges.values())) + len(self.cross)

    def in_lane_order(self, doc: JourneyMap) -> list[Process]:
        """The chosen processes in the order the buying-group page stacks them (the buyer
        roles' processes first, then the funnel...: :func:`models.buying_group.lane_order`)."""
        ids = {p.id for p in self.processes}
        return [p for p in lane_order(doc) if p.id in ids]


def select(doc: JourneyMap, process_id: str | None) -> Selection:
    """The processes of :func:`processes`, their nodes, edges and the edges between them.

    >>> from models.document import Edge, JourneyMap, Node, Process
    >>> m = JourneyMap(processes=[Process(id="f", name="F"), Process(id="b", name="B", kind="buyer")],
    ...                nodes=[Node(id="a", process="f"), Node(id="w", process="f", kind="won"),
    ...                       Node(id="s", process="b", kind="buyer_step")],
    ...                edges=[Edge(id="e", source="a", target="w"),
    ...                       Edge(id="x", source="a", target="s", kind="addresses")])
    >>> chosen = select(m, None)
    >>> [e.id for e in chosen.edges["f"]], [e.id for e in chosen.cross], chosen.edge_count
    (['e'], ['x'], 2)
    >>> select(m, "f").cross, select(m, "f").edge_count
    ([], 1)
    """
    chosen = processes(doc, process_id)
    out = Selection(chosen, {p.id: [] for p in chosen}, {p.id: [] for p in chosen})
    for node in doc.nodes:
        members = out.nodes.get(node.process)
        if members is not None:
            members.append(node)
            out.node[node.id] = node
    for edge in doc.edges:
        source, target = out.node.get(edge.source), out.node.get(edge.target)
        if source is None or target is None:
            continue
        if source.process == target.process:
            out.edges[source.process].append(edge)
        else:
            out.cross.append(edge)
    return out
