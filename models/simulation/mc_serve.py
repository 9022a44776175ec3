"""Who a busy team works today, in the Monte Carlo: the map's capacity policy.

At the end of each day a team with a capacity has ``headcount x capacity / days per period``
leads of work (fractions carry to the next day) for every lead queued at any of its steps.
When that is less than what waits, the map's ``capacity_policy`` chooses:

* ``shared`` (the default): the day's work goes to leads drawn at random among all those
  queued at the team's steps (a multivariate hypergeometric draw), oldest first within a
  step. No step has priority: in the long run each step gets the same share of its leads
  worked, which is what the capacity-limited expected flow assumes.
* ``first_come``: first come, first served across the team's steps: the oldest leads are
  worked first, whichever step they wait at (ties at the same age drawn at random). Ages are
  told apart up to :data:`~models.simulation.mc_plan.FIFO_AGES` days. Queues stay short and
  the SLA's response window is breached least while the team keeps up; when it cannot, every
  lead waits about as long.
* ``late_stages_first``: reps chase the deals about to close: steps of later stages (in the
  map's stage order) are worked first, then earlier ones; steps without a stage come last;
  random among steps of the same stage, oldest first within a step. Later stages lose least,
  new leads wait and go cold at the front of the funnel.

A step's own capacity caps what it takes on top of its team's. Draws are exact up to a
billion leads waiting; beyond that the hypergeometric draw uses its normal approximation
(relative error far below the runs' own noise at that size), so no volume the map accepts
breaks a run.
"""

from __future__ import annotations

import numpy as np

from .mc_plan import Plan

EXACT_LIMIT = 1_000_000_000
"""numpy draws a hypergeometric exactly only while both kinds of balls number less than this."""

POLICIES = ("shared", "first_come", "late_stages_first")


def hypergeometric(
    rng: np.random.Generator, good: np.ndarray, bad: np.ndarray, sample: np.ndarray
) -> np.ndarray:
    """How many of ``sample`` draws without replacement are good, elementwise, for any counts.

    Draws only where there is a choice; exact below :data:`EXACT_LIMIT`, the normal
    approximation (rounded, kept within the possible range) above it.

    >>> rng = np.random.default_rng(1)
    >>> hypergeometric(rng, np.array([5, 0, 3]), np.array([0, 4, 2]), np.array([3, 2, 5])).tolist()
    [3, 0, 3]
    >>> big = np.array([4 * 10**12])
    >>> int(hypergeometric(rng, big, big, big)[0]) // 10**9
    2000
    """
    good = np.asarray(good, dtype=np.int64)
    bad = np.asarray(bad, dtype=np.int64)
    sample = np.asarray(sample, dtype=np.int64)
    total = good + bad
    low = np.maximum(0, sample - bad)
    high = np.minimum(sample, good)
    out = low.copy()
    choice = high > low
    if not choice.any():
        return out
    exact = choice & (good < EXACT_LIMIT) & (bad < EXACT_LIMIT)
    if exact.any():
        out[exact] = rng.hypergeometric(good[exact], bad[exact], sample[exact])
    approx = choice & ~exact
    if approx.any():
        g, t, s = good[approx].astype(float), total[approx].astype(float), sample[approx]
        p = g / t
        var = s * p * (1.0 - p) * (t - s) / np.maximum(t - 1.0, 1.0)
        drawn = np.rint(rng.normal(s * p, np.sqrt(var)))
        out[approx] = np.clip(drawn, low[approx], high[approx]).astype(np.int64)
    return out


def share(rng: np.random.Generator, counts: np.ndarray, take: np.ndarray) -> np.ndarray:
    """``take`` leads (per run) drawn at random among ``counts`` (runs x steps): how many from
    each step (a multivariate hypergeometric draw).

    Drawn down a binary tree over the steps: the leads drawn from a group of steps are split
    between its two halves by one hypergeometric draw, every group and run at once, so a team
    of ``m`` steps takes about log2(m) vectorised draws a day, not one per step.
    """
    runs, steps = counts.shape
    width = 1 << max(0, steps - 1).bit_length()  # steps padded to a power of two
    level = np.zeros((runs, width), dtype=np.int64)
    level[:, :steps] = counts
    sums = [level]  # sums[d]: per group of 2**d steps, the leads waiting there
    while sums[-1].shape[1] > 1:
        sums.append(sums[-1][:, 0::2] + sums[-1][:, 1::2])
    drawn = np.asarray(take, dtype=np.int64).reshape(runs, 1)
    for below in reversed(sums[:-1]):
        first = hypergeometric(rng, below[:, 0::2], below[:, 1::2], drawn)
        split = np.empty_like(below)
        split[:, 0::2] = first
        split[:, 1::2] = drawn - first
        drawn = split
    return drawn[:, :steps]


def grants(
    plan: Plan,
    queue: np.ndarray,
    demand: np.ndarray,
    team_left: np.ndarray,
    limit_left: np.ndarray,
    rng: np.random.Generator,
    policy: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Leads worked today per queued step (runs x queued), and per team (runs x teams).

    ``queue`` is ages x runs x queued (today's arrivals already at age 0), ``demand`` its sum
    over ages; ``team_left`` and ``limit_left`` the day's whole leads of work per team and per
    step's own capacity.
    """
    grant = np.minimum(demand, limit_left)
    served = np.zeros_like(team_left)
    for k, cols in plan.team_positions:
        pool = grant[:, cols].sum(axis=1)
        serve = np.minimum(pool, team_left[:, k])
        served[:, k] = serve
        if (serve == pool).all():
            continue  # room for everyone queued: nobody to choose
        if policy == "first_come":
            grant[:, cols] = _oldest_first(rng, queue[:, :, cols], grant[:, cols], serve)
        elif policy == "late_stages_first":
            grant[:, cols] = _by_priority(rng, plan.priority[cols], grant[:, cols], serve)
        else:
            grant[:, cols] = share(rng, grant[:, cols], serve)
    return grant, served


def _by_priority(rng, priority: np.ndarray, counts: np.ndarray, serve: np.ndarray) -> np.ndarray:
    taken = np.zeros_like(counts)
    left = serve.copy()
    for rank in sorted(set(priority.tolist()), reverse=True):
        cols = np.flatnonzero(priority == rank)
        pool = counts[:, cols].sum(axis=1)
        take = np.minimum(pool, left)
        taken[:, cols] = share(rng, counts[:, cols], take)
        left -= take
        if not left.any():
            break
    return taken


def _oldest_first(rng, waiting: np.ndarray, cap: np.ndarray, serve: np.ndarray) -> np.ndarray:
    """Per step, how many leads are worked when the oldest go first across the steps
    (``waiting``: ages x runs x steps; ``cap``: what each step may take today)."""
    taken = np.zeros_like(cap)
    room = cap.copy()
    left = serve.copy()
    for age in range(waiting.shape[0] - 1, -1, -1):
        if not left.any():
            break
        ready = np.minimum(waiting[age], room)
        pool = ready.sum(axis=1)
        if not pool.any():
            continue
        take = np.minimum(pool, left)
        got = share(rng, ready, take)
        taken += got
        room -= got
        left -= take
    return taken


def take_oldest(queue: np.ndarray, grant: np.ndarray, late_mask: np.ndarray) -> np.ndarray:
    """Remove ``grant`` leads per step from ``queue`` (ages x runs x steps), oldest first;
    returns how many of them were late (``late_mask``: steps x ages, True where waiting that
    long breaches the SLA window)."""
    left = grant.copy()
    late = np.zeros_like(grant)
    for age in range(queue.shape[0] - 1, -1, -1):
        if not left.any():
            break
        taken = np.minimum(queue[age], left)
        queue[age] -= taken
        left -= taken
        if late_mask[:, age].any():
            late += taken * late_mask[:, age]
    return late
