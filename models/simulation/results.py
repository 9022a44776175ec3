"""Result records shared by the expected-flow, scenario and Monte Carlo views.

Plain frozen dataclasses with ``to_dict()`` giving stable, JSON-ready output:
keys in a fixed order, numbers at full precision (Python's shortest text that reads
back as the same float, so a value of 29.268292682926827 is written as such, never
29.268293). Identical runs compute identical floats, so they print identical bytes;
the text output rounds for people.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
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
class RoleClearance:
    """One role's part in a committee gate: its chance to clear and how long it takes.

    ``probability`` is the chance the role's journey, started at its process's entries,
    reaches ``step``; ``days`` the expected days to get there when it does (None when it
    never does). ``deals_lost`` is what the gate costs because of this role: deals per period
    if this role always cleared, minus deals now (None where not computed).
    """

    role: str
    role_name: str
    process: str
    process_name: str
    step: str
    step_label: str
    probability: float
    days: float | None
    deals_lost: float | None = None

    def to_dict(self) -> dict:
        return {
            "role": self.role,
            "role_name": self.role_name,
            "process": self.process,
            "step": self.step,
            "step_label": self.step_label,
            "probability": num(self.probability),
            "days": num(self.days),
            "deals_lost": num(self.deals_lost),
        }


@dataclass(frozen=True)
class GateFlow:
    """A committee gate in the expected flow, per period.

    ``arrivals`` leads reach the gated step; ``passed`` of them pass (``pass_rate``, the
    product of the roles' chances) and ``lost`` leave at the gate. ``wait_days`` is the
    slowest role's expected days to clear. ``deals_lost``: deals per period with every role
    clearing, minus deals now.
    """

    node: str
    label: str
    arrivals: float
    pass_rate: float
    passed: float
    lost: float
    wait_days: float | None
    deals_lost: float | None
    roles: list[RoleClearance]

    @property
    def costliest(self) -> RoleClearance | None:
        """The role whose clearing costs most deals (None when nothing is computed or lost)."""
        known = [r for r in self.roles if r.deals_lost is not None and r.deals_lost > 1e-12]
        return max(known, key=lambda r: r.deals_lost or 0.0) if known else None

    def to_dict(self) -> dict:
        return {
            "node": self.node,
            "label": self.label,
            "arrivals": num(self.arrivals),
            "pass_rate": num(self.pass_rate),
            "passed": num(self.passed),
            "lost": num(self.lost),
            "wait_days": num(self.wait_days),
            "deals_lost": num(self.deals_lost),
            "roles": [r.to_dict() for r in self.roles],
        }


@dataclass(frozen=True)
class RoleGate:
    """A gate that reads the role process simulated alone (see :class:`Clearing`).

    ``reached``: leads per period of this process's own entries that reach the cleared step.
    ``gate_arrivals``, ``gate_pass_rate``: the funnel's leads per period reaching the gate and
    the share passing it (None when the funnel itself cannot be simulated); ``gate_cleared``:
    of those, how many this role clears.
    """

    gate: str
    gate_label: str
    funnel: str
    funnel_name: str
    clearance: RoleClearance
    reached: float
    gate_arrivals: float | None
    gate_pass_rate: float | None

    @property
    def gate_cleared(self) -> float | None:
        if self.gate_arrivals is None:
            return None
        return self.gate_arrivals * self.clearance.probability

    def to_dict(self) -> dict:
        c = self.clearance
        return {
            "gate": self.gate,
            "gate_label": self.gate_label,
            "funnel": self.funnel,
            "funnel_name": self.funnel_name,
            "step": c.step,
            "step_label": c.step_label,
            "probability": num(c.probability),
            "days": num(c.days),
            "reached": num(self.reached),
            "gate_arrivals": num(self.gate_arrivals),
            "gate_cleared": num(self.gate_cleared),
            "gate_pass_rate": num(self.gate_pass_rate),
            "deals_lost": num(c.deals_lost),
        }


@dataclass(frozen=True)
class Clearing:
    """A buying-group role's process simulated alone: what it clears for the funnel's gates.

    Such a process makes no deals of its own: its won outcome is the role's sign-off, and the
    deals it takes part in are counted in the funnel, through the gate.
    """

    role: str
    role_name: str
    gates: list[RoleGate]

    def to_dict(self) -> dict:
        return {
            "role": self.role,
            "role_name": self.role_name,
            "gates": [g.to_dict() for g in self.gates],
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
