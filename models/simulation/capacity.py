"""The capacity-aware expected model: a team's throughput is min(load, capacity).

An approximation kept linear-algebra cheap: each resource ``r`` (a team with
a capacity, or a node with its own capacity) serves a share ``f_r`` of the
leads that reach its nodes; the rest are not worked this period and drop
off (they go cold). A node's outgoing conversions are multiplied by the
product of the shares of the resources it belongs to. The shares solve

    f_r = min(1, capacity_r / demand_r(f))

where the demand (leads reaching the resource's nodes) itself depends on
every share upstream and, through recycle loops, downstream. Solved by a
semi-smooth Newton method in ``u = log f``; each step is one sparse LU plus
one multi-right-hand-side solve for the Jacobian (adjoint method), so a
handful of steps suffices.

What the approximation leaves out (the Monte Carlo has it): queues carrying
work into the next period, the SLA's late-touch penalty, and which leads a
busy team chooses to work first (here every node of the team is served the
same share: what the runs give in the long run when capacity is shared at random
or first come, first served).

**Follow-up cadence.** An SLA with ``attempts`` and ``attempt_minutes`` costs its
receiving team ``attempts x minutes`` for every lead its hand-off steps work
(:class:`~models.simulation.network.Cadence`). The team has ``headcount x 8 hours x
the period's working days``; when the cadence needs more, every lead gets the same
share ``g = hours / hours needed`` of its attempts and converts at the SLA's lower rate
(:meth:`~models.simulation.network.Cadence.factor`). :func:`multipliers` solves the
shares and the cadence together (the cadence's factors change the flow, which changes
the hours needed), by fixed-point iteration around :func:`service_shares`.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csc_matrix, csr_matrix, identity

from .linear import factor, solve, trapped
from .network import Network

MAX_STEPS = 60
TOLERANCE = 1e-13
FLOOR = -700.0  # log of a share treated as zero (a team with no people)


def service_shares(
    net: Network,
    conv: np.ndarray | None = None,
    volume: np.ndarray | None = None,
    capacities: np.ndarray | None = None,
) -> np.ndarray:
    """The share of arriving leads each node works, given capacities (1 where nothing binds).

    ``capacities`` aligns with ``net.resources`` (leads per period; inf for none).
    """
    return node_shares(net, resource_shares(net, conv, volume, capacities))


def node_shares(net: Network, shares: np.ndarray) -> np.ndarray:
    """Per node, the product of the shares of the resources it belongs to."""
    node = np.ones(net.size)
    for k, resource in enumerate(net.resources):
        if shares[k] != 1.0:
            node[resource.members] *= shares[k]
    return node


def resource_shares(
    net: Network,
    conv: np.ndarray | None = None,
    volume: np.ndarray | None = None,
    capacities: np.ndarray | None = None,
) -> np.ndarray:
    """Per resource (aligned with ``net.resources``), the share of its leads it works: the
    ``f_r`` of the module docstring (1 for a resource without a capacity)."""
    conv = net.conv if conv is None else conv
    volume = net.volume if volume is None else volume
    resources = net.resources
    if capacities is None:
        capacities = np.array([r.capacity for r in resources], dtype=float)
    finite = [k for k, c in enumerate(capacities) if np.isfinite(c)]
    n = net.size
    if not finite:
        return np.ones(len(resources))
    trap, _ = trapped(net, conv, volume)
    conv = np.where(trap[net.src] | trap[net.dst], 0.0, conv)
    rows = np.concatenate([resources[k].members for k in finite])
    cols = np.concatenate([np.full(resources[k].members.size, j) for j, k in enumerate(finite)])
    member_t = csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, len(finite)))  # n x R
    log_cap = np.log(np.maximum(capacities[finite], 1e-300))
    base = csc_matrix((conv, (net.src, net.dst)), shape=(n, n))
    u = np.zeros(len(finite))
    for _ in range(MAX_STEPS):
        share = np.exp(member_t @ u)
        scaled = csc_matrix((conv * share[net.src], (net.src, net.dst)), shape=(n, n))
        lu = factor((identity(n, format="csc") - scaled).tocsc(), net.src, net.dst)
        arrivals = np.maximum(lu.solve(volume.astype(float), trans="T"), 0.0)
        demand = member_t.T @ arrivals
        with np.errstate(divide="ignore"):
            gap = np.where(demand > 0, log_cap - np.log(demand), 0.0)
        target = np.maximum(np.minimum(0.0, gap), FLOOR)
        residual = u - target
        if np.max(np.abs(residual)) < TOLERANCE:
            break
        active = gap < 0
        jacobian = np.eye(len(finite))
        if active.any():
            worked = share * arrivals
            adjoint = lu.solve(member_t.toarray())  # A^-1 m_r for every resource
            downstream = base @ adjoint  # n x R
            coupling = downstream.T @ (member_t.multiply(worked[:, None])).toarray()  # R x R
            jacobian[active] += coupling[active] / demand[active, None]
        step = np.linalg.solve(jacobian, -residual)
        u = np.clip(u + step, FLOOR, 0.0)
    shares = np.ones(len(resources))
    shares[finite] = np.exp(u)
    return shares


CADENCE_STEPS = 200
CADENCE_TOLERANCE = 1e-14


def multipliers(
    net: Network,
    conv: np.ndarray | None = None,
    volume: np.ndarray | None = None,
    capacities: np.ndarray | None = None,
    hours: np.ndarray | None = None,
) -> np.ndarray:
    """Per node, the factor its outgoing conversions are multiplied by in the capacity-limited
    flow: its service share (:func:`service_shares`) times its follow-up cadence factor.

    ``hours`` (per team, aligned with ``net.teams``) replaces the cadence's working hours (a
    lever adding a person adds hours too).
    """
    shares, factor = shares_and_factors(net, conv, volume, capacities, hours)
    return shares * factor


def shares_and_factors(
    net: Network,
    conv: np.ndarray | None = None,
    volume: np.ndarray | None = None,
    capacities: np.ndarray | None = None,
    hours: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(service shares, cadence factors) per node: the two parts of :func:`multipliers`."""
    shares, factor = resource_shares_and_factors(net, conv, volume, capacities, hours)
    return node_shares(net, shares), factor


def resource_shares_and_factors(
    net: Network,
    conv: np.ndarray | None = None,
    volume: np.ndarray | None = None,
    capacities: np.ndarray | None = None,
    hours: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(the share each resource works, per ``net.resources``; the cadence factor per node)."""
    conv = net.conv if conv is None else conv
    volume = net.volume if volume is None else volume
    cadence = net.cadence
    if cadence is None:
        return resource_shares(net, conv, volume, capacities), np.ones(net.size)
    hours = cadence.hours if hours is None else hours
    factor = np.ones(net.size)
    shares = np.ones(len(net.resources))
    for step in range(CADENCE_STEPS):
        paced = conv * factor[net.src]
        shares = resource_shares(net, paced, volume, capacities)
        node = node_shares(net, shares)
        given = cadence_given(net, paced * node[net.src], volume, node, hours)
        new = cadence.factor(given[np.maximum(cadence.team, 0)])
        if np.max(np.abs(new - factor)) < CADENCE_TOLERANCE:
            factor = new
            break
        factor = new if step < 20 else 0.5 * (factor + new)  # damped if it has not settled
    return shares, factor


def cadence_given(
    net: Network, effective: np.ndarray, volume: np.ndarray, shares: np.ndarray, hours
) -> np.ndarray:
    """Per team, the share of the cadence's attempts its hours cover (1 when they all fit)."""
    cadence = net.cadence
    assert cadence is not None
    x = solve(net, effective, volume).arrivals
    needed = np.bincount(
        cadence.team[cadence.nodes],
        weights=(shares * x * cadence.minutes_per_lead())[cadence.nodes] / 60.0,
        minlength=len(net.teams),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        given = np.where(needed > hours, hours / needed, 1.0)
    return np.nan_to_num(given, nan=1.0)
