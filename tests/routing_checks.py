"""An independent check of routed connections (shared by the headless and the canvas tests).

It does not reuse the router's geometry: a path is walked in steps of a unit or less and each
point is tested against each step's drawn outline (a box, an ellipse, a diamond, with the room
kept under it for the flow line); labels are rectangles tested pairwise.
"""

from __future__ import annotations

import math

W, H, RISE = 170.0, 64.0, 6.0


def bezier_points(points, per_curve: int = 48) -> list[tuple[float, float]]:
    out = [tuple(points[0])]
    for i in range(1, len(points) - 2, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[i - 1 : i + 3]
        for k in range(1, per_curve + 1):
            t = k / per_curve
            s = 1 - t
            out.append(
                (
                    s**3 * x0 + 3 * s * s * t * x1 + 3 * s * t * t * x2 + t**3 * x3,
                    s**3 * y0 + 3 * s * s * t * y1 + 3 * s * t * t * y2 + t**3 * y3,
                )
            )
    return out


def walk(polyline, step: float = 1.0):
    """Points along a polyline, at most ``step`` apart."""
    for (ax, ay), (bx, by) in zip(polyline, polyline[1:], strict=False):
        n = max(1, math.ceil(math.hypot(bx - ax, by - ay) / step))
        for k in range(n + 1):
            yield ax + (bx - ax) * k / n, ay + (by - ay) * k / n


def inside(x: float, y: float, step: dict, shrink: float = 0.5) -> bool:
    """Is (x, y) inside the step's drawn outline (or the room under it), by more than ``shrink``?"""
    cx, cy, kind, below = step["x"], step["y"], step["kind"], step.get("below", 0.0)
    dx, dy = x - cx, y - cy
    if below and H / 2 - shrink <= dy <= H / 2 + below - shrink and abs(dx) < W / 2 - shrink:
        return True
    if kind == "decision":
        return abs(dx) / (W / 2 - shrink) + abs(dy) / (H / 2 + RISE - shrink) < 1
    if kind in ("won", "lost"):
        return (dx / (W / 2 - shrink)) ** 2 + (dy / (H / 2 - shrink)) ** 2 < 1
    return abs(dx) < W / 2 - shrink and abs(dy) < H / 2 - shrink


def passes_through(path, steps: dict[str, dict], ends: tuple[str, str]) -> list[str]:
    """The steps other than ``ends`` that the path goes through."""
    found = []
    for node_id, step in steps.items():
        if node_id in ends:
            continue
        left, right = step["x"] - W / 2, step["x"] + W / 2
        top, bottom = step["y"] - H / 2 - RISE, step["y"] + H / 2 + step.get("below", 0.0)
        if any(
            left <= x <= right and top <= y <= bottom and inside(x, y, step) for x, y in walk(path)
        ):
            found.append(node_id)
    return found


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def step_rect(step: dict) -> tuple[float, float, float, float]:
    """What a step covers that no label may: its outline's box and the flow line under it."""
    rise = RISE if step["kind"] == "decision" else 0.0
    return (
        step["x"] - W / 2,
        step["y"] - H / 2 - rise,
        step["x"] + W / 2,
        step["y"] + H / 2 + rise + step.get("below", 0.0),
    )


def label_problems(labels: dict[str, tuple], steps: dict[str, dict]) -> list[str]:
    """Labels (id -> left, top, right, bottom) that overlap another label or a step."""
    problems = []
    items = list(labels.items())
    for i, (a, rect) in enumerate(items):
        problems += [f"{a} on label {b}" for b, other in items[i + 1 :] if overlap(rect, other)]
        problems += [f"{a} on step {n}" for n, s in steps.items() if overlap(rect, step_rect(s))]
    return problems
