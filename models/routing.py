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
   drawn apart. A step with a flow line under it is left and reached at its side or top;
4. but neato's cost grows as the cube of the steps it is given, so a connection past more than
   ``CROWD`` steps, or one neato could not keep clear, goes through the gaps between the steps
   with right angles instead (:mod:`models.route_channels`).

Then each label (a conversion rate) is put on its connection where it covers no step, no
step's badge, no flow line under a step and no other label (:mod:`models.route_labels`).

Without ``neato`` the connections of the third kind go through the gaps too; any connection
that still passes under a step is listed in :attr:`Routing.blocked` and :attr:`Routing.note`
says why (Debian/Ubuntu: ``sudo apt-get install graphviz``).

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

import json
import math
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .document import JourneyMap
from .route_channels import channel_candidates, through_own
from .route_geometry import (
    BOX,
    DIAMOND,
    ELLIPSE,
    BoxGrid,
    bezier_polyline,
    clip_centres,
    outline_crosses,
)
from .route_labels import Taken, place_label

NODE_WIDTH, NODE_HEIGHT, DIAMOND_RISE = 170.0, 64.0, 6.0
"""A step's size as the canvas draws it (app.gui.common.shapes; a test keeps them equal)."""
SHAPES = {"decision": DIAMOND, "won": ELLIPSE, "lost": ELLIPSE}
"""Outlines other than a box, by step kind (the rounded ones route as their box)."""
CLEAR = 4.0  # a straight or side-to-side line keeps this far from other steps
STUB = 14.0  # a side-to-side line leaves and enters its steps straight for this long
WINDOW = 48.0  # the steps within this of a connection's straight line are given to neato
ESEP = 8.0  # neato keeps routes this far from the steps (its esep)
BATCH = 6  # candidates through the gaps checked at a time, per connection
CROWD = 16  # a connection past more steps than this goes through the gaps, not to neato
ROUNDS = 3  # neato runs at most: a route that meets a step is routed again with that step
LABEL_GAP = 3.0  # around a step, kept free of labels
HEAD, HEAD_SIDE = 11.0, 6.0  # an arrow head: its length, and the room kept beside it
INSTALL = "Debian/Ubuntu: sudo apt-get install graphviz"

Point = tuple[float, float]


@dataclass(frozen=True)
class Step:
    """A step as the router sees it: its centre, outline and the room kept under it (the
    simulation's flow line, links to other processes)."""

    id: str
    x: float
    y: float
    shape: int = BOX
    below: float = 0.0


@dataclass(frozen=True)
class Link:
    """A connection; ``label`` is its label's (width, height), None when it has none."""

    id: str
    source: str
    target: str
    label: tuple[float, float] | None = None


@dataclass(frozen=True)
class Route:
    """Where a connection is drawn: a polyline, or (``curved``) a chain of cubic Béziers given
    as its start and then three points a piece; its label's centre (None: no label)."""

    points: tuple[Point, ...]
    curved: bool = False
    label_at: Point | None = None
    straight: bool = True
    """The line between the two outlines, as the canvas draws a connection by itself."""
    samples: tuple[Point, ...] = ()
    """The curve sampled as a polyline (made once, by the router)."""

    def polyline(self) -> list[Point]:
        """The drawn path as a polyline (curves sampled)."""
        if self.samples:
            return list(self.samples)
        return bezier_polyline(list(self.points)) if self.curved else list(self.points)


@dataclass
class Routing:
    routes: dict[str, Route] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)
    """Connections that could not be kept off every other step (steps overlapping, no neato)."""
    crowded: list[str] = field(default_factory=list)
    """Connections whose label found no free place."""
    note: str = ""
    """Why some connections are left straight, in a sentence ("" when all went well)."""
    neato_seconds: float = 0.0
    graphs: int = 0
    """How many small graphs went to neato."""


class _Plan:
    """The steps as arrays: outlines for clipping, boxes to keep routes off, keep-outs for labels."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = steps
        self.index = {step.id: i for i, step in enumerate(steps)}
        half_w, half_h = NODE_WIDTH / 2, NODE_HEIGHT / 2
        self.outline = [(s.shape, half_w, half_h, half_h / (half_h + DIAMOND_RISE)) for s in steps]
        rows = []
        strips = []
        keep = []
        for i, s in enumerate(steps):
            rise = DIAMOND_RISE if s.shape == DIAMOND else 0.0
            top, bottom = s.y - half_h - rise, s.y + half_h + rise
            rows.append((s.x - half_w, top, s.x + half_w, bottom + s.below))
            if s.below > 0:
                strips.append((i, (s.x - half_w, bottom, s.x + half_w, bottom + s.below)))
            keep.append(
                (
                    s.x - half_w - LABEL_GAP,
                    top - LABEL_GAP,
                    s.x + half_w + LABEL_GAP,
                    bottom + s.below + LABEL_GAP,
                )
            )
            # the findings badge on the top right corner (drawn whether or not there is one now)
            keep.append(
                (s.x + half_w - 10, s.y - half_h - 12, s.x + half_w + 12, s.y - half_h + 10)
            )
        self.boxes = np.array(rows, dtype=float).reshape(-1, 4)
        self.shapes = np.array([s.shape for s in steps], dtype=np.int64)
        self.centres = np.array([(s.x, s.y) for s in steps], dtype=float).reshape(-1, 2)
        self.halves = np.array(
            [(half_w, half_h + (DIAMOND_RISE if s.shape == DIAMOND else 0.0)) for s in steps],
            dtype=float,
        ).reshape(-1, 2)
        self.strip_owner = np.array([i for i, _ in strips], dtype=np.int64)
        self.strips = np.array([r for _, r in strips], dtype=float).reshape(-1, 4)
        self.keepouts = keep
        self.grids: dict[float, BoxGrid] = {}  # the boxes grown by a margin, in cells
        self.strip_grid = BoxGrid(self.strips)

    def hits(
        self, polylines: list[list[Point]], ends: list[tuple[int, int]], pad: float
    ) -> list[set[int]]:
        """For each polyline, the steps (rows) it passes other than its two ends; the flow line
        under its own ends counts as their own step's row."""
        segments, owner = [], []
        for k, line in enumerate(polylines):
            for (ax, ay), (bx, by) in zip(line, line[1:], strict=False):
                segments.append((ax, ay, bx, by))
                owner.append(k)
        found: list[set[int]] = [set() for _ in polylines]
        if not segments:
            return found
        segs = np.array(segments, dtype=float)
        owners = np.array(owner, dtype=np.int64)
        if pad not in self.grids:
            self.grids[pad] = BoxGrid(self.boxes, pad)
        seg, box = self.grids[pad].hits(segs)
        # a step with room under it is its box; others are tested on their outline
        exact = (self.shapes[box] != BOX) & (
            self.boxes[box, 3] == self.centres[box, 1] + self.halves[box, 1]
        )
        if exact.any():
            keep = outline_crosses(
                segs[seg], self.centres[box], self.halves[box], self.shapes[box], pad
            )
            seg, box = seg[~exact | keep], box[~exact | keep]
        for s, b in zip(owners[seg].tolist(), box.tolist(), strict=True):
            if b not in ends[s]:
                found[s].add(b)
        if len(self.strips):
            seg, strip = self.strip_grid.hits(segs)
            for s, b in zip(owners[seg].tolist(), self.strip_owner[strip].tolist(), strict=True):
                if b in ends[s]:
                    found[s].add(b)
        return found

    def straight(self, a: int, b: int) -> list[Point]:
        sa, sb = self.steps[a], self.steps[b]
        x1, y1, x2, y2 = clip_centres(sa.x, sa.y, sb.x, sb.y, self.outline[a], self.outline[b])
        return [(x1, y1), (x2, y2)]

    def sides(self, a: int, b: int) -> list[list[Point]]:
        """Side-to-side lines worth trying between steps ``a`` and ``b``."""
        (la, ta, ra, ba_), (lb, tb, rb, bb) = self.boxes[a].tolist(), self.boxes[b].tolist()
        ya, yb = self.steps[a].y, self.steps[b].y
        xa, xb = self.steps[a].x, self.steps[b].x
        out = []
        if lb - ra >= 2 * STUB + 8:
            out.append([(ra, ya), (ra + STUB, ya), (lb - STUB, yb), (lb, yb)])
        elif la - rb >= 2 * STUB + 8:
            out.append([(la, ya), (la - STUB, ya), (rb + STUB, yb), (rb, yb)])
        if tb - ba_ >= 2 * STUB + 8:
            out.append([(xa, ba_), (xa, ba_ + STUB), (xb, tb - STUB), (xb, tb)])
        elif ta - bb >= 2 * STUB + 8:
            out.append([(xa, ta), (xa, ta - STUB), (xb, bb + STUB), (xb, bb)])
        return out


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
    plan = _Plan(list(steps))
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
        problem = _neato(
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


def _near(plan: _Plan, groups: list[list[tuple[int, int]]]) -> list[set[int]]:
    """For each group of pairs of steps, the steps near the straight lines between them, the
    pairs' own included."""
    pairs = [pair for group in groups for pair in group]
    found = iter(
        plan.hits([plan.straight(*pair) for pair in pairs], [(-1, -1)] * len(pairs), WINDOW)
    )
    return [set().union(*group, *(next(found) for _ in group)) for group in groups]


def _channels(plan: _Plan, ends, todo: list[int], chosen: dict[int, Route]) -> None:
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


def _around(plan: _Plan, a: int, b: int) -> np.ndarray:
    """The rows of the steps within a step's size of the rectangle spanned by steps a and b."""
    left, top = np.minimum(plan.boxes[a, :2], plan.boxes[b, :2]) - (NODE_WIDTH, NODE_HEIGHT * 2)
    right, bottom = np.maximum(plan.boxes[a, 2:], plan.boxes[b, 2:]) + (NODE_WIDTH, NODE_HEIGHT * 2)
    boxes = plan.boxes
    return np.flatnonzero(
        (boxes[:, 0] < right) & (left < boxes[:, 2]) & (boxes[:, 1] < bottom) & (top < boxes[:, 3])
    )


def _neato(plan, ends, groups, obstacles, chosen, result, use_neato, timeout, cancelled) -> str:
    """Route the groups of connections with neato; what went wrong ("" when nothing did)."""
    executable = shutil.which("neato") if use_neato else None
    if executable is None:
        return f"Graphviz's neato is not installed ({INSTALL})" if use_neato else ""
    problem = ""
    obstacles = [set(near) for near in obstacles]
    pending = list(range(len(groups)))
    best: dict[int, tuple[int, Route]] = {}
    started = time.perf_counter()
    for _ in range(ROUNDS):
        if not pending or cancelled():
            break
        text = "\n".join(_graph(plan, [ends[k] for k in groups[g]], obstacles[g]) for g in pending)
        result.graphs += len(pending)
        left = timeout - (time.perf_counter() - started)
        output, problem = _run(executable, text, left, timeout, cancelled)
        if problem or output is None:
            break
        routed = _read(output)
        if len(routed) != len(pending):
            problem = "Graphviz's neato answered in an unexpected form"
            break
        again = []
        for g, graph_routes in zip(pending, routed, strict=True):
            members = groups[g]
            if len(graph_routes) != len(members):
                continue
            routes = [
                _joined(
                    _oriented(Route(tuple(points), curved=True, straight=False), plan, ends[k]),
                    plan,
                    ends[k],
                )
                for points, k in zip(graph_routes, members, strict=True)
            ]
            hits = plan.hits([r.polyline() for r in routes], [ends[k] for k in members], 1.0)
            missed = set().union(*hits)
            for k, r, hit in zip(members, routes, hits, strict=True):
                if k not in best or len(hit) < best[k][0]:
                    best[k] = (len(hit), r)
            if missed - obstacles[g]:
                obstacles[g] |= missed
                again.append(g)
        pending = again
    result.neato_seconds = time.perf_counter() - started
    for k, (_, r) in best.items():
        chosen[k] = r
    return problem


def _run(executable: str, text: str, left: float, timeout: float, cancelled):
    """neato's output (None: cancelled) and what went wrong ("" when nothing did); a run is
    stopped as soon as the routing is cancelled."""
    process = subprocess.Popen(
        [executable, "-n2", "-Tjson0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    end = time.perf_counter() + max(left, 0.1)
    data: str | None = text
    while True:
        try:
            output, errors = process.communicate(data, timeout=0.05)
            break
        except subprocess.TimeoutExpired:
            data = None  # sent already
            if cancelled() or time.perf_counter() > end:
                process.kill()
                process.communicate()
                if cancelled():
                    return None, ""
                return None, f"Graphviz's neato took longer than {timeout:g} s"
    if process.returncode != 0:
        return None, f"Graphviz's neato failed ({errors.strip()[:120]})"
    return output, ""


def _graph(plan: _Plan, pairs: list[tuple[int, int]], near: set[int]) -> str:
    lines = [
        f'digraph G{{graph[splines=true,notranslate=true,esep="+{ESEP:g}"];'
        'node[fixedsize=true,label="",shape=box];edge[arrowhead=none];'
    ]
    for i in sorted(near):
        step = plan.steps[i]
        left, top, right, bottom = plan.boxes[i].tolist()
        shape = {DIAMOND: "diamond", ELLIPSE: "ellipse"}.get(step.shape, "box")
        if step.below > 0:
            shape = "box"
        lines.append(
            f'n{i}[pos="{(left + right) / 2:.2f},{-(top + bottom) / 2:.2f}",'
            f"width={(right - left) / 72:.4f},height={(bottom - top) / 72:.4f},shape={shape}];"
        )
    for a, b in pairs:
        ports = [
            f"{end}port={port}"
            for end, port in (("tail", _port(plan, a, b)), ("head", _port(plan, b, a)))
            if port
        ]
        lines.append(f"n{a}->n{b}[{','.join(ports)}];" if ports else f"n{a}->n{b};")
    lines.append("}")
    return "".join(lines)


def _read(output: str) -> list[list[list[Point]]]:
    """Each graph's edges (in input order) as lists of Bézier points, y turned downwards."""
    decoder = json.JSONDecoder()
    graphs: list[list[list[Point]]] = []
    at = 0
    while True:
        while at < len(output) and output[at].isspace():
            at += 1
        if at >= len(output):
            return graphs
        data, at = decoder.raw_decode(output, at)
        edges = sorted(data.get("edges", []), key=lambda e: e["_gvid"])
        graphs.append([_points(edge.get("pos", "")) for edge in edges])


def _points(pos: str) -> list[Point]:
    out = []
    for token in pos.split():
        if token[:2] in ("e,", "s,"):
            continue
        x, y = token.split(",")
        out.append((float(x), -float(y)))
    return out


def _port(plan: _Plan, end: int, other: int) -> str:
    """Where a route leaves (or reaches) a step with a flow line under it: the side of the step
    facing the other end, else its top ("" for a step without: where neato's route meets it).

    Neato sees such a step and its flow line as one box; a route from anywhere on that box could
    start under the step, below its flow line, so it is given a compass port on the step's side.
    """
    step, far = plan.steps[end], plan.steps[other]
    if step.below <= 0:
        return ""
    dx, dy = far.x - step.x, far.y - step.y
    if dy < 0 and -dy > abs(dx):
        return "n"
    return "e" if dx >= 0 else "w"


def _joined(route_: Route, plan: _Plan, pair: tuple[int, int]) -> Route:
    """A route that starts or ends at a port on the side of a diamond or an ellipse (the side of
    its box, beside the outline) is joined to the outline by a straight piece."""
    points = list(route_.points)
    if not route_.curved or len(points) < 4:
        return route_
    for end, at in ((pair[0], 0), (pair[1], -1)):
        step = plan.steps[end]
        if step.below <= 0 or step.shape == BOX:
            continue
        x, y = points[at]
        rise = y - step.y
        half = NODE_WIDTH / 2
        if step.shape == DIAMOND:
            reach = half * max(0.0, 1 - abs(rise) / (NODE_HEIGHT / 2 + DIAMOND_RISE))
        else:
            reach = half * math.sqrt(max(0.0, 1 - (rise / (NODE_HEIGHT / 2)) ** 2))
        if abs(abs(x - step.x) - half) > 1.0 or abs(x - step.x) - reach < 1.0:
            continue  # not at a port on a side, or already on the outline
        join = (step.x + math.copysign(reach, x - step.x), y)
        piece = [join, _between(join, (x, y), 1 / 3), _between(join, (x, y), 2 / 3)]
        points = piece + points if at == 0 else points + piece[::-1]
    return Route(tuple(points), curved=True, straight=False)


def _between(a: Point, b: Point, t: float) -> Point:
    return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t


def _oriented(route_: Route, plan: _Plan, pair: tuple[int, int]) -> Route:
    """Source first (neato writes edges from tail to head; checked all the same)."""
    points = route_.points
    if len(points) < 2:
        return Route(tuple(plan.straight(*pair)))
    a = plan.steps[pair[0]]
    first, last = points[0], points[-1]
    if math.dist(first, (a.x, a.y)) > math.dist(last, (a.x, a.y)):
        return Route(tuple(reversed(points)), curved=True, straight=False)
    return route_


def _place_labels(
    plan: _Plan, links: list[Link], chosen: dict[int, Route], result, cancelled
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
