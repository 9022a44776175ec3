"""The shared vocabulary: stages and criteria that are used must exist; sub-process links must work."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding

from .context import Context


def check(ctx: Context) -> Iterator[Finding]:
    stages = {s.id for s in ctx.doc.stages}
    criteria = {c.id for c in ctx.doc.criteria}
    processes = {p.id for p in ctx.doc.processes}
    undefined: dict[str, list[str]] = {}
    for node in ctx.doc.nodes:
        if node.stage and node.stage not in stages:
            undefined.setdefault(node.stage, []).append(node.id)
        if node.criteria and node.criteria not in criteria:
            yield ctx.finding(
                "missing-criteria",
                f"{ctx.label(node.id)} applies criteria '{node.criteria}', which are not defined.",
                process=node.process,
                nodes=(node.id,),
                hint="Define the criteria or pick existing ones",
            )
        if node.kind == "subprocess":
            if (
                not node.subprocess
                or node.subprocess not in processes
                or node.subprocess == node.process
            ):
                what = (
                    "opens no process"
                    if not node.subprocess
                    else (
                        "opens its own process"
                        if node.subprocess == node.process
                        else f"opens '{node.subprocess}', which does not exist"
                    )
                )
                yield ctx.finding(
                    "broken-subprocess",
                    f"The sub-process {ctx.label(node.id)} {what}.",
                    process=node.process,
                    nodes=(node.id,),
                    hint="Choose the process it opens in its properties",
                )
    for stage, nodes in undefined.items():
        yield ctx.finding(
            "undefined-stage",
            f"The stage '{stage}' is used by {len(nodes)} step{'s' if len(nodes) > 1 else ''} but not defined.",
            process=ctx.nodes[nodes[0]].process,
            nodes=nodes,
            hint="Add it to the stages with its definition, owner and what happens on rejection",
        )
    for sla in ctx.doc.slas:
        if sla.criteria and sla.criteria not in criteria:
            yield ctx.finding(
                "missing-criteria",
                f"The SLA '{sla.name}' refers to criteria '{sla.criteria}', which are not defined.",
                hint="Define the criteria or pick existing ones",
            )
