"""The :class:`FlowResult` of a compiled network: the flow solved
(:mod:`models.simulation.linear`) and put together per step, edge, stage, team and committee
gate, with its bottleneck.

Callers that patch a network's arrays (the goal seek, the calibration, the capacity view)
call :func:`flow_of` directly; :func:`models.simulation.expected.expected_flow` prepares a
map and calls it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import linear, mc_plan
from .arraymap import ArrayMap
from .bottlenecks import attempt_hours, bottleneck
from .capacity import multipliers
from .flow_result import FlowResult
from .gate_results import GateFlow, RoleClearance
from .gates import pass_rate
from .network import GATE, Network
from .results import NodeFlows, StageCount, TeamLoad


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
