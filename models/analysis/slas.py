"""The SLAs between teams: each one binds two teams of the map at a hand-off, with a complete cadence.

An SLA (seed 001: "300 MQLs per rep per month", "one attempt within 8 working hours, 5 attempts
in 14 days") applies where a step of its first team passes leads to a step of its second
(:mod:`models.analysis.handoffs`; the simulation applies its response window at the same
steps). Whether the receiving team can meet it is :mod:`models.analysis.capacity`'s question.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding

from .context import Context
from .handoffs import handoffs


def check(ctx: Context) -> Iterator[Finding]:
    pairs: set[tuple[str | None, str | None]] | None = None
    for sla in ctx.doc.slas:
        item = [("slas", sla.id)]
        wrong = [
            f"is from '{sla.from_team}', which is not a team of this map"
            if sla.from_team not in ctx.teams
            else "",
            f"goes to '{sla.to_team}', which is not a team of this map"
            if sla.to_team not in ctx.teams
            else "",
            f"hands over the stage '{sla.stage}', which is not defined"
            if sla.stage is not None and sla.stage not in ctx.stages
            else "",
        ]
        wrong = [w for w in wrong if w]
        if wrong:
            yield ctx.finding(
                "broken-sla",
                f"The SLA '{sla.name}' {' and '.join(wrong)}.",
                hint="Pick existing teams and stage in the SLA's properties",
                items=item,
            )
        if sla.from_team in ctx.teams and sla.to_team in ctx.teams:
            giver, taker = ctx.teams[sla.from_team].name, ctx.teams[sla.to_team].name
            if sla.from_team == sla.to_team:
                yield ctx.finding(
                    "sla-unmatched",
                    f"The SLA '{sla.name}' is from {giver} to itself, so no hand-off between "
                    "two teams ever applies it.",
                    hint="Choose the team that hands the leads over and the team that receives them",
                    items=item,
                )
            else:
                if pairs is None:
                    pairs = {
                        (ctx.nodes[s].owner, ctx.nodes[t].owner) for s, t, _, _ in handoffs(ctx)
                    }
                if (sla.from_team, sla.to_team) not in pairs:
                    yield ctx.finding(
                        "sla-unmatched",
                        f"No step of {taker} receives leads from a step of {giver} on any "
                        f"diagram, so the SLA '{sla.name}' never applies.",
                        hint=f"Make {taker} the owner of the step that takes over {giver}'s leads, or remove the SLA",
                        items=item,
                    )
        if sla.attempts and sla.attempt_window_days is None:
            yield ctx.finding(
                "sla-attempts-without-window",
                f"The SLA '{sla.name}' asks for {sla.attempts} follow-up attempt"
                f"{'s' if sla.attempts != 1 else ''} but not within how many days.",
                hint="Enter the attempt window (for example 5 attempts within 14 days)",
                items=item,
            )
