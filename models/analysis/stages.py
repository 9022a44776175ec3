"""The shared vocabulary of stages: each one defined and owned, and every path through them in order.

Teams "define the same things the same way" (seeds 001, 004): a stage of the map's glossary
needs a definition and an owning team. Along the flow, a lead moves through the stages in the
glossary's order: a flow from Lead straight to SQL skips MQL (when the process has an MQL step
at all), and a flow back to an earlier stage is a returned lead that belongs on a recycle
connection. Steps with no stage (decisions, buyer steps) are passed through; lost outcomes end
the walk (a lead may leave the funnel at any stage).
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding

from .context import Context


def check(ctx: Context) -> Iterator[Finding]:
    for stage in ctx.doc.stages:
        item = [("stages", stage.id)]
        if stage.owner is None:
            yield ctx.finding(
                "stage-without-owner",
                f"Nobody owns the stage '{stage.name}', so no team answers for its leads.",
                hint="Pick the team that owns leads at this stage",
                items=item,
            )
        elif stage.owner not in ctx.teams:
            yield ctx.finding(
                "stage-without-owner",
                f"The stage '{stage.name}' is owned by '{stage.owner}', which is not a team of this map.",
                hint="Choose an existing team or add the team",
                items=item,
            )
        if not stage.definition.strip():
            yield ctx.finding(
                "stage-without-definition",
                f"The stage '{stage.name}' has no definition, so each team can mean something else by it.",
                hint="Write what makes a lead reach this stage (behaviour, score, review), in words both teams accept",
                items=item,
            )
    yield from _order(ctx)


def _order(ctx: Context) -> Iterator[Finding]:
    rank = {stage.id: i for i, stage in enumerate(ctx.doc.stages)}
    if len(rank) < 2:
        return
    names = [stage.name for stage in ctx.doc.stages]
    at: dict[str, int] = {}  # step -> its stage's place in the glossary (lost outcomes left out)
    passes: set[str] = set()  # steps with no stage the walk goes through
    for node in ctx.doc.nodes:
        if node.kind == "lost":
            continue
        if node.stage is not None and node.stage in rank:
            at[node.id] = rank[node.stage]
        elif node.kind != "won":
            passes.add(node.id)
    if len(at) < 2:
        return
    flows = ctx.flow_only()  # step -> its flow connections (recycles go back on purpose)
    used: dict[str, set[int]] | None = None  # process -> the places of the stages its steps have
    for node_id, here in at.items():
        nexts = flows.get(node_id)
        if not nexts:
            continue
        if _in_order(nexts, here, at, passes):
            continue  # the usual case: every next step is at this stage or the next one
        if used is None:
            used = {}
            for step_id, place in at.items():
                used.setdefault(ctx.nodes[step_id].process, set()).add(place)
        process = ctx.nodes[node_id].process
        for target, edges in _next_staged(node_id, flows, at, passes):
            there = at[target]
            if there > here + 1:
                skipped = [names[k] for k in range(here + 1, there) if k in used[process]]
                if not skipped:
                    continue
                which = _words(skipped)
                yield ctx.finding(
                    "stage-skipped",
                    f"The flow from {ctx.label(node_id)} ({names[here]}) to "
                    f"{ctx.label(target)} ({names[there]}) skips {which}, so its leads are "
                    "never counted there.",
                    process=process,
                    nodes=(node_id, target),
                    edges=edges,
                    hint=f"Route these leads through a step at {which}, or give the steps the stages they really have",
                )
            elif there < here:
                yield ctx.finding(
                    "stage-backwards",
                    f"The flow from {ctx.label(node_id)} ({names[here]}) back to "
                    f"{ctx.label(target)} ({names[there]}) goes back in stage order without "
                    "a recycle connection.",
                    process=process,
                    nodes=(node_id, target),
                    edges=edges,
                    hint="Make it a recycle connection (back to nurture), or correct the stages of the two steps",
                )


def _in_order(nexts: list, here: int, at: dict, passes: set) -> bool:
    """Every next step is at this stage or the next one, or an outcome with no stage."""
    for edge in nexts:
        there = at.get(edge.target)
        if there is None:
            if edge.target in passes:
                return False
        elif there != here and there != here + 1:
            return False
    return True


def _next_staged(start: str, flows: dict, at: dict, passes: set) -> list[tuple[str, tuple]]:
    """The first steps with a stage after ``start`` along flow connections (through steps with
    no stage), each with the connections that lead there (a direct one when there is one)."""
    found: dict[str, tuple[str, ...]] = {}
    through = False
    for edge in flows[start]:
        target, edge_id = edge.target, edge.id
        if target in at:
            found.setdefault(target, (edge_id,))
        elif target in passes:
            through = True
    if not through:
        return list(found.items())
    back: dict[str, tuple[str, str]] = {start: ("", "")}
    # a connection back to the step itself (at its own stage) keeps the start's empty mark, which
    # ends every path spelled out below
    back.update((target, (start, edges[0])) for target, edges in found.items() if target != start)
    stack = [start]
    while stack:  # through steps with no stage (a decision, a buyer step)
        current = stack.pop()
        for edge in flows.get(current, ()):
            target, edge_id = edge.target, edge.id
            if target in back:
                continue
            back[target] = (current, edge_id)
            if target in at:
                path, step = [], target
                while back[step][0]:
                    step, edge = back[step]
                    path.append(edge)
                found[target] = tuple(path[::-1])
            elif target in passes:
                stack.append(target)
    return list(found.items())


def _words(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]
