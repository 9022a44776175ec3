"""Buyer roles and their processes: each purchase process is one role's, with that role's steps,
served by company actions through 'addresses' connections drawn from the action to the step."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding

from .context import Context

KIND_WORDS = {
    "entry": "an entry",
    "buyer_step": "a buyer step",
    "action": "a company action",
    "decision": "a decision",
    "subprocess": "a sub-process",
    "won": "a won outcome",
    "lost": "a lost outcome",
}


def check(ctx: Context) -> Iterator[Finding]:
    roles = ctx.roles
    for buyer in ctx.doc.processes:
        if buyer.kind != "buyer":
            continue
        if buyer.role is None or buyer.role not in roles:
            what = (
                "has no buyer role"
                if buyer.role is None
                else f"names the role '{buyer.role}', which is not a buyer role of this map"
            )
            yield ctx.finding(
                "buyer-process-without-role",
                f"The purchase process '{buyer.name}' {what}, so nobody knows whose journey it is.",
                process=buyer.id,
                hint="Pick the buyer role whose purchase process this is",
                items=[("processes", buyer.id)],
            )
    for node in ctx.doc.nodes:
        if node.kind != "buyer_step" or node.role is None:
            continue
        if node.role not in roles:
            yield ctx.finding(
                "buyer-step-wrong-role",
                f"The buyer step {ctx.label(node.id)} is taken by '{node.role}', which is not a "
                "buyer role of this map.",
                process=node.process,
                nodes=(node.id,),
                hint="Choose the buyer role who takes this step",
            )
            continue
        process = ctx.processes.get(node.process)
        owner = roles.get(process.role) if process is not None and process.role else None
        if process is not None and process.kind == "buyer" and owner and owner.id != node.role:
            yield ctx.finding(
                "buyer-step-wrong-role",
                f"The buyer step {ctx.label(node.id)} is the {roles[node.role].name}'s, but it is "
                f"in '{process.name}', the {owner.name}'s purchase process.",
                process=node.process,
                nodes=(node.id,),
                hint="Move the step to its role's own process, or give it this process's role",
            )
    for edge in ctx.doc.edges:
        if edge.kind != "addresses":
            continue
        source, target = ctx.nodes.get(edge.source), ctx.nodes.get(edge.target)
        if source is None or target is None or source.kind == "action":
            continue
        if target.kind == "action":
            yield ctx.finding(
                "misdirected-addresses",
                f"The 'addresses' connection from {ctx.label(source.id)} to the action "
                f"{ctx.label(target.id)} points the wrong way: an action addresses the step it serves.",
                process=source.process,
                nodes=[source.id, target.id],
                edges=[edge.id],
                hint="Reverse it: draw it from the action to the buyer step",
            )
        else:
            yield ctx.finding(
                "misdirected-addresses",
                f"The 'addresses' connection from {ctx.label(source.id)} to {ctx.label(target.id)} "
                f"starts at {KIND_WORDS[source.kind]}, not a company action, so it serves nothing.",
                process=source.process,
                nodes=[source.id, target.id],
                edges=[edge.id],
                hint="Draw it from the company action that serves the step, or make it a flow connection",
            )
