"""The Monte Carlo's static plan: whole-day lags, same-day levels, split tables, queues.

Built once per run set from a compiled :class:`~models.simulation.network.Network`:

* **Lags.** A lead leaving node ``i`` along edge ``e`` arrives
  ``round(duration_i + delay_e)`` whole days later (deterministic delays,
  rounded to the day). A loop of zero-day hops would let a lead circle
  forever within one day, so a zero-day edge inside such a loop takes one day.
* **Levels.** Zero-day edges form a DAG; its topological levels are processed
  in order each day, so a lead can cross several zero-day hops the day it arrives.
* **Splits.** Each node's outgoing conversions become conditional
  probabilities for a chain of binomials (the multinomial split, vectorised
  over runs and nodes); what is left is the drop-off.
* **Queues.** Nodes of a team with a capacity, or with their own capacity,
  hold a queue by age in days; ages beyond the longest SLA window are pooled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from .network import Network


@dataclass(frozen=True)
class Level:
    nodes: np.ndarray  # every node of the level
    won: np.ndarray  # won outcomes of the level
    free: np.ndarray  # transient nodes worked the day they arrive
    queued: np.ndarray  # transient nodes with a capacity (indices into the network)
    qpos: np.ndarray  # their positions in the queue array
    split_nodes: np.ndarray  # free then queued: the order of the split rows
    sel: np.ndarray  # flat (node row, k) positions of real edges in the split output
    edge: np.ndarray  # the edge row of each selected position
    target: np.ndarray
    lag: np.ndarray
    to_lost: np.ndarray  # bool per selected position
    teams: list[
        tuple[int, np.ndarray]
    ]  # (team k, columns into qpos) for teams with queued nodes here


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


def lags(net: Network) -> np.ndarray:
    """Whole-day lag per edge row; zero-day edges inside a zero-day loop take one day."""
    lag = np.rint(net.duration[net.src] + net.delay).astype(np.int64)
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


def build(net: Network, conv: np.ndarray, capacities: np.ndarray) -> Plan:
    n = net.size
    lag = lags(net)
    outcome = net.outcome
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

    team_of = np.full(n, -1, dtype=np.int64)
    team_day = np.array([c / net.period_days for c in capacities[: len(net.teams)]], dtype=float)
    for k, team in enumerate(net.teams):
        if np.isfinite(team_day[k]):
            team_of[team.members] = k
    limit = np.full(n, np.inf)
    for k, resource in enumerate(net.node_limits):
        limit[resource.members] = capacities[len(net.teams) + k] / net.period_days
    is_queued = ~outcome & ((team_of >= 0) | np.isfinite(limit))
    queued = np.flatnonzero(is_queued)
    qpos_of = np.full(n, -1, dtype=np.int64)
    qpos_of[queued] = np.arange(queued.size)
    finite_windows = window[queued][np.isfinite(window[queued])]
    ages = int(np.floor(finite_windows.max())) + 2 if finite_windows.size else 2
    late_mask = np.arange(ages)[None, :] > window[queued][:, None]

    zero = lag == 0
    depth = _levels(n, net.src[zero], net.dst[zero])
    levels = []
    for d in range(int(depth.max()) + 1 if n else 0):
        nodes = np.flatnonzero(depth == d)
        free = nodes[~outcome[nodes] & ~is_queued[nodes]]
        qd = nodes[is_queued[nodes]]
        split_nodes = np.concatenate([free, qd])
        rows = out[split_nodes]
        flat = np.flatnonzero(rows.ravel() >= 0)
        edge = rows.ravel()[flat]
        teams = []
        for k in np.unique(team_of[qd]).tolist():
            if k >= 0:
                teams.append((k, np.flatnonzero(team_of[qd] == k)))
        levels.append(
            Level(
                nodes,
                nodes[net.won[nodes]],
                free,
                qd,
                qpos_of[qd],
                split_nodes,
                flat,
                edge,
                net.dst[edge],
                lag[edge],
                net.lost[net.dst[edge]],
                teams,
            )
        )
    return Plan(
        n,
        lag,
        int(lag.max()) + 1 if lag.size else 1,
        cond,
        cond_late,
        out,
        levels,
        queued,
        team_of[queued],
        limit[queued],
        late_mask,
        ages,
        team_day,
    )
