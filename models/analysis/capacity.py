"""Can the teams do the work the funnel sends them: SLA volumes, team capacity, people, cadence?

Every figure is leads per period from :func:`models.analysis.volumes.expected_arrivals`, the
expected flow the simulation computes (``simulate`` prints each team's load as "Teams").
"""

from __future__ import annotations

from collections.abc import Iterator

from models.document import SLA
from models.findings import Finding
from models.vocabulary import PERIOD_DAYS, Period

from .context import Context
from .handoffs import handoffs
from .volumes import expected_arrivals

__all__ = ["cadence_loads", "check", "expected_arrivals", "team_loads", "working_hours"]


WORKING_HOURS_PER_DAY = 8.0
CALENDAR_DAYS_PER_WORKING_DAY = 7.0 / 5.0


def working_hours(period: Period) -> float:
    """One person's working hours in a period: 8 a working day, 5 working days in 7 (as the
    simulation counts them).

    >>> round(working_hours("month"), 1)
    173.7
    """
    return PERIOD_DAYS[period] / CALENDAR_DAYS_PER_WORKING_DAY * WORKING_HOURS_PER_DAY


def check(ctx: Context) -> Iterator[Finding]:
    yield from _people(ctx)
    yield from _teams(ctx)
    yield from _slas(ctx)
    yield from _cadences(ctx)


def team_loads(ctx: Context) -> dict[str, tuple[float, str | None]]:
    """Each team owning a step: (leads per period at its steps, its busiest step)."""
    arrivals = expected_arrivals(ctx)
    loads: dict[str, tuple[float, str | None]] = {}
    busiest: dict[str, float] = {}
    for node in ctx.doc.nodes:
        if node.owner is None:
            continue
        leads = arrivals.get(node.id, 0.0)
        load, top = loads.get(node.owner, (0.0, None))
        if top is None or leads > busiest[node.owner]:
            top, busiest[node.owner] = node.id, leads
        loads[node.owner] = (load + leads, top)
    return loads


def _people(ctx: Context) -> Iterator[Finding]:
    empty = {t.id for t in ctx.doc.teams if t.headcount == 0}
    if not empty:
        return
    owned: dict[str, list[str]] = {}
    for node in ctx.doc.nodes:
        if node.owner in empty:
            owned.setdefault(node.owner, []).append(node.id)
    for team_id, steps in owned.items():
        team = ctx.teams[team_id]
        count = f"{len(steps)} step{'s' if len(steps) > 1 else ''}"
        yield ctx.finding(
            "team-without-people",
            f"{team.name} has no people but owns {count}, so nobody works the leads that reach them.",
            process=ctx.nodes[steps[0]].process,
            nodes=steps,
            hint=f"Enter {team.name}'s headcount, or give its steps to a team with people",
            items=[("teams", team_id)],
        )


def _teams(ctx: Context) -> Iterator[Finding]:
    limited = [t for t in ctx.doc.teams if t.capacity is not None and t.headcount > 0]
    if not limited or not expected_arrivals(ctx):
        return
    loads = team_loads(ctx)
    period = ctx.doc.period
    for team in limited:
        load, busiest = loads.get(team.id, (0.0, None))
        per_person = team.capacity or 0.0
        can_take = team.headcount * per_person
        if busiest is None or load <= can_take * (1 + 1e-9) or load < 1e-9:
            continue
        share = f"{load / can_take:.0%}" if can_take > 0 else "far over"
        needed = int(-(-load // per_person)) if per_person > 0 else None
        plan = (
            f"Plan for {needed} people in {team.name}" if needed else f"Give {team.name} a capacity"
        )
        yield ctx.finding(
            "team-over-capacity",
            f"{team.name} has about {load:,.0f} leads per {period} to work at its steps, but "
            f"{team.headcount} {'person' if team.headcount == 1 else 'people'} at "
            f"{per_person:,.0f} each can take {can_take:,.0f}: it is at {share} of capacity "
            f"(busiest step: {ctx.label(busiest)}).",
            process=ctx.nodes[busiest].process,
            nodes=[busiest],
            hint=f"{plan}, or qualify harder before its steps",
            items=[("teams", team.id)],
        )


def _slas(ctx: Context) -> Iterator[Finding]:
    slas = [
        s
        for s in ctx.doc.slas
        if s.to_team in ctx.teams and (s.leads_per_rep or ctx.teams[s.to_team].capacity)
    ]
    if not slas:
        return
    arrivals = expected_arrivals(ctx)
    if not arrivals:
        return
    pairs = handoffs(ctx)
    period = ctx.doc.period
    for sla in slas:
        team = ctx.teams[sla.to_team]
        receivers = sorted(
            {
                t
                for s, t, _, _ in pairs
                if ctx.nodes[s].owner == sla.from_team and ctx.nodes[t].owner == sla.to_team
            }
        )
        if not receivers:
            continue
        items = [("slas", sla.id), ("teams", team.id)]
        volume = sum(arrivals.get(n, 0.0) for n in receivers)
        per_rep = min(x for x in (sla.leads_per_rep, team.capacity) if x)
        can_take = team.headcount * per_rep
        if volume > can_take + 1e-9:
            needed = int(-(-volume // per_rep))
            yield ctx.finding(
                "sla-over-capacity",
                f"{team.name} receives about {volume:,.0f} leads per {period} under '{sla.name}', but "
                f"{team.headcount} people at {per_rep:,.0f} each can take {can_take:,.0f}.",
                process=ctx.nodes[receivers[0]].process,
                nodes=receivers,
                hint=f"Plan for {needed} people in {team.name}, or qualify harder before the hand-off",
                items=items,
            )


Cadence = tuple[float, float, list[tuple[SLA, list[str]]]]
"""(leads per period at the hand-off steps, follow-up hours they need, and each SLA with a
cadence and the hand-off steps that follow it): see :func:`cadence_loads`."""


def cadence_loads(ctx: Context) -> dict[str, Cadence]:
    """Follow-up work per receiving team, as the simulation counts it (its Teams table's
    follow-up hours): a hand-off step takes the cadence of the first SLA of the map with
    attempts and minutes per attempt that reaches it; a team's hand-off steps add up,
    whatever SLA they come under."""
    paced = [
        s
        for s in ctx.doc.slas
        if s.attempts and s.attempt_minutes and s.to_team in ctx.teams and s.from_team in ctx.teams
    ]
    if not paced:
        return {}
    arrivals = expected_arrivals(ctx)
    if not arrivals:
        return {}
    pairs = handoffs(ctx)
    claimed: set[str] = set()  # hand-off steps that follow an SLA's cadence already
    parts: dict[str, list[tuple[SLA, list[str]]]] = {}
    for sla in paced:
        receivers = sorted(
            {
                t
                for s, t, _, _ in pairs
                if ctx.nodes[s].owner == sla.from_team and ctx.nodes[t].owner == sla.to_team
            }
        )
        mine = [n for n in receivers if n not in claimed]
        claimed.update(mine)
        if mine:
            parts.setdefault(sla.to_team, []).append((sla, mine))
    loads: dict[str, Cadence] = {}
    for team_id, by_sla in parts.items():
        leads = hours = 0.0
        for sla, steps in by_sla:
            here = sum(arrivals.get(n, 0.0) for n in steps)
            leads += here
            hours += here * (sla.attempts or 0) * (sla.attempt_minutes or 0.0) / 60.0
        loads[team_id] = (leads, hours, by_sla)
    return loads


def _cadences(ctx: Context) -> Iterator[Finding]:
    """Follow-up attempts against the receiving team's hours (seed 001: with N leads and X
    hours a month, how many attempts can a rep make?)."""
    period = ctx.doc.period
    for team_id, (leads, hours, parts) in cadence_loads(ctx).items():
        team = ctx.teams[team_id]
        if team.headcount == 0:
            continue  # team-without-people says it
        available = team.headcount * working_hours(period)
        if hours <= available * (1 + 1e-9):
            continue
        sla = parts[0][0]
        if len(parts) == 1:
            asks = (
                f"'{sla.name}' asks {team.name} for {sla.attempts} attempts of "
                f"{sla.attempt_minutes:g} minutes on each of about {leads:,.0f} leads per {period}"
            )
            fits = int(available * 60.0 / (leads * (sla.attempts or 1)))
            shorter = f"attempts of at most {fits} minutes" if fits >= 1 else "fewer attempts"
        else:
            names = ", ".join(f"'{s.name}'" for s, _ in parts)
            asks = (
                f"The follow-up cadences of {names} ask {team.name} for their attempts on "
                f"about {leads:,.0f} leads per {period}"
            )
            shorter = "fewer or shorter attempts"
        people = f"{team.headcount} {'person has' if team.headcount == 1 else 'people have'}"
        needed = int(-(-hours // working_hours(period)))
        yield ctx.finding(
            "sla-cadence-over-hours",
            f"{asks}: about {hours:,.0f} hours, but {people} about {available:,.0f} working hours.",
            process=ctx.nodes[parts[0][1][0]].process,
            nodes=[n for _, steps in parts for n in steps],
            hint=f"Plan for {needed} people in {team.name}, {shorter}, or qualify harder before "
            "the hand-off",
            items=[*(("slas", s.id) for s, _ in parts), ("teams", team_id)],
        )
