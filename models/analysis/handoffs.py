"""Hand-offs between teams: where a lead passes from one team's step to another's.

A hand-off is a path of flow edges from a step owned by one team to the next
step owned by another, through unowned steps (decisions, buyer steps) in
between. It needs qualification criteria on the way and an SLA between the
two teams.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.document import Edge
from models.findings import Finding

from .context import Context, Handoff

MAX_HOPS = 8


def handoffs(ctx: Context) -> list[Handoff]:
    """(from node, to node, nodes on the way, edges on the way) for every hand-off.

    From each owned step, a breadth-first search through unowned steps
    (decisions, buyer steps) up to ``MAX_HOPS`` deep, so each hand-off comes with
    its shortest way; each step keeps a back-pointer, so a path is only spelled
    out for the hand-offs actually found. Computed once per
    analysis (the SLA checks ask again).
    """
    if ctx.handoffs is not None:
        return ctx.handoffs
    found: list[Handoff] = []
    # what a search meets at each step: its owning team, None for a step it goes through (an
    # unowned decision or buyer step), "" for one it stops at (an unowned outcome)
    met = {
        node_id: node.owner
        if node.owner is not None
        else ("" if node.kind in ("won", "lost") else None)
        for node_id, node in ctx.nodes.items()
    }
    nexts = {  # step -> (next step, what the search meets there, the connection) along flows
        source: [(e.target, met[e.target], e) for e in edges if e.target in met]
        for source, edges in ctx.flow_only().items()
    }
    for node in ctx.doc.nodes:
        owner, start = node.owner, node.id
        if owner is None or start not in nexts:
            continue
        back: dict[str, Edge | None] = {start: None}  # step -> the connection that reached it
        further = []
        # a step of the same team or an unowned outcome ends the search there and is never
        # reported: it needs no mark (only steps searched through and steps reported have one)
        for target, team, edge in nexts[start]:  # the first hop: most hand-offs are direct
            if team is None:
                if target not in back:
                    back[target] = edge
                    further.append(target)
            elif team and team != owner and target not in back:
                back[target] = edge
                found.append((start, target, [start, target], [edge.id]))
        hops = 1
        while (
            further and hops < MAX_HOPS
        ):  # breadth first: the shortest way to each next owned step
            hops += 1
            frontier, further = further, []
            for current in frontier:
                for target, team, edge in nexts.get(current, ()):
                    if team is None:
                        if target not in back:
                            back[target] = edge
                            further.append(target)
                    elif team and team != owner and target not in back:
                        back[target] = edge
                        found.append((start, target, *_path(back, target)))
    ctx.handoffs = found
    return found


def _path(back: dict[str, Edge | None], end: str) -> tuple[list[str], list[str]]:
    path, edges = [end], []
    edge = back[end]
    while edge is not None:
        edges.append(edge.id)
        path.append(edge.source)
        edge = back[edge.source]
    return path[::-1], edges[::-1]


def check(ctx: Context) -> Iterator[Finding]:
    slas = {(s.from_team, s.to_team) for s in ctx.doc.slas}
    nodes, label, finding = ctx.nodes, ctx.label, ctx.finding
    applies = {node_id for node_id, node in nodes.items() if node.criteria}  # steps with criteria
    # (giving team, receiving team) -> their names, and the hint to add their SLA when none is
    names: dict[tuple[str | None, str | None], tuple[str, str, str | None]] = {}
    for source, target, path, edges in handoffs(ctx):
        a, b = nodes[source], nodes[target]
        pair = (a.owner, b.owner)
        known = names.get(pair)
        if known is None:
            giver, taker = _team(ctx, a.owner), _team(ctx, b.owner)
            missing = None if pair in slas else f"Add an SLA from {giver} to {taker}"
            known = names[pair] = (giver, taker, missing)
        giver, taker, missing = known
        where = f"{label(source)} to {label(target)} ({giver} to {taker})"
        ids = tuple(edges)
        if applies.isdisjoint(path):
            yield finding(
                "handoff-without-criteria",
                f"The hand-off from {where} has no qualification criteria.",
                process=a.process,
                nodes=(source, target),
                edges=ids,
                hint="Attach the criteria that make a lead acceptable to the receiving team",
            )
        if missing is not None:
            yield finding(
                "handoff-without-sla",
                f"The hand-off from {where} has no SLA.",
                process=a.process,
                nodes=(source, target),
                edges=ids,
                hint=missing,
            )


def _team(ctx: Context, team_id: str | None) -> str:
    team = ctx.teams.get(team_id) if team_id is not None else None
    return team.name if team else str(team_id)
