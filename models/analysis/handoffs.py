"""Hand-offs between teams: where a lead passes from one team's step to another's.

A hand-off is a path of flow edges from a step owned by one team to the next
step owned by another, through unowned steps (decisions, buyer steps) in
between. It needs qualification criteria on the way and an SLA between the
two teams.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding

from .context import Context, Handoff

MAX_HOPS = 8


def handoffs(ctx: Context) -> list[Handoff]:
    """(from node, to node, nodes on the way, edges on the way) for every hand-off.

    From each owned step, a search through unowned steps (decisions, buyer
    steps) up to ``MAX_HOPS`` deep; each step keeps a back-pointer, so a path
    is only spelled out for the hand-offs actually found. Computed once per
    analysis (the SLA capacity check asks again).
    """
    if ctx.handoffs is not None:
        return ctx.handoffs
    found: list[Handoff] = []
    flows = {
        source: [e for e in edges if e.kind == "flow"]
        for source, edges in ctx.flow_sources().items()
    }
    nodes = ctx.nodes
    for node in ctx.doc.nodes:
        owner = node.owner
        if owner is None or node.id not in flows:
            continue
        back: dict[str, tuple[str, str, int]] = {
            node.id: ("", "", 0)
        }  # node -> (previous, edge, depth)
        stack = [node.id]
        while stack:
            current = stack.pop()
            depth = back[current][2]
            for edge in flows.get(current, ()):
                target = nodes.get(edge.target)
                if target is None or target.id in back or depth >= MAX_HOPS:
                    continue
                back[target.id] = (current, edge.id, depth + 1)
                if target.owner is not None:
                    if target.owner != owner:
                        found.append((node.id, target.id, *_path(back, target.id)))
                elif target.kind not in ("won", "lost"):
                    stack.append(target.id)
    ctx.handoffs = found
    return found


def _path(back: dict[str, tuple[str, str, int]], end: str) -> tuple[list[str], list[str]]:
    path, edges = [end], []
    while back[end][0]:
        end, edge, _ = back[end]
        path.append(end)
        edges.append(edge)
    return path[::-1], edges[::-1]


def check(ctx: Context) -> Iterator[Finding]:
    slas = {(s.from_team, s.to_team) for s in ctx.doc.slas}
    for source, target, path, edges in handoffs(ctx):
        a, b = ctx.nodes[source], ctx.nodes[target]
        teams = f"{_team(ctx, a.owner)} to {_team(ctx, b.owner)}"
        if not any(ctx.nodes[n].criteria for n in path):
            yield ctx.finding(
                "handoff-without-criteria",
                f"The hand-off from {ctx.label(source)} to {ctx.label(target)} ({teams}) has no qualification criteria.",
                process=a.process,
                nodes=[source, target],
                edges=edges,
                hint="Attach the criteria that make a lead acceptable to the receiving team",
            )
        if (a.owner, b.owner) not in slas:
            yield ctx.finding(
                "handoff-without-sla",
                f"The hand-off from {ctx.label(source)} to {ctx.label(target)} ({teams}) has no SLA.",
                process=a.process,
                nodes=[source, target],
                edges=edges,
                hint=f"Add an SLA from {_team(ctx, a.owner)} to {_team(ctx, b.owner)}",
            )


def _team(ctx: Context, team_id: str | None) -> str:
    team = ctx.teams.get(team_id) if team_id is not None else None
    return team.name if team else str(team_id)
