"""One batch of Monte Carlo runs, day by day (see :mod:`models.simulation.montecarlo`).

The leads on their way live in a ring buffer of ``span`` days x runs x steps: the slot of
day ``d`` is ``d % span``, so today's slot is where today's leads are, and a zero-day hop
lands in it too (the later levels of the day work them). Each day touches only the steps
that hold leads: it visits the levels holding leads when it starts and those its zero-day
hops reach (:class:`_Agenda`), and splits and moves a level's steps, or a team's queued
steps, only where some run has leads to work there; so a day costs the leads' steps and
edges, not the map's.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from . import mc_gates, mc_serve
from .mc_cadence import CadenceRun
from .mc_plan import Outflow, Plan
from .network import Network

UNLIMITED = np.iinfo(np.int64).max // 4


@dataclass
class Tally:
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


def split(
    flow: Outflow, rows: np.ndarray, counts: np.ndarray, p: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split ``counts`` (runs x ``rows``, rows of ``flow``) over the rows' edges by a chain of
    binomials with probabilities ``p`` (per position of ``flow``).

    Returns (positions of ``flow``, leads moved along each: runs x positions, leads left:
    runs x rows). One draw per edge (the k-th edges of every row at once), none for the edges
    of rows that are not given.
    """
    low = flow.start[rows]
    if flow.single:  # one edge a row at most: one draw
        out = None if flow.full else flow.start[rows + 1] > low
        if out is None or out.all():
            moved = rng.binomial(counts, p[low])
            return low, moved, counts - moved
        at = np.flatnonzero(out)
        moved = rng.binomial(counts[:, at], p[low[at]])
        left = counts.copy()
        left[:, at] -= moved
        return low[at], moved, left
    degree = flow.start[rows + 1] - low
    first = np.cumsum(degree) - degree  # each row's first column in ``moved``
    total = int(first[-1] + degree[-1]) if rows.size else 0
    positions = np.repeat(low - first, degree) + np.arange(total)
    moved = np.zeros((counts.shape[0], total), dtype=np.int64)
    left = counts.copy()
    for k in range(int(degree.max(initial=0))):
        at = np.flatnonzero(degree > k)
        take = rng.binomial(left[:, at], p[low[at] + k])
        moved[:, first[at] + k] = take
        left[:, at] -= take
    return positions, moved, left


class _Agenda:
    """The levels to work today, in order: those holding leads when the day starts, and those a
    zero-day hop or a gate brings leads to on the way; a level no lead reaches costs nothing."""

    def __init__(self, depth: np.ndarray) -> None:
        self.depth = depth  # per node: its level
        self.heap: list[int] = []
        self.seen: set[int] = set()

    def start(self, arrivals: np.ndarray) -> None:
        self.heap = np.unique(self.depth[np.flatnonzero(arrivals.any(axis=0))]).tolist()
        self.seen = set(self.heap)  # a sorted list is a heap

    def add(self, nodes: np.ndarray) -> None:
        for d in self.depth[nodes].tolist():
            if d not in self.seen:
                self.seen.add(d)
                heapq.heappush(self.heap, d)

    def __iter__(self):
        while self.heap:
            yield heapq.heappop(self.heap)


class _Ring:
    """Leads on their way, by arrival day (a ring of ``span`` days), run and step; and the
    leads entering each stage, the same way."""

    def __init__(
        self, runs: int, span: int, n: int, n_stages: int, tally: Tally, agenda: _Agenda
    ) -> None:
        self.runs, self.span, self.n, self.stages = runs, span, n, max(n_stages, 1)
        self.agenda = agenda
        self.leads = np.zeros((span, runs, n), dtype=np.int64)
        self.entering = np.zeros((span, runs, self.stages), dtype=np.int64)
        self.tally = tally
        self._run_leads = (np.arange(runs) * n)[:, None]
        self._run_stages = (np.arange(runs) * self.stages)[:, None]

    def send(self, flow: Outflow, positions: np.ndarray, moved: np.ndarray, day: int) -> None:
        """The leads ``moved`` (runs x ``positions`` of ``flow``) set off today."""
        if positions.size == 0:
            return
        lag = flow.lag[positions]
        slot = (day + lag) % self.span
        if flow.same_day:  # zero-day hops: their levels come later today
            today = flow.instant[positions] & moved.any(axis=0)
            self.agenda.add(flow.target[positions[today]])
        if flow.staged:
            stage = flow.stage[positions]
            into = stage >= 0
            index = (slot[into] * self.runs * self.stages + stage[into])[None, :] + self._run_stages
            np.add.at(self.entering.reshape(-1), index.ravel(), moved[:, into].ravel())
        if flow.losing:  # a lost outcome's leads are the step's losses, and go nowhere else
            lost = flow.lost[positions]
            np.add.at(self.tally.losses, flow.source[positions[lost]], moved[:, lost].sum(axis=0))
            slot, positions, moved = slot[~lost], positions[~lost], moved[:, ~lost]
        index = (slot * self.runs * self.n + flow.target[positions])[None, :] + self._run_leads
        if flow.distinct:  # each index once: a plain indexed add
            self.leads.reshape(-1)[index] += moved
        else:
            np.add.at(self.leads.reshape(-1), index.ravel(), moved.ravel())


def run_batch(setup, net: Network, rng: np.random.Generator, runs: int, bounds) -> Tally:
    """``runs`` runs over the days of ``bounds`` (``setup``: the run set's ``_Setup``)."""
    plan: Plan = setup.plan
    n, span = net.size, plan.span
    days, periods = int(bounds[-1]), len(bounds) - 1
    period_of = np.repeat(np.arange(periods), np.diff(bounds))
    n_stages = len(net.stages)
    n_teams = len(net.teams)
    queued = plan.queued
    nq = queued.size
    sla_nodes = np.flatnonzero(plan.late_mask.any(axis=1))  # queued positions with a finite window
    tally = Tally(
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
    agenda = _Agenda(plan.depth)
    ring = _Ring(runs, span, n, n_stages, tally, agenda)
    _start(ring, plan, setup, rng)
    entries = np.flatnonzero(net.entry & (net.volume > 0))
    entry_rate = net.volume[entries] / net.period_days / setup.lot
    entry_stage = plan.stage_of[entries]
    staged_entry = entry_stage >= 0
    queue = np.zeros((plan.ages, runs, nq), dtype=np.int64)  # by age in days
    team_day = np.where(np.isfinite(plan.team_day), np.minimum(plan.team_day, UNLIMITED), 0.0)
    limit_day = np.where(
        np.isfinite(plan.queue_limit), np.minimum(plan.queue_limit, UNLIMITED), 0.0
    )
    team_carry = np.zeros(n_teams)
    limit_carry = np.zeros(nq)
    limit_of = np.full(n, -1, dtype=np.int64)  # per step: its own capacity's index
    for k, resource in enumerate(net.node_limits):
        limit_of[resource.members[0]] = k
    limit_slot = limit_of[queued]
    limited = limit_slot >= 0
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
        arrivals = ring.leads[day % span]  # today's leads: zero-day hops land here too
        entered = ring.entering[day % span]
        if entries.size:
            drawn = rng.poisson(entry_rate, size=(runs, entries.size))
            arrivals[:, entries] += drawn
            if n_stages:
                np.add.at(entered.T, entry_stage[staged_entry], drawn[:, staged_entry].T)
        if tally.gates is not None:
            tally.gates.release(day, arrivals)
        if cadence is not None:
            cadence.start_day(day)
        agenda.start(arrivals)
        for depth in agenda:
            level = plan.levels[depth]
            if tally.gates is not None and depth in setup.gates.at_level:
                tally.gates.through(depth, day, arrivals, rng)
                agenda.add(setup.gates.host[setup.gates.at_level[depth]])  # passed the same day
            if level.won.size:
                got = arrivals[:, level.won]
                tally.won[:, period_of[day]] += got.sum(axis=1)
                tally.revenue[:, period_of[day]] += got @ values[level.won]
            if level.free.size:
                work = arrivals[:, level.free]
                rows = np.flatnonzero(work.any(axis=0))  # the level's steps holding leads
                if rows.size:
                    _work(
                        ring,
                        level.outflow,
                        level.free,
                        rows,
                        work[:, rows],
                        None,
                        rng,
                        day,
                        cadence,
                    )
        if nq:
            incoming = arrivals[:, queued]
            queue[0] += incoming
            demand = queue.sum(axis=0)
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
            grant, served = mc_serve.grants(
                plan, queue, demand, team_left, limit_left, rng, setup.policy
            )
            tally.served += served
            late = mc_serve.take_oldest(queue, grant, plan.late_mask)
            if sla_nodes.size:
                tally.late += late[:, sla_nodes]
                tally.sla_served += grant[:, sla_nodes]
            rows = np.flatnonzero(grant.any(axis=0))  # the queued steps that worked leads today
            if rows.size:
                ontime = grant[:, rows] - late[:, rows]
                _work(ring, plan.served, queued, rows, ontime, late[:, rows], rng, day, cadence)
            # a day older; the last age pools everything beyond the longest window told apart
            queue[-1] += queue[-2]
            queue[1:-1] = queue[:-2].copy()
            queue[0] = 0
            waiting = demand - grant
            for k, cols in plan.team_positions:
                tally.backlog[:, day, k] = waiting[:, cols].sum(axis=1)
        if n_stages:
            tally.stages[:, period_of[day], :] += entered
        if cadence is not None:
            cadence.end_day(day)
        arrivals[:] = 0  # the slot now holds the leads arriving ``span`` days from today
        entered[:] = 0
    return tally


def _work(
    ring: _Ring,
    flow: Outflow,
    nodes: np.ndarray,
    rows: np.ndarray,
    ontime: np.ndarray,
    late: np.ndarray | None,
    rng: np.random.Generator,
    day: int,
    cadence: CadenceRun | None = None,
) -> None:
    """Work the leads of ``rows`` (of ``flow``, whose steps are ``nodes``): reached by the
    follow-up cadence, split over the edges (late leads at the late rates), sent on."""
    steps = nodes[rows]
    losses = ring.tally.losses
    if cadence is not None:
        ontime, unreached = cadence.thin(steps, ontime, rng)
        losses[steps] += unreached.sum(axis=0)
        if late is not None:
            late, unreached = cadence.thin(steps, late, rng)
            losses[steps] += unreached.sum(axis=0)
    positions, moved, left = split(flow, rows, ontime, flow.p, rng)
    if late is not None and late.any():
        _, moved_late, left_late = split(flow, rows, late, flow.p_late, rng)
        moved += moved_late
        left += left_late
    losses[steps] += left.sum(axis=0)
    ring.send(flow, positions, moved, day)


def _start(ring: _Ring, plan: Plan, setup, rng: np.random.Generator) -> None:
    """The leads on their way on day 0: Poisson counts around the steady state's means, drawn
    only for the steps some lead is on its way to."""
    staged = plan.stage_of >= 0
    for slot in range(ring.span):
        for means, counted in ((setup.internal[slot], False), (setup.entering[slot], True)):
            cols = np.flatnonzero(means > 0)
            if cols.size == 0:
                continue
            drawn = rng.poisson(means[cols], size=(ring.runs, cols.size))
            ring.leads[slot][:, cols] += drawn
            if counted and staged[cols].any():
                keep = staged[cols]
                np.add.at(ring.entering[slot].T, plan.stage_of[cols[keep]], drawn[:, keep].T)
