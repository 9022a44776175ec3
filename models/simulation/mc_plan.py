"""The Monte Carlo's static plan: whole-day lags, same-day levels, split tables, queues.

Built once per run set from a compiled :class:`~models.simulation.network.Network`:

* **Lags.** A lead leaving node ``i`` along edge ``e`` arrives
  ``round(duration_i + delay_e)`` whole days later (deterministic delays,
  rounded to the day). A loop of zero-day hops would let a lead circle
  forever within one day, so a zero-day edge inside such a loop takes one day.
  A lead worked at a capacity-bound step moves on the next day at the earliest:
  the team's day of work is shared once, at the end of the day, among every lead
  queued at its steps (see :mod:`models.simulation.montecarlo`).
* **Levels.** Zero-day edges between steps without a capacity form a DAG; its
  topological levels are processed in order each day (those holding leads), so a lead can
  cross several zero-day hops the day it arrives.
* **Splits.** Each node's outgoing conversions become conditional
  probabilities for a chain of binomials (the multinomial split, vectorised
  over runs and nodes); what is left is the drop-off.
* **Queues.** Nodes of a team with a capacity, or with their own capacity,
  hold a queue by age in days; ages beyond the longest SLA window (at least
  :data:`FIFO_AGES` days when the team serves first come, first served) are pooled.
* **Stages.** An edge into a step of a later stage than the one its leads are in is a
  lead *entering* that stage (:func:`entering_edges`); the runs count those per period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from .network import Network

FIFO_AGES = 31
"""Days of waiting a first-come-first-served queue tells apart (older leads count as equally old)."""


@dataclass(frozen=True)
class Outflow:
    """The edges out of a set of steps (rows), row by row: only edges a lead can take (a
    conditional probability above zero, on time or late), in each row's chain order."""

    start: np.ndarray  # per row: its first position (one more entry: the number of positions)
    p: np.ndarray  # per position: the chain's conditional probability (``cond[node, k]``)
    p_late: np.ndarray  # the same with the SLA's late factor (``cond_late[node, k]``)
    source: np.ndarray  # per position: the step the leads leave
    target: np.ndarray
    lag: np.ndarray
    lost: np.ndarray  # bool per position: the target is a lost outcome
    stage: np.ndarray  # per position: the stage its leads enter from outside it (-1: none)
    instant: np.ndarray  # per position: the edge takes no day and ends at a step (not lost)
    single: bool  # no row has more than one edge (the split is one binomial per row)
    full: bool  # every row has an edge
    staged: bool  # some edge enters a stage
    losing: bool  # some edge ends at a lost outcome
    same_day: bool  # some edge takes no day (to a step, not a lost outcome)
    distinct: bool  # no two edges end at the same step


@dataclass(frozen=True)
class Level:
    nodes: np.ndarray  # every node of the level
    won: np.ndarray  # won outcomes of the level
    free: np.ndarray  # transient nodes worked the day they arrive (no capacity)
    outflow: Outflow  # the edges out of ``free``


@dataclass(frozen=True)
class Plan:
    n: int
    lag: np.ndarray  # per edge row
    span: int  # ring-buffer length: longest lag + 1
    cond: np.ndarray  # n x K conditional split probabilities
    cond_late: np.ndarray  # n x K, with the SLA's late factor applied
    out: np.ndarray  # n x K edge rows (-1: none)
    levels: list[Level]
    queued: np.ndarray  # network indices of queued nodes
    queue_team: np.ndarray  # per queued node: team index or -1
    queue_limit: np.ndarray  # per queued node: own capacity per day (inf: none)
    late_mask: np.ndarray  # queued x ages: True where waiting that long breaches the SLA window
    ages: int
    team_day: np.ndarray  # per team: capacity per day (inf: none)
    team_positions: list[tuple[int, np.ndarray]]  # (team k, positions into ``queued``)
    priority: np.ndarray  # per queued node: its stage's rank (later stages higher; -1: none)
    served: Outflow  # the edges out of ``queued``
    stage_of: np.ndarray  # per node: index into ``net.stages`` (-1: none)
    enters: np.ndarray  # per edge row: the stage its leads enter (-1: none)
    depth: np.ndarray  # per node: the index of its level in ``levels``


def stage_index(net: Network) -> np.ndarray:
    """Per node, the index of its stage in ``net.stages`` (-1 for a step without one)."""
    where = {stage_id: k for k, (stage_id, _) in enumerate(net.stages)}
    return np.array([where.get(s, -1) if s else -1 for s in net.stage], dtype=np.int64)


def carried_stage(net: Network, stage_of: np.ndarray | None = None) -> np.ndarray:
    """Per node, the stage a lead there is in: its own, or for a step without a stage (a
    decision, a buyer step) the stage every step leading into it is in (-1 when they differ or
    none has one), so a stage-less decision between two steps of a stage does not take its
    leads out of that stage."""
    stage_of = stage_index(net) if stage_of is None else stage_of
    carried = stage_of.copy()
    open_ = np.flatnonzero((stage_of < 0) & ~net.entry)
    if open_.size == 0:
        return carried
    order = np.argsort(net.dst, kind="stable")
    starts = np.searchsorted(net.dst[order], np.arange(net.size + 1))
    sources = net.src[order]
    while open_.size:  # each round settles at least one more step, or none can settle
        settled = []
        for i in open_.tolist():
            into = carried[sources[starts[i] : starts[i + 1]]]
            if into.size and (into >= 0).all() and (into == into[0]).all():
                settled.append((i, into[0]))
        if not settled:
            break
        for i, stage in settled:
            carried[i] = stage
        open_ = open_[carried[open_] < 0]
    return carried


def entering_edges(net: Network, stage_of: np.ndarray | None = None) -> np.ndarray:
    """Per edge row, the stage its leads enter (-1: none): the target's stage when it comes
    later in the map's stage order than the stage the lead leaves (a lead falling back to an
    earlier stage enters nothing; moving forward again, it enters again)."""
    stage_of = stage_index(net) if stage_of is None else stage_of
    carried = carried_stage(net, stage_of)
    into = stage_of[net.dst]
    return np.where((into >= 0) & (into > carried[net.src]), into, -1)


def lags(net: Network, queued: np.ndarray | None = None) -> np.ndarray:
    """Whole-day lag per edge row; zero-day edges inside a zero-day loop take one day, and so
    does every zero-day edge leaving a queued (capacity-bound) node when ``queued`` is given."""
    lag = np.rint(np.minimum(net.duration[net.src] + net.delay, 2.0**62)).astype(np.int64)
    if queued is not None:
        lag[(lag == 0) & queued[net.src]] = 1
    zero = lag == 0
    if zero.any():
        n = net.size
        graph = csr_matrix((np.ones(int(zero.sum())), (net.src[zero], net.dst[zero])), shape=(n, n))
        _, labels = connected_components(graph, directed=True, connection="strong")
        looping = zero & (labels[net.src] == labels[net.dst])
        lag[looping] = 1
    return lag


def _levels(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Longest-path depth of each node in the zero-day DAG (Kahn's algorithm)."""
    depth = np.zeros(n, dtype=np.int64)
    indegree = np.bincount(dst, minlength=n)
    succ: dict[int, list[int]] = {}
    for a, b in zip(src.tolist(), dst.tolist(), strict=True):
        succ.setdefault(a, []).append(b)
    ready = [i for i in range(n) if indegree[i] == 0]
    while ready:
        a = ready.pop()
        for b in succ.get(a, ()):
            depth[b] = max(depth[b], depth[a] + 1)
            indegree[b] -= 1
            if indegree[b] == 0:
                ready.append(b)
    return depth


def conditional(probabilities: np.ndarray) -> np.ndarray:
    """Per row, p_k / (1 - p_1 - ... - p_{k-1}): the binomial chain equal to a multinomial split.

    >>> conditional(np.array([[0.2, 0.4, 0.0]])).round(3).tolist()
    [[0.2, 0.5, 0.0]]
    """
    before = np.cumsum(probabilities, axis=1) - probabilities
    room = 1.0 - before
    with np.errstate(divide="ignore", invalid="ignore"):
        cond = np.where(room > 1e-15, probabilities / room, 0.0)
    return np.clip(cond, 0.0, 1.0)


def outflow(
    net: Network,
    rows: np.ndarray,
    out: np.ndarray,
    cond: np.ndarray,
    cond_late: np.ndarray,
    lag: np.ndarray,
    enters: np.ndarray,
) -> Outflow:
    """The :class:`Outflow` of the steps ``rows`` (``out``: n x K edge rows, -1 for none)."""
    table, on_time, late = out[rows], cond[rows], cond_late[rows]
    row, k = np.nonzero((table >= 0) & ((on_time > 0) | (late > 0)))
    edge = table[row, k]
    target = net.dst[edge]
    start = np.searchsorted(row, np.arange(rows.size + 1)).astype(np.int64)
    lost, days, stage = net.lost[target], lag[edge], enters[edge]
    # a gate's node stands for its gated step: an edge into it enters the step's stage
    return Outflow(
        start,
        on_time[row, k],
        late[row, k],
        net.src[edge],
        target,
        days,
        lost,
        stage,
        instant=(days == 0) & ~lost,
        single=bool((np.diff(start) <= 1).all()),
        full=bool((np.diff(start) >= 1).all()),
        staged=bool((stage >= 0).any()),
        losing=bool(lost.any()),
        same_day=bool(((days == 0) & ~lost).any()),
        distinct=np.unique(target).size == target.size,
    )


def build(
    net: Network,
    conv: np.ndarray,
    capacities: np.ndarray,
    policy: str = "shared",
    horizon: int | None = None,
) -> Plan:
    """The plan of ``net`` with conversions ``conv`` and ``capacities`` (per ``net.resources``).

    ``policy`` is the map's capacity policy (``shared``, ``first_come``, ``late_stages_first``);
    it sets how long queues tell ages apart and the priority of each queued step. With a
    ``horizon`` (days simulated), a lag longer than it counts as ``horizon + 1`` days: those
    leads arrive after the last day either way, and the ring buffer stays the horizon's size
    however long a step takes (a map may say a trillion days).
    """
    n = net.size
    outcome = net.outcome
    team_of = np.full(n, -1, dtype=np.int64)
    team_day = np.array([c / net.period_days for c in capacities[: len(net.teams)]], dtype=float)
    for k, team in enumerate(net.teams):
        if np.isfinite(team_day[k]):
            team_of[team.members] = k
    limit = np.full(n, np.inf)
    for k, resource in enumerate(net.node_limits):
        limit[resource.members] = capacities[len(net.teams) + k] / net.period_days
    is_queued = ~outcome & ((team_of >= 0) | np.isfinite(limit))
    lag = lags(net, is_queued)
    if horizon is not None:
        lag = np.minimum(lag, horizon + 1)
    degree = np.bincount(net.src, minlength=n)
    width = max(1, int(degree.max()) if degree.size else 1)
    out = np.full((n, width), -1, dtype=np.int64)
    probs = np.zeros((n, width))
    order = np.argsort(net.src, kind="stable")
    slot = np.zeros(n, dtype=np.int64)
    for e in order.tolist():
        i = int(net.src[e])
        out[i, slot[i]] = e
        probs[i, slot[i]] = conv[e]
        slot[i] += 1
    window = net.sla_window if net.sla_window is not None else np.full(n, np.inf)
    factor = net.sla_factor if net.sla_factor is not None else np.ones(n)
    cond = conditional(probs)
    cond_late = conditional(probs * factor[:, None])
    stage_of = stage_index(net)
    enters = entering_edges(net, stage_of)

    queued = np.flatnonzero(is_queued)
    finite_windows = window[queued][np.isfinite(window[queued])]
    ages = int(np.floor(finite_windows.max())) + 2 if finite_windows.size else 2
    if policy == "first_come":
        ages = max(ages, FIFO_AGES + 1)
    late_mask = np.arange(ages)[None, :] > window[queued][:, None]
    queue_team = team_of[queued]
    team_positions = [
        (k, np.flatnonzero(queue_team == k))
        for k in range(len(net.teams))
        if (queue_team == k).any()
    ]

    zero = lag == 0
    depth = _levels(n, net.src[zero], net.dst[zero])
    levels = []
    order = np.argsort(depth, kind="stable")  # the nodes level by level, each level in order
    bounds = np.searchsorted(depth[order], np.arange(int(depth.max()) + 2 if n else 1))
    for d in range(bounds.size - 1):
        nodes = order[bounds[d] : bounds[d + 1]]
        free = nodes[~outcome[nodes] & ~is_queued[nodes]]
        flows = outflow(net, free, out, cond, cond_late, lag, enters)
        levels.append(Level(nodes, nodes[net.won[nodes]], free, flows))
    return Plan(
        n,
        lag,
        int(lag.max()) + 1 if lag.size else 1,
        cond,
        cond_late,
        out,
        levels,
        queued,
        queue_team,
        limit[queued],
        late_mask,
        ages,
        team_day,
        team_positions,
        stage_of[queued],
        outflow(net, queued, out, cond, cond_late, lag, enters),
        stage_of,
        enters,
        depth,
    )
