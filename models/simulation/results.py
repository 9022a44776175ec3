"""Result records shared by the expected-flow, scenario and Monte Carlo views.

Plain frozen dataclasses with ``to_dict()`` giving stable, JSON-ready output:
keys in a fixed order, numbers at full precision (Python's shortest text that reads
back as the same float, so a value of 29.268292682926827 is written as such, never
29.268293). Identical runs compute identical floats, so they print identical bytes;
the text output rounds for people. The committee gates' records are in
:mod:`models.simulation.gate_results`, the whole flow's in :mod:`models.simulation.flow_result`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple


def num(value: float | None) -> float | None:
    """A JSON-safe number at full precision (None stays None; NaN and infinity become None;
    -0.0 becomes 0.0). ``json`` writes it as the shortest text that reads back as the same
    float.

    >>> num(1200 / 41), num(-0.0), num(float("nan"))
    (29.26829268292683, 0.0, None)
    """
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return 0.0 if value == 0 else value


class NodeFlow(NamedTuple):
    """One step's leads per period: arriving, dropping off (no edge takes them), and their cost.

    A named tuple: a 10,000-step map makes 10,000 of them per run, and a tuple is made in a
    fraction of a frozen dataclass's time.
    """

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


class NodeFlows(Mapping[str, NodeFlow]):
    """Every step's :class:`NodeFlow`, by graph id, made on demand from the solved arrays.

    A read-only mapping like the ``dict`` it replaces (iteration in the network's order,
    equality with any mapping of the same items), without building one object per step of a
    big map that nobody reads.
    """

    __slots__ = ("_arrivals", "_cost", "_dropoff", "_ids", "_index", "_labels")

    def __init__(self, ids, labels, arrivals, dropoff, cost) -> None:
        self._ids, self._labels = list(ids), list(labels)
        self._arrivals, self._dropoff, self._cost = arrivals, dropoff, cost
        self._index: dict[str, int] | None = None

    def _at(self, i: int) -> NodeFlow:
        return NodeFlow(
            self._labels[i], float(self._arrivals[i]), float(self._dropoff[i]), float(self._cost[i])
        )

    def __getitem__(self, node_id: str) -> NodeFlow:
        if self._index is None:
            self._index = {node: i for i, node in enumerate(self._ids)}
        return self._at(self._index[node_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, node_id: object) -> bool:
        if self._index is None:
            self._index = {node: i for i, node in enumerate(self._ids)}
        return node_id in self._index

    def values(self):
        return [self._at(i) for i in range(len(self._ids))]

    def items(self):
        return list(zip(self._ids, self.values(), strict=True))

    def __repr__(self) -> str:
        return f"NodeFlows({len(self._ids)} steps)"


@dataclass(frozen=True)
class StageCount:
    """Leads per period reaching a stage (each lead counted once), and the rate from the stage before."""

    id: str
    name: str
    leads: float
    conversion: float | None  # from the previous stage listed; None for the first
    entering: float | None = None
    """Leads per period entering the stage (arriving at one of its steps from another stage or
    at an entry), a lead counted again each time a loop brings it back: what the Monte Carlo
    counts per period (``leads`` counts each lead once)."""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "leads": num(self.leads),
            "conversion": num(self.conversion),
            "entering": num(self.entering),
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
    attempt_hours: float | None = None
    """Hours per period the follow-up cadences of its SLAs ask for the leads reaching its
    hand-off steps (None: no SLA of the map gives the team a timed cadence)."""
    hours: float | None = None
    """Working hours per period the team has for them (headcount x 8 x working days)."""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "load": num(self.load),
            "capacity": num(self.capacity),
            "utilisation": num(self.utilisation),
            "busiest_node": self.busiest_node,
            "headcount": self.headcount,
            "attempt_hours": num(self.attempt_hours),
            "hours": num(self.hours),
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
class LimitCost:
    """What one limit costs: a team's people (its capacity and the hours of its follow-up
    cadences) or a step's own capacity. ``won`` and ``revenue``: what the flow gains per
    period when that limit is lifted after the ones listed before it (see
    :func:`models.simulation.expected.capacity_view`)."""

    kind: str  # "team" or "step"
    id: str
    name: str
    won: float
    revenue: float

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "won_recovered": num(self.won),
            "revenue_recovered": num(self.revenue),
        }


@dataclass(frozen=True)
class CapacityView:
    """The flow with the teams' capacity, beside the flow without limits (the headline).

    ``won``, ``revenue``, ``cost``, ``days_to_close``: the capacity-limited expected flow per
    period (each busy team works the same share of its leads, the rest go cold; follow-up
    cadences the team has no hours for convert at the SLA's lower rate). ``won_at_risk`` and
    ``revenue_at_risk``: the flow without limits minus that. ``limits``: the limits that cost
    revenue, in the order lifting them recovers most (each figure given the ones before it
    lifted, so they add up to the revenue at risk); ``cause`` is the one recovering most.
    """

    won: float
    revenue: float
    cost: float
    days_to_close: float | None
    won_at_risk: float
    revenue_at_risk: float
    limits: list[LimitCost]

    @property
    def cause(self) -> LimitCost | None:
        """The limit whose lifting recovers most of the revenue at risk (None when nothing is)."""
        worth = [limit for limit in self.limits if limit.revenue > 0 or limit.won > 0]
        return max(worth, key=lambda limit: (limit.revenue, limit.won)) if worth else None

    def to_dict(self) -> dict:
        cause = self.cause
        return {
            "won": num(self.won),
            "revenue": num(self.revenue),
            "cost": num(self.cost),
            "days_to_close": num(self.days_to_close),
            "won_at_risk": num(self.won_at_risk),
            "revenue_at_risk": num(self.revenue_at_risk),
            "cause": cause.to_dict() if cause else None,
            "limits": [limit.to_dict() for limit in self.limits],
        }
