"""What every check needs, computed once per analysis: indexes and one flow graph per process."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import networkx as nx

from models.document import JourneyMap, Node
from models.findings import CATALOGUE, Finding
from models.graph import CARRIES_LEADS

Handoff = tuple[str, str, list[str], list[str]]
"""(from node, to node, nodes on the way, edges on the way): see :mod:`models.analysis.handoffs`."""


class Context:
    def __init__(self, doc: JourneyMap) -> None:
        self.doc = doc
        self.nodes: dict[str, Node] = {n.id: n for n in doc.nodes}
        self.teams = {t.id: t for t in doc.teams}
        self.by_process: dict[str, list[Node]] = {p.id: [] for p in doc.processes}
        for node in doc.nodes:
            self.by_process.setdefault(node.process, []).append(node)
        self.out_edges: dict[str, list] = {}
        self.in_edges: dict[str, list] = {}
        self._flow_out: dict[str, list] = {}
        self.handoffs: list[Handoff] | None = None  # found once, asked by two checks
        for edge in doc.edges:
            self.out_edges.setdefault(edge.source, []).append(edge)
            self.in_edges.setdefault(edge.target, []).append(edge)
            if edge.kind in CARRIES_LEADS:
                self._flow_out.setdefault(edge.source, []).append(edge)

    def flow_sources(self) -> dict[str, list]:
        """Every node that sends leads on, with the edges that carry them (flow, recycle)."""
        return self._flow_out

    def flow_out(self, node_id: str) -> list:
        """The edges that carry leads out of a node (flow, recycle); indexed once, asked often."""
        return self._flow_out.get(node_id, [])

    def flow_in(self, node_id: str) -> list:
        return [e for e in self.in_edges.get(node_id, ()) if e.kind in CARRIES_LEADS]

    def label(self, node_id: str) -> str:
        node = self.nodes.get(node_id)
        text = (node.label if node else "") or node_id
        return f"'{text}'"

    @cached_property
    def flow_graphs(self) -> dict[str, nx.DiGraph]:
        """Per process: nodes and the edges that carry leads (flow, recycle), within the process."""
        graphs = {}
        pairs: dict[str, list[tuple[str, str]]] = {}
        for edge in self.doc.edges:
            source, target = self.nodes.get(edge.source), self.nodes.get(edge.target)
            if (
                edge.kind in CARRIES_LEADS
                and source
                and target
                and source.process == target.process
            ):
                pairs.setdefault(source.process, []).append((edge.source, edge.target))
        for process_id, nodes in self.by_process.items():
            graph = nx.DiGraph()
            graph.add_nodes_from(n.id for n in nodes)
            graph.add_edges_from(pairs.get(process_id, ()))
            graphs[process_id] = graph
        return graphs

    def finding(
        self,
        code: str,
        message: str,
        *,
        process: str | None = None,
        nodes: Iterable[str] = (),
        edges: Iterable[str] = (),
        hint: str = "",
        severity: str | None = None,
    ) -> Finding:
        return Finding(
            code,
            severity or CATALOGUE[code].severity,
            message,
            process,
            tuple(nodes),
            tuple(edges),
            hint,
        )
