"""The levers' changes to a compiled network, and their effect solved in full (the reference
every fast figure of :mod:`models.simulation.rankone` equals)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .capacity import shares_and_factors
from .linear import solve
from .network import Network


@dataclass
class RowPatch:
    """New conversions for some edge rows (every row out of the steps it changes)."""

    rows: np.ndarray  # edge rows
    conv: np.ndarray  # their new conversions


@dataclass
class RaisePatch:
    """One edge row's conversion raised to ``after``, the other edges of its step scaled down
    in proportion when the step would pass on more than all its leads."""

    edge: int
    after: float


@dataclass
class VolumePatch:
    node: int
    delta: float


@dataclass
class PeoplePatch:
    """A team's capacity and follow-up hours with one more person (per ``net.resources`` and
    ``net.teams``)."""

    resource: int
    capacity: float
    hours: float | None


Patch = RowPatch | RaisePatch | VolumePatch | PeoplePatch


def raise_row(conv: np.ndarray, src: np.ndarray, edge: int, after: float) -> np.ndarray:
    """``conv`` with row ``edge`` at ``after`` and its siblings scaled down if needed."""
    conv = conv.copy()
    siblings = (src == src[edge]) & (np.arange(conv.size) != edge)
    room = max(0.0, 1.0 - after)
    others = float(conv[siblings].sum())
    if others > room:
        conv[siblings] *= room / others
    conv[edge] = after
    return conv


def full_totals(
    net: Network,
    conv: np.ndarray,
    volume: np.ndarray,
    capacities: np.ndarray,
    hours: np.ndarray | None = None,
) -> tuple[float, float]:
    """(won, revenue) per period under the capacity-aware expected model, solved in full."""
    shares, factors = shares_and_factors(net, conv, volume, capacities, hours)
    x = solve(net, conv * (shares * factors)[net.src], volume).arrivals
    return float(x[net.won].sum()), float(x @ net.deal_value)


def evaluate_in_full(net: Network, patch: Patch) -> tuple[float, float]:
    conv, volume = net.conv, net.volume
    capacities = np.array([r.capacity for r in net.resources], dtype=float)
    hours = net.cadence.hours.copy() if net.cadence is not None else None
    if isinstance(patch, RowPatch):
        conv = conv.copy()
        conv[patch.rows] = patch.conv
    elif isinstance(patch, RaisePatch):
        conv = raise_row(conv, net.src, patch.edge, patch.after)
    elif isinstance(patch, VolumePatch):
        volume = volume.copy()
        volume[patch.node] += patch.delta
    else:
        capacities = capacities.copy()
        capacities[patch.resource] = patch.capacity
        if hours is not None and patch.hours is not None and patch.resource < len(net.teams):
            hours[patch.resource] = patch.hours
    return full_totals(net, conv, volume, capacities, hours)
