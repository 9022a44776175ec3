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

Runs are drawn in batches of ``BATCH`` (fewer on a map so large that a batch's leads on their
way and queues would pass :data:`BATCH_CELLS` counts; the size depends on the map alone);
batch ``b`` uses the ``b``-th child of ``SeedSequence(seed)``, so a seed and a number of runs
give identical numbers on every machine, and more runs only add runs (whole batches).
``progress(done, total)`` is called after each batch and ``cancel()`` polled before each one:
a cancelled simulation returns the runs finished so far (``cancelled=True``), or raises
:class:`~models.simulation.SimulationCancelled` if none finished.

The days of a batch are simulated in :mod:`models.simulation.mc_days` (touching only the steps
that hold leads), and the batches added up in :mod:`models.simulation.mc_summary`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from models.document import JourneyMap, Scenario

from . import mc_days, mc_gates, mc_plan, mc_summary
from .capacity import shares_and_factors
from .errors import SimulationCancelled, SimulationError
from .expected import prepare
from .linear import solve
from .mc_results import MonteCarloResult
from .network import Network

BATCH = 100
BATCH_CELLS = 25_000_000
"""Most counts (8 bytes each) a batch may hold in its ring of leads on their way and its queues."""
MAX_RUNS = 10_000  # keeps the daily backlog of every run (runs x days x teams) within memory
MAX_DAYS = 20_000
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
    batch = batch_size(net.size, plan)
    done = 0
    cancelled = False
    batch_index = 0
    while done < runs:
        if cancel is not None and cancel():
            cancelled = True
            break
        size = min(batch, runs - done)
        rng = generator(seed, batch_index)
        tallies.append(mc_days.run_batch(setup, net, rng, size, bounds))
        done += size
        batch_index += 1
        if progress is not None:
            progress(done, runs)
    if done == 0:
        raise SimulationCancelled("The simulation was cancelled before the first run finished.")
    return mc_summary.summarise(
        net, setup, tallies, bounds, periods, done, seed, scenario, cancelled
    )


def batch_size(n: int, plan: mc_plan.Plan) -> int:
    """Runs a batch simulates at once: :data:`BATCH`, or as many as :data:`BATCH_CELLS` holds."""
    per_run = plan.span * n + plan.ages * plan.queued.size
    return max(1, min(BATCH, BATCH_CELLS // max(per_run, 1)))


def generator(seed: int, batch: int) -> np.random.Generator:
    """The random numbers of batch ``batch`` of a run set with ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(batch,)))


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
