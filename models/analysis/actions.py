"""The company's actions: owned, with a call to action, the customer's view and the technology."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding

from .context import Context


def check(ctx: Context) -> Iterator[Finding]:
    label, teams = ctx.label, ctx.teams
    for node in ctx.doc.nodes:
        if node.kind != "action":
            continue
        name = label(node.id)
        if node.owner is None:
            yield ctx.finding(
                "unowned-action",
                f"Nobody owns the action {name}.",
                process=node.process,
                nodes=(node.id,),
                hint="Pick the team measured on this step",
            )
        elif node.owner not in teams:
            yield ctx.finding(
                "unowned-action",
                f"The action {name} is owned by '{node.owner}', which is not a team of this map.",
                process=node.process,
                nodes=(node.id,),
                hint="Choose an existing team or add the team",
            )
        if not node.call_to_action.strip():
            yield ctx.finding(
                "no-call-to-action",
                f"The action {name} has no call to action.",
                process=node.process,
                nodes=(node.id,),
                hint="Say what the buyer should do next (book a call, start a trial...)",
            )
        if not node.motivations or not node.concerns:
            missing = " or ".join(
                what
                for what, values in (("motivations", node.motivations), ("concerns", node.concerns))
                if not values
            )
            yield ctx.finding(
                "no-customer-view",
                f"The action {name} lists no customer {missing}.",
                process=node.process,
                nodes=(node.id,),
                hint="Write what makes the buyer want to take it, and what would stop them",
            )
        if not node.technology:
            yield ctx.finding(
                "no-technology",
                f"No technology is named for {name}.",
                process=node.process,
                nodes=(node.id,),
                hint="Name the CRM, automation or scoring tool that moves leads here",
            )
