"""What every check needs, computed once per analysis: indexes and one flow graph per process."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from operator import attrgetter

from models.document import Criteria, Edge, JourneyMap, Node
from models.findings import CATALOGUE, Finding, make_finding
from models.qualification import pass_rate, split
from models.vocabulary import CARRIES_LEADS

Handoff = tuple[str, str, list[str], list[str]]
"""(from node, to node, nodes on the way, edges on the way): see :mod:`models.analysis.handoffs`."""


class FlowGraph:
    """One process's steps and the connections that carry leads between them (flow, recycle).

    The part of ``networkx.DiGraph`` the checks use (``succ``, ``pred``, iteration, ``edges``,
    ``has_edge``), kept as plain dictionaries: building a networkx graph cost more than every
    check that reads it on a 2,000-step map.

    >>> g = FlowGraph(["a", "b", "c"])
    >>> g.add_edge("a", "b"); g.add_edge("b", "c"); g.add_edge("a", "b")
    >>> list(g.succ["a"]), list(g.pred["c"]), g.edges, g.has_edge("b", "a")
    (['b'], ['b'], [('a', 'b'), ('b', 'c')], False)
    """

    __slots__ = ("succ", "pred")

    def __init__(self, nodes: Iterable[str]) -> None:
        self.succ: dict[str, dict[str, None]] = {n: {} for n in nodes}
        self.pred: dict[str, dict[str, None]] = {n: {} for n in self.succ}

    def add_edge(self, source: str, target: str) -> None:
        self.succ[source][target] = None
        self.pred[target][source] = None

    def __iter__(self) -> Iterator[str]:
        return iter(self.succ)

    def __contains__(self, node: object) -> bool:
        return node in self.succ

    def __len__(self) -> int:
        return len(self.succ)

    def number_of_nodes(self) -> int:
        return len(self.succ)

    @property
    def edges(self) -> list[tuple[str, str]]:
        return [(u, v) for u, targets in self.succ.items() for v in targets]

    def has_edge(self, source: str, target: str) -> bool:
        return target in self.succ.get(source, ())


class Context:
    def __init__(self, doc: JourneyMap) -> None:
        self.doc = doc
        self.nodes: dict[str, Node] = {n.id: n for n in doc.nodes}
        self.teams = {t.id: t for t in doc.teams}
        self.stages = {s.id: s for s in doc.stages}
        self.criteria = {c.id: c for c in doc.criteria}
        self.roles = {r.id: r for r in doc.roles}
        self.processes = {p.id: p for p in doc.processes}
        self.by_process: dict[str, list[Node]] = {p.id: [] for p in doc.processes}
        by_process = self.by_process
        for node in doc.nodes:
            members = by_process.get(node.process)
            if members is None:
                by_process[node.process] = [node]
            else:
                members.append(node)
        self._flow_out: dict[str, list] = {}
        self.label: Callable[[str], str] = _Labels(self.nodes).__getitem__
        """A step's label in quotes (its id when it has none), as messages name it: a dictionary
        lookup once known (messages name some 7,000 steps on a 2,000-step map)."""
        self.handoffs: list[Handoff] | None = None  # found once, asked by several checks
        self.arrivals: dict[str, float] | None = None  # leads per period: see volumes.py
        edges = doc.edges
        flow_out = self._flow_out
        self._flow_kinds: set[str] = set()  # the kinds of the connections that carry leads
        for edge in edges:
            if edge.kind in CARRIES_LEADS:
                self._flow_kinds.add(edge.kind)
                source = edge.source
                if source in flow_out:
                    flow_out[source].append(edge)
                else:
                    flow_out[source] = [edge]
        # the steps a connection ties into their process: a message to another process does
        # not (an action whose only connection is a message is still off the funnel)
        self.linked: set[str] = {e.source for e in edges if e.kind != "message"}
        self.linked.update([e.target for e in edges if e.kind != "message"])

    @cached_property
    def out_edges(self) -> dict[str, list]:
        """Every node's outgoing connections, of every kind."""
        found: dict[str, list] = {}
        for edge in self.doc.edges:
            found.setdefault(edge.source, []).append(edge)
        return found

    @cached_property
    def in_edges(self) -> dict[str, list]:
        """Every node's incoming connections, of every kind."""
        found: dict[str, list] = {}
        for edge in self.doc.edges:
            found.setdefault(edge.target, []).append(edge)
        return found

    def flow_sources(self) -> dict[str, list]:
        """Every node that sends leads on, with the edges that carry them (flow, recycle)."""
        return self._flow_out

    @cached_property
    def _flow_only(self) -> dict[str, list]:
        if self._flow_kinds <= {"flow"}:
            return self._flow_out  # no recycle connection: the same lists
        return {
            source: flows
            for source, edges in self._flow_out.items()
            if (flows := [e for e in edges if e.kind == "flow"])
        }

    def flow_only(self) -> dict[str, list]:
        """Every node that sends leads on along ``flow`` connections (not recycle), with them."""
        return self._flow_only

    def flow_out(self, node_id: str) -> list:
        """The edges that carry leads out of a node (flow, recycle); indexed once, asked often."""
        return self._flow_out.get(node_id, [])

    @cached_property
    def rated(self) -> dict[str, float]:
        """Edge id -> the conversion qualification criteria give an edge left without one (a
        step applying criteria whose every question has its share), as the simulation fills it
        in: :func:`models.qualification.criteria_rates`, with each criteria set's pass rate
        remembered across analyses (the analysis runs on every edit; a pass rate can take
        seconds for many questions with unrelated fractional points)."""
        rates = {c.id: _pass_rate(c) for c in self.doc.criteria}
        if not any(r is not None for r in rates.values()):
            return {}
        found: dict[str, float] = {}
        for node in self.doc.nodes:
            rate = rates.get(node.criteria) if node.criteria else None
            if rate is not None:
                found.update(split(node, self._flow_out.get(node.id, []), self.nodes, rate))
        return found

    def conversion(self, edge: Edge) -> float | None:
        """An edge's conversion as the simulation reads it: its own, else the criteria's."""
        if edge.conversion is not None:
            return edge.conversion
        return self.rated.get(edge.id) if self.rated else None

    @cached_property
    def conversions(self) -> Callable[[Edge], float | None]:
        """:meth:`conversion`, or reading the edge's own field (a C-level getter) when no
        criteria fill any: what the checks that read every edge call. It holds the rates, not
        the context (a bound method kept here would be a reference cycle)."""
        rated = self.rated
        if not rated:
            return _OWN_CONVERSION

        def conversion(edge: Edge) -> float | None:
            own = edge.conversion
            return own if own is not None else rated.get(edge.id)

        return conversion

    def flow_in(self, node_id: str) -> list:
        return [e for e in self.in_edges.get(node_id, ()) if e.kind in CARRIES_LEADS]

    @cached_property
    def flow_graphs(self) -> dict[str, FlowGraph]:
        """Per process: nodes and the edges that carry leads (flow, recycle), within the process."""
        graphs = {pid: FlowGraph(n.id for n in nodes) for pid, nodes in self.by_process.items()}
        nodes = self.nodes
        for source_id, edges in self._flow_out.items():
            source = nodes.get(source_id)
            if source is None:
                continue
            graph = graphs[source.process]
            succ, pred = graph.succ[source_id], graph.pred
            for edge in edges:
                target = edge.target
                if target in pred:  # a step of the same process
                    succ[target] = None
                    pred[target][source_id] = None
        return graphs

    def step_finding(
        self, code: str, message: str, process: str | None, node_id: str, hint: str
    ) -> Finding:
        """:meth:`finding` about one step and nothing else, as most findings are: a cheaper call."""
        finding = _new(Finding)  # as make_finding does, one call less
        fields = finding.__dict__
        fields["code"] = code
        fields["severity"] = _SEVERITY[code]
        fields["message"] = message
        fields["process"] = process
        fields["nodes"] = (node_id,)
        fields["edges"] = ()
        fields["hint"] = hint
        fields["items"] = ()
        return finding

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
        items: Iterable[tuple[str, str]] = (),
    ) -> Finding:
        return make_finding(
            code,
            severity or _SEVERITY[code],
            message,
            process,
            nodes if type(nodes) is tuple else tuple(nodes),
            edges if type(edges) is tuple else tuple(edges),
            hint,
            items if type(items) is tuple else tuple(items),
        )


class _Labels(dict[str, str]):
    """Step id -> its label in quotes, filled in as messages ask (see :attr:`Context.label`).

    >>> labels = _Labels({"a": Node(id="a", process="p", label="Call")})
    >>> labels["a"], labels["gone"]
    ("'Call'", "'gone'")
    """

    __slots__ = ("nodes",)

    def __init__(self, nodes: dict[str, Node]) -> None:
        super().__init__()
        self.nodes = nodes

    def __missing__(self, node_id: str) -> str:
        node = self.nodes.get(node_id)
        text = self[node_id] = f"'{(node.label if node else '') or node_id}'"
        return text


_SEVERITY = {code: rule.severity for code, rule in CATALOGUE.items()}

_OWN_CONVERSION = attrgetter("conversion")
_new = object.__new__
_PASS_RATES: dict[tuple, float | None] = {}
_REMEMBERED = 256  # criteria sets whose pass rate is kept (a map has a handful)


def _pass_rate(criteria: Criteria) -> float | None:
    """:func:`models.qualification.pass_rate`, remembered by what it depends on (questions'
    points and shares, thresholds): an edit elsewhere in the map does not compute it again."""
    questions = criteria.questions
    if not questions or any(q.share is None for q in questions):
        return None  # nothing to compute from: as pass_rate says, at once
    key = (
        tuple((q.points, q.share) for q in questions),
        criteria.threshold_score,
        criteria.threshold_answers,
    )
    if key in _PASS_RATES:
        return _PASS_RATES[key]
    rate = pass_rate(criteria)
    if len(_PASS_RATES) >= _REMEMBERED:
        _PASS_RATES.clear()
    _PASS_RATES[key] = rate  # one dictionary store: safe from the editor's worker thread
    return rate
