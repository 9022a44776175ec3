"""Connections that go around steps, and labels that stay clear: the routing of one diagram.

A pure function of where the steps are and which connections join them; no Qt, so the editor
runs it off the UI thread and tests check it headless. For each connection, in this order:

1. the straight line between the two outlines (what the canvas draws while a step moves),
   when it passes no other step, nor the flow line under its own ends;
2. else a line from side to side (out of the source's right side into the target's left one,
   or bottom to top), with a short straight start and end, when that passes no step;
3. else Graphviz's spline router with every position pinned (``neato -n2``, ``splines=true``):
   each such connection is one small graph of the steps near it, and all of them go to one
   ``neato`` run. A route that still meets a step is routed again with that step added, up to
   three times. Two connections between the same two steps are routed together, so they are
   drawn apart. A step with a flow line under it is left and reached at its side or top
   (:mod:`models.route_neato`);
4. but neato's cost grows as the cube of the steps it is given, so a connection past more than
   ``CROWD`` steps, or one neato could not keep clear, goes through the gaps between the steps
   with right angles instead (:mod:`models.route_channels`).

Then each label (a conversion rate) is put on its connection where it covers no step, no
step's badge, no flow line under a step and no other label (:mod:`models.route_labels`).

Without ``neato`` the connections of the third kind go through the gaps too; any connection
that still passes under a step is listed in :attr:`Routing.blocked` and :attr:`Routing.note`
says why (Debian/Ubuntu: ``sudo apt-get install graphviz``). The steps, connections and routes
are the records of :mod:`models.route_types`; :mod:`models.route_plan` checks routes against
the steps.

>>> from models.document import Edge, JourneyMap, Layout, Node, Process
>>> doc = JourneyMap(processes=[Process(id="p", name="P")],
...     nodes=[Node(id=n, process="p") for n in "abc"],
...     edges=[Edge(id="ab", source="a", target="b"), Edge(id="ac", source="a", target="c")],
...     layout=Layout(nodes={"a": (0, 0), "b": (230, 0), "c": (460, 0)}))
>>> routing = route_edges(doc, "p")
>>> routing.routes["ab"].straight, routing.routes["ac"].curved  # a -> c goes around b
(True, True)
>>> routing.blocked, routing.crowded
([], [])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np

from .document import JourneyMap
from .route_channels import channel_candidates, through_own
from .route_geometry import BOX, DIAMOND, ELLIPSE
from .route_labels import Taken, place_label
from .route_neato import neato_routes
from .route_plan import Plan
from .route_types import NODE_HEIGHT, NODE_WIDTH, Link, Point, Route, Routing, Step

SHAPES = {"decision": DIAMOND, "won": ELLIPSE, "lost": ELLIPSE}
"""Outlines other than a box, by step kind (the rounded ones route as their box)."""
CLEAR = 4.0  # a straight or side-to-side line keeps this far from other steps
WINDOW = 48.0  # the steps within this of a connection's straight line are given to neato
BATCH = 6  # candidates through the gaps checked at a time, per connection
CROWD = 16  # a connection past more steps than this goes through the gaps, not to neato
HEAD, HEAD_SIDE = 11.0, 6.0  # an arrow head: its length, and the room kept beside it


def route(
    steps: Iterable[Step],
    links: Iterable[Link],
    *,
    use_neato: bool = True,
    timeout: float = 30.0,
    cancelled: Callable[[], bool] = lambda: False,
) -> Routing:
    """Route every link between the given steps (links to a step not given are left out).

    ``cancelled`` is asked between the stages: when it says yes the routing stops and what it
    returns is incomplete (the canvas has dropped it by then)."""
    plan = Plan(list(steps))
    index = plan.index
    links = [
        link
        for link in links
        if link.source in index and link.target in index and link.source != link.target
    ]
    result = Routing()
    ends = [(index[link.source], index[link.target]) for link in links]
    pairs: dict[frozenset, list[int]] = {}
    for k, (a, b) in enumerate(ends):
        pairs.setdefault(frozenset((a, b)), []).append(k)
    # 1 and 2: the straight line, else a side-to-side one, when it passes no step
    chosen: dict[int, Route] = {}
    single = [k for k in range(len(links)) if len(pairs[frozenset(ends[k])]) == 1]
    tries = {k: [plan.straight(*ends[k]), *plan.sides(*ends[k])] for k in single}
    for attempt in range(3):
        todo = [k for k in single if k not in chosen and len(tries[k]) > attempt]
        if not todo:
            break
        lines = [tries[k][attempt] for k in todo]
        for k, line, hit in zip(
            todo, lines, plan.hits(lines, [ends[k] for k in todo], CLEAR), strict=True
        ):
            if not hit:
                chosen[k] = Route(tuple(line), straight=attempt == 0)
    # 3 and 4: neato for the rest, a small graph per connection (or per pair of steps); through
    # the gaps for a connection past a crowd of steps (neato's cost grows as its cube)
    groups = [members for members in pairs.values() if len(members) > 1 or members[0] not in chosen]
    obstacles = _near(plan, [[ends[k] for k in members] for members in groups])
    crowd = [len(members) == 1 and len(obstacles[g]) > CROWD for g, members in enumerate(groups)]
    _channels(plan, ends, [m[0] for m, big in zip(groups, crowd, strict=True) if big], chosen)
    clean = set(chosen)  # checked: neato's routes and the fallbacks are checked below
    rest = [g for g, members in enumerate(groups) if any(k not in chosen for k in members)]
    problem = ""
    if rest and not cancelled():
        problem = neato_routes(
            plan,
            ends,
            [groups[g] for g in rest],
            [obstacles[g] for g in rest],
            chosen,
            result,
            use_neato,
            timeout,
            cancelled,
        )
        tried = {m[0] for m, big in zip(groups, crowd, strict=True) if big}
        again = [k for g in rest for k in groups[g] if k not in tried and len(groups[g]) == 1]
        _channels(plan, ends, again, chosen)
    if cancelled():
        return result
    for k, (a, b) in enumerate(ends):
        if k not in chosen:
            chosen[k] = Route(tuple(plan.straight(a, b)))
    rest = [k for k in range(len(links)) if k not in clean]
    found = plan.hits([chosen[k].polyline() for k in rest], [ends[k] for k in rest], 0.0)
    result.blocked = [links[k].id for k, hit in zip(rest, found, strict=True) if hit]
    if result.blocked:
        count = len(result.blocked)
        said = "1 connection passes" if count == 1 else f"{count} connections pass"
        why = problem or "the steps leave no room to go around them (move them apart)"
        result.note = f"{said} under a step: {why}."
    if not _place_labels(plan, links, chosen, result, cancelled):
        return result
    result.routes = {link.id: chosen[k] for k, link in enumerate(links)}
    return result


def _near(plan: Plan, groups: list[list[tuple[int, int]]]) -> list[set[int]]:
    """For each group of pairs of steps, the steps near the straight lines between them, the
    pairs' own included."""
    pairs = [pair for group in groups for pair in group]
    found = iter(
        plan.hits([plan.straight(*pair) for pair in pairs], [(-1, -1)] * len(pairs), WINDOW)
    )
    return [set().union(*group, *(next(found) for _ in group)) for group in groups]


def _channels(plan: Plan, ends, todo: list[int], chosen: dict[int, Route]) -> None:
    """Right-angled routes through the gaps (:mod:`models.route_channels`) for the connections
    ``todo``: the cheapest candidate that keeps clear of every step, else none. Candidates are
    checked a few at a time, cheapest first: the first few usually include a clear one."""
    failing = [k for k in todo if k in chosen]
    passing = plan.hits([chosen[k].polyline() for k in failing], [ends[k] for k in failing], 0)
    todo = [k for k in todo if k not in chosen]
    todo += [k for k, hit in zip(failing, passing, strict=True) if hit]
    for few in (True, False):
        candidates = {}
        for k in todo:
            a, b = ends[k]
            near = plan.boxes[_around(plan, a, b)]
            candidates[k] = channel_candidates(plan.boxes, plan.centres, a, b, near, few)
        start = 0
        while todo:
            batch = [(k, path) for k in todo for path in candidates[k][start : start + BATCH]]
            if not batch:
                break
            start += BATCH
            owner = [k for k, _ in batch]
            paths = [path for _, path in batch]
            rows = np.array([ends[k] for k in owner], dtype=np.int64)
            back = through_own(paths, plan.boxes[rows[:, 0]], plan.boxes[rows[:, 1]])
            found = plan.hits(paths, [ends[k] for k in owner], CLEAR)
            for k, path, hit, own in zip(owner, paths, found, back.tolist(), strict=True):
                if not hit and not own and k in todo:  # the cheapest that passes no step
                    chosen[k] = Route(tuple(path), straight=False)
                    todo.remove(k)


def _around(plan: Plan, a: int, b: int) -> np.ndarray:
    """The rows of the steps within a step's size of the rectangle spanned by steps a and b."""
    left, top = np.minimum(plan.boxes[a, :2], plan.boxes[b, :2]) - (NODE_WIDTH, NODE_HEIGHT * 2)
    right, bottom = np.maximum(plan.boxes[a, 2:], plan.boxes[b, 2:]) + (NODE_WIDTH, NODE_HEIGHT * 2)
    boxes = plan.boxes
    return np.flatnonzero(
        (boxes[:, 0] < right) & (left < boxes[:, 2]) & (boxes[:, 1] < bottom) & (top < boxes[:, 3])
    )


def _place_labels(
    plan: Plan, links: list[Link], chosen: dict[int, Route], result, cancelled
) -> bool:
    """Each label where it covers no step, badge, flow line or label placed before it
    (:mod:`models.route_labels`); the shortest connections, with the least choice, first.
    False: cancelled on the way."""
    labelled = [k for k, link in enumerate(links) if link.label is not None]
    lines = {k: chosen[k].polyline() for k in labelled}
    taken = Taken(plan.keepouts, [_head(lines[k]) for k in labelled])
    size = {k: _length(lines[k]) for k in labelled}
    for n, k in enumerate(sorted(labelled, key=lambda k: (size[k], k))):
        if n % 256 == 255 and cancelled():
            return False
        label = links[k].label
        assert label is not None
        at, crowded = place_label(lines[k], label, taken)
        if crowded:
            result.crowded.append(links[k].id)
        route_ = chosen[k]
        chosen[k] = Route(route_.points, route_.curved, at, route_.straight, tuple(lines[k]))
    return True


def _head(line: list[Point]) -> tuple[float, float, float, float]:
    """Around the arrow head at the end of a connection (a labelled one has one), where no
    label goes."""
    (x, y), (bx, by) = line[-1], line[-2]
    length = math.hypot(x - bx, y - by) or 1.0
    back = min(HEAD, length) / length
    tail_x, tail_y = x + (bx - x) * back, y + (by - y) * back
    return (
        min(x, tail_x) - HEAD_SIDE,
        min(y, tail_y) - HEAD_SIDE,
        max(x, tail_x) + HEAD_SIDE,
        max(y, tail_y) + HEAD_SIDE,
    )


def _length(line: list[Point]) -> float:
    return sum(math.dist(a, b) for a, b in zip(line, line[1:], strict=False))


def steps_of(
    doc: JourneyMap,
    process_id: str | None,
    positions: dict[str, Point] | None = None,
    below: float = 0.0,
) -> list[Step]:
    """The steps of a process (every process: None) where ``positions`` or the map puts them."""
    where = positions if positions is not None else doc.layout.nodes
    return [
        Step(
            node.id,
            float(where[node.id][0]),
            float(where[node.id][1]),
            SHAPES.get(node.kind, BOX),
            below,
        )
        for node in doc.nodes
        if (process_id is None or node.process == process_id) and node.id in where
    ]


def label_text(conversion: float | None) -> str:
    """A conversion as the canvas writes it: "25%", "12.5%", "?"."""
    if conversion is None:
        return "?"
    return f"{conversion * 100:.1f}".rstrip("0").rstrip(".") + "%"


def label_size(text: str) -> tuple[float, float]:
    """About the size of a connection's label on the canvas (11 px type, 4 px either side)."""
    return 7.0 * len(text) + 8.0, 18.0


def route_edges(
    doc: JourneyMap,
    process_id: str | None = None,
    *,
    positions: dict[str, Point] | None = None,
    below: float = 0.0,
    use_neato: bool = True,
) -> Routing:
    """Route a process's connections (every process's and those between them: None) where the
    map places its steps, or where ``positions`` does (the buying-group page)."""
    steps = steps_of(doc, process_id, positions, below)
    links = [
        Link(
            e.id,
            e.source,
            e.target,
            None if e.kind == "addresses" else label_size(label_text(e.conversion)),
        )
        for e in doc.edges
    ]
    return route(steps, links, use_neato=use_neato)
