"""Result records shared by the expected-flow, scenario and Monte Carlo views.

Plain frozen dataclasses with ``to_dict()`` giving stable, JSON-ready output
(keys in a fixed order, numbers rounded to 6 decimals so that identical runs
print identical bytes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


def num(value: float | None, digits: int = 6) -> float | None:
    """A JSON-safe rounded number (None stays None; NaN and infinity become None)."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    rounded = round(value, digits)
    return 0.0 if rounded == 0 else rounded


@dataclass(frozen=True)
class NodeFlow:
    label: str
    arrivals: float
    dropoff: float
    cost: float

    def to_dict(self) -> dict:
        return {
            "arrivals": num(self.arrivals),
            "dropoff": num(self.dropoff),
            "cost": num(self.cost),
        }


@dataclass(frozen=True)
class StageCount:
    """Leads per period reaching a stage (each lead counted once), and the rate from the stage before."""

    id: str
    name: str
    leads: float
    conversion: float | None  # from the previous stage listed; None for the first

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "leads": num(self.leads),
            "conversion": num(self.conversion),
        }


@dataclass(frozen=True)
class TeamLoad:
    """Leads per period reaching a team's nodes against what its people can work."""

    id: str
    name: str
    load: float
    capacity: float | None  # headcount x capacity per period; None: not a constraint
    utilisation: float | None
    busiest_node: str | None
    headcount: int | None = None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "load": num(self.load),
            "capacity": num(self.capacity),
            "utilisation": num(self.utilisation),
            "busiest_node": self.busiest_node,
            "headcount": self.headcount,
        }


@dataclass(frozen=True)
class Bottleneck:
    """Where the funnel is held back.

    ``kind == "capacity"``: a team (or a node with its own capacity) receives
    more leads than its people can work; ``team`` is the most over-loaded one
    and ``node`` its busiest step. ``kind == "loss"``: nothing is over
    capacity, so the bottleneck is the step where most leads leave the funnel
    (drop-off plus leads sent to a lost outcome); ``value`` is that count.
    """

    kind: str
    node: str | None
    team: str | None
    value: float
    message: str

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "node": self.node,
            "team": self.team,
            "value": num(self.value),
            "message": self.message,
        }


@dataclass(frozen=True)
class FlowResult:
    """The expected flow of one process per period (see :func:`models.simulation.expected_flow`).

    ``lost`` counts every lead that ends without a deal: ``lost_outcomes``
    (reaching a lost outcome) plus ``dropoff`` (leaving a node by no edge), so
    ``won + lost == leads`` once every lead has an outcome.
    """

    process: str
    process_name: str
    scenario: str | None
    period: str
    currency: str
    leads: float
    won: float
    lost: float
    lost_outcomes: float
    dropoff: float
    revenue: float
    cost: float
    cost_per_won: float | None
    conversion: float | None
    days_to_close: float | None
    nodes: dict[str, NodeFlow]
    edges: dict[str, float]
    stages: list[StageCount]
    teams: dict[str, TeamLoad]
    bottleneck: Bottleneck | None
    capacity_limited: bool = False
    win_chance: dict[str, float] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        return {
            "process": self.process,
            "scenario": self.scenario,
            "period": self.period,
            "currency": self.currency,
            "capacity_limited": self.capacity_limited,
            "leads": num(self.leads),
            "won": num(self.won),
            "lost": num(self.lost),
            "lost_outcomes": num(self.lost_outcomes),
            "dropoff": num(self.dropoff),
            "revenue": num(self.revenue),
            "cost": num(self.cost),
            "cost_per_won": num(self.cost_per_won),
            "conversion": num(self.conversion),
            "days_to_close": num(self.days_to_close),
            "bottleneck": self.bottleneck.to_dict() if self.bottleneck else None,
            "stages": [s.to_dict() for s in self.stages],
            "teams": {k: t.to_dict() for k, t in self.teams.items()},
            "nodes": {k: n.to_dict() for k, n in self.nodes.items()},
            "edges": {k: num(v) for k, v in self.edges.items()},
        }
