"""Automatic left-to-right layout of a process: Graphviz `dot`, or a layered fallback.

Both return ``{node_id: (x, y)}`` centres in diagram units; the editor applies
them as one undoable move. ``dot`` gives the nicer result; the fallback needs
nothing installed and is used when ``dot`` is missing, too slow or the process
is large.

>>> from models.generate import generate_chain
>>> positions = layered_layout(generate_chain(4), "chain")
>>> [positions[n][0] for n in ("n0", "n1", "n2", "n3")]
[0.0, 230.0, 460.0, 690.0]
"""

from __future__ import annotations

import json
import shutil
import subprocess

import networkx as nx

from .document import JourneyMap
from .errors import JourneymapError

COLUMN, ROW = 230.0, 120.0
DOT_NODE_LIMIT = 400


class LayoutError(JourneymapError):
    """`dot` is missing, failed or took too long; the caller falls back to :func:`layered_layout`."""


def _graph(doc: JourneyMap, process_id: str) -> nx.DiGraph:
    graph = nx.DiGraph()
    for node in doc.nodes:
        if node.process == process_id:
            graph.add_node(node.id)
    for edge in doc.edges:
        if edge.source in graph and edge.target in graph and edge.kind != "recycle":
            graph.add_edge(edge.source, edge.target)
    return graph


def layered_layout(doc: JourneyMap, process_id: str) -> dict[str, tuple[float, float]]:
    """Columns by longest path from the sources (cycles broken), rows in file order."""
    return _layered([n.id for n in doc.nodes if n.process == process_id], doc)


def layered_layouts(doc: JourneyMap) -> dict[str, tuple[float, float]]:
    """:func:`layered_layout` of every process at once (one pass over the map, not one per
    process)."""
    members: dict[str, list[str]] = {}
    for node in doc.nodes:
        members.setdefault(node.process, []).append(node.id)
    positions: dict[str, tuple[float, float]] = {}
    for ids in members.values():
        positions.update(_layered(ids, doc))
    return positions


def _layered(ids: list[str], doc: JourneyMap) -> dict[str, tuple[float, float]]:
    """Layered positions of the nodes ``ids`` (one process, in file order), in linear time: one
    depth-first search leaves out the edges that close a cycle, then each node's column is one
    more than its furthest predecessor's."""
    members = set(ids)
    successors: dict[str, list[str]] = {node_id: [] for node_id in ids}
    for edge in doc.edges:
        if edge.kind != "recycle" and edge.source in members and edge.target in members:
            successors[edge.source].append(edge.target)
    state: dict[str, int] = {}  # 1: on the search's path, 2: done
    order: list[str] = []  # finishing order; reversed, a topological order without back edges
    predecessors: dict[str, list[str]] = {node_id: [] for node_id in ids}
    for start in ids:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(successors[start]))]
        while stack:
            node_id, pending = stack[-1]
            for target in pending:
                seen = state.get(target)
                if seen == 1:
                    continue  # this edge closes a cycle: left out of the layering
                predecessors[target].append(node_id)
                if seen is None:
                    state[target] = 1
                    stack.append((target, iter(successors[target])))
                    break
            else:
                state[node_id] = 2
                order.append(node_id)
                stack.pop()
    column: dict[str, int] = {}
    for node_id in reversed(order):
        column[node_id] = max((column[p] + 1 for p in predecessors[node_id]), default=0)
    rows: dict[int, int] = {}
    positions = {}
    for node_id in ids:  # file order keeps related nodes together
        col = column[node_id]
        row = rows.get(col, 0)
        rows[col] = row + 1
        positions[node_id] = (col * COLUMN, row * ROW)
    return positions


def dot_layout(
    doc: JourneyMap, process_id: str, *, timeout: float = 5.0
) -> dict[str, tuple[float, float]]:
    """Ask Graphviz `dot` for a left-to-right layout; raise LayoutError to fall back."""
    graph = _graph(doc, process_id)
    if len(graph) > DOT_NODE_LIMIT:
        raise LayoutError(
            f"the process has {len(graph)} nodes; the layered layout is used above {DOT_NODE_LIMIT}"
        )
    executable = shutil.which("dot")
    if executable is None:
        raise LayoutError(
            "Graphviz `dot` is not installed (Debian/Ubuntu: sudo apt-get install graphviz)"
        )
    index = {node_id: f"n{i}" for i, node_id in enumerate(graph)}
    lines = [
        "digraph G {",
        "rankdir=LR; nodesep=0.5; ranksep=0.7;",
        'node [shape=box, width=2.36, height=0.9, fixedsize=true, label=""];',
    ]
    lines += [f"{index[n]};" for n in graph]
    recycle = [
        (e.source, e.target)
        for e in doc.edges
        if e.kind == "recycle" and e.source in index and e.target in index
    ]
    lines += [f"{index[a]} -> {index[b]};" for a, b in graph.edges]
    lines += [f"{index[a]} -> {index[b]} [constraint=false];" for a, b in recycle]
    lines.append("}")
    try:
        result = subprocess.run(
            [executable, "-Tjson0"],
            input="\n".join(lines),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LayoutError(f"`dot` took longer than {timeout:g} s") from None
    if result.returncode != 0:
        raise LayoutError(f"`dot` failed: {result.stderr.strip()[:200]}")
    data = json.loads(result.stdout)
    reverse = {v: k for k, v in index.items()}
    positions = {}
    for obj in data.get("objects", []):
        x, y = (float(v) for v in obj["pos"].split(","))
        positions[reverse[obj["name"]]] = (
            round(x * 1.3, 1),
            round(-y * 1.3, 1),
        )  # points, y up -> down
    return positions


def auto_layout(doc: JourneyMap, process_id: str, *, timeout: float = 5.0) -> tuple[dict, str]:
    """``dot`` when it can, else the layered layout; returns (positions, which one was used)."""
    try:
        return dot_layout(doc, process_id, timeout=timeout), "dot"
    except LayoutError as reason:
        return layered_layout(doc, process_id), f"layered ({reason})"
