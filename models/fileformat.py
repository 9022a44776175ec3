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

import json
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


CONFLICTS_KEY = "merge_conflicts"
"""The list a merge with conflicts writes at the top of the file (``journeymap merge``): each
record names an item, a field and the three values. Loading refuses a file that has it, so a
conflict is never opened or simulated as if it were resolved; the file stays valid JSON and
holds ours' value at each conflict until a person sets it and deletes the list."""

_WHAT = {
    "roles": "role",
    "teams": "team",
    "stages": "stage",
    "criteria": "criteria",
    "processes": "process",
    "nodes": "node",
    "edges": "edge",
    "slas": "SLA",
    "scenarios": "scenario",
    "layout.nodes": "position of node",
    "layout.group": "buying-group position of node",
}


def shown(value: Any, width: int = 60) -> str:
    """A value of a map file in a message: JSON, cut to ``width`` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 3] + "..."


def conflict_line(record: dict[str, Any]) -> str:
    """One conflict of :data:`CONFLICTS_KEY` in words: where, then base, ours and theirs.

    >>> conflict_line({"collection": "edges", "id": "e2", "field": "conversion",
    ...                "base": 0.3, "ours": 0.4, "theirs": 0.5})
    'edge "e2" conversion: base 0.3, ours 0.4, theirs 0.5'
    """
    collection = str(record.get("collection", ""))
    field = record.get("field") or ""
    if collection == "map":
        where = f"the map's {field}"
    else:
        where = f'{_WHAT.get(collection, collection)} "{record.get("id", "")}"'
        where += f" {field}" if field else ""
    values = ", ".join(
        f"{side} {shown(record[side]) if side in record else '(absent)'}"
        for side in ("base", "ours", "theirs")
    )
    reason = record.get("reason")
    return f"{where}: {values}" + (f" ({reason})" if reason else "")


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
