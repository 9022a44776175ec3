"""Qualification criteria: applied by a step, with questions and a threshold a lead can reach.

Method step 6: a lead becomes acceptable to sales when enough questions (BANT and company
specific ones) are answered positively, or when its score passes a threshold. A question set no
step applies, one with no questions or no threshold, and a threshold that a lead answering every
question positively still misses are each reported, on the criteria and the steps that apply them.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.document import Criteria
from models.findings import Finding

from .context import Context


def check(ctx: Context) -> Iterator[Finding]:
    if not ctx.doc.criteria:
        return
    applied: dict[str, list[str]] = {}
    for node in ctx.doc.nodes:
        if node.criteria is not None:
            applied.setdefault(node.criteria, []).append(node.id)
    for criteria in ctx.doc.criteria:
        steps = applied.get(criteria.id, [])
        process = ctx.nodes[steps[0]].process if steps else None
        item = [("criteria", criteria.id)]
        name = f"'{criteria.name}'"
        if not steps:
            yield ctx.finding(
                "unused-criteria",
                f"No step applies the criteria {name}, so no lead is qualified by them.",
                hint="Set them as the criteria of the step where leads are qualified (the scoring, the qualification call), or remove them",
                items=item,
            )
        missing = []
        if not criteria.questions:
            missing.append("no questions")
        if criteria.threshold_score is None and criteria.threshold_answers is None:
            missing.append("no threshold")
        if missing:
            yield ctx.finding(
                "incomplete-criteria",
                f"The criteria {name} have {' and '.join(missing)}, so nobody can say which "
                "leads they accept.",
                hint="Add the questions (budget, authority, need, timing, your own) and the score or number of positive answers a lead needs",
                items=item,
                process=process,
                nodes=steps,
            )
            continue
        yield from _reach(ctx, criteria, item, process, steps)


def _reach(
    ctx: Context,
    criteria: Criteria,
    item: list[tuple[str, str]],
    process: str | None,
    steps: list[str],
) -> Iterator[Finding]:
    """The thresholds no set of answers meets. With both a score and a number of positive
    answers a lead needs both (as the simulation reads them): the best a lead with at least that
    many positive answers can score is every positive question plus the least costly others."""
    name = f"'{criteria.name}'"
    points = sorted((q.points for q in criteria.questions), reverse=True)
    count = len(points)
    positive = sum(1 for p in points if p > 0)
    needed = criteria.threshold_answers
    if needed is not None and needed > count:
        yield ctx.finding(
            "criteria-threshold-unreachable",
            f"The criteria {name} need {needed} positive answers but ask only {count} "
            f"question{'s' if count != 1 else ''}: no lead qualifies.",
            hint=f"Lower the minimum positive answers to {count} or less, or add questions",
            items=item,
            process=process,
            nodes=steps,
        )
        return
    if criteria.threshold_score is None:
        return
    best = sum(points[: max(positive, needed or 0)])
    if criteria.threshold_score <= best + 1e-9:
        return
    if needed is not None and needed > positive:
        why = (
            f"a lead with {needed} positive answers scores at most {best:g} (some questions "
            "count against the score)"
        )
    else:
        every = {1: "its one question", 2: "both questions"}.get(count, f"all {count} questions")
        why = f"a lead answering {every} positively scores {best:g}"
    yield ctx.finding(
        "criteria-threshold-unreachable",
        f"The criteria {name} need {criteria.threshold_score:g} points, but {why}: no lead "
        "qualifies.",
        hint=f"Lower the minimum score to {best:g} or less, or add the questions that make up the rest",
        items=item,
        process=process,
        nodes=steps,
    )
