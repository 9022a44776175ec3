"""The map file's versions: the order items are written in, and reading every earlier version.

**The order** (schema version 2). Teams keep maps in git and edit them in parallel, so the
file puts independent additions in different places: nodes are grouped by process (in the
order of ``processes``), edges by the process of their source node, each group keeping the
map's own order (the order people drew the steps in); positions in ``layout`` follow the
order of the nodes. A step added to the CFO's process and one added to the funnel land at
the ends of two different groups, so plain ``git merge`` joins them without a conflict.
Version 1 appended every new item to the end of ``nodes`` and ``edges`` and sorted
``layout`` by id, so two additions anywhere met at the end of the lists.

**Migrations.** :func:`migrate` turns what an earlier version wrote into what this one
reads, one step a version, before the file is validated. From 1 to 2 only the order
changed, and the order of a file is not read, so a version 1 file loads as it is; saving
it writes version 2.

>>> data = {"processes": [{"id": "funnel"}, {"id": "cfo"}],
...         "nodes": [{"id": "a", "process": "cfo"}, {"id": "b", "process": "funnel"},
...                   {"id": "c", "process": "cfo"}],
...         "edges": [{"id": "e1", "source": "c", "target": "a"},
...                   {"id": "e2", "source": "b", "target": "a"}],
...         "layout": {"nodes": {"a": [0, 0], "b": [1, 0], "c": [2, 0]}}}
>>> ordered = in_file_order(data)
>>> [n["id"] for n in ordered["nodes"]], [e["id"] for e in ordered["edges"]]
(['b', 'a', 'c'], ['e2', 'e1'])
>>> list(ordered["layout"]["nodes"])
['b', 'a', 'c']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .document import SCHEMA_VERSION

HISTORY: dict[int, str] = {
    1: "the first format: new items at the end of each list, layout sorted by id",
    2: "nodes grouped by process and edges by their source's process, each group in the "
    "map's order; layout in the order of the nodes",
}
"""What each schema version changed, in words (docs/versions.md tells the whole story)."""


def _from_1(raw: dict[str, Any]) -> dict[str, Any]:
    return raw  # only the order of items changed, and reading does not depend on it


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_1}
"""version -> the step that turns a file of that version into one of the next."""


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` (a parsed file whose ``schema_version`` is 1 up to :data:`SCHEMA_VERSION`)
    as this version reads it, ``schema_version`` included."""
    version = raw.get("schema_version", SCHEMA_VERSION)
    while isinstance(version, int) and version < SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version += 1
        raw["schema_version"] = version
    return raw


def in_file_order(data: dict[str, Any]) -> dict[str, Any]:
    """Reorder ``nodes``, ``edges`` and ``layout`` of a dumped map (in place) as the file
    writes them; return ``data``. Linear apart from one stable sort per list."""
    rank = {p.get("id"): index for index, p in enumerate(data.get("processes", ()))}
    last = len(rank)
    nodes = data.get("nodes")
    process_of: dict[str, Any] = {}
    if nodes:
        nodes.sort(key=lambda n: rank.get(n.get("process"), last))
        process_of = {n.get("id"): n.get("process") for n in nodes}
    edges = data.get("edges")
    if edges:
        edges.sort(key=lambda e: rank.get(process_of.get(e.get("source")), last))
    layout = data.get("layout")
    if layout:
        order = {node_id: index for index, node_id in enumerate(process_of)}
        for part in ("nodes", "group"):
            positions = layout.get(part)
            if positions:
                keys = sorted(positions, key=lambda k: (order.get(k, len(order)), k))
                layout[part] = {k: positions[k] for k in keys}
    return data
