"""Committee gates in the Monte Carlo: each lead draws every required role's journey.

A lead reaching a gate's node (see :mod:`models.simulation.gates`) draws one journey per
required role through that role's process (:func:`~models.simulation.gates.walk`: its
conversions, whole-day delays). It passes only if every journey clears, and reaches the
gated step when the slowest has cleared (the same day when every role clears at once).
The others leave at the gate.

Runs start with the committee's work in progress: the gate is taken to have received
leads at its steady-state rate on each of the ``window`` days before day 0 (Poisson counts,
each lead with its own journeys), and those still waiting on day 0 reach the step when their
slowest role clears. The window is ten times the sum of the roles' expected days to clear
(at least 30 days), which leaves out only journeys far longer than their mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .gates import Walker, walk, walker
from .mc_results import GateRun, RoleRun
from .network import Network

JOURNEY_LIMIT = 50_000
"""Leads a day (over a batch of runs) drawn one journey each; beyond, a sample of that many."""
MIN_WINDOW = 30
MAX_WINDOW = 20_000
WINDOW_FACTOR = 10.0


@dataclass(frozen=True)
class GatePlan:
    """What every batch shares: the gates' nodes, their journeys' walkers and steady rates."""

    index: np.ndarray  # per gate: its node
    host: np.ndarray  # per gate: the gated step
    lag: np.ndarray  # per gate: whole days of its edge to the step (1 inside a zero-day loop)
    walkers: list[list[Walker]]  # per gate, per clearance
    at_level: dict[int, list[int]]  # level index -> gates whose node is in that level
    rate: np.ndarray  # per gate: leads a day in the steady state
    window: np.ndarray  # per gate: days of history drawn at the start
    horizon: int  # days simulated


def plan(
    net: Network, lag: np.ndarray, levels, steady: np.ndarray, days: int, lot: float = 1.0
) -> GatePlan:
    """The gates of ``net`` for the Monte Carlo (``lag``, ``levels``: the run's plan;
    ``steady``: the expected arrivals per period the runs start from; ``lot``: leads per
    counted unit)."""
    walkers = {c: walker(chain) for c, chain in enumerate(net.chains)}
    level_of = {}
    for li, level in enumerate(levels):
        for i in level.nodes.tolist():
            level_of[i] = li
    at_level: dict[int, list[int]] = {}
    for k, gate in enumerate(net.gates):
        at_level.setdefault(level_of[gate.index], []).append(k)
    window = [
        min(
            MAX_WINDOW,
            max(MIN_WINDOW, math.ceil(WINDOW_FACTOR * sum(d or 0.0 for d in gate.days))),
        )
        for gate in net.gates
    ]
    return GatePlan(
        index=np.array([g.index for g in net.gates], dtype=np.int64),
        host=np.array([g.host for g in net.gates], dtype=np.int64),
        lag=np.array([int(lag[g.edge]) for g in net.gates], dtype=np.int64),
        walkers=[[walkers[c] for c in gate.chains] for gate in net.gates],
        at_level=at_level,
        rate=np.array([steady[g.index] / net.period_days / lot for g in net.gates]),
        window=np.array(window, dtype=np.int64),
        horizon=days,
    )


@dataclass
class GateState:
    """One batch's gates: leads on their way to the gated steps, and the tallies."""

    plan: GatePlan
    runs: int
    pending: dict[int, np.ndarray] = field(default_factory=dict)  # day -> runs x gates
    arrived: np.ndarray = field(init=False)
    passed: np.ndarray = field(init=False)
    waited: np.ndarray = field(init=False)  # days waited by the leads that passed
    cleared: list[np.ndarray] = field(init=False)  # per gate: runs x clearances
    cleared_days: list[np.ndarray] = field(init=False)
    failed: np.ndarray = field(init=False)  # per gate, summed over runs

    def __post_init__(self) -> None:
        gates = self.plan.index.size
        self.arrived = np.zeros((self.runs, gates))
        self.passed = np.zeros((self.runs, gates))
        self.waited = np.zeros((self.runs, gates))
        self.cleared = [np.zeros((self.runs, len(w))) for w in self.plan.walkers]
        self.cleared_days = [np.zeros((self.runs, len(w))) for w in self.plan.walkers]
        self.failed = np.zeros(gates)

    def start(self, rng: np.random.Generator) -> None:
        """The committee's work in progress on day 0 (see the module docstring)."""
        for k in range(self.plan.index.size):
            window = int(self.plan.window[k])
            counts = rng.poisson(self.plan.rate[k] * window, size=self.runs)
            total = int(counts.sum())
            if total == 0:
                continue
            if total > JOURNEY_LIMIT:  # lots of leads: each run's from a sample of journeys
                ok, wait, _, _ = self._journeys(k, JOURNEY_LIMIT, rng)
                age = rng.integers(1, window + 1, size=JOURNEY_LIMIT)
                release = np.maximum(wait, self.plan.lag[k]) - age
                when = release[ok & (release >= 0)]
                values, hits = np.unique(when, return_counts=True)
                share = np.append(hits, JOURNEY_LIMIT - hits.sum()) / JOURNEY_LIMIT
                drawn = rng.multinomial(counts, share)[:, :-1]
                for d, column in zip(values.tolist(), drawn.T, strict=True):
                    self._due(k, column, int(d))
                continue
            run_of = np.repeat(np.arange(self.runs), counts)
            age = rng.integers(1, window + 1, size=total)
            ok, wait, _, _ = self._journeys(k, total, rng)
            release = np.maximum(wait, self.plan.lag[k]) - age
            self._schedule(k, run_of[ok & (release >= 0)], release[ok & (release >= 0)], 0)

    def release(self, day: int, arrivals: np.ndarray) -> None:
        """Leads whose slowest role cleared today reach their gated step."""
        due = self.pending.pop(day, None)
        if due is not None:
            arrivals[:, self.plan.host] += due.astype(arrivals.dtype)

    def through(self, level: int, day: int, arrivals: np.ndarray, rng: np.random.Generator) -> None:
        """The leads that reached the gates of ``level`` today draw their roles' journeys."""
        for k in self.plan.at_level.get(level, ()):
            node = self.plan.index[k]
            counts = arrivals[:, node].copy()
            arrivals[:, node] = 0
            total = int(counts.sum())
            if total == 0:
                continue
            if total > JOURNEY_LIMIT:
                self._through_in_bulk(k, counts, day, arrivals, rng)
                continue
            run_of = np.repeat(np.arange(self.runs), counts)
            ok, wait, cleared, days = self._journeys(k, total, rng)
            for j in range(cleared.shape[0]):
                self.cleared[k][:, j] += np.bincount(run_of[cleared[j]], minlength=self.runs)
                self.cleared_days[k][:, j] += np.bincount(
                    run_of[cleared[j]], weights=days[j][cleared[j]], minlength=self.runs
                )
            self.arrived[:, k] += counts
            self.passed[:, k] += np.bincount(run_of[ok], minlength=self.runs)
            self.waited[:, k] += np.bincount(run_of[ok], weights=wait[ok], minlength=self.runs)
            self.failed[k] += total - int(ok.sum())
            delay = np.maximum(wait[ok], self.plan.lag[k])
            now = delay == 0
            if now.any():  # the step comes after the gate in the day's order: it works them today
                arrivals[:, self.plan.host[k]] += np.bincount(
                    run_of[ok][now], minlength=self.runs
                ).astype(arrivals.dtype)
            self._schedule(k, run_of[ok][~now], delay[~now], day)

    def _through_in_bulk(self, k: int, counts, day: int, arrivals, rng) -> None:
        """More leads than :data:`JOURNEY_LIMIT` a day: a sample of that many journeys gives the
        pass rate, the waits and each role's clearing; each run's leads are drawn from it
        (binomial and multinomial counts)."""
        ok, wait, cleared, days = self._journeys(k, JOURNEY_LIMIT, rng)
        passed = rng.binomial(counts, ok.mean())
        values, hits = np.unique(wait[ok], return_counts=True)
        drawn = (
            rng.multinomial(passed, hits / hits.sum())
            if values.size
            else np.zeros((self.runs, 0), dtype=np.int64)
        )
        self.arrived[:, k] += counts
        self.passed[:, k] += passed
        self.waited[:, k] += drawn @ values if values.size else 0.0
        self.failed[k] += float(counts.sum() - passed.sum())
        for j in range(cleared.shape[0]):
            got = rng.binomial(counts, cleared[j].mean())
            self.cleared[k][:, j] += got
            if cleared[j].any():
                self.cleared_days[k][:, j] += got * days[j][cleared[j]].mean()
        for d, column in zip(values.tolist(), drawn.T, strict=True):
            delay = max(int(d), int(self.plan.lag[k]))
            if delay == 0:
                arrivals[:, self.plan.host[k]] += column.astype(arrivals.dtype)
            else:
                self._due(k, column, day + delay)

    def _journeys(
        self, k: int, total: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``total`` leads' journeys: (passes, days waited for the slowest role, per role
        cleared, per role days)."""
        walkers = self.plan.walkers[k]
        ok = np.ones(total, dtype=bool)
        wait = np.zeros(total, dtype=np.int64)
        cleared = np.zeros((len(walkers), total), dtype=bool)
        days = np.zeros((len(walkers), total), dtype=np.int64)
        for j, w in enumerate(walkers):
            cleared[j], days[j] = walk(w, total, rng)
            ok &= cleared[j]
            wait = np.maximum(wait, np.where(cleared[j], days[j], 0))
        return ok, wait, cleared, days

    def _due(self, k: int, counts: np.ndarray, when: int) -> None:
        if when >= self.plan.horizon or not counts.any():
            return
        due = self.pending.get(when)
        if due is None:
            due = self.pending[when] = np.zeros((self.runs, self.plan.index.size))
        due[:, k] += counts

    def _schedule(self, k: int, run_of: np.ndarray, delay: np.ndarray, day: int) -> None:
        if run_of.size == 0:
            return
        for d in np.unique(delay).tolist():
            when = day + int(d)
            if when >= self.plan.horizon:
                continue  # reaches the step after the last day simulated
            due = self.pending.get(when)
            if due is None:
                due = self.pending[when] = np.zeros((self.runs, self.plan.index.size))
            due[:, k] += np.bincount(run_of[delay == d], minlength=self.runs)


def summarise(
    net: Network, states: list[GateState], runs: int, lot: float = 1.0
) -> dict[str, GateRun]:
    """Per gate over every run: leads arriving and passing, the pass rate with its standard
    error (pooled over the leads: each lead's journeys are independent draws), the wait, and
    each role's rate of clearing."""
    found = {}
    for k, gate in enumerate(net.gates):
        arrived = float(sum(s.arrived[:, k].sum() for s in states))
        passed = float(sum(s.passed[:, k].sum() for s in states))
        waited = float(sum(s.waited[:, k].sum() for s in states))
        rate, se = _rate(passed, arrived)
        roles = []
        for j, c in enumerate(gate.chains):
            chain = net.chains[c]
            cleared = float(sum(s.cleared[k][:, j].sum() for s in states))
            days = float(sum(s.cleared_days[k][:, j].sum() for s in states))
            clear_rate, clear_se = _rate(cleared, arrived)
            roles.append(
                RoleRun(
                    chain.role,
                    chain.role_name,
                    chain.step,
                    chain.step_label,
                    clear_rate,
                    clear_se,
                    days / cleared if cleared else None,
                )
            )
        found[gate.node] = GateRun(
            gate.node,
            gate.label,
            arrived * lot / runs,
            passed * lot / runs,
            rate,
            se,
            waited / passed if passed else None,
            roles,
        )
    return found


def _rate(hits: float, total: float) -> tuple[float | None, float | None]:
    if total <= 0:
        return None, None
    p = hits / total
    return p, math.sqrt(p * (1.0 - p) / total)
