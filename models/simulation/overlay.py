"""The expected flow as the diagram shows it: leads in and dropped per step, flow per edge.

A :class:`FlowOverlay` is derived from one :class:`~models.simulation.flow_result.FlowResult`
and kept per process, with each process's own ids: the flow names nodes and edges inside
sub-processes by path ("sub-step/t2"), the overlay gives each its plain id and sums a node
reached along several paths. It also carries the conversion rates a scenario changed, so
the canvas labels those edges with the scenario's rate while it shows that scenario's flow.

>>> from models.document import Edge, JourneyMap, Node, Process
>>> from models.simulation import expected_flow
>>> doc = JourneyMap(processes=[Process(id="p", name="Funnel")],
...     nodes=[Node(id="in", process="p", kind="entry", volume=100),
...            Node(id="won", process="p", kind="won")],
...     edges=[Edge(id="e", source="in", target="won", conversion=0.25)])
>>> overlay = flow_overlay(doc, expected_flow(doc))
>>> overlay.for_process("p").nodes["in"]
StepFlow(arrivals=100.0, dropoff=75.0)
>>> overlay.for_process("p").edges["e"]
25.0
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.document import JourneyMap

from .flow_result import FlowResult

__all__ = ["FlowOverlay", "ProcessFlow", "StepFlow", "flow_overlay"]


@dataclass(frozen=True)
class StepFlow:
    """Leads per period reaching a step, and those leaving the funnel there."""

    arrivals: float
    dropoff: float


@dataclass
class ProcessFlow:
    """What the canvas paints over one process."""

    nodes: dict[str, StepFlow] = field(default_factory=dict)
    edges: dict[str, float] = field(default_factory=dict)
    """Leads per period along each edge."""
    conversions: dict[str, float | None] = field(default_factory=dict)
    """The edge conversions the scenario shown changed (the map's apply to the others)."""
    bottleneck: str | None = None
    """The step outlined as the bottleneck, if it is in this process."""

    def busiest_edge(self) -> float:
        """The largest flow along one edge (at least 1), which edge widths are scaled to."""
        return max([abs(v) for v in self.edges.values()] + [1.0])


@dataclass(frozen=True)
class FlowOverlay:
    """The expected flow of one simulation, by process, and which scenario it is for."""

    scenario: str | None
    """The scenario's name; None for the baseline."""
    processes: dict[str, ProcessFlow]

    @property
    def title(self) -> str:
        """What a caption calls it: "Baseline" or the scenario's name."""
        return self.scenario or "Baseline"

    def for_process(self, process_id: str) -> ProcessFlow | None:
        return self.processes.get(process_id)


def flow_overlay(
    doc: JourneyMap,
    expected: FlowResult,
    conversions: dict[str, float | None] | None = None,
) -> FlowOverlay:
    """The overlay of ``expected`` on every process of ``doc``.

    A sub-process step, which the flow replaces by its inside, shows the leads its
    incoming edges bring and, as drop-off, those its outgoing edges do not carry on.
    ``conversions`` are the edge conversions a scenario changed.
    """
    by_process: dict[str, ProcessFlow] = {}
    process_of = {n.id: n.process for n in doc.nodes}
    sums: dict[str, dict[str, list[float]]] = {}
    for gid, values in expected.nodes.items():
        node_id = gid.rsplit("/", 1)[-1]
        process = process_of.get(node_id)
        if process is None:
            continue
        shown = sums.setdefault(process, {}).setdefault(node_id, [0.0, 0.0])
        shown[0] += values.arrivals
        shown[1] += values.dropoff
    for process, steps in sums.items():
        entry = by_process.setdefault(process, ProcessFlow())
        entry.nodes.update({n: StepFlow(a, d) for n, (a, d) in steps.items()})
    source_of = {e.id: e.source for e in doc.edges}
    for key, flow in expected.edges.items():
        edge_id = key.rsplit("/", 1)[-1]
        process = process_of.get(source_of.get(edge_id, ""))
        if process is None:
            continue
        entry = by_process.setdefault(process, ProcessFlow())
        entry.edges[edge_id] = entry.edges.get(edge_id, 0.0) + flow
    _subprocess_steps(doc, by_process)
    for edge_id, conversion in (conversions or {}).items():
        process = process_of.get(source_of.get(edge_id, ""))
        if process is not None:
            by_process.setdefault(process, ProcessFlow()).conversions[edge_id] = conversion
    node = expected.bottleneck.node if expected.bottleneck else None
    if node:
        node_id = node.rsplit("/", 1)[-1]
        process = process_of.get(node_id)
        if process in by_process:
            by_process[process].bottleneck = node_id
    return FlowOverlay(expected.scenario, by_process)


def _subprocess_steps(doc: JourneyMap, by_process: dict[str, ProcessFlow]) -> None:
    for node in doc.nodes:
        entry = by_process.get(node.process)
        if node.kind != "subprocess" or entry is None or node.id in entry.nodes:
            continue
        flows = entry.edges
        arrivals = sum(flows.get(e.id, 0.0) for e in doc.edges if e.target == node.id)
        onward = sum(flows.get(e.id, 0.0) for e in doc.edges if e.source == node.id)
        if arrivals or onward:
            entry.nodes[node.id] = StepFlow(arrivals, max(arrivals - onward, 0.0))
