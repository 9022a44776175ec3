"""The exact expected flow of a process per period, and where it is held back.

>>> from models.templates import load_template
>>> doc = load_template("plugged-funnel")
>>> round(expected_flow(doc).won, 2), round(expected_flow(doc, scenario="fix").won, 2)
(2.0, 6.06)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from models.committee import GateIndex
from models.document import JourneyMap, Scenario
from models.gcpause import paused_gc
from models.qualification import with_criteria_rates

from . import linear, mc_plan
from .arraymap import ArrayMap
from .capacity import multipliers
from .columns import Columns
from .errors import SimulationError
from .gates import clearing as role_clearing
from .gates import compile_process, pass_rate, role_chain
from .network import GATE, Network, compile_network
from .prepare import apply_scenario, check_runnable, resolve_process, resolve_scenario
from .results import (
    Bottleneck,
    CapacityView,
    Clearing,
    FlowResult,
    GateFlow,
    LimitCost,
    NodeFlows,
    RoleClearance,
    RoleGate,
    StageCount,
    TeamLoad,
)

OVERLOADED = 1.0 + 1e-9


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


def flow_of(
    net: Network,
    *,
    conv: np.ndarray | None = None,
    volume: np.ndarray | None = None,
    capacities: np.ndarray | None = None,
    scenario: str | None = None,
    capacity_limited: bool = False,
    details: bool = True,
    hours: np.ndarray | None = None,
) -> FlowResult:
    """The :class:`FlowResult` of a compiled network, optionally with patched arrays.

    ``details=False`` skips the per-stage solves (levers need only the totals). ``hours``
    replaces the teams' working hours for follow-up cadences (per ``net.teams``).
    """
    conv = net.conv if conv is None else conv
    volume = net.volume if volume is None else volume

    def effective_of(rates: np.ndarray) -> np.ndarray:
        if not capacity_limited:
            return rates
        return rates * multipliers(net, rates, volume, capacities, hours)[net.src]

    effective = effective_of(conv)
    solution = linear.solve(net, effective, volume)
    x = solution.arrivals
    n = net.size
    transient = ~net.outcome
    dropoff = np.where(transient, x * np.maximum(0.0, 1.0 - solution.out_share), 0.0)
    edge_flow = x[net.src] * effective
    cost = net.cost * np.where(net.entry, volume, x)
    won = float(x[net.won].sum())
    lost_outcomes = float(x[net.lost].sum())
    revenue = float(x @ net.deal_value)
    total_cost = float(cost.sum())
    leads = float(volume.sum())
    to_lost = np.bincount(net.src, weights=np.where(net.lost[net.dst], edge_flow, 0.0), minlength=n)
    teams = _teams(net, x, capacities)
    steps = net.steps
    shown_x, shown_dropoff = x, dropoff
    gates: list[GateFlow] = []
    if net.gates:  # a gate's node shows as its step: leads reaching the step, leaving at either
        shown_x, shown_dropoff = x.copy(), dropoff.copy()
        for gate in net.gates:
            shown_x[gate.host] = x[gate.index]
            shown_dropoff[gate.host] += dropoff[gate.index]
            to_lost[gate.host] += to_lost[gate.index]
        gates = _gate_flows(
            net, conv, x, won, details, lambda rates: _won(net, effective_of(rates), volume)
        )
    nodes = NodeFlows(
        net.ids[:steps], net.labels[:steps], shown_x[:steps], shown_dropoff[:steps], cost[:steps]
    )
    edges = ArrayMap(net.edge_ids, edge_flow)  # parallel rows of one edge id add up
    if net.gates:  # a gate's row is no edge of the map
        rows = [k for k, kind in enumerate(net.edge_kind) if kind != GATE]
        edges = ArrayMap([net.edge_ids[k] for k in rows], edge_flow[rows])
    losses = (shown_dropoff + to_lost)[:steps] if net.gates else dropoff + to_lost
    gate_losses = None
    if net.gates:
        gate_losses = np.zeros(steps)
        for gate in net.gates:
            gate_losses[gate.host] += dropoff[gate.index]
    return FlowResult(
        process=net.process,
        process_name=net.process_name,
        scenario=scenario,
        period=net.period,
        currency=net.currency,
        leads=leads,
        won=won,
        lost=lost_outcomes + float(dropoff.sum()),
        lost_outcomes=lost_outcomes,
        dropoff=float(dropoff.sum()),
        revenue=revenue,
        cost=total_cost,
        cost_per_won=_ratio(total_cost, won),
        conversion=won / leads if leads > 0 else None,
        days_to_close=solution.days_to_close,
        nodes=nodes,
        edges=edges,
        stages=stage_counts(net, effective, volume) if details else [],
        teams=teams,
        bottleneck=bottleneck(net, x, losses, teams, capacities, gate_losses),
        capacity_limited=capacity_limited,
        win_chance=ArrayMap(net.ids[:steps], solution.win_chance[:steps]) if details else {},
        gates=gates,
    )


def _ratio(part: float, whole: float) -> float | None:
    """``part / whole``, or None when ``whole`` is 0 or so small the ratio is not a number (the
    deals at the end of a 2,000-step chain underflow to 1e-310)."""
    if whole <= 0:
        return None
    value = part / whole
    return value if np.isfinite(value) else None


def _won(net: Network, effective: np.ndarray, volume: np.ndarray) -> float:
    return float(linear.solve(net, effective, volume).arrivals[net.won].sum())


def _gate_flows(
    net: Network,
    conv: np.ndarray,
    x: np.ndarray,
    won: float,
    details: bool,
    won_with: Callable[[np.ndarray], float],
) -> list[GateFlow]:
    """Each gate's leads, pass rate and losses; with ``details``, the deals it costs in all and
    per role (one more solve each: the gate's rate as if that role, or every role, cleared)."""

    def cost(edge: int, rates: list[float]) -> float | None:
        if not details:
            return None
        patched = conv.copy()
        patched[edge] = pass_rate(rates)
        return won_with(patched) - won

    flows = []
    for gate in net.gates:
        rate = float(conv[gate.edge])
        arrivals = float(x[gate.index])

        roles = []
        for k, c in enumerate(gate.chains):
            chain = net.chains[c]
            others = [p for j, p in enumerate(gate.probabilities) if j != k]
            roles.append(
                RoleClearance(
                    chain.role,
                    chain.role_name,
                    chain.process,
                    chain.process_name,
                    chain.step,
                    chain.step_label,
                    gate.probabilities[k],
                    gate.days[k],
                    cost(gate.edge, others) if rate < 1.0 else (0.0 if details else None),
                )
            )
        flows.append(
            GateFlow(
                gate.node,
                gate.label,
                arrivals,
                rate,
                arrivals * rate,
                arrivals * (1.0 - rate),
                float(net.duration[gate.index]) if rate > 0 else None,
                cost(gate.edge, []) if rate < 1.0 else (0.0 if details else None),
                roles,
            )
        )
    return flows


def stage_counts(net: Network, conv: np.ndarray, volume: np.ndarray) -> list[StageCount]:
    """Leads per period reaching each stage used by the process, in the map's stage order.

    A lead is counted once per stage however often loops bring it back: the
    stage's nodes are made absorbing and the flow solved again (first passage).
    ``entering`` counts the leads entering it, a lead counted again each time it moves forward
    into the stage (:func:`models.simulation.mc_plan.entering_edges`), as the runs count them.
    """
    counts: list[StageCount] = []
    previous: float | None = None
    if not net.stages:
        return counts
    x = linear.solve(net, conv, volume).arrivals
    flow = x[net.src] * conv
    stage_of = mc_plan.stage_index(net)
    into = mc_plan.entering_edges(net, stage_of)
    crossing = into >= 0
    entering = np.zeros(len(net.stages))
    np.add.at(entering, into[crossing], flow[crossing])
    fed = net.entry & (stage_of >= 0)
    np.add.at(entering, stage_of[fed], volume[fed])
    for k, (stage_id, name) in enumerate(net.stages):
        members = np.flatnonzero(stage_of == k)
        leads = linear.first_arrivals(net, members, conv, volume)
        rate: float | None = leads / previous if previous else None
        counts.append(StageCount(stage_id, name, leads, rate, float(entering[k])))
        previous = leads
    return counts


def _teams(net: Network, x: np.ndarray, capacities: np.ndarray | None) -> dict[str, TeamLoad]:
    teams = {}
    needed, hours = attempt_hours(net, x)
    for k, team in enumerate(net.teams):
        capacity = team.capacity if capacities is None else float(capacities[k])
        load = float(x[team.members].sum())
        busiest = int(team.members[np.argmax(x[team.members])])
        finite = np.isfinite(capacity)
        headcount = team.headcount
        if capacities is not None and team.per_person and np.isfinite(capacity):
            headcount = int(round(capacity / team.per_person))
        teams[team.id] = TeamLoad(
            team.id,
            team.name,
            load,
            capacity if finite else None,
            (load / capacity if capacity > 0 else (np.inf if load > 0 else 0.0))
            if finite
            else None,
            net.ids[busiest] if load > 0 else None,
            headcount,
            float(needed[k]) if needed is not None and np.isfinite(needed[k]) else None,
            float(hours[k])
            if needed is not None and np.isfinite(needed[k]) and hours is not None
            else None,
        )
    return teams


def attempt_hours(net: Network, x: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(hours per period each team's follow-up cadences ask for the leads ``x`` brings to its
    hand-off steps, the team's working hours); (None, None) without a timed cadence. Teams that
    receive no cadence ask for 0 hours."""
    cadence = net.cadence
    if cadence is None:
        return None, None
    nodes = cadence.nodes
    needed = np.bincount(
        cadence.team[nodes],
        weights=(x * cadence.minutes_per_lead())[nodes] / 60.0,
        minlength=len(net.teams),
    )
    paced = np.zeros(len(net.teams), dtype=bool)
    paced[cadence.team[nodes]] = True
    return np.where(paced, needed, np.nan), cadence.hours


def bottleneck(
    net: Network,
    x: np.ndarray,
    losses: np.ndarray,
    teams: dict[str, TeamLoad],
    capacities: np.ndarray | None = None,
    gate_losses: np.ndarray | None = None,
) -> Bottleneck | None:
    """The most over-loaded resource if any is over capacity, else the step losing most leads."""
    per = f"per {net.period}"
    worst, worst_ratio = None, OVERLOADED
    for k, resource in enumerate(net.resources):
        capacity = resource.capacity if capacities is None else float(capacities[k])
        if not np.isfinite(capacity):
            continue
        load = float(x[resource.members].sum())
        ratio = load / capacity if capacity > 0 else (np.inf if load > 0 else 0.0)
        if ratio > worst_ratio:
            worst, worst_ratio = resource, ratio
    paced = _cadence_bottleneck(net, x, worst_ratio, per)
    if paced is not None:
        return paced
    if worst is not None:
        busiest = int(worst.members[np.argmax(x[worst.members])])
        team = worst.id if worst.kind == "team" else net.owner[busiest]
        load = float(x[worst.members].sum())
        capacity = load / worst_ratio
        shown = f"{worst_ratio:.0%}" if np.isfinite(worst_ratio) else "no capacity"
        what = worst.name if worst.kind == "team" else f"'{worst.name}'"
        return Bottleneck(
            "capacity",
            net.ids[busiest],
            team,
            float(worst_ratio),
            f"{what} is at {shown} of capacity: {load:,.0f} leads {per} for {capacity:,.0f} "
            f"(busiest step: '{net.labels[busiest]}').",
        )
    return loss_bottleneck(net, losses, per, gate_losses)


def _cadence_bottleneck(net: Network, x: np.ndarray, beat: float, per: str) -> Bottleneck | None:
    """A team whose follow-up cadences need more of its hours than leads of its capacity
    (``beat``: the worst capacity ratio found), or None."""
    needed, hours = attempt_hours(net, x)
    if needed is None or hours is None:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(hours > 0, needed / hours, np.where(needed > 0, np.inf, 0.0))
    ratio = np.nan_to_num(ratio, nan=0.0)
    k = int(np.argmax(ratio)) if ratio.size else -1
    if k < 0 or ratio[k] <= beat:
        return None
    team = net.teams[k]
    cadence = net.cadence
    assert cadence is not None
    nodes = [i for i in cadence.nodes.tolist() if cadence.team[i] == k]
    busiest = max(nodes, key=lambda i: x[i])
    return Bottleneck(
        "capacity",
        net.ids[busiest],
        team.id,
        float(ratio[k]),
        f"{team.name} needs {needed[k]:,.0f} hours {per} for its follow-up cadence "
        f"({cadence.attempts[busiest]:.0f} attempts of {cadence.minutes[busiest]:g} minutes a "
        f"lead) and has {hours[k]:,.0f}: each lead gets {1 / ratio[k]:.0%} of its attempts "
        f"(busiest step: '{net.labels[busiest]}').",
    )


def loss_bottleneck(
    net, losses: np.ndarray, per: str, gate_losses: np.ndarray | None = None
) -> Bottleneck | None:
    """When no team is over capacity: the step where most leads leave the funnel (None if none do).

    ``gate_losses`` (per node) are the leads of ``losses`` that leave at a committee gate.
    """
    if not (losses > 0).any():
        return None
    i = int(np.argmax(losses))
    at_gate = ""
    if gate_losses is not None and gate_losses[i] > 0:
        at_gate = f", {gate_losses[i]:,.1f} of them at its committee gate"
    return Bottleneck(
        "loss",
        net.ids[i],
        net.owner[i],
        float(losses[i]),
        f"No team is over capacity; most leads leave the funnel at '{net.labels[i]}' "
        f"({losses[i]:,.1f} {per}{at_gate}).",
    )
