"""What the canvas marks while a version is compared: added and changed steps and connections,
and the steps removed since, drawn where they were (headless; the scene paints them).

>>> from models.document import JourneyMap, Layout, Node, Process
>>> from models.versions import diff_maps
>>> old = JourneyMap(processes=[Process(id="p", name="P")],
...                  nodes=[Node(id="a", process="p", label="A"), Node(id="b", process="p", label="B")],
...                  layout=Layout(nodes={"a": (0, 0), "b": (200, 0)}))
>>> new = old.model_copy(update={"nodes": [Node(id="a", process="p", label="A2"),
...                                        Node(id="c", process="p", label="C")]})
>>> marks, ghosts = change_marks(diff_maps(old, new), old)
>>> sorted((key, mark.change) for key, mark in marks.items())
[(('nodes', 'a'), 'changed'), (('nodes', 'c'), 'added')]
>>> marks["nodes", "a"].text
'Changed since the other version:\\nlabel: "A" → "A2"'
>>> [(g.node_id, g.process, g.label, g.position) for g in ghosts]
[('b', 'p', 'B', (200.0, 0.0))]
"""

from __future__ import annotations

from dataclasses import dataclass

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


def change_marks(
    diff: MapDiff, old: JourneyMap
) -> tuple[dict[tuple[str, str], ChangeMark], list[Ghost]]:
    marks: dict[tuple[str, str], ChangeMark] = {}
    ghosts: list[Ghost] = []
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
    return marks, ghosts
