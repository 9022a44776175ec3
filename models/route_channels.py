"""Right-angled routes through the gaps between steps: the router's way around a crowd of steps.

Graphviz's spline router costs about the cube of the steps it must avoid, so a connection that
would cross a crowd of steps (a recycle back across a big funnel) goes through the gaps instead:
out of a side of its source, along the gaps beside and between the steps, into a side of its
target. Pure geometry, no Qt; part of :mod:`models.routing`, which checks the candidates against
every step at once and keeps the cheapest that passes none.

The gaps are found from the steps themselves: a line ``MARGIN`` outside a side, the top or the
bottom of a step near the connection is a place a route may run along. A bend costs ``BEND``
of length, so a route bends only to save more than that.

>>> import numpy as np
>>> boxes = np.array([[-85.0, -32, 85, 32], [145, -32, 315, 32], [375, -32, 545, 32]])
>>> centres = np.array([[0.0, 0], [230, 0], [460, 0]])
>>> paths = channel_candidates(boxes, centres, 0, 2, boxes, few=True)
>>> [(0.0, -32.0), (0.0, -46.0), (460.0, -46.0), (460.0, -32.0)] in paths  # over the middle step
True
"""

from __future__ import annotations

import numpy as np

Point = tuple[float, float]

MARGIN = 14.0  # a route runs this far outside a step's outline
BEND = 40.0  # a bend costs as much as this much more length
NEAREST = 3  # the gaps tried for each bend of a long detour: the ones nearest its ends


def _ends(box, centre) -> dict[str, Point]:
    """Where a route leaves or reaches a step: the middle of each side of its outline (the
    bottom one below the room kept under it)."""
    left, top, right, bottom = box
    x, y = centre
    return {"left": (left, y), "right": (right, y), "top": (x, top), "bottom": (x, bottom)}


def _nearest(values: np.ndarray, to: float, count: int) -> list[float]:
    if not len(values):
        return []
    order = np.argsort(np.abs(values - to), kind="stable")
    return values[order[:count]].tolist()


def _beyond(values: np.ndarray, x: float, side: str) -> np.ndarray:
    """The values outside a step's ``side`` at ``x``: larger past 'right' and 'bottom'."""
    return values[values > x] if side in ("right", "bottom") else values[values < x]


def channel_candidates(
    boxes: np.ndarray, centres: np.ndarray, a: int, b: int, near: np.ndarray, few: bool
) -> list[list[Point]]:
    """Right-angled paths from step ``a`` to step ``b`` (rows of ``boxes``: left, top, right,
    bottom, with the room under a step; ``centres``: x, y) between the steps ``near`` (rows of
    boxes), cheapest first, not yet checked against other steps. ``few``: with one or two
    bends; else the longer detours with four."""
    box_a, box_b = boxes[a].tolist(), boxes[b].tolist()
    ends_a = _ends(box_a, centres[a].tolist())
    ends_b = _ends(box_b, centres[b].tolist())
    xs = np.unique(np.concatenate((near[:, 0] - MARGIN, near[:, 2] + MARGIN)))
    ys = np.unique(np.concatenate((near[:, 1] - MARGIN, near[:, 3] + MARGIN)))
    paths: list[list[Point]] = []
    for out in ("right", "left"):
        for into in ("left", "right"):
            (x1, y1), (x2, y2) = ends_a[out], ends_b[into]
            if few:
                between = _beyond(_beyond(xs, x1, out), x2, into)  # out, then before `into`
                for gx in _nearest(between, (x1 + x2) / 2, 3 * NEAREST):
                    paths.append([(x1, y1), (gx, y1), (gx, y2), (x2, y2)])
                continue
            for gx1 in _nearest(_beyond(xs, x1, out), x1, NEAREST):
                for gx2 in _nearest(_beyond(xs, x2, into), x2, NEAREST):
                    for gy in _nearest(ys, y1, NEAREST) + _nearest(ys, y2, NEAREST):
                        paths.append(
                            [(x1, y1), (gx1, y1), (gx1, gy), (gx2, gy), (gx2, y2), (x2, y2)]
                        )
    for out in ("top", "bottom"):
        for into in ("top", "bottom"):
            (x1, y1), (x2, y2) = ends_a[out], ends_b[into]
            if few:
                between = _beyond(_beyond(ys, y1, out), y2, into)
                for gy in _nearest(between, (y1 + y2) / 2, 3 * NEAREST):
                    paths.append([(x1, y1), (x1, gy), (x2, gy), (x2, y2)])
    if few:  # one bend: along, then up or down into the target; or down or up, then along
        for out in ("right", "left"):
            for into in ("top", "bottom"):
                (x1, y1), (x2, y2) = ends_a[out], ends_b[into]
                if (x2 > x1) == (out == "right") and (y1 < y2) == (into == "top"):
                    paths.append([(x1, y1), (x2, y1), (x2, y2)])
        for out in ("top", "bottom"):
            for into in ("left", "right"):
                (x1, y1), (x2, y2) = ends_a[out], ends_b[into]
                if (y2 > y1) == (out == "bottom") and (x1 < x2) == (into == "left"):
                    paths.append([(x1, y1), (x1, y2), (x2, y2)])
    return sorted(paths, key=_cost)


def through_own(paths: list[list[Point]], sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """For each right-angled path, does it touch its own source's box (rows of ``sources``) after
    leaving it, or its target's before reaching it? (The check of other steps leaves them out.)

    >>> box = np.array([[0.0, 0, 10, 10]])  # the second path comes back onto its source
    >>> through_own([[(10.0, 5), (20, 5)], [(10.0, 5), (20, 5), (20, 12), (5, 12), (5, 10)]],
    ...     np.repeat(box, 2, axis=0), np.array([[30.0, 0, 40, 10], [30, 0, 40, 10]])).tolist()
    [False, True]
    """
    rows, first, last, segments = [], [], [], []
    for n, path in enumerate(paths):
        count = len(path) - 1
        rows += [n] * count
        first += [True] + [False] * (count - 1)
        last += [False] * (count - 1) + [True]
        segments += [(*a, *b) for a, b in zip(path, path[1:], strict=False)]
    seg = np.array(segments, dtype=float).reshape(-1, 4)
    row = np.array(rows, dtype=np.int64)
    low = np.minimum(seg[:, :2], seg[:, 2:])
    high = np.maximum(seg[:, :2], seg[:, 2:])

    def meets(boxes: np.ndarray) -> np.ndarray:
        box = boxes[row]
        return (
            (low[:, 0] <= box[:, 2])
            & (box[:, 0] <= high[:, 0])
            & (low[:, 1] <= box[:, 3])
            & (box[:, 1] <= high[:, 1])
        )

    bad = (meets(sources) & ~np.array(first)) | (meets(targets) & ~np.array(last))
    return np.bincount(row[bad], minlength=len(paths)) > 0


def _cost(path: list[Point]) -> float:
    length = sum(
        abs(bx - ax) + abs(by - ay) for (ax, ay), (bx, by) in zip(path, path[1:], strict=False)
    )
    return length + BEND * (len(path) - 2)
