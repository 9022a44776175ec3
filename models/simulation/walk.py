"""A process laid out as :func:`models.graph.process_graph` lays it out, without building a graph.

:func:`walk` reads the map's lists (through :class:`~models.simulation.columns.Columns`, each
field once) and returns the graph's nodes in order and its lead edges as index arrays, in the
order ``graph.edges(data=True)`` gives them (by source in node order, then by target in the
order each pair first appears, then the pair's model edges in order), so the compiled arrays
are the same as when they were read from the networkx graph, at a fraction of the cost.
Sub-process expansion follows :mod:`models.graph`: a subprocess node opening an existing,
non-empty process not already open on the way is replaced by that process (ids
``"<node>/<inner>"``); edges into it lead to its first entry, its won outcomes carry on along
the node's outgoing edges, and inner entries and won outcomes become ``"pass"`` nodes. Only
edges of a kind in :data:`~models.vocabulary.CARRIES_LEADS` are walked: an ``addresses`` or
``message`` edge carries no leads.

On the way it notes its ``doubts``: anything a run refuses (a missing rate, rates over 100 % at
a step, an edge leaving the process or an outcome, a loop leads cannot leave). None noted: the
blocking analysis would find nothing either, and a run skips it.
"""

from __future__ import annotations

from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from models.document import Edge, JourneyMap, Node
from models.graph import PASS
from models.vocabulary import CARRIES_LEADS, OUTCOME_KINDS

from .columns import Columns


class Walked(NamedTuple):
    """A process walked (see the module docstring)."""

    ids: list[str]  # graph ids
    nodes: Columns[Node]  # the model node behind each graph node
    kinds: list[str]  # effective kinds (an expanded inner entry or won outcome is a pass node)
    origins: list[str]  # model node ids
    src: np.ndarray  # lead edge rows: source index
    dst: np.ndarray  # lead edge rows: target index
    edges: Columns[Edge]  # lead edge rows: the model edge
    conv: np.ndarray  # lead edge rows: conversion (nan: missing)
    doubts: list[str]
    acyclic: bool | None  # None: not known yet


def walk(doc: JourneyMap, process_id: str, nodes: Columns[Node], edges: Columns[Edge]) -> Walked:
    """``process_id`` of ``doc`` walked; ``nodes`` and ``edges`` are the columns of ``doc.nodes``
    and ``doc.edges``."""
    kinds = nodes["kind"]
    processes = nodes["process"]
    if "subprocess" not in kinds:  # nothing to expand: one pass over arrays
        if processes.count(process_id) == len(processes):
            return _walk_flat(nodes, edges)
        rows = [i for i, p in enumerate(processes) if p == process_id]
        return _walk_flat(nodes.subset(rows), edges)
    mine = [i for i, p in enumerate(processes) if p == process_id]
    if "subprocess" not in (kinds[i] for i in mine):
        return _walk_flat(nodes.subset(mine), edges)
    return _walk_nested(doc, process_id, nodes, edges)


def _walk_flat(nodes: Columns[Node], edges: Columns[Edge]) -> Walked:
    """:func:`walk` for a process that opens no sub-process (``nodes``: its nodes): the edges read
    once into arrays and put in the graph's order by one stable sort, when they are not in it."""
    ids, kinds = nodes["id"], nodes["kind"]
    n, m = len(ids), len(edges)
    index = dict(zip(ids, range(n), strict=True))
    src = _positions(index, edges["source"])
    same, kind = edges.default("kind")
    if same:
        carries = np.full(m, kind in CARRIES_LEADS)
    else:
        carries = np.fromiter(map(CARRIES_LEADS.__contains__, edges["kind"]), dtype=bool, count=m)
    ours = (src >= 0) & carries
    lead = edges
    if not ours.all():
        mine = np.flatnonzero(ours)
        lead, src = edges.subset(mine.tolist()), src[mine]
    dst = _positions(index, lead["target"])
    conv = lead.numbers("conversion", None)
    outcome = np.zeros(n, dtype=bool)
    for kind in OUTCOME_KINDS:
        outcome[nodes.where("kind", kind)] = True
    doubts = []
    if np.isnan(conv).any():
        doubts.append("a missing conversion")
    if (np.bincount(src, weights=np.nan_to_num(conv), minlength=n) > 1.0 + 1e-9).any():
        doubts.append("rates over 100% at a step")
    if (dst < 0).any():
        doubts.append("an edge leaving its process")
    if outcome[src].any():
        doubts.append("lead edges leaving an outcome")
    inside = dst >= 0
    acyclic: bool | None = None
    if not doubts:  # then every edge is inside and none leaves an outcome: the rows are final
        acyclic = _acyclic_by_order(src, dst)
        if not acyclic and src.size:
            found, acyclic = _loops(src, dst, outcome, n)
            doubts += found
    keep = inside & ~outcome[src]
    if not keep.all():
        src, dst, conv = src[keep], dst[keep], conv[keep]
        rows = np.flatnonzero(keep).tolist()
        lead = lead.subset(rows, [lead.items[k] for k in rows])
    # the graph's order: by source, then by the first appearance of each (source, target) pair
    pair = src * max(n, 1) + dst
    if not (pair[1:] > pair[:-1]).all():
        _, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
        order = np.lexsort((first[inverse], src))
        if (order != np.arange(order.size)).any():
            rows = order.tolist()
            src, dst, conv = src[order], dst[order], conv[order]
            lead = lead.subset(rows, [lead.items[k] for k in rows])
    return Walked(ids, nodes, kinds, list(ids), src, dst, lead, conv, doubts, acyclic)


def _positions(index: dict[str, int], keys: list[str]) -> np.ndarray:
    """Each key's index, -1 for a key not in ``index``: one C call for all of them when every
    key is there (the usual case), else one lookup at a time."""
    if len(keys) > 1:
        try:
            return np.fromiter(itemgetter(*keys)(index), dtype=np.int64, count=len(keys))
        except KeyError:
            pass
    return np.fromiter(map(index.get, keys, repeat(-1)), dtype=np.int64, count=len(keys))


def _walk_nested(
    doc: JourneyMap, process_id: str, nodes: Columns[Node], edges: Columns[Edge]
) -> Walked:
    """:func:`walk` for a process that opens sub-processes: node by node, as the graph is built."""
    nodes_by_process: dict[str, list] = {}
    for node, process in zip(doc.nodes, nodes["process"], strict=True):
        nodes_by_process.setdefault(process, []).append(node)
    out_edges: dict[str, list] = {}
    for edge, kind, source in zip(doc.edges, edges["kind"], edges["source"], strict=True):
        if kind in CARRIES_LEADS:
            out_edges.setdefault(source, []).append(edge)
    processes = {p.id for p in doc.processes}
    ids: list[str] = []
    models: list = []
    kinds: list[str] = []
    index: dict[str, int] = {}
    model_at: dict[str, int] = {}  # model id -> its first graph index
    rows: list[list] = []  # per graph node: [(target index, model edge), ...] in order
    doubts: list[str] = []
    pairs: list[tuple[str, str]] = []  # lead edges between two steps of a process, model ids
    checked: set[str] = set()

    def add(process: str, prefix: str, stack: tuple[str, ...]) -> tuple[list[int], list[int]]:
        members = nodes_by_process.get(process, [])
        expanded: dict[str, tuple[list[int], list[int]]] = {}
        entries, wins = [], []
        for node in members:
            kind = node.kind
            if kind == "subprocess":
                target = node.subprocess
                if target in processes and target not in stack and nodes_by_process.get(target):
                    inner = add(target, prefix + node.id + "/", (*stack, target))
                    if inner[0]:
                        expanded[node.id] = inner
                        continue
            i = len(ids)
            gid = prefix + node.id
            index[gid] = i
            ids.append(gid)
            models.append(node)
            kinds.append(kind)
            rows.append([])
            model_at.setdefault(node.id, i)
            if kind == "entry":
                entries.append(i)
            elif kind == "won":
                wins.append(i)
        for node in members:
            leaving = out_edges.get(node.id)
            if not leaving:
                continue
            if node.id not in checked:
                checked.add(node.id)
                total = 0.0
                for edge in leaving:
                    if edge.conversion is None:
                        doubts.append(f"missing conversion on '{edge.id}'")
                    else:
                        total += edge.conversion
                    pairs.append((node.id, edge.target))
                if total > 1.0 + 1e-9:
                    doubts.append(f"rates out of '{node.id}' over 100%")
                if node.kind in OUTCOME_KINDS:
                    doubts.append(f"lead edges leave the outcome '{node.id}'")
            sources = expanded[node.id][1] if node.id in expanded else (index[prefix + node.id],)
            for edge in leaving:
                if edge.target in expanded:
                    target_index = expanded[edge.target][0][0]
                else:
                    found = index.get(prefix + edge.target)
                    if found is None:
                        doubts.append(f"edge '{edge.id}' leaves its process")
                        continue  # an edge leaving this process: the analysis reports it
                    target_index = found
                for source in sources:
                    if kinds[source] not in ("won", "lost"):  # refused before any run
                        rows[source].append((target_index, edge))
        if prefix:  # inside an expansion, entries and wins only route leads through
            for i in entries + wins:
                kinds[i] = PASS
        return entries, wins

    add(process_id, "", (process_id,))
    if not doubts and pairs:
        doubts += _traps(pairs, model_at, models)
    src: list[int] = []
    dst: list[int] = []
    walked: list = []
    for u, listed in enumerate(rows):
        if len(listed) == 1:
            src.append(u)
            dst.append(listed[0][0])
            walked.append(listed[0][1])
        elif listed:
            grouped: dict[int, list] = {}
            for v, edge in listed:
                grouped.setdefault(v, []).append(edge)
            for v, same in grouped.items():
                src += [u] * len(same)
                dst += [v] * len(same)
                walked += same
    node_columns: Columns[Node] = Columns(models)
    edge_columns: Columns[Edge] = Columns(walked)
    return Walked(
        ids,
        node_columns,
        kinds,
        node_columns["id"],
        np.array(src, dtype=np.int64),
        np.array(dst, dtype=np.int64),
        edge_columns,
        edge_columns.numbers("conversion", None),
        doubts,
        None,
    )


def _acyclic_by_order(src: np.ndarray, dst: np.ndarray) -> bool:
    """True when every edge goes forward in node order (or every one backward): no loop then,
    found without a graph search (a funnel drawn in order, the generated chain)."""
    return bool((src < dst).all()) or bool((src > dst).all())


def acyclic(n: int, src: np.ndarray, dst: np.ndarray) -> bool:
    """True when the edges form no loop (no self-loop, every strong component one node)."""
    if src.size == 0 or _acyclic_by_order(src, dst):
        return True
    if (src == dst).any():
        return False
    graph = csr_matrix((np.ones(src.size), (src, dst)), shape=(n, n))
    count, _ = connected_components(graph, directed=True, connection="strong")
    return bool(count == n)


def _loops(
    rows: np.ndarray, cols: np.ndarray, outcome: np.ndarray, size: int
) -> tuple[list[str], bool]:
    """(Is there a loop no lead edge leaves and no outcome ends, a strongly connected set of steps
    with no edge out, of two or more or with a self-loop, as the analysis finds them?; do the
    edges form no loop at all?)"""
    graph = csr_matrix((np.ones(rows.size), (rows, cols)), shape=(size, size))
    count, labels = connected_components(graph, directed=True, connection="strong")
    leaves = np.zeros(count, dtype=bool)
    leaves[labels[rows[labels[rows] != labels[cols]]]] = True
    members = np.bincount(labels, minlength=count)
    looped = np.zeros(count, dtype=bool)
    looped[labels[rows[rows == cols]]] = True
    ends = np.zeros(count, dtype=bool)
    ends[labels[outcome[:size]]] = True
    trap = ~leaves & ~ends & ((members > 1) | looped)
    no_loop = bool(count == size) and not looped.any()
    return (["a loop leads cannot leave"] if trap.any() else []), no_loop


def _traps(pairs: list[tuple[str, str]], model_at: dict[str, int], models: list) -> list[str]:
    """Loops no lead edge leaves and no outcome ends, by model node (as the analysis finds them:
    a strongly connected set of steps with no edge out, of two or more or with a self-loop)."""
    at = dict(model_at)  # an expanded sub-process node is a step of its own process here
    size = len(models)
    for a, b in pairs:
        for name in (a, b):
            if name not in at:
                at[name] = size
                size += 1
    rows = np.fromiter((at[a] for a, _ in pairs), dtype=np.int64, count=len(pairs))
    cols = np.fromiter((at[b] for _, b in pairs), dtype=np.int64, count=len(pairs))
    outcome = np.zeros(size, dtype=bool)
    outcome[[i for i, node in enumerate(models) if node.kind in OUTCOME_KINDS]] = True
    return _loops(rows, cols, outcome, size)[0]
