"""What the Monte Carlo's batches of runs add up to: percentiles, teams, SLAs, stages and the
bottleneck (see :mod:`models.simulation.montecarlo`)."""

from __future__ import annotations

import numpy as np

from . import mc_gates
from .bottlenecks import loss_bottleneck
from .linear import solve
from .mc_results import MonteCarloResult, PeriodSummary, StageRun, Summary, TeamRun
from .network import Network
from .results import Bottleneck


def summarise(
    net, setup, tallies, bounds, periods, runs, seed, scenario, cancelled
) -> MonteCarloResult:
    plan, lot = setup.plan, setup.lot
    per_won = np.concatenate([t.won for t in tallies]) * lot
    per_revenue = np.concatenate([t.revenue for t in tallies]) * lot
    won_runs, revenue_runs = per_won.sum(axis=1), per_revenue.sum(axis=1)
    per_period = [
        PeriodSummary(
            p + 1,
            int(bounds[p + 1] - bounds[p]),
            Summary.of(per_won[:, p]),
            Summary.of(per_revenue[:, p]),
        )
        for p in range(periods)
    ]
    days = int(bounds[-1])
    horizon = days / net.period_days  # periods, as a fraction
    backlog = np.concatenate([t.backlog for t in tallies])
    served = np.concatenate([t.served for t in tallies]) * lot
    demand = np.concatenate([t.demand for t in tallies]) * lot
    teams = {}
    ratios = []
    for k, team in enumerate(net.teams):
        if not np.isfinite(team.capacity):
            continue
        capacity = team.capacity * horizon
        load = float(demand[:, k].mean() / capacity) if capacity > 0 else float("inf")
        teams[team.id] = TeamRun(
            team.id,
            team.name,
            team.capacity,
            float(served[:, k].mean() / capacity) if capacity > 0 else 0.0,
            load,
            tuple((np.median(backlog[:, :, k], axis=0).astype(float) * lot).tolist()),
            Summary.of(backlog[:, -1, k].astype(float) * lot),
        )
        ratios.append((load, team, k))
    limit_demand = np.concatenate([t.limit_demand for t in tallies]) * lot
    for k, resource in enumerate(net.node_limits):
        capacity = resource.capacity * horizon
        ratios.append(
            (
                float(limit_demand[:, k].mean() / capacity) if capacity > 0 else float("inf"),
                resource,
                -1,
            )
        )
    late = np.concatenate([t.late for t in tallies]).sum(axis=0)
    sla_served = np.concatenate([t.sla_served for t in tallies]).sum(axis=0)
    sla_nodes = plan.queued[plan.late_mask.any(axis=1)]
    by_sla: dict[str, list[float]] = {}
    for j, node in enumerate(sla_nodes.tolist()):
        entry = by_sla.setdefault(net.sla_id[node], [0.0, 0.0])
        entry[0] += late[j]
        entry[1] += sla_served[j]
    windows = net.sla_window if net.sla_window is not None else np.full(net.size, np.inf)
    for i in np.flatnonzero(np.isfinite(windows)).tolist():
        by_sla.setdefault(net.sla_id[i], [0.0, 0.0])
    sla = {k: (v[0] / v[1] if v[1] else 0.0) for k, v in by_sla.items()}
    total_served = sum(v[1] for v in by_sla.values())
    breach = (
        (sum(v[0] for v in by_sla.values()) / total_served if total_served else 0.0)
        if by_sla
        else None
    )
    losses = sum(t.losses for t in tallies) * lot / runs / horizon
    gates = {}
    gate_losses = None
    states = [t.gates for t in tallies if t.gates is not None]
    if states:
        gates = mc_gates.summarise(net, states, runs, lot)
        gate_losses = np.zeros(net.size)
        for k, gate in enumerate(net.gates):
            gate_losses[gate.host] = sum(s.failed[k] for s in states) * lot / runs / horizon
        losses = losses + gate_losses
    return MonteCarloResult(
        process=net.process,
        scenario=scenario,
        period=net.period,
        currency=net.currency,
        periods=periods,
        days=days,
        runs=runs,
        seed=seed,
        won=Summary.of(won_runs),
        revenue=Summary.of(revenue_runs),
        per_period=per_period,
        teams=teams,
        sla_breach_rate=breach,
        sla=sla,
        bottleneck=_bottleneck(net, ratios, losses, gate_losses),
        cancelled=cancelled,
        won_runs=tuple(won_runs.tolist()),
        revenue_runs=tuple(revenue_runs.tolist()),
        gates=gates,
        stages=_stages(net, tallies, lot, periods, setup.stage_expected),
        lot=lot,
    )


def _stages(
    net: Network, tallies, lot: float, periods: int, expected: np.ndarray
) -> list[StageRun]:
    """Leads entering each stage, per period and per period on average over the horizon."""
    if not net.stages:
        return []
    counts = np.concatenate([t.stages for t in tallies]) * lot  # runs x periods x stages
    return [
        StageRun(
            stage_id,
            name,
            [Summary.of(counts[:, p, k]) for p in range(periods)],
            Summary.of(counts[:, :, k].mean(axis=1)),
            float(expected[k]),
        )
        for k, (stage_id, name) in enumerate(net.stages)
    ]


def _bottleneck(
    net: Network, ratios, losses: np.ndarray, gate_losses: np.ndarray | None = None
) -> Bottleneck | None:
    per = f"per {net.period}"
    over = [r for r in ratios if r[0] > 1.0]
    if over:
        load, resource, _ = max(over, key=lambda r: r[0])
        node = int(resource.members[0])
        if resource.kind == "team":
            # the busiest step: the member with the most leads reaching it in the expected flow
            node = (
                int(resource.members[0])
                if resource.members.size == 1
                else int(resource.members[np.argmax(_expected_arrivals(net)[resource.members])])
            )
        team = resource.id if resource.kind == "team" else net.owner[node]
        what = resource.name if resource.kind == "team" else f"'{resource.name}'"
        return Bottleneck(
            "capacity",
            net.ids[node],
            team,
            load,
            f"{what} receives {load:.0%} of what it can work, so its queue keeps growing "
            f"(busiest step: '{net.labels[node]}').",
        )
    return loss_bottleneck(net, losses, per, gate_losses)


def _expected_arrivals(net: Network) -> np.ndarray:
    return solve(net).arrivals
