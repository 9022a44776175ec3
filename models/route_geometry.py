"""The plane geometry behind :mod:`models.routing`, vectorised with numpy and without Qt.

Boxes are rows of (left, top, right, bottom) with y growing downwards, as on the canvas;
segments are rows of (x1, y1, x2, y2). :func:`segment_hits` finds which segments cross which
boxes for thousands of both at once: a grid sorts boxes into cells, each segment looks only in
the cells its own box covers, and a vectorised Liang-Barsky test settles the candidates.

>>> boxes = np.array([[-10.0, -10.0, 10.0, 10.0], [100.0, -10.0, 120.0, 10.0]])
>>> segments = np.array([[-50.0, 0.0, 50.0, 0.0], [-50.0, 30.0, 200.0, 30.0]])
>>> [pair.tolist() for pair in segment_hits(segments, boxes)]
[[0], [0]]
>>> [pair.tolist() for pair in segment_hits(segments, boxes, pad=25.0)]
[[0, 1, 1], [0, 0, 1]]
"""

from __future__ import annotations

import math

import numpy as np

CELL = 128.0  # grid cell for the broad phase: about a step wide
_SHIFT = 1 << 21  # cell coordinates made non-negative before they are packed into one key

BOX, DIAMOND, ELLIPSE = 0, 1, 2  # outline codes (the canvas's app.gui.canvas.geometry agrees)


def clip_centres(
    ax: float, ay: float, bx: float, by: float, a: tuple, b: tuple
) -> tuple[float, float, float, float]:
    """The line between two centres, from where it leaves ``a``'s outline to where it meets
    ``b``'s; ``a`` and ``b`` are (shape code, half width, half height, diamond squash).

    The same formula as the canvas's ``clip_line``: steps overlapping meet in the middle.

    >>> clip_centres(0.0, 0.0, 400.0, 0.0, (BOX, 85.0, 32.0, 1.0), (DIAMOND, 85.0, 32.0, 0.84))
    (85.0, 0.0, 315.0, 0.0)
    """
    dx, dy = bx - ax, by - ay
    t = _exit_fraction(a, dx, dy)
    u = _exit_fraction(b, dx, dy)
    return ax + dx * t, ay + dy * t, bx - dx * u, by - dy * u


def _exit_fraction(outline: tuple, dx: float, dy: float) -> float:
    shape, half_width, half_height, squash = outline
    x, y = abs(dx) / half_width, abs(dy) / half_height
    if shape == DIAMOND:
        span = x + y * squash
    elif shape == ELLIPSE:
        span = math.hypot(x, y)
    else:
        span = max(x, y)
    return 1.0 / max(span, 2.0)


def segment_hits(
    segments: np.ndarray, boxes: np.ndarray, pad: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (segment row, box row) where the segment passes through the box grown by ``pad``
    on every side (touching counts), each pair once (:class:`BoxGrid` for many questions)."""
    return BoxGrid(boxes, pad).hits(segments)


class BoxGrid:
    """Boxes grown by ``pad`` and sorted into grid cells once, for many :meth:`hits` questions."""

    def __init__(self, boxes: np.ndarray, pad: float = 0.0) -> None:
        self.size = len(boxes)
        self.grown = boxes + np.array([-pad, -pad, pad, pad]) if len(boxes) else boxes
        keys, rows = _cells(self.grown) if len(boxes) else (boxes[:0, 0], boxes[:0, 0])
        order = np.argsort(keys, kind="stable")
        self.keys, self.rows = keys[order], rows[order].astype(np.int64)

    def hits(self, segments: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (segment row, box row) where the segment meets the grown box, each pair once.

        Long segments are cut into pieces no longer than a cell first: a long diagonal's own box
        would cover many cells (and their boxes) that the segment never comes near."""
        empty = np.zeros(0, dtype=np.int64)
        if len(segments) == 0 or self.size == 0:
            return empty, empty
        box_keys, box_rows, grown = self.keys, self.rows, self.grown
        lengths = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
        cuts = np.maximum(np.ceil(lengths / CELL), 1).astype(np.int64)
        parent = np.repeat(np.arange(len(segments)), cuts)
        part = np.arange(len(parent)) - np.repeat(np.cumsum(cuts) - cuts, cuts)
        t0, t1 = part / cuts[parent], (part + 1) / cuts[parent]
        x1, y1, x2, y2 = segments[parent].T
        pieces = np.column_stack(
            (x1 + (x2 - x1) * t0, y1 + (y2 - y1) * t0, x1 + (x2 - x1) * t1, y1 + (y2 - y1) * t1)
        )
        spans = np.column_stack(
            (
                np.minimum(pieces[:, 0], pieces[:, 2]),
                np.minimum(pieces[:, 1], pieces[:, 3]),
                np.maximum(pieces[:, 0], pieces[:, 2]),
                np.maximum(pieces[:, 1], pieces[:, 3]),
            )
        )
        piece_keys, piece_rows = _cells(spans)
        low = np.searchsorted(box_keys, piece_keys, "left")
        high = np.searchsorted(box_keys, piece_keys, "right")
        counts = high - low
        total = int(counts.sum())
        if total == 0:
            return empty, empty
        starts = np.repeat(low - np.cumsum(counts) + counts, counts)
        piece = np.repeat(piece_rows, counts)
        box = box_rows[starts + np.arange(total)]
        keep = _crosses(pieces[piece], grown[box])
        if not keep.any():
            return empty, empty
        pairs = np.unique(parent[piece[keep]] * self.size + box[keep])
        return pairs // self.size, pairs % self.size


def _cells(rects: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cell key, rect row) for every grid cell each rect covers."""
    x0 = np.floor(rects[:, 0] / CELL).astype(np.int64)
    y0 = np.floor(rects[:, 1] / CELL).astype(np.int64)
    x1 = np.floor(rects[:, 2] / CELL).astype(np.int64)
    y1 = np.floor(rects[:, 3] / CELL).astype(np.int64)
    width = x1 - x0 + 1
    counts = width * (y1 - y0 + 1)
    rows = np.repeat(np.arange(len(rects)), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    cx = x0[rows] + within % width[rows]
    cy = y0[rows] + within // width[rows]
    return (cx + _SHIFT) * (2 * _SHIFT) + (cy + _SHIFT), rows


def _crosses(segments: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Row by row: does the segment meet the box (Liang-Barsky, edges included)?"""
    x1, y1, x2, y2 = segments.T
    dx, dy = x2 - x1, y2 - y1
    start = np.zeros(len(segments))
    end = np.ones(len(segments))
    inside = np.ones(len(segments), dtype=bool)
    for p, q in (
        (-dx, x1 - boxes[:, 0]),
        (dx, boxes[:, 2] - x1),
        (-dy, y1 - boxes[:, 1]),
        (dy, boxes[:, 3] - y1),
    ):
        flat = p == 0
        inside &= ~flat | (q >= 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.where(flat, 0.0, q / np.where(flat, 1.0, p))
        start = np.where(~flat & (p < 0), np.maximum(start, u), start)
        end = np.where(~flat & (p > 0), np.minimum(end, u), end)
    return inside & (start <= end)


def outline_crosses(
    segments: np.ndarray, centres: np.ndarray, halves: np.ndarray, shapes: np.ndarray, pad: float
) -> np.ndarray:
    """Row by row: does the segment meet the outline (grown by ``pad``) of the step centred at
    ``centres`` with half sizes ``halves`` (half width, half height to the outline's top) and the
    given shape code? A box's outline is its box; ellipses and diamonds are tested exactly.

    >>> seg = np.array([[70.0, -30.0, 90.0, -30.0]] * 3)  # past the top right corner
    >>> centre, half = np.zeros((3, 2)), np.array([[85.0, 32.0]] * 3)
    >>> outline_crosses(seg, centre, half, np.array([BOX, ELLIPSE, DIAMOND]), 0.0).tolist()
    [True, False, False]
    """
    x1 = segments[:, 0] - centres[:, 0]
    y1 = segments[:, 1] - centres[:, 1]
    x2 = segments[:, 2] - centres[:, 0]
    y2 = segments[:, 3] - centres[:, 1]
    a, b = halves[:, 0] + pad, halves[:, 1] + pad
    out = _crosses(segments, np.column_stack((centres - halves - pad, centres + halves + pad)))
    # an ellipse: scaled to the unit circle, is the segment within 1 of its centre?
    px, py, qx, qy = x1 / a, y1 / b, x2 / a, y2 / b
    dx, dy = qx - px, qy - py
    length2 = dx * dx + dy * dy
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.clip(np.where(length2 > 0, -(px * dx + py * dy) / length2, 0.0), 0.0, 1.0)
    ellipse = (px + t * dx) ** 2 + (py + t * dy) ** 2 <= 1.0
    # a diamond: |x|/a + |y|/b is convex along the segment, least at an end or where x or y is 0
    best = np.minimum(np.abs(px) + np.abs(py), np.abs(qx) + np.abs(qy))
    for zero_of, other_p, other_d in ((px, py, dy), (py, px, dx)):
        step = (qx - px) if zero_of is px else (qy - py)
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.where(step != 0, -zero_of / np.where(step != 0, step, 1.0), -1.0)
        inside = (u >= 0) & (u <= 1)
        best = np.where(inside, np.minimum(best, np.abs(other_p + u * other_d)), best)
    diamond = best <= 1.0
    return np.where(shapes == ELLIPSE, ellipse, np.where(shapes == DIAMOND, diamond, out))


def rects_overlap(a: tuple, b: tuple) -> bool:
    """Do two (left, top, right, bottom) rectangles share more than an edge?

    >>> rects_overlap((0, 0, 10, 10), (5, 5, 20, 20)), rects_overlap((0, 0, 10, 10), (10, 0, 20, 10))
    (True, False)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def bezier_polyline(points: list[tuple[float, float]], steps: int = 8) -> list[tuple[float, float]]:
    """A chain of cubic Béziers (start, then three points a piece) as a polyline.

    >>> bezier_polyline([(0, 0), (0, 0), (10, 0), (10, 0)], steps=2)
    [(0.0, 0.0), (5.0, 0.0), (10.0, 0.0)]
    """
    out = [(float(points[0][0]), float(points[0][1]))]
    for i in range(1, len(points) - 2, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[i - 1 : i + 3]
        for k in range(1, steps + 1):
            t = k / steps
            s = 1 - t
            a, b, c, d = s * s * s, 3 * s * s * t, 3 * s * t * t, t * t * t
            out.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return out


def along(
    polyline: list[tuple[float, float]], fraction: float
) -> tuple[float, float, float, float]:
    """The point at ``fraction`` of a polyline's length, and the unit direction there.

    >>> along([(0, 0), (10, 0), (10, 10)], 0.75)
    (10.0, 5.0, 0.0, 1.0)
    """
    lengths = [
        math.hypot(bx - ax, by - ay)
        for (ax, ay), (bx, by) in zip(polyline, polyline[1:], strict=False)
    ]
    goal = sum(lengths) * fraction
    for ((ax, ay), (bx, by)), length in zip(
        zip(polyline, polyline[1:], strict=False), lengths, strict=True
    ):
        if length > 0 and goal <= length:
            t = goal / length
            return ax + (bx - ax) * t, ay + (by - ay) * t, (bx - ax) / length, (by - ay) / length
        goal -= length
    (ax, ay), (bx, by) = polyline[-2], polyline[-1]
    length = math.hypot(bx - ax, by - ay) or 1.0
    return float(bx), float(by), (bx - ax) / length, (by - ay) / length
