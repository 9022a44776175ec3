"""The exact expected flow of a process per period, and where it is held back.

>>> from models.templates import load_template
>>> doc = load_template("plugged-funnel")
>>> round(expected_flow(doc).won, 2), round(expected_flow(doc, scenario="fix").won, 2)
(2.0, 6.06)

A map is prepared here (the scenario applied, the process checked and compiled), its flow
solved and assembled by :func:`models.simulation.flow.flow_of`, and what the teams' capacity
costs (:func:`capacity_view`) and what a buying-group role clears for a funnel's gates
(:func:`clearing_of`) added to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from models.committee import GateIndex
from models.document import JourneyMap, Scenario
from models.gcpause import paused_gc
from models.qualification import with_criteria_rates

from . import linear
from .columns import Columns
from .errors import SimulationError
from .flow import flow_of
from .flow_result import FlowResult
from .gate_results import Clearing, RoleClearance, RoleGate
from .gates import clearing as role_clearing
from .gates import compile_process, role_chain
from .network import Network, compile_network
from .prepare import apply_scenario, check_runnable, resolve_process, resolve_scenario
from .results import CapacityView, LimitCost


@dataclass(frozen=True)
class Prepared:
    """A map ready to run: the scenario applied, the process checked and compiled."""

    doc: JourneyMap
    process: str
    scenario: Scenario | None
    net: Network


def prepare(
    doc: JourneyMap, process_id: str | None = None, scenario: str | Scenario | None = None
) -> Prepared:
    """Resolve the process and scenario, refuse what cannot run, compile the process.

    Edges left without a conversion out of a step that applies qualification criteria take the
    criteria's pass rate (:mod:`models.qualification`). The process is compiled first, reading
    the map's lists once; when compiling saw nothing a
    run refuses (``Network.clean``: every rate set, none over 100 % at a step, no loop without
    an exit, no edge out of an outcome, an entry with a volume) and no committee gate is
    drawn, the blocking analysis would find nothing and is skipped. Otherwise
    :func:`check_runnable` runs it and refuses with its findings, word for word.
    """
    chosen = resolve_scenario(doc, scenario)
    nodes = Columns(doc.nodes)  # this run's reading of the map's lists, shared by its steps
    process_id = resolve_process(doc, process_id, nodes)
    applied = with_criteria_rates(apply_scenario(doc, chosen))
    if applied.nodes is not doc.nodes:
        nodes = Columns(applied.nodes)
    if any(nodes["gate"]):
        check_runnable(applied, process_id)
        return Prepared(applied, process_id, chosen, compile_process(applied, process_id))
    net = compile_network(applied, process_id, nodes=nodes)  # no gate: compile_process's net
    if not net.clean:
        check_runnable(applied, process_id)
    return Prepared(applied, process_id, chosen, net)


def expected_flow(
    doc: JourneyMap,
    process_id: str | None = None,
    scenario: str | Scenario | None = None,
    *,
    capacity_limited: bool = False,
) -> FlowResult:
    """Expected leads, deals, revenue and cost per period through one process.

    Sub-processes are expanded; recycle loops are solved exactly (see
    :mod:`models.simulation.linear`). Capacity is not a limit here: team
    loads are compared with capacities and the most over-loaded team is the
    bottleneck. With ``capacity_limited=True`` each team works at most its
    capacity and the rest of its leads drop off (the approximation of
    :mod:`models.simulation.capacity`, also used by the sensitivity).

    Raises :class:`~models.simulation.SimulationError` for an unknown process
    or scenario, or a map the simulation refuses (with the blocking findings).
    """
    with paused_gc():  # many objects, no cycles: a collection would only walk the map
        ready = prepare(doc, process_id, scenario)
        result = flow_of(
            ready.net,
            scenario=ready.scenario.name if ready.scenario else None,
            capacity_limited=capacity_limited,
        )
        if not capacity_limited:
            view = capacity_view(ready.net, result)
            if view is not None:
                result = replace(result, capacity=view)
    if ready.doc.process(ready.process).kind == "buyer" and any(n.gate for n in ready.doc.nodes):
        found = clearing_of(ready.doc, ready.process, result)
        if found is not None:
            result = replace(result, clearing=found)
    return result


def capacity_view(net: Network, unlimited: FlowResult) -> CapacityView | None:
    """The flow with the teams' capacity beside ``unlimited`` (the flow without limits), and
    which limits cost it: lifted one at a time, greedily (a team: its capacity and its cadence
    hours; a step: its own capacity), each time the one that recovers most given those already
    lifted, so the recoveries add up to the revenue at risk. None when nothing limits the flow
    (no capacity, no timed cadence)."""
    resources = net.resources
    capacities = np.array([r.capacity for r in resources], dtype=float)
    cadence = net.cadence
    paced = set(cadence.team[cadence.nodes].tolist()) if cadence is not None else set()
    hours = cadence.hours.copy() if cadence is not None else None
    candidates = [
        k
        for k in range(len(resources))
        if np.isfinite(capacities[k]) or (k < len(net.teams) and k in paced)
    ]
    if not candidates:
        return None

    def solve_with(caps: np.ndarray, more: np.ndarray | None) -> FlowResult:
        return flow_of(net, capacities=caps, capacity_limited=True, details=False, hours=more)

    def lifted(k: int, caps: np.ndarray, more: np.ndarray | None):
        caps = caps.copy()
        caps[k] = np.inf
        if more is not None and k < len(net.teams) and k in paced:
            more = more.copy()
            more[k] = np.inf
        return caps, more

    limited = solve_with(capacities, hours)
    current, caps, more = limited, capacities, hours
    remaining = list(candidates)
    limits: list[LimitCost] = []
    while remaining:
        tried = [(k, *lifted(k, caps, more)) for k in remaining]
        flows = [(k, c, m, solve_with(c, m)) for k, c, m in tried]
        k, c, m, best = max(flows, key=lambda f: (f[3].revenue, f[3].won, -f[0]))
        if best.revenue - current.revenue <= 1e-12 * max(1.0, abs(unlimited.revenue)):
            if unlimited.revenue - current.revenue <= 1e-12 * max(1.0, abs(unlimited.revenue)):
                break  # nothing left at risk
        resource = resources[k]
        limits.append(
            LimitCost(
                "team" if resource.kind == "team" else "step",
                resource.id,
                resource.name,
                best.won - current.won,
                best.revenue - current.revenue,
            )
        )
        current, caps, more = best, c, m
        remaining.remove(k)
    return CapacityView(
        limited.won,
        limited.revenue,
        limited.cost,
        limited.days_to_close,
        unlimited.won - limited.won,
        unlimited.revenue - limited.revenue,
        limits,
    )


def clearing_of(doc: JourneyMap, process_id: str, flow: FlowResult) -> Clearing | None:
    """What a role's process (``process_id``, already simulated alone as ``flow``) clears for
    the funnel gates that read it; None when no counted gate reads it."""
    index = GateIndex(doc)
    uses = index.requiring(process_id)
    if not uses:
        return None
    process = doc.process(process_id)
    funnels: dict[str, FlowResult | None] = {}
    gates = []
    for node, clearance in uses:
        chain = role_chain(doc, clearance, index)
        probability, days = role_clearing(chain)
        reached = (
            linear.first_arrivals(chain.net, np.array([chain.target])) if chain.target >= 0 else 0.0
        )
        if node.process not in funnels:
            try:
                funnels[node.process] = flow_of(prepare(doc, node.process).net)
            except SimulationError:
                funnels[node.process] = None
        funnel = funnels[node.process]
        gate = next((g for g in funnel.gates if g.node == node.id), None) if funnel else None
        lost = None
        if gate is not None:
            lost = next((r.deals_lost for r in gate.roles if r.step == clearance.step), None)
        gates.append(
            RoleGate(
                node.id,
                node.label or node.id,
                node.process,
                doc.process(node.process).name,
                RoleClearance(
                    clearance.role,
                    index.role_name(clearance.role),
                    process_id,
                    process.name,
                    clearance.step,
                    index.step_label(clearance.step),
                    probability,
                    days,
                    lost,
                ),
                reached,
                gate.arrivals if gate else None,
                gate.pass_rate if gate else None,
            )
        )
    role = process.role or uses[0][1].role
    return Clearing(role, index.role_name(role), gates)
