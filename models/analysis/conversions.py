"""Numbers on the flow: missing rates, more than 100 % leaving a node, one-armed decisions."""

from __future__ import annotations

from collections.abc import Iterator

from models.document import Edge, Node
from models.findings import Finding

from .context import Context


def check(ctx: Context) -> Iterator[Finding]:
    flow_out, conversion = ctx.flow_sources(), ctx.conversions
    for node in ctx.doc.nodes:
        out = flow_out.get(node.id)
        if out is None:
            continue  # nothing leaves it (a dead end or an outcome: flow.py)
        rates = list(map(conversion, out))
        if None in rates:
            yield from _missing(ctx, node, out, rates)
            total = sum(rate for rate in rates if rate is not None)
        else:
            total = sum(rates)  # type: ignore[arg-type]  # no rate is None here
        if total > 1.0 + 1e-9:
            yield ctx.finding(
                "conversion-over-100",
                f"Conversions leaving {ctx.label(node.id)} add up to {total * 100:.0f}%, more than all its leads.",
                process=node.process,
                nodes=(node.id,),
                edges=[e.id for e in out],
                hint="Lower the rates so they sum to 100% or less; the rest is the drop-off",
            )
        if node.kind == "decision" and len(out) == 1:
            yield ctx.finding(
                "single-branch-decision",
                f"The decision {ctx.label(node.id)} has a single branch.",
                process=node.process,
                nodes=(node.id,),
                edges=[out[0].id],
                hint="Add the other answer's branch (often to nurture or a lost outcome)",
            )


def _missing(ctx: Context, node: Node, out: list[Edge], rates: list) -> Iterator[Finding]:
    for edge, rate in zip(out, rates, strict=True):
        if rate is not None:
            continue
        yield ctx.finding(
            "missing-conversion",
            f"The flow from {ctx.label(edge.source)} to {ctx.label(edge.target)} has no conversion rate.",
            process=node.process,
            nodes=[edge.source, edge.target],
            edges=[edge.id],
            hint="Enter the share of leads that take it (for example 30%)"
            + (
                ", or give every question of its criteria the share of leads answering yes"
                if node.criteria in ctx.criteria
                else ""
            ),
        )
