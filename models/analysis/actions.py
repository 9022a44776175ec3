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
            yield ctx.step_finding(
                "unowned-action",
                f"Nobody owns the action {name}.",
                node.process,
                node.id,
                "Pick the team measured on this step",
            )
        elif node.owner not in teams:
            yield ctx.step_finding(
                "unowned-action",
                f"The action {name} is owned by '{node.owner}', which is not a team of this map.",
                node.process,
                node.id,
                "Choose an existing team or add the team",
            )
        if not node.call_to_action.strip():
            yield ctx.step_finding(
                "no-call-to-action",
                f"The action {name} has no call to action.",
                node.process,
                node.id,
                "Say what the buyer should do next (book a call, start a trial...)",
            )
        if not node.motivations or not node.concerns:
            missing = " or ".join(
                what
                for what, values in (("motivations", node.motivations), ("concerns", node.concerns))
                if not values
            )
            yield ctx.step_finding(
                "no-customer-view",
                f"The action {name} lists no customer {missing}.",
                node.process,
                node.id,
                "Write what makes the buyer want to take it, and what would stop them",
            )
        if not node.technology:
            yield ctx.step_finding(
                "no-technology",
                f"No technology is named for {name}.",
                node.process,
                node.id,
                "Name the CRM, automation or scoring tool that moves leads here",
            )
