"""Shared helpers of the diagram exporters: which processes, labels, colours, positions.

Every diagram format draws a node kind the same way (the method's conventions:
company actions beige, decisions as diamonds, entries and outcomes as events),
and every format places nodes at the map's layout, with a grid as fallback.
Shares are written with :func:`models.units.percent`.
"""

from __future__ import annotations

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


def node_text(node: Node) -> str:
    """The label a node shows: its label, else its id."""
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
    """The process's edges whose both ends are in the process (the ones a diagram can draw)."""
    ids = {n.id for n in doc.nodes_of(process.id)}
    return [e for e in doc.edges if e.source in ids and e.target in ids]
