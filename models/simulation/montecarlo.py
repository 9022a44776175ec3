"""Monte Carlo over days: random arrivals, delays, team capacity with queues, the SLA window.

Each run simulates ``periods`` periods day by day, with counts of leads (never
one lead at a time), vectorised over a batch of runs:

* **Arrivals.** Each entry receives Poisson(volume / days per period) leads a day.
* **Splits.** The leads a node works are split over its outgoing edges by a
  chain of binomials (a multinomial); the rest drop off.
* **Delays.** Deterministic: a hop takes ``round(duration + delay)`` whole days
  (see :mod:`models.simulation.mc_plan`); recycled leads come back the same way.
* **Capacity.** A team with a capacity works ``headcount x capacity / days per
  period`` leads a day (fractions carry over). Its day of work is given out once,
  at the end of the day, among every lead queued at any of its steps (today's
  arrivals included), by the map's ``capacity_policy``
  (:mod:`models.simulation.mc_serve`): at random by default, oldest first within a
  step; the others wait. A step's own capacity limits it too. A lead worked at a
  capacity-bound step moves on the next day at the earliest, so no step is
  served before another because of the order of zero-day hops.
* **SLA response window.** ``response_hours`` are working hours: 8 a working
  day, 5 working days in 7 calendar days (8 hours = 1.4 days). A lead worked
  at a hand-off step of the SLA's receiving team after waiting more whole days
  than the window converts with ``late_conversion_factor`` times every rate
  (the rest go cold). Without a capacity nobody waits, so nobody is late.
* **Start.** Runs start in the steady state of the expected model (the
  capacity-limited one): leads already on their way along every edge are drawn
  as Poisson counts (exact for the uncapacitated model, so its per-period mean
  equals the expected flow from the first period); queues start empty.
* **Stages.** Leads entering each stage (arriving at one of its steps from a step
  of another stage, or at an entry) are counted per period: a lead a loop brings
  back into a stage counts again, as a CRM counts a recycled lead that qualifies
  again.
* **Volume.** Counts are exact integers. When a map's volumes would take the
  daily counts past :data:`LOT_LIMIT` leads (where 64-bit counts and numpy's
  samplers end), runs count lots of ``lot`` leads (a power of ten) instead; at
  that size the relative noise is below a millionth either way.

Runs are drawn in batches of ``BATCH``; batch ``b`` uses the ``b``-th child of
``SeedSequence(seed)``, so a seed and a number of runs give identical numbers
on every machine, and more runs only add runs. ``progress(done, total)`` is
called after each batch and ``cancel()`` polled before each one: a cancelled
simulation returns the runs finished so far (``cancelled=True``), or raises
:class:`~models.simulation.SimulationCancelled` if none finished.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from models.document import JourneyMap, Scenario

from . import mc_gates, mc_plan, mc_serve
from .capacity import shares_and_factors
from .errors import SimulationCancelled, SimulationError
from .expected import loss_bottleneck, prepare
from .linear import solve
from .mc_cadence import CadenceRun
from .mc_results import MonteCarloResult, PeriodSummary, StageRun, Summary, TeamRun
from .network import Network
from .results import Bottleneck

BATCH = 100
MAX_RUNS = 10_000  # keeps the daily backlog of every run (runs x days x teams) within memory
MAX_DAYS = 20_000
UNLIMITED = np.iinfo(np.int64).max // 4
LOT_LIMIT = 1e14
"""Most leads a node may hold in one run over the horizon before runs count lots of leads."""


def monte_carlo(
    doc: JourneyMap,
    process_id: str | None = None,
    scenario: str | Scenario | None = None,
    periods: int = 6,
    runs: int = 200,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> MonteCarloResult:
    """Simulate ``runs`` runs of ``periods`` periods day by day (see the module docstring)."""
    _check_int("periods", periods, 1)
    _check_int("runs", runs, 1, MAX_RUNS)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise SimulationError(f"The seed must be a whole number of 0 or more, not {seed!r}.")
    ready = prepare(doc, process_id, scenario)
    return run_network(
        ready.net,
        periods=periods,
        runs=runs,
        seed=seed,
        progress=progress,
        cancel=cancel,
        scenario=ready.scenario.name if ready.scenario else None,
    )


def _check_int(name: str, value, low: int, high: int | None = None) -> None:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < low
        or (high and value > high)
    ):
        bound = f" and at most {high:,}" if high else ""
        raise SimulationError(
            f"The number of {name} must be a whole number of at least {low}{bound}, not {value!r}."
        )


@dataclass(frozen=True)
class _Setup:
    """What every batch of runs shares (see :func:`run_network`)."""

    plan: mc_plan.Plan
    internal: np.ndarray  # span x n: expected leads on their way at the start, not entering a stage
    entering: np.ndarray  # span x n: the same, along edges entering the target's stage
    gates: mc_gates.GatePlan | None
    lot: float  # leads per counted unit (1 unless the volumes are astronomical)
    policy: str
    stage_expected: np.ndarray  # per stage: leads entering it per period, capacity-limited
    worked: np.ndarray  # per node: leads worked per period in the steady state (cadence start)


def run_network(
    net: Network,
    *,
    periods: int,
    runs: int,
    seed: int = 0,
    scenario: str | None = None,
    progress=None,
    cancel=None,
) -> MonteCarloResult:
    pd = net.period_days
    bounds = np.rint(np.arange(periods + 1) * pd).astype(np.int64)
    days = int(bounds[-1])
    if days > MAX_DAYS:
        raise SimulationError(
            f"{periods} periods of a {net.period} is {days:,} days; the simulation "
            f"covers at most {MAX_DAYS:,} days. Ask for fewer periods."
        )
    capacities = np.array([r.capacity for r in net.resources], dtype=float)
    walked = net
    if net.gates:  # a gate's wait is drawn per lead (mc_gates), not a duration
        duration = net.duration.copy()
        duration[[g.index for g in net.gates]] = 0.0
        walked = replace(net, duration=duration)
    served, paced = shares_and_factors(net, net.conv, net.volume, capacities)
    shares = served * paced
    steady = solve(net, net.conv * shares[net.src], net.volume)
    worked = steady.arrivals * served
    flow = steady.arrivals[net.src] * net.conv * shares[net.src]
    lot = _lot(net, steady.arrivals, days)
    plan = mc_plan.build(walked, net.conv, capacities / lot, net.policy, days)
    internal, entering = _pipeline_means(net, plan, flow / lot)
    gates = (
        mc_gates.plan(net, plan.lag, plan.levels, steady.arrivals, days, lot) if net.gates else None
    )
    expected = np.zeros(len(net.stages))
    np.add.at(expected, plan.enters[plan.enters >= 0], flow[plan.enters >= 0])
    fed = net.entry & (plan.stage_of >= 0)
    np.add.at(expected, plan.stage_of[fed], net.volume[fed])
    setup = _Setup(plan, internal, entering, gates, lot, net.policy, expected, worked)
    tallies = []
    done = 0
    cancelled = False
    batch_index = 0
    while done < runs:
        if cancel is not None and cancel():
            cancelled = True
            break
        size = min(BATCH, runs - done)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(batch_index,)))
        tallies.append(_run_batch(net, setup, rng, size, bounds))
        done += size
        batch_index += 1
        if progress is not None:
            progress(done, runs)
    if done == 0:
        raise SimulationCancelled("The simulation was cancelled before the first run finished.")
    return _summarise(net, setup, tallies, bounds, periods, done, seed, scenario, cancelled)


def _lot(net: Network, arrivals: np.ndarray, days: int) -> float:
    """Leads per counted unit: 1, or the power of ten that keeps every count under
    :data:`LOT_LIMIT` over the horizon (entries, arrivals and queues alike)."""
    daily = max(float(arrivals.max(initial=0.0)), float(net.volume.max(initial=0.0))) / (
        net.period_days
    )
    peak = daily * (days + 1)
    if not np.isfinite(peak) or peak <= LOT_LIMIT:
        return 1.0
    return float(10.0 ** np.ceil(np.log10(peak / LOT_LIMIT)))


def _pipeline_means(
    net: Network, plan: mc_plan.Plan, flow: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Expected leads on their way, by arrival day (0 .. span-1) and node, in the steady state:
    (along edges within a stage or into a step without one, along edges entering a stage)."""
    n, span = net.size, plan.span
    per_day = flow / net.period_days
    delayed = plan.lag > 0
    entering = plan.enters >= 0
    out = []
    for part in (delayed & ~entering, delayed & entering):
        diff = np.zeros((span + 1, n))
        np.add.at(diff, (np.zeros(int(part.sum()), dtype=np.int64), net.dst[part]), per_day[part])
        np.add.at(diff, (plan.lag[part], net.dst[part]), -per_day[part])
        out.append(np.maximum(np.cumsum(diff, axis=0)[:span], 0.0))
    return out[0], out[1]


@dataclass
class _Tally:
    won: np.ndarray  # runs x periods
    revenue: np.ndarray
    backlog: np.ndarray  # runs x days x teams (float32: whole counts, exact to 16 million)
    served: np.ndarray  # runs x teams
    demand: np.ndarray  # runs x teams
    limit_demand: np.ndarray  # runs x node limits
    late: np.ndarray  # runs x sla slots
    sla_served: np.ndarray  # runs x sla slots
    losses: np.ndarray  # per node, summed over runs
    stages: np.ndarray  # runs x periods x stages: leads entering each stage
    gates: mc_gates.GateState | None = None


def _run_batch(
    net: Network,
    setup: _Setup,
    rng: np.random.Generator,
    runs: int,
    bounds: np.ndarray,
) -> _Tally:
    plan = setup.plan
    n, span = net.size, plan.span
    days, periods = int(bounds[-1]), len(bounds) - 1
    period_of = np.repeat(np.arange(periods), np.diff(bounds))
    n_stages = len(net.stages)
    stage_of = plan.stage_of
    counting = n_stages > 0
    internal = rng.poisson(np.broadcast_to(setup.internal, (runs, span, n)))
    entering = rng.poisson(np.broadcast_to(setup.entering, (runs, span, n)))
    buffer = (internal + entering).reshape(runs, span * n)
    stage_buffer = np.zeros((runs, span, max(n_stages, 1)), dtype=np.int64)
    if counting:
        staged = stage_of >= 0
        np.add.at(
            stage_buffer.transpose(2, 0, 1),
            stage_of[staged],
            entering[:, :, staged].transpose(2, 0, 1),
        )
    entries = np.flatnonzero(net.entry & (net.volume > 0))
    entry_rate = net.volume[entries] / net.period_days / setup.lot
    entry_stage = stage_of[entries]
    n_teams = len(net.teams)
    queued = plan.queued
    nq = queued.size
    queue = np.zeros((runs, nq, plan.ages), dtype=np.int64)
    team_day = np.where(np.isfinite(plan.team_day), np.minimum(plan.team_day, UNLIMITED), 0.0)
    limit_day = np.where(
        np.isfinite(plan.queue_limit), np.minimum(plan.queue_limit, UNLIMITED), 0.0
    )
    team_carry = np.zeros(n_teams)
    limit_carry = np.zeros(nq)
    sla_nodes = np.flatnonzero(plan.late_mask.any(axis=1))  # queued positions with a finite window
    limits = {int(r.members[0]): k for k, r in enumerate(net.node_limits)}
    limit_slot = np.array([limits.get(int(i), -1) for i in queued], dtype=np.int64)
    limited = limit_slot >= 0
    tally = _Tally(
        won=np.zeros((runs, periods)),
        revenue=np.zeros((runs, periods)),
        backlog=np.zeros((runs, days, n_teams), dtype=np.float32),
        served=np.zeros((runs, n_teams)),
        demand=np.zeros((runs, n_teams)),
        limit_demand=np.zeros((runs, len(net.node_limits))),
        late=np.zeros((runs, sla_nodes.size)),
        sla_served=np.zeros((runs, sla_nodes.size)),
        losses=np.zeros(n),
        stages=np.zeros((runs, periods, n_stages)),
    )
    if setup.gates is not None:
        tally.gates = mc_gates.GateState(setup.gates, runs)
        tally.gates.start(rng)
    cadence = (
        CadenceRun(net, setup.worked, runs, setup.lot)
        if net.cadence is not None and net.cadence.nodes.size
        else None
    )
    values = net.deal_value
    for day in range(days):
        slot = day % span
        start = slot * n
        arrivals = buffer[:, start : start + n].copy()
        buffer[:, start : start + n] = 0
        entered = stage_buffer[:, slot, :].copy()
        stage_buffer[:, slot, :] = 0
        if entries.size:
            drawn = rng.poisson(entry_rate, size=(runs, entries.size))
            arrivals[:, entries] += drawn
            if counting:
                staged = entry_stage >= 0
                np.add.at(entered.T, entry_stage[staged], drawn[:, staged].T)
        if tally.gates is not None:
            tally.gates.release(day, arrivals)
        if cadence is not None:
            cadence.start_day(day)
        for depth, level in enumerate(plan.levels):
            if tally.gates is not None:
                tally.gates.through(depth, day, arrivals, rng)
            if level.won.size:
                got = arrivals[:, level.won]
                tally.won[:, period_of[day]] += got.sum(axis=1)
                tally.revenue[:, period_of[day]] += got @ values[level.won]
            if level.free.size == 0:
                continue
            work = arrivals[:, level.free]
            if cadence is not None:
                work, unreached = cadence.thin(level.free, work, rng)
                tally.losses[level.free] += unreached.sum(axis=0)
            moved, left = _split(work, plan.cond[level.free], rng)
            tally.losses[level.free] += left.sum(axis=0)
            _move(
                net, level.moves, moved, day, span, arrivals, buffer, entered, stage_buffer, tally
            )
        if nq:
            incoming = arrivals[:, queued]
            queue[:, :, 0] += incoming
            for k, cols in plan.team_positions:
                tally.demand[:, k] += incoming[:, cols].sum(axis=1)
            if limited.any():
                tally.limit_demand[:, limit_slot[limited]] += incoming[:, limited]
            # a day's capacity in whole leads; the fraction carries to the next day, idle time does not
            budget = team_carry + team_day
            team_carry = budget - np.floor(budget)
            team_left = np.tile(np.floor(budget).astype(np.int64), (runs, 1))
            budget = limit_carry + limit_day
            limit_carry = budget - np.floor(budget)
            limit_left = np.tile(
                np.where(np.isfinite(plan.queue_limit), np.floor(budget), UNLIMITED).astype(
                    np.int64
                ),
                (runs, 1),
            )
            grant, served = mc_serve.grants(plan, queue, team_left, limit_left, rng, setup.policy)
            tally.served += served
            taken = mc_serve.take_oldest(queue, grant)
            late = (taken * plan.late_mask[None]).sum(axis=2)
            if sla_nodes.size:
                tally.late += late[:, sla_nodes]
                tally.sla_served += grant[:, sla_nodes]
            ontime = grant - late
            if cadence is not None:
                ontime, unreached = cadence.thin(queued, ontime, rng)
                tally.losses[queued] += unreached.sum(axis=0)
                late, unreached = cadence.thin(queued, late, rng)
                tally.losses[queued] += unreached.sum(axis=0)
            moved, left = _split(ontime, plan.cond[queued], rng)
            if late.any():
                moved_late, left_late = _split(late, plan.cond_late[queued], rng)
                moved += moved_late
                left += left_late
            tally.losses[queued] += left.sum(axis=0)
            _move(
                net, plan.served, moved, day, span, arrivals, buffer, entered, stage_buffer, tally
            )
            # a day older; the last age pools everything beyond the longest window told apart
            oldest = queue[:, :, -1] + queue[:, :, -2]
            queue[:, :, 1:-1] = queue[:, :, :-2].copy()
            queue[:, :, -1] = oldest
            queue[:, :, 0] = 0
            waiting = queue.sum(axis=2)
            for k, cols in plan.team_positions:
                tally.backlog[:, day, k] = waiting[:, cols].sum(axis=1)
        if counting:
            tally.stages[:, period_of[day], :] += entered
        if cadence is not None:
            cadence.end_day(day)
    return tally


def _move(net, moves, moved, day, span, arrivals, buffer, entered, stage_buffer, tally) -> None:
    """Send the split leads along their edges: today (zero-day hops) or into the ring buffer."""
    if moves.sel.size == 0:
        return
    runs, n = arrivals.shape
    flat = moved.reshape(runs, -1)[:, moves.sel]
    if moves.to_lost.any():
        np.add.at(
            tally.losses, net.src[moves.edge[moves.to_lost]], flat[:, moves.to_lost].sum(axis=0)
        )
    # np.add.at over the transposed views: columns by index, every run at once
    same = moves.lag == 0
    if same.any():
        np.add.at(arrivals.T, moves.target[same], flat[:, same].T)
    later = ~same
    if later.any():
        index = ((day + moves.lag[later]) % span) * n + moves.target[later]
        np.add.at(buffer.T, index, flat[:, later].T)
    if moves.entering.size:
        counted = flat[:, moves.entering]
        lag = moves.lag[moves.entering]
        now = lag == 0
        if now.any():
            np.add.at(entered.T, moves.stage[now], counted[:, now].T)
        if (~now).any():
            slots = (day + lag[~now]) % span
            np.add.at(
                stage_buffer.transpose(1, 2, 0), (slots, moves.stage[~now]), counted[:, ~now].T
            )


def _split(
    counts: np.ndarray, cond: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Split counts (runs x nodes) over each node's edges: a chain of binomials; returns (moved, left)."""
    runs, nodes = counts.shape
    width = cond.shape[1]
    moved = np.zeros((runs, nodes, width), dtype=np.int64)
    left = counts.copy()
    for k in range(width):
        p = cond[:, k]
        if not p.any() or not left.any():
            continue
        take = rng.binomial(left, p)
        moved[:, :, k] = take
        left -= take
    return moved, left


def _summarise(
    net, setup: _Setup, tallies, bounds, periods, runs, seed, scenario, cancelled
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
