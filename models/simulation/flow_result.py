"""The expected flow of one process per period, as one record (:class:`FlowResult`), made of
the records of :mod:`models.simulation.results` and :mod:`models.simulation.gate_results`.
``to_dict()`` gives the JSON the command line writes, keys in a fixed order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .gate_results import Clearing, GateFlow
from .results import Bottleneck, CapacityView, NodeFlow, StageCount, TeamLoad, num


@dataclass(frozen=True)
class FlowResult:
    """The expected flow of one process per period (see :func:`models.simulation.expected_flow`).

    ``lost`` counts every lead that ends without a deal: ``lost_outcomes``
    (reaching a lost outcome) plus ``dropoff`` (leaving a node by no edge, or at a
    committee gate), so ``won + lost == leads`` once every lead has an outcome.
    ``gates`` has the process's committee gates; ``clearing`` is set when the process is
    a buying-group role's own, read by a funnel's gate (its ``won`` are then the role's
    sign-offs, not deals).
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
    nodes: Mapping[str, NodeFlow]  # a dict, or the lazy NodeFlows
    edges: Mapping[str, float]
    stages: list[StageCount]
    teams: dict[str, TeamLoad]
    bottleneck: Bottleneck | None
    capacity_limited: bool = False
    win_chance: Mapping[str, float] = field(default_factory=dict, repr=False)
    gates: list[GateFlow] = field(default_factory=list)
    clearing: Clearing | None = None
    capacity: CapacityView | None = None
    """With limits to the flow (a team's or a step's capacity, a timed follow-up cadence): the
    flow with them, side by side with this one, and the revenue at risk (None without)."""

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
            "gates": [g.to_dict() for g in self.gates],
            "clearing": self.clearing.to_dict() if self.clearing else None,
            "capacity": self.capacity.to_dict() if self.capacity else None,
        }
