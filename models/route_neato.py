"""Routes from Graphviz's spline router: the bridge between the router and ``neato -n2``.

Each group of connections (one, or all those between the same two steps) becomes one small graph
of the steps near it, every position pinned; all the graphs go to one ``neato`` run, read back as
cubic Béziers. A route that still meets a step is routed again with that step added, up to
``ROUNDS`` times, and the route that meets the fewest steps is kept. A step with a flow line
under it is left and reached at a compass port on its side or top. Part of :mod:`models.routing`;
no Qt.

>>> from models.route_plan import Plan
>>> from models.route_types import Step
>>> plan = Plan([Step("a", 0, 0), Step("b", 230, 0, below=16.0)])
>>> _port(plan, 0, 1), _port(plan, 1, 0)  # only b has a flow line under it: reached on its left
('', 'w')
>>> _graph(plan, [(0, 1)], {0, 1}).endswith("n0->n1[headport=w];}")
True
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import time

from .route_geometry import BOX, DIAMOND, ELLIPSE
from .route_plan import Plan
from .route_types import DIAMOND_RISE, NODE_HEIGHT, NODE_WIDTH, Point, Route

ESEP = 8.0  # neato keeps routes this far from the steps (its esep)
ROUNDS = 3  # neato runs at most: a route that meets a step is routed again with that step
INSTALL = "Debian/Ubuntu: sudo apt-get install graphviz"


def neato_routes(
    plan, ends, groups, obstacles, chosen, result, use_neato, timeout, cancelled
) -> str:
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


def _graph(plan: Plan, pairs: list[tuple[int, int]], near: set[int]) -> str:
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


def _port(plan: Plan, end: int, other: int) -> str:
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


def _joined(route_: Route, plan: Plan, pair: tuple[int, int]) -> Route:
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


def _oriented(route_: Route, plan: Plan, pair: tuple[int, int]) -> Route:
    """Source first (neato writes edges from tail to head; checked all the same)."""
    points = route_.points
    if len(points) < 2:
        return Route(tuple(plan.straight(*pair)))
    a = plan.steps[pair[0]]
    first, last = points[0], points[-1]
    if math.dist(first, (a.x, a.y)) > math.dist(last, (a.x, a.y)):
        return Route(tuple(reversed(points)), curved=True, straight=False)
    return route_
