"""One press of the editor's Run, headless: the request, the computation and its plain-data outcome.

The simulation panel runs :func:`run_simulation` in a worker thread and only draws the
:class:`Outcome`; tests and scripts can call it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from models.document import JourneyMap

from .compare import compare
from .errors import SimulationCancelled
from .montecarlo import monte_carlo
from .prepare import apply_scenario, default_process
from .sensitivity import sensitivity

__all__ = ["Outcome", "Request", "SimulationCancelled", "flow_overlay", "run_simulation"]


@dataclass
class Request:
    """What to run: a process (None: the map's funnel), a scenario (None: the baseline), and Monte
    Carlo settings (``runs`` = 0 skips it)."""

    process: str | None
    scenario: str | None
    periods: int
    runs: int
    seed: int


@dataclass
class Outcome:
    """What one press of Run produced (plain data, drawn by the panel)."""

    request: Request
    currency: str
    period: str
    expected: dict
    comparison: list[dict] = field(default_factory=list)  # one row per scenario, baseline first
    levers: list[dict] = field(default_factory=list)
    monte_carlo: dict | None = None
    overlay: dict = field(default_factory=dict)  # process id -> overlay for that tab


def run_simulation(
    doc: JourneyMap,
    request: Request,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Outcome:
    """The whole computation behind the editor's Run: every scenario solved once, the levers,
    the flow overlay and, when ``request.runs`` > 0, the Monte Carlo runs.

    Raises :class:`SimulationCancelled` as soon as ``cancelled()`` says so, and the
    simulation's own errors when the map cannot be simulated.
    """
    process = request.process or default_process(doc)
    comparison = compare(
        doc, process
    )  # the baseline and every scenario, each solved once (refusals too)
    expected = next(c.result for c in comparison.columns if c.scenario == request.scenario)
    outcome = Outcome(request, expected.currency, expected.period, expected.to_dict())
    outcome.comparison = comparison.to_dict()["columns"]
    if cancelled():
        raise SimulationCancelled("The simulation was cancelled.")
    outcome.levers = [lever.to_dict() for lever in sensitivity(doc, process, request.scenario)]
    applied = apply_scenario(doc, request.scenario)
    baseline = {e.id: e.conversion for e in doc.edges}
    changed = {e.id: e.conversion for e in applied.edges if e.conversion != baseline.get(e.id)}
    outcome.overlay = flow_overlay(doc, outcome.expected, changed)
    if request.runs > 0:
        result = monte_carlo(
            doc,
            process,
            request.scenario,
            periods=request.periods,
            runs=request.runs,
            seed=request.seed,
            progress=progress,
            cancel=cancelled,
        )
        if cancelled() or result.cancelled:
            raise SimulationCancelled("The simulation was cancelled.")
        outcome.monte_carlo = result.to_dict()
    return outcome


def flow_overlay(
    doc: JourneyMap, expected: dict, conversions: dict[str, float | None] | None = None
) -> dict:
    """What the canvas paints over each process: arrivals and drop-off by node id, flow by edge id
    and the bottleneck node, from an expected flow as a dict (``FlowResult.to_dict()``).

    The flow names nodes and edges inside sub-processes by path ("sub-step/t2"); the overlay
    gives each its own process's plain id, summing a node reached along several paths. A
    sub-process step, which the flow replaces by its inside, shows the leads its incoming
    edges bring and, as drop-off, those its outgoing edges do not carry on.
    ``conversions`` are the edge conversions a scenario changed: the canvas labels those
    edges with the scenario's rate while it shows that scenario's flow.
    """
    by_process: dict[str, dict] = {}
    process_of = {n.id: n.process for n in doc.nodes}
    for gid, values in expected.get("nodes", {}).items():
        node_id = gid.rsplit("/", 1)[-1]
        process = process_of.get(node_id)
        if process is None:
            continue
        entry = by_process.setdefault(process, {"nodes": {}, "edges": {}, "bottleneck": None})
        shown = entry["nodes"].setdefault(node_id, {"arrivals": 0.0, "dropoff": 0.0})
        shown["arrivals"] += values.get("arrivals", 0.0)
        shown["dropoff"] += values.get("dropoff", 0.0)
    source_of = {e.id: e.source for e in doc.edges}
    for key, flow in expected.get("edges", {}).items():
        edge_id = key.rsplit("/", 1)[-1]
        process = process_of.get(source_of.get(edge_id, ""))
        if process is None:
            continue
        entry = by_process.setdefault(process, {"nodes": {}, "edges": {}, "bottleneck": None})
        entry["edges"][edge_id] = entry["edges"].get(edge_id, 0.0) + flow
    _subprocess_steps(doc, by_process)
    source_process = {e.id: process_of.get(e.source) for e in doc.edges}
    for edge_id, conversion in (conversions or {}).items():
        process = source_process.get(edge_id)
        if process is not None:
            entry = by_process.setdefault(process, {"nodes": {}, "edges": {}, "bottleneck": None})
            entry.setdefault("conversions", {})[edge_id] = conversion
    bottleneck = expected.get("bottleneck") or {}
    node = bottleneck.get("node") if isinstance(bottleneck, dict) else None
    if node:
        node_id = node.rsplit("/", 1)[-1]
        if process_of.get(node_id) in by_process:
            by_process[process_of[node_id]]["bottleneck"] = node_id
    return by_process


def _subprocess_steps(doc: JourneyMap, by_process: dict) -> None:
    for node in doc.nodes:
        entry = by_process.get(node.process)
        if node.kind != "subprocess" or entry is None or node.id in entry["nodes"]:
            continue
        flows = entry["edges"]
        arrivals = sum(flows.get(e.id, 0.0) for e in doc.edges if e.target == node.id)
        onward = sum(flows.get(e.id, 0.0) for e in doc.edges if e.source == node.id)
        if arrivals or onward:
            entry["nodes"][node.id] = {"arrivals": arrivals, "dropoff": max(arrivals - onward, 0.0)}
