"""What the canvas marks while a version is compared: added and changed steps and connections,
the steps removed since, drawn where they were, and the connections removed since, drawn
between their two ends (headless; the scene paints them).

>>> from models.document import Edge, JourneyMap, Layout, Node, Process
>>> from models.versions import diff_maps
>>> old = JourneyMap(processes=[Process(id="p", name="P")],
...                  nodes=[Node(id="a", process="p", label="A"), Node(id="b", process="p", label="B")],
...                  layout=Layout(nodes={"a": (0, 0), "b": (200, 0)}))
>>> old.edges = [Edge(id="e", source="a", target="b", label="Booked", conversion=0.4)]
>>> new = old.model_copy(update={"nodes": [Node(id="a", process="p", label="A2"),
...                                        Node(id="c", process="p", label="C")], "edges": []})
>>> marks, ghosts, ghost_edges = change_marks(diff_maps(old, new), old)
>>> sorted((key, mark.change) for key, mark in marks.items())
[(('nodes', 'a'), 'changed'), (('nodes', 'c'), 'added')]
>>> marks["nodes", "a"].text
'Changed since the other version:\\nlabel: "A" → "A2"'
>>> [(g.node_id, g.process, g.label, g.position) for g in ghosts]
[('b', 'p', 'B', (200.0, 0.0))]
>>> [(g.edge_id, g.source, g.target, g.label, g.conversion) for g in ghost_edges]
[('e', 'a', 'b', 'Booked', 0.4)]
>>> ghost_edges[0].text
'Removed since the other version: the connection from “A” to “B” (Booked).'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.document import JourneyMap

from .diff import MapDiff
from .items import value_text

MARKED = ("nodes", "edges")


@dataclass(frozen=True)
class ChangeMark:
    change: str  # "added" or "changed"
    text: str  # what changed, one line a field, for the tooltip


@dataclass(frozen=True)
class Ghost:
    """A step removed since the other version, where it was drawn there."""

    node_id: str
    process: str
    label: str
    position: tuple[float, float]


@dataclass(frozen=True)
class GhostEdge:
    """A connection removed since the other version: its ends (steps of the map now, or steps
    removed too) and what it said there."""

    edge_id: str
    source: str
    target: str
    kind: str
    label: str
    conversion: float | None
    text: str  # the tooltip: what was removed, between which steps


def change_marks(
    diff: MapDiff, old: JourneyMap
) -> tuple[dict[tuple[str, str], ChangeMark], list[Ghost], list[GhostEdge]]:
    """The marks of ``diff`` (from ``old`` to the map now): added and changed items by
    (collection, id), the removed steps and the removed connections."""
    marks: dict[tuple[str, str], ChangeMark] = {}
    ghosts: list[Ghost] = []
    ghost_edges: list[GhostEdge] = []
    for change in diff.changes:
        if change.collection not in MARKED:
            continue
        if change.change == "added":
            marks[change.collection, change.id] = ChangeMark(
                "added", "Added since the other version."
            )
        elif change.change == "changed":
            lines = [f"{f.field}: {value_text(f.old)} → {value_text(f.new)}" for f in change.fields]
            marks[change.collection, change.id] = ChangeMark(
                "changed", "\n".join(["Changed since the other version:", *lines])
            )
        elif change.collection == "nodes" and change.item is not None:
            where = old.layout.nodes.get(change.id)
            if where is not None:
                ghosts.append(
                    Ghost(
                        change.id,
                        str(change.item.get("process", "")),
                        str(change.item.get("label", "")),
                        (float(where[0]), float(where[1])),
                    )
                )
        elif change.collection == "edges" and change.item is not None:
            ghost_edges.append(_ghost_edge(change.id, change.item, old))
    return marks, ghosts, ghost_edges


def _ghost_edge(edge_id: str, item: dict[str, Any], old: JourneyMap) -> GhostEdge:
    source, target = str(item.get("source", "")), str(item.get("target", ""))
    label = str(item.get("label", ""))
    conversion = item.get("conversion")
    names = {node.id: node.label or node.id for node in old.nodes if node.id in (source, target)}
    text = (
        f"Removed since the other version: the connection from “{names.get(source, source)}” "
        f"to “{names.get(target, target)}”" + (f" ({label})." if label else ".")
    )
    return GhostEdge(
        edge_id,
        source,
        target,
        str(item.get("kind", "flow")),
        label,
        float(conversion) if isinstance(conversion, (int, float)) else None,
        text,
    )
