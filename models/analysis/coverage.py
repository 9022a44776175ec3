"""The buyer's side: steps no company action serves, roles with no purchase process."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding

from .context import Context


def check(ctx: Context) -> Iterator[Finding]:
    addressed = {  # an 'addresses' connection from anything but an action serves nothing (roles.py)
        e.target
        for e in ctx.doc.edges
        if e.kind == "addresses" and e.source in ctx.nodes and ctx.nodes[e.source].kind == "action"
    }
    for node in ctx.doc.nodes:
        if node.kind == "buyer_step" and node.id not in addressed:
            yield ctx.step_finding(
                "unaddressed-step",
                f"No company action addresses the buyer step {ctx.label(node.id)}.",
                node.process,
                node.id,
                "Add an action that serves this step and connect it with an 'addresses' edge",
            )
    with_process = {p.role for p in ctx.doc.processes if p.role}
    for role in ctx.doc.roles:
        if role.id not in with_process:
            yield ctx.finding(
                "role-without-process",
                f"The buyer role '{role.name}' has no purchase process.",
                hint="Add a buyer process for this role and diagram how they buy",
                items=[("roles", role.id)],
            )
