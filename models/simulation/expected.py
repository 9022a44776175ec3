"""The exact expected flow of a process per period, and where it is held back.

>>> from models.templates import load_template
>>> doc = load_template("plugged-funnel")
>>> round(expected_flow(doc).won, 2), round(expected_flow(doc, scenario="fix").won, 2)
(2.0, 6.06)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.document import JourneyMap, Scenario

from . import linear
from .capacity import service_shares
from .network import Network, compile_network
from .prepare import apply_scenario, check_runnable, resolve_process, resolve_scenario
from .results import Bottleneck, FlowResult, NodeFlow, StageCount, TeamLoad

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
    """Resolve the process and scenario, refuse what cannot run, compile the process."""
    chosen = resolve_scenario(doc, scenario)
    process_id = resolve_process(doc, process_id)
    applied = apply_scenario(doc, chosen)
    check_runnable(applied, process_id)
    return Prepared(applied, process_id, chosen, compile_network(applied, process_id))


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
    ready = prepare(doc, process_id, scenario)
    return flow_of(
        ready.net,
        scenario=ready.scenario.name if ready.scenario else None,
        capacity_limited=capacity_limited,
    )


def flow_of(
    net: Network,
    *,
    conv: np.ndarray | None = None,
    volume: np.ndarray | None = None,
    capacities: np.ndarray | None = None,
    scenario: str | None = None,
    capacity_limited: bool = False,
    details: bool = True,
) -> FlowResult:
    """The :class:`FlowResult` of a compiled network, optionally with patched arrays.

    ``details=False`` skips the per-stage solves (levers need only the totals).
    """
    conv = net.conv if conv is None else conv
    volume = net.volume if volume is None else volume
    effective = conv
    if capacity_limited:
        effective = conv * service_shares(net, conv, volume, capacities)[net.src]
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
    nodes = {
        net.ids[i]: NodeFlow(net.labels[i], float(x[i]), float(dropoff[i]), float(cost[i]))
        for i in range(n)
    }
    edges: dict[str, float] = {}
    for edge_id, value in zip(net.edge_ids, edge_flow.tolist(), strict=True):
        edges[edge_id] = edges.get(edge_id, 0.0) + value
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
        cost_per_won=total_cost / won if won > 0 else None,
        conversion=won / leads if leads > 0 else None,
        days_to_close=solution.days_to_close,
        nodes=nodes,
        edges=edges,
        stages=stage_counts(net, effective, volume) if details else [],
        teams=teams,
        bottleneck=bottleneck(net, x, dropoff + to_lost, teams, capacities),
        capacity_limited=capacity_limited,
        win_chance=dict(zip(net.ids, solution.win_chance.tolist(), strict=True)) if details else {},
    )


def stage_counts(net: Network, conv: np.ndarray, volume: np.ndarray) -> list[StageCount]:
    """Leads per period reaching each stage used by the process, in the map's stage order.

    A lead is counted once per stage however often loops bring it back: the
    stage's nodes are made absorbing and the flow solved again (first passage).
    """
    counts = []
    previous: float | None = None
    for stage_id, name in net.stages:
        members = np.array([i for i, s in enumerate(net.stage) if s == stage_id], dtype=np.int64)
        leads = linear.first_arrivals(net, members, conv, volume)
        rate: float | None = leads / previous if previous else None
        counts.append(StageCount(stage_id, name, leads, rate))
        previous = leads
    return counts


def _teams(net: Network, x: np.ndarray, capacities: np.ndarray | None) -> dict[str, TeamLoad]:
    teams = {}
    for k, team in enumerate(net.teams):
        capacity = team.capacity if capacities is None else float(capacities[k])
        load = float(x[team.members].sum())
        busiest = int(team.members[np.argmax(x[team.members])])
        finite = np.isfinite(capacity)
        headcount = team.headcount
        if capacities is not None and team.per_person:
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
        )
    return teams


def bottleneck(
    net: Network,
    x: np.ndarray,
    losses: np.ndarray,
    teams: dict[str, TeamLoad],
    capacities: np.ndarray | None = None,
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
    return loss_bottleneck(net, losses, per)


def loss_bottleneck(net, losses: np.ndarray, per: str) -> Bottleneck | None:
    """When no team is over capacity: the step where most leads leave the funnel (None if none do)."""
    if not (losses > 0).any():
        return None
    i = int(np.argmax(losses))
    return Bottleneck(
        "loss",
        net.ids[i],
        net.owner[i],
        float(losses[i]),
        f"No team is over capacity; most leads leave the funnel at '{net.labels[i]}' "
        f"({losses[i]:,.1f} {per}).",
    )
