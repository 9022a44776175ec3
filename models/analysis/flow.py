"""Where leads go nowhere: dead ends, orphans, unreachable steps, no path to a deal, trap loops."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from models.findings import Finding

from .context import Context, FlowGraph

OUTCOMES = ("won", "lost")


def check(ctx: Context) -> Iterator[Finding]:
    linked, flow_out = ctx.linked, ctx.flow_sources()
    carried = {e.target for edges in flow_out.values() for e in edges}  # steps leads flow into
    conversion = ctx.conversions
    # steps with a way out whose conversion is not 0% (missing counts): the others stall leads
    moving = {e.source for edges in flow_out.values() for e in edges if conversion(e) != 0}
    label, finding, step_finding = ctx.label, ctx.finding, ctx.step_finding
    recycles: dict[str, list] = {}  # process -> the recycle connections leaving its steps
    for edges in flow_out.values():
        for edge in edges:
            if edge.kind == "recycle" and (source := ctx.nodes.get(edge.source)) is not None:
                recycles.setdefault(source.process, []).append(edge)
    for process in ctx.doc.processes:
        pid = process.id
        nodes = ctx.by_process.get(pid, [])
        graph = ctx.flow_graphs[pid]
        entries: list[str] = []
        wins: list[str] = []
        orphans, dead = set(), set()
        pred, succ = graph.pred, graph.succ
        for node in nodes:
            node_id, kind = node.id, node.kind
            if kind == "entry":
                entries.append(node_id)
            elif kind == "won":
                wins.append(node_id)
            if kind == "action" and node_id not in linked:
                orphans.add(node_id)
                yield step_finding(
                    "orphan-activity",
                    f"{label(node_id)} is not connected to anything in '{process.name}'.",
                    pid,
                    node_id,
                    "Connect it to the step it feeds, or remove it if it does not serve the funnel",
                )
                continue
            if kind in OUTCOMES or not (kind == "entry" or pred[node_id]):
                continue  # an outcome, or a step no lead reaches along this process
            if not succ[node_id]:
                dead.add(node_id)
                yield step_finding(
                    "dead-end",
                    f"{label(node_id)} has no next step: its leads go nowhere.",
                    pid,
                    node_id,
                    "Add the step that follows (a follow-up action, nurture or an outcome)",
                )
            elif node_id not in moving:  # it has a way out (above), every one at 0%
                dead.add(node_id)
                yield finding(
                    "dead-end",
                    f"{label(node_id)} passes 0% of its leads on: they stall there.",
                    process=pid,
                    nodes=(node_id,),
                    edges=[e.id for e in flow_out[node_id]],
                    hint="Give its next step a real conversion rate, or follow these leads up",
                )
        yield from _traps(ctx, process, graph)
        can_win = reach(pred, wins)
        yield from _recycles(ctx, process, recycles.get(pid, ()), can_win)
        if not entries:
            yield from _no_entry(ctx, process, nodes)
            continue
        reached = reach(succ, entries)
        for node in nodes:
            node_id = node.id
            if node_id in reached or node_id in orphans:
                continue
            if node.kind == "action" and node_id not in flow_out and node_id not in carried:
                continue  # it only serves buyer steps ('addresses'): no lead needs to reach it
            yield step_finding(
                "unreachable",
                f"{label(node_id)} cannot be reached from any entry of '{process.name}'.",
                pid,
                node_id,
                "Connect an earlier step to it, or remove it",
            )
        if wins:
            for node in nodes:
                node_id = node.id
                if (
                    node_id in reached
                    and node_id not in can_win
                    and node.kind not in OUTCOMES
                    and node_id not in dead
                ):
                    yield step_finding(
                        "no-path-to-won",
                        f"No lead that reaches {label(node_id)} can become a customer.",
                        pid,
                        node_id,
                        "Add the path from here toward a won outcome, or end it in a lost outcome on purpose",
                    )


def blocking(ctx: Context, process_ids) -> Iterator[Finding]:
    """Only what stops a simulation of these processes: trap loops and a missing entry.

    The same findings :func:`check` reports, without the work the simulation does
    not need (reachability, dead ends, orphans), so refusing stays cheap.
    """
    wanted = set(process_ids)
    for process in ctx.doc.processes:
        if process.id not in wanted:
            continue
        nodes = ctx.by_process.get(process.id, [])
        yield from _traps(ctx, process, ctx.flow_graphs[process.id])
        if not any(n.kind == "entry" for n in nodes):
            yield from _no_entry(ctx, process, nodes)


def _no_entry(ctx: Context, process, nodes) -> Iterator[Finding]:
    if nodes and process.kind != "subprocess":
        yield ctx.finding(
            "no-entry",
            f"'{process.name}' has no entry, so no leads flow into it.",
            process=process.id,
            hint="Add an entry (a lead source) with its volume",
        )


def reach(adjacency, sources) -> set:
    """Every node reachable from any of ``sources`` (included) in one pass: O(nodes + edges).

    Pass ``graph.succ`` for descendants, ``graph.pred`` for ancestors. One
    multi-source search instead of one ``nx.descendants`` per entry keeps big
    maps with many lead sources linear.

    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("x", "c")])
    >>> sorted(reach(g.succ, ["a"])), sorted(reach(g.pred, ["c"]))
    (['a', 'b', 'c'], ['a', 'b', 'c', 'x'])
    """
    seen = set(sources)
    stack = list(seen)
    while stack:
        for nxt in adjacency[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def attracting_components(graph: FlowGraph) -> list[set]:
    """The strongly connected components no edge leaves (as ``nx.attracting_components``).

    Computed with scipy's compiled strong-components search, which keeps a
    100,000-node map well inside the time budget.

    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "b"), ("a", "d")])
    >>> sorted(sorted(c) for c in attracting_components(g))
    [['b', 'c'], ['d']]
    """
    if graph.number_of_nodes() == 0:
        return []
    ids = list(graph)
    index = {node: i for i, node in enumerate(ids)}
    heads, tails = [], []
    for u, targets in graph.succ.items():
        i = index[u]
        for v in targets:
            heads.append(i)
            tails.append(index[v])
    src, dst = np.array(heads, dtype=np.int64), np.array(tails, dtype=np.int64)
    matrix = csr_matrix((np.ones(src.size), (src, dst)), shape=(len(ids), len(ids)))
    count, labels = connected_components(matrix, directed=True, connection="strong")
    leaves = np.ones(count, dtype=bool)
    crossing = labels[src] != labels[dst]
    leaves[labels[src[crossing]]] = False
    members: dict[int, set] = {}
    for i in np.flatnonzero(leaves[labels]).tolist():
        members.setdefault(int(labels[i]), set()).add(ids[i])
    return list(members.values())


def _traps(ctx: Context, process, graph: FlowGraph) -> Iterator[Finding]:
    yield from _trap_findings(ctx, process, graph, attracting_components(_held(graph)))


def _held(graph: FlowGraph) -> FlowGraph:
    """The steps from which no path leads to a step with no way out, with their connections.

    Only they can form a loop no edge leaves: a step that can reach a step with no way out is in
    no such loop but that step's own. Their next steps are theirs too, so the loops no edge leaves
    are the same as in the whole graph. Most maps hold none, and the strong-components search
    is left out.
    """
    succ = graph.succ
    drains = reach(graph.pred, [node for node, targets in succ.items() if not targets])
    held = FlowGraph(node for node in succ if node not in drains)
    for node, targets in held.succ.items():
        targets.update(succ[node])
        for target in targets:
            held.pred[target][node] = None
    return held


def _trap_findings(ctx: Context, process, graph: FlowGraph, components) -> Iterator[Finding]:
    for component in components:
        if len(component) == 1:
            (only,) = component
            if not graph.has_edge(only, only):
                continue  # a single node with no way out is a dead end, reported above
        if any(ctx.nodes[n].kind in OUTCOMES for n in component):
            continue
        members = sorted(component)
        edges = sorted(e.id for n in members for e in ctx.flow_out(n) if e.target in component)
        names = ", ".join(ctx.label(n) for n in members[:4]) + (" ..." if len(members) > 4 else "")
        yield ctx.finding(
            "trap-loop",
            f"Leads that enter the loop {names} never leave it.",
            process=process.id,
            nodes=members,
            edges=edges,
            hint="Give the loop an exit: a path to an outcome or a drop-off rule",
        )


def _recycles(ctx: Context, process, recycle_edges, can_win: set) -> Iterator[Finding]:
    for edge in recycle_edges:
        target = ctx.nodes.get(edge.target)
        if target is None or target.process != process.id:
            continue
        if edge.target not in can_win:
            yield ctx.finding(
                "recycle-no-reentry",
                f"Leads recycled from {ctx.label(edge.source)} to {ctx.label(edge.target)} never come back into the funnel.",
                process=process.id,
                nodes=[edge.source, edge.target],
                edges=[edge.id],
                hint="Route the nurture step back to a qualification step",
            )
