"""Goal seek: the reverse funnel of DOMAIN.md, generalised to the drawn graph.

From a revenue target per period: deals needed = revenue / average deal
value; then, because the expected flow is linear in the entry volumes
(every arrival is a sum of volume x path probability), one scale factor
``target / current revenue`` applied to every entry gives the leads needed
per entry, and the same factor gives the leads needed at every stage
(opportunities = deals / opportunity-to-customer rate, and so on up the
funnel, through loops and branches as drawn). The mix of sources is kept.

People: a team with a capacity needs ``ceil(load at goal / capacity per
person)`` people to work its leads within the period (so that first touches
meet the SLA's response window); an SLA with ``leads_per_rep`` (say 300 MQLs
per rep) needs ``ceil(leads of its stage at goal / leads_per_rep)`` people in
the receiving team; an SLA with a timed cadence (``attempts`` x ``attempt_minutes``
for each lead at its hand-off steps) needs ``ceil(hours of follow-up at goal /
working hours of one person)`` (8 hours x the period's working days). The headcount
needed is the largest of the three.

Committee gates: a gate's pass rate (the product of its roles' chances to clear)
does not depend on volume, so the flow stays linear and the same scale factor
holds; the leads needed at each gated step are listed with its pass rate. A
gate that never passes cannot be scaled past: the goal is refused and says which
role never clears.

>>> from models.templates import load_template
>>> goal = goal_seek(load_template("plugged-funnel"), 1_000_000)
>>> round(goal.deals_needed, 2), round(goal.entries[0].needed)
(4.0, 2000)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from models.document import JourneyMap, Scenario

from .errors import SimulationError
from .expected import prepare
from .flow import flow_of
from .network import working_hours
from .results import num


@dataclass(frozen=True)
class GoalEntry:
    id: str
    label: str
    current: float
    needed: float

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "current": num(self.current),
            "needed": num(self.needed),
        }


@dataclass(frozen=True)
class GoalStage:
    id: str
    name: str
    current: float
    needed: float

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "current": num(self.current),
            "needed": num(self.needed),
        }


@dataclass(frozen=True)
class GoalSLA:
    id: str
    name: str
    team: str
    stage: str | None
    leads_needed: float  # leads of the SLA's stage per period at the goal
    per_rep_now: float | None  # those leads per person of the team as it is today
    leads_per_rep: float  # what the SLA promises per person
    headcount_needed: int

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "team": self.team,
            "stage": self.stage,
            "leads_needed": num(self.leads_needed),
            "per_rep_now": num(self.per_rep_now),
            "leads_per_rep": num(self.leads_per_rep),
            "headcount_needed": self.headcount_needed,
        }


@dataclass(frozen=True)
class GoalTeam:
    id: str
    name: str
    headcount: int
    load_needed: float  # leads per period reaching the team's steps at the goal
    capacity_per_person: float | None
    headcount_needed: int
    reason: str
    attempt_hours_needed: float | None = None  # follow-up hours per period at the goal

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "headcount": self.headcount,
            "load_needed": num(self.load_needed),
            "capacity_per_person": num(self.capacity_per_person),
            "headcount_needed": self.headcount_needed,
            "reason": self.reason,
            "attempt_hours_needed": num(self.attempt_hours_needed),
        }


@dataclass(frozen=True)
class GoalGate:
    """A committee gate at the goal: its pass rate does not change with volume, so the leads
    reaching it scale with the goal like every stage."""

    node: str
    label: str
    pass_rate: float
    current: float  # leads per period reaching the gated step today
    needed: float  # at the goal

    def to_dict(self) -> dict:
        return {
            "node": self.node,
            "label": self.label,
            "pass_rate": num(self.pass_rate),
            "current": num(self.current),
            "needed": num(self.needed),
        }


@dataclass(frozen=True)
class GoalResult:
    process: str
    process_name: str
    scenario: str | None
    period: str
    currency: str
    target_revenue: float
    current_revenue: float
    achieved_revenue: float  # the expected flow fed with the leads needed (equals the target)
    scale: float
    current_deals: float
    deals_needed: float
    deal_value: float  # average revenue per deal
    entries: list[GoalEntry]
    stages: list[GoalStage]
    slas: list[GoalSLA]
    teams: list[GoalTeam]
    gates: list[GoalGate] = field(default_factory=list)

    def as_scenario(self, scenario_id: str = "goal", name: str | None = None) -> Scenario:
        """The entry volumes needed as a scenario (on top of the scenario the goal was sought under)."""
        return Scenario(
            id=scenario_id,
            name=name or f"Goal: {self.target_revenue:,.0f} {self.currency}",
            entry_volume={e.id: e.needed for e in self.entries},
        )

    def to_dict(self) -> dict:
        return {
            "process": self.process,
            "scenario": self.scenario,
            "period": self.period,
            "currency": self.currency,
            "target_revenue": num(self.target_revenue),
            "current_revenue": num(self.current_revenue),
            "achieved_revenue": num(self.achieved_revenue),
            "scale": num(self.scale),
            "current_deals": num(self.current_deals),
            "deals_needed": num(self.deals_needed),
            "deal_value": num(self.deal_value),
            "entries": [e.to_dict() for e in self.entries],
            "stages": [s.to_dict() for s in self.stages],
            "slas": [s.to_dict() for s in self.slas],
            "teams": [t.to_dict() for t in self.teams],
            "gates": [g.to_dict() for g in self.gates],
        }


def per_period(net) -> str:
    return f"per {net.period}"


def _ceil(value: float) -> int:
    return int(math.ceil(value - 1e-9))


def goal_seek(
    doc: JourneyMap,
    revenue: float,
    process_id: str | None = None,
    scenario: str | Scenario | None = None,
) -> GoalResult:
    """Leads, stage counts and people needed for ``revenue`` per period (see the module docstring)."""
    if (
        not isinstance(revenue, (int, float))
        or isinstance(revenue, bool)
        or not math.isfinite(revenue)
        or revenue <= 0
    ):
        raise SimulationError(f"The revenue target must be an amount above zero, not {revenue!r}.")
    ready = prepare(doc, process_id, scenario)
    net = ready.net
    flow = flow_of(net)
    if flow.revenue <= 0:
        wins = [net.ids[i] for i in np.flatnonzero(net.won)]
        closed = [g for g in flow.gates if g.arrivals > 0 and g.pass_rate <= 0]
        fix = "Give the won outcome a deal value and a path from the entries."
        if wins and flow.won > 0:
            where = f"its won outcomes ({', '.join(wins[:3])}) have no deal value"
        elif closed:
            never = [r for r in closed[0].roles if r.probability <= 0]
            who = " and ".join(f"{r.role_name} never clears '{r.step_label}'" for r in never)
            where = f"no deal passes the committee gate on '{closed[0].label}' ({who})"
            fix = "More leads do not change that: give that role's journey a path that clears."
        else:
            where = "no lead reaches a won outcome"
        raise SimulationError(f"'{net.process_name}' produces no revenue to scale: {where}. {fix}")
    scale = revenue / flow.revenue
    if not math.isfinite(scale):
        raise SimulationError(
            f"'{net.process_name}' makes {flow.revenue:.3g} {net.currency} {per_period(net)}: "
            f"no number of leads reaches {revenue:,.0f}. Raise the conversions on the way to "
            "the deal (a long chain of steps multiplies its losses)."
        )
    volume = net.volume * scale
    achieved = flow_of(net, volume=volume, details=False).revenue
    entries = [
        GoalEntry(net.ids[i], net.labels[i], float(net.volume[i]), float(volume[i]))
        for i in np.flatnonzero(net.entry & (net.volume > 0))
    ]
    stages = [GoalStage(s.id, s.name, s.leads, s.leads * scale) for s in flow.stages]
    stage_leads = {s.id: s.needed for s in stages}
    teams_by_id = {t.id: t for t in ready.doc.teams}
    slas = []
    sla_heads: dict[str, int] = {}
    for sla in ready.doc.slas:
        team = teams_by_id.get(sla.to_team)
        if not sla.leads_per_rep or team is None or team.id not in flow.teams:
            continue
        leads = stage_leads.get(sla.stage) if sla.stage else None
        if leads is None:
            leads = flow.teams[team.id].load * scale
        heads = _ceil(leads / sla.leads_per_rep)
        sla_heads[team.id] = max(sla_heads.get(team.id, 0), heads)
        slas.append(
            GoalSLA(
                sla.id,
                sla.name,
                team.id,
                sla.stage,
                leads,
                leads / team.headcount if team.headcount else None,
                sla.leads_per_rep,
                heads,
            )
        )
    teams = []
    for team_id, load in flow.teams.items():
        team = teams_by_id[team_id]
        needed_load = load.load * scale
        by_capacity = _ceil(needed_load / team.capacity) if team.capacity else 0
        by_sla = sla_heads.get(team_id, 0)
        by_hours, hours_needed = 0, None
        if load.attempt_hours is not None:
            hours_needed = load.attempt_hours * scale
            by_hours = _ceil(hours_needed / working_hours(net.period_days))
        if not team.capacity and not by_sla and hours_needed is None:
            continue
        heads = max(by_capacity, by_sla, by_hours)
        if by_capacity >= max(by_sla, by_hours) and team.capacity:
            reason = f"{needed_load:,.0f} leads per {net.period} at {team.capacity:,.0f} per person"
        elif by_hours >= by_sla and hours_needed is not None:
            reason = (
                f"{hours_needed:,.0f} hours of follow-up per {net.period} at "
                f"{working_hours(net.period_days):,.0f} per person"
            )
        else:
            reason = "its SLA's leads per rep"
        teams.append(
            GoalTeam(
                team_id,
                team.name,
                team.headcount,
                needed_load,
                team.capacity,
                heads,
                reason,
                hours_needed,
            )
        )
    gates = [
        GoalGate(g.node, g.label, g.pass_rate, g.arrivals, g.arrivals * scale) for g in flow.gates
    ]
    return GoalResult(
        process=net.process,
        process_name=net.process_name,
        scenario=ready.scenario.name if ready.scenario else None,
        period=net.period,
        currency=net.currency,
        target_revenue=float(revenue),
        current_revenue=flow.revenue,
        achieved_revenue=achieved,
        scale=scale,
        current_deals=flow.won,
        deals_needed=flow.won * scale,
        deal_value=flow.revenue / flow.won,
        entries=entries,
        stages=stages,
        slas=slas,
        teams=teams,
        gates=gates,
    )
