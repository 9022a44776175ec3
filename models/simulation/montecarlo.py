"""Monte Carlo over days: random arrivals, delays, team capacity with queues, the SLA window.

Each run simulates ``periods`` periods day by day, with counts of leads (never
one lead at a time), vectorised over a batch of runs:

* **Arrivals.** Each entry receives Poisson(volume / days per period) leads a day.
* **Splits.** The leads a node works are split over its outgoing edges by a
  chain of binomials (a multinomial); the rest drop off.
* **Delays.** Deterministic: a hop takes ``round(duration + delay)`` whole days
  (see :mod:`models.simulation.mc_plan`); recycled leads come back the same way.
* **Capacity.** A team with a capacity works ``headcount x capacity / days per
  period`` leads a day (fractions carry over), shared at random among the
  leads queued at its nodes (a multivariate hypergeometric draw), oldest first
  within a node; the others wait. A node's own capacity limits it too.
* **SLA response window.** ``response_hours`` are working hours: 8 a working
  day, 5 working days in 7 calendar days (8 hours = 1.4 days). A lead worked
  at a hand-off step of the SLA's receiving team after waiting more whole days
  than the window converts with ``late_conversion_factor`` times every rate
  (the rest go cold). Without a capacity nobody waits, so nobody is late.
* **Start.** Runs start in the steady state of the expected model: leads
  already on their way along every edge are drawn as Poisson counts (exact
  for the uncapacitated model, so its per-period mean equals the expected
  flow from the first period); queues start empty.

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

from . import mc_gates, mc_plan
from .capacity import service_shares
from .errors import SimulationCancelled, SimulationError
from .expected import loss_bottleneck, prepare
from .linear import solve
from .mc_results import MonteCarloResult, PeriodSummary, Summary, TeamRun
from .network import Network
from .results import Bottleneck

BATCH = 100
MAX_RUNS = 10_000  # keeps the daily backlog of every run (runs x days x teams) within memory
MAX_DAYS = 20_000
UNLIMITED = np.iinfo(np.int64).max // 4


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
    plan = mc_plan.build(walked, net.conv, capacities)
    shares = service_shares(net, net.conv, net.volume, capacities)
    steady = solve(net, net.conv * shares[net.src], net.volume)
    prefill = _pipeline_means(net, plan, steady.arrivals[net.src] * net.conv * shares[net.src])
    gates = mc_gates.plan(net, plan.lag, plan.levels, steady.arrivals, days) if net.gates else None
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
        tallies.append(_run_batch(net, plan, prefill, rng, size, bounds, gates))
        done += size
        batch_index += 1
        if progress is not None:
            progress(done, runs)
    if done == 0:
        raise SimulationCancelled("The simulation was cancelled before the first run finished.")
    return _summarise(net, plan, tallies, bounds, periods, done, seed, scenario, cancelled)


def _pipeline_means(net: Network, plan: mc_plan.Plan, flow: np.ndarray) -> np.ndarray:
    """Expected leads on their way, by arrival day (0 .. span-1) and node, in the steady state."""
    n, span = net.size, plan.span
    diff = np.zeros((span + 1, n))
    per_day = flow / net.period_days
    delayed = plan.lag > 0
    np.add.at(
        diff, (np.zeros(int(delayed.sum()), dtype=np.int64), net.dst[delayed]), per_day[delayed]
    )
    np.add.at(diff, (plan.lag[delayed], net.dst[delayed]), -per_day[delayed])
    return np.maximum(np.cumsum(diff, axis=0)[:span], 0.0)


@dataclass
class _Tally:
    won: np.ndarray  # runs x periods
    revenue: np.ndarray
    backlog: np.ndarray  # runs x days x teams (int32)
    served: np.ndarray  # runs x teams
    demand: np.ndarray  # runs x teams
    limit_demand: np.ndarray  # runs x node limits
    late: np.ndarray  # runs x sla slots
    sla_served: np.ndarray  # runs x sla slots
    losses: np.ndarray  # per node, summed over runs
    gates: mc_gates.GateState | None = None


def _run_batch(
    net: Network,
    plan: mc_plan.Plan,
    prefill: np.ndarray,
    rng: np.random.Generator,
    runs: int,
    bounds: np.ndarray,
    gates: mc_gates.GatePlan | None = None,
) -> _Tally:
    n, span = net.size, plan.span
    days, periods = int(bounds[-1]), len(bounds) - 1
    period_of = np.repeat(np.arange(periods), np.diff(bounds))
    buffer = rng.poisson(np.broadcast_to(prefill, (runs, span, n))).reshape(runs, span * n)
    entries = np.flatnonzero(net.entry & (net.volume > 0))
    entry_rate = net.volume[entries] / net.period_days
    n_teams = len(net.teams)
    nq = plan.queued.size
    queue = np.zeros((runs, nq, plan.ages), dtype=np.int64)
    team_day = np.where(np.isfinite(plan.team_day), plan.team_day, 0.0)
    limit_day = np.where(np.isfinite(plan.queue_limit), plan.queue_limit, 0.0)
    team_carry = np.zeros(n_teams)
    limit_carry = np.zeros(nq)
    team_q = [np.flatnonzero(plan.queue_team == k) for k in range(n_teams)]
    sla_nodes = np.flatnonzero(plan.late_mask.any(axis=1))  # queued positions with a finite window
    sla_slot = np.full(nq, -1, dtype=np.int64)
    sla_slot[sla_nodes] = np.arange(sla_nodes.size)
    limits = {int(r.members[0]): k for k, r in enumerate(net.node_limits)}
    limit_slot = np.array([limits.get(int(i), -1) for i in plan.queued], dtype=np.int64)
    tally = _Tally(
        won=np.zeros((runs, periods)),
        revenue=np.zeros((runs, periods)),
        backlog=np.zeros((runs, days, n_teams), dtype=np.int32),
        served=np.zeros((runs, n_teams)),
        demand=np.zeros((runs, n_teams)),
        limit_demand=np.zeros((runs, len(net.node_limits))),
        late=np.zeros((runs, sla_nodes.size)),
        sla_served=np.zeros((runs, sla_nodes.size)),
        losses=np.zeros(n),
    )
    if gates is not None:
        tally.gates = mc_gates.GateState(gates, runs)
        tally.gates.start(rng)
    values = net.deal_value
    for day in range(days):
        start = (day % span) * n
        arrivals = buffer[:, start : start + n].copy()
        buffer[:, start : start + n] = 0
        if entries.size:
            arrivals[:, entries] += rng.poisson(entry_rate, size=(runs, entries.size))
        if tally.gates is not None:
            tally.gates.release(day, arrivals)
        # a day's capacity in whole leads; the fraction carries to the next day, idle time does not
        budget = team_carry + team_day
        team_carry = budget - np.floor(budget)
        team_left = np.tile(np.floor(budget).astype(np.int64), (runs, 1))
        budget = limit_carry + limit_day
        limit_carry = budget - np.floor(budget)
        limit_left = np.tile(
            np.where(np.isfinite(plan.queue_limit), np.floor(budget), UNLIMITED).astype(np.int64),
            (runs, 1),
        )
        for depth, level in enumerate(plan.levels):
            if tally.gates is not None:
                tally.gates.through(depth, day, arrivals, rng)
            if level.won.size:
                got = arrivals[:, level.won]
                tally.won[:, period_of[day]] += got.sum(axis=1)
                tally.revenue[:, period_of[day]] += got @ values[level.won]
            if level.split_nodes.size == 0:
                continue
            work = np.empty((runs, level.split_nodes.size), dtype=np.int64)
            nfree = level.free.size
            work[:, :nfree] = arrivals[:, level.free]
            late = None
            if level.queued.size:
                ontime, late = _serve(
                    level,
                    plan,
                    queue,
                    arrivals,
                    team_left,
                    limit_left,
                    rng,
                    tally,
                    sla_slot,
                    limit_slot,
                )
                work[:, nfree:] = ontime
            moved, left = _split(work, plan.cond[level.split_nodes], rng)
            if late is not None and late.any():
                moved_late, left_late = _split(late, plan.cond_late[level.queued], rng)
                moved[:, nfree:] += moved_late
                left[:, nfree:] += left_late
            tally.losses[level.split_nodes] += left.sum(axis=0)
            if level.sel.size == 0:
                continue
            flat = moved.reshape(runs, -1)[:, level.sel]
            if level.to_lost.any():
                np.add.at(
                    tally.losses,
                    net.src[level.edge[level.to_lost]],
                    flat[:, level.to_lost].sum(axis=0),
                )
            # np.add.at over the transposed views: columns by index, every run at once
            same = level.lag == 0
            if same.any():
                np.add.at(arrivals.T, level.target[same], flat[:, same].T)
            later = ~same
            if later.any():
                index = ((day + level.lag[later]) % span) * n + level.target[later]
                np.add.at(buffer.T, index, flat[:, later].T)
        if nq:  # a day older; the last age pools everything beyond the longest SLA window
            oldest = queue[:, :, -1] + queue[:, :, -2]
            queue[:, :, 1:-1] = queue[:, :, :-2].copy()
            queue[:, :, -1] = oldest
            queue[:, :, 0] = 0
            waiting = queue.sum(axis=2)
            for k in range(n_teams):
                if team_q[k].size:
                    tally.backlog[:, day, k] = waiting[:, team_q[k]].sum(axis=1)
    return tally


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


def _serve(level, plan, queue, arrivals, team_left, limit_left, rng, tally, sla_slot, limit_slot):
    """Queue the level's capacity-bound arrivals and work what the day's capacity allows.

    Returns (worked on time, worked late) per queued node of the level.
    """
    pos = level.qpos
    incoming = arrivals[:, level.queued]
    queue[:, pos, 0] += incoming
    demand = queue[:, pos, :].sum(axis=2)
    limited = limit_slot[pos] >= 0
    if limited.any():
        tally.limit_demand[:, limit_slot[pos][limited]] += incoming[:, limited]
    grant = np.minimum(demand, limit_left[:, pos])
    for k, cols in level.teams:
        tally.demand[:, k] += incoming[:, cols].sum(axis=1)
        pool = grant[:, cols].sum(axis=1)
        serve = np.minimum(pool, team_left[:, k])
        team_left[:, k] -= serve
        tally.served[:, k] += serve
        if (serve == pool).all():
            continue  # the team has room for everything queued: no one to choose
        remaining = pool.copy()
        for c in cols.tolist():
            good = grant[:, c]
            take = (
                rng.hypergeometric(good, remaining - good, serve)
                if serve.any()
                else np.zeros_like(good)
            )
            remaining -= good
            serve = serve - take
            grant[:, c] = take
    limit_left[:, pos] -= grant
    waiting = queue[:, pos, ::-1]
    before = np.cumsum(waiting, axis=2) - waiting
    taken = np.clip(grant[:, :, None] - before, 0, waiting)
    queue[:, pos, :] -= taken[:, :, ::-1]
    late = (taken[:, :, ::-1] * plan.late_mask[pos][None]).sum(axis=2)
    slots = sla_slot[pos]
    has = slots >= 0
    if has.any():
        tally.late[:, slots[has]] += late[:, has]
        tally.sla_served[:, slots[has]] += grant[:, has]
    return grant - late, late


def _summarise(
    net, plan, tallies, bounds, periods, runs, seed, scenario, cancelled
) -> MonteCarloResult:
    per_won = np.concatenate([t.won for t in tallies])
    per_revenue = np.concatenate([t.revenue for t in tallies])
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
    served = np.concatenate([t.served for t in tallies])
    demand = np.concatenate([t.demand for t in tallies])
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
            tuple(np.median(backlog[:, :, k], axis=0).tolist()),
            Summary.of(backlog[:, -1, k]),
        )
        ratios.append((load, team, k))
    limit_demand = np.concatenate([t.limit_demand for t in tallies])
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
    losses = sum(t.losses for t in tallies) / runs / horizon
    gates = {}
    gate_losses = None
    states = [t.gates for t in tallies if t.gates is not None]
    if states:
        gates = mc_gates.summarise(net, states, runs)
        gate_losses = np.zeros(net.size)
        for k, gate in enumerate(net.gates):
            gate_losses[gate.host] = sum(s.failed[k] for s in states) / runs / horizon
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
    )


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
