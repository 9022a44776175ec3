"""A process as a networkx graph, for analysis and simulation.

Graph nodes carry ``kind`` (the effective kind) and ``node`` (the model
:class:`~models.document.Node`); graph edges carry ``kind``, ``conversion``,
``delay_days`` and ``edge`` (the model :class:`~models.document.Edge`).
Coordinates never enter the graph.

With ``expand=True`` every subprocess node is replaced by the process it opens:
edges into it lead to that process's first entry, and its won outcomes carry on
along the subprocess node's outgoing edges. Those inner entries and won
outcomes get the kind ``"pass"`` (neither a source nor an outcome). Inner node
ids are ``"<subprocess node id>/<inner id>"``. A subprocess that is missing,
empty or opens itself again stays a plain node (the analysis reports it).

>>> from models.document import JourneyMap, Process, Node, Edge
>>> m = JourneyMap(processes=[Process(id="p", name="P")],
...                nodes=[Node(id="a", process="p", kind="entry"), Node(id="b", process="p", kind="won")],
...                edges=[Edge(id="e", source="a", target="b", conversion=0.2)])
>>> g = process_graph(m, "p")
>>> g.edges["a", "b"]["conversion"]
0.2
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .document import JourneyMap
from .vocabulary import CARRIES_LEADS

if TYPE_CHECKING:  # networkx loads when a graph is built: importing PASS must not cost it
    import networkx as nx

PASS = "pass"


def process_graph(
    doc: JourneyMap,
    process_id: str,
    *,
    expand: bool = True,
    include_addresses: bool = False,
) -> nx.DiGraph:
    """The nodes and edges of one process as a ``networkx.DiGraph``.

    Parallel edges between the same two nodes are merged by adding their
    conversions (the simulation treats them as one route); the ``edges``
    attribute keeps every model edge behind a graph edge.
    """
    import networkx as nx

    graph = nx.DiGraph(process=process_id)
    nodes_by_process: dict[str, list] = {}
    for node in doc.nodes:
        nodes_by_process.setdefault(node.process, []).append(node)
    out_edges: dict[str, list] = {}
    for edge in doc.edges:
        out_edges.setdefault(edge.source, []).append(edge)
    processes = {p.id for p in doc.processes}
    _add_process(
        graph,
        doc,
        process_id,
        "",
        (process_id,),
        expand,
        include_addresses,
        nodes_by_process,
        out_edges,
        processes,
    )
    return graph


def _add_process(
    graph,
    doc,
    process_id,
    prefix,
    stack,
    expand,
    include_addresses,
    nodes_by_process,
    out_edges,
    processes,
) -> tuple[list[str], list[str]]:
    """Add one process under ``prefix``; return its (entry ids, won ids) in the graph."""
    nodes = nodes_by_process.get(process_id, [])
    expanded: dict[str, tuple[list[str], list[str]]] = {}
    entries, wins = [], []
    for node in nodes:
        gid = prefix + node.id
        target = node.subprocess
        if (
            expand
            and node.kind == "subprocess"
            and target in processes
            and target not in stack
            and nodes_by_process.get(target)
        ):
            inner = _add_process(
                graph,
                doc,
                target,
                gid + "/",
                (*stack, target),
                expand,
                include_addresses,
                nodes_by_process,
                out_edges,
                processes,
            )
            if inner[0]:
                expanded[node.id] = inner
                continue
        graph.add_node(gid, kind=node.kind, node=node, origin=node.id, process=process_id)
        if node.kind == "entry":
            entries.append(gid)
        elif node.kind == "won":
            wins.append(gid)
    for node in nodes:
        for edge in out_edges.get(node.id, []):
            if edge.kind == "addresses" and not include_addresses:
                continue
            sources = expanded[node.id][1] if node.id in expanded else [prefix + node.id]
            target = (
                expanded[edge.target][0][0] if edge.target in expanded else prefix + edge.target
            )
            for source in sources:
                if source not in graph or target not in graph:
                    continue  # an edge leaving this process: the analysis reports it
                _add_edge(graph, source, target, edge)
    if prefix:  # inside an expansion, entries and wins only route leads through
        for gid in entries + wins:
            graph.nodes[gid]["kind"] = PASS
    return entries, wins


def _add_edge(graph, source, target, edge) -> None:
    if graph.has_edge(source, target):
        data = graph.edges[source, target]
        data["edges"].append(edge)
        if edge.conversion is not None:
            data["conversion"] = (data["conversion"] or 0.0) + edge.conversion
        return
    graph.add_edge(
        source,
        target,
        kind=edge.kind,
        conversion=edge.conversion,
        delay_days=edge.delay_days,
        edge=edge,
        edges=[edge],
    )


def flow_view(graph: nx.DiGraph) -> nx.DiGraph:
    """The edges that carry leads (flow and recycle), as a read-only view."""
    import networkx as nx

    return nx.subgraph_view(
        graph, filter_edge=lambda u, v: graph.edges[u, v]["kind"] in CARRIES_LEADS
    )
