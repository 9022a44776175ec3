"""Where the expected flow is held back: the most over-loaded team or step, a team whose
follow-up cadences ask for more hours than it has, or else the step losing most leads.

The Monte Carlo's summary names its bottleneck with :func:`loss_bottleneck` too.
"""

from __future__ import annotations

import numpy as np

from .network import Network
from .results import Bottleneck, TeamLoad

OVERLOADED = 1.0 + 1e-9


def attempt_hours(net: Network, x: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(hours per period each team's follow-up cadences ask for the leads ``x`` brings to its
    hand-off steps, the team's working hours); (None, None) without a timed cadence. Teams that
    receive no cadence ask for 0 hours."""
    cadence = net.cadence
    if cadence is None:
        return None, None
    nodes = cadence.nodes
    needed = np.bincount(
        cadence.team[nodes],
        weights=(x * cadence.minutes_per_lead())[nodes] / 60.0,
        minlength=len(net.teams),
    )
    paced = np.zeros(len(net.teams), dtype=bool)
    paced[cadence.team[nodes]] = True
    return np.where(paced, needed, np.nan), cadence.hours


def bottleneck(
    net: Network,
    x: np.ndarray,
    losses: np.ndarray,
    teams: dict[str, TeamLoad],
    capacities: np.ndarray | None = None,
    gate_losses: np.ndarray | None = None,
) -> Bottleneck | None:
    """The most over-loaded resource if any is over capacity, else the step losing most leads."""
    per = f"per {net.period}"
    worst, worst_ratio = None, OVERLOADED
    for k, resource in enumerate(net.resources):
        capacity = resource.capacity if capacities is None else float(capacities[k])
        if not np.isfinite(capacity):
            continue
        load = float(x[resource.members].sum())
        ratio = load / capacity if capacity > 0 else (np.inf if load > 0 else 0.0)
        if ratio > worst_ratio:
            worst, worst_ratio = resource, ratio
    paced = _cadence_bottleneck(net, x, worst_ratio, per)
    if paced is not None:
        return paced
    if worst is not None:
        busiest = int(worst.members[np.argmax(x[worst.members])])
        team = worst.id if worst.kind == "team" else net.owner[busiest]
        load = float(x[worst.members].sum())
        capacity = load / worst_ratio
        shown = f"{worst_ratio:.0%}" if np.isfinite(worst_ratio) else "no capacity"
        what = worst.name if worst.kind == "team" else f"'{worst.name}'"
        return Bottleneck(
            "capacity",
            net.ids[busiest],
            team,
            float(worst_ratio),
            f"{what} is at {shown} of capacity: {load:,.0f} leads {per} for {capacity:,.0f} "
            f"(busiest step: '{net.labels[busiest]}').",
        )
    return loss_bottleneck(net, losses, per, gate_losses)


def _cadence_bottleneck(net: Network, x: np.ndarray, beat: float, per: str) -> Bottleneck | None:
    """A team whose follow-up cadences need more of its hours than leads of its capacity
    (``beat``: the worst capacity ratio found), or None."""
    needed, hours = attempt_hours(net, x)
    if needed is None or hours is None:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(hours > 0, needed / hours, np.where(needed > 0, np.inf, 0.0))
    ratio = np.nan_to_num(ratio, nan=0.0)
    k = int(np.argmax(ratio)) if ratio.size else -1
    if k < 0 or ratio[k] <= beat:
        return None
    team = net.teams[k]
    cadence = net.cadence
    assert cadence is not None
    nodes = [i for i in cadence.nodes.tolist() if cadence.team[i] == k]
    busiest = max(nodes, key=lambda i: x[i])
    return Bottleneck(
        "capacity",
        net.ids[busiest],
        team.id,
        float(ratio[k]),
        f"{team.name} needs {needed[k]:,.0f} hours {per} for its follow-up cadence "
        f"({cadence.attempts[busiest]:.0f} attempts of {cadence.minutes[busiest]:g} minutes a "
        f"lead) and has {hours[k]:,.0f}: each lead gets {1 / ratio[k]:.0%} of its attempts "
        f"(busiest step: '{net.labels[busiest]}').",
    )


def loss_bottleneck(
    net, losses: np.ndarray, per: str, gate_losses: np.ndarray | None = None
) -> Bottleneck | None:
    """When no team is over capacity: the step where most leads leave the funnel (None if none do).

    ``gate_losses`` (per node) are the leads of ``losses`` that leave at a committee gate.
    """
    if not (losses > 0).any():
        return None
    i = int(np.argmax(losses))
    at_gate = ""
    if gate_losses is not None and gate_losses[i] > 0:
        at_gate = f", {gate_losses[i]:,.1f} of them at its committee gate"
    return Bottleneck(
        "loss",
        net.ids[i],
        net.owner[i],
        float(losses[i]),
        f"No team is over capacity; most leads leave the funnel at '{net.labels[i]}' "
        f"({losses[i]:,.1f} {per}{at_gate}).",
    )
