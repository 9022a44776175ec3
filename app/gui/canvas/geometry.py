"""The plane geometry of edges on the canvas, without Qt: where an edge meets the outlines of the
two steps it joins, what area it paints, how far a point is from it.

A step is a ``NODE_WIDTH`` x ``NODE_HEIGHT`` shape centred on its position; its outline depends on
its kind (:mod:`app.gui.common.shapes`). An edge is drawn on the line between the two centres,
from where that line leaves the source's outline to where it meets the target's. Clipping is one
formula (:func:`clip_line`) that works element-wise on floats, for the one edge that follows a
dragged step, and on numpy arrays, for the thousands of edges of a process being opened
(:func:`clip_ends`).
"""

from __future__ import annotations

import math

import numpy as np

from app.gui.common.shapes import DIAMOND_RISE, NODE_HEIGHT, NODE_WIDTH, kind_shape
from models.route_geometry import BOX, DIAMOND, ELLIPSE, segment_hits

LABEL_ROOM = 30.0  # the conversion label may stick out of the line's box sideways
HEAD_ROOM = 14.0  # the arrow head and the label's height around the line (plus the line's width)

# How an outline is clipped (BOX, DIAMOND, ELLIPSE: the router uses the same codes). Rectangles,
# rounded rectangles, pills and double boxes are clipped as their box: close enough for an arrow tip.
_CODES = {"diamond": DIAMOND, "ellipse": ELLIPSE}

_HALF_WIDTH, _HALF_HEIGHT = NODE_WIDTH / 2, NODE_HEIGHT / 2
_DIAMOND_SQUASH = _HALF_HEIGHT / (_HALF_HEIGHT + DIAMOND_RISE)


def shape_code(kind: str) -> int:
    """How :func:`clip_line` and :func:`clip_ends` treat a step kind's outline.

    >>> shape_code("decision") == DIAMOND, shape_code("won") == ELLIPSE
    (True, True)
    >>> shape_code("entry") == shape_code("action") == shape_code("no such kind") == BOX
    True
    """
    return _CODES.get(kind_shape(kind), BOX)


def _exit_fraction(shape, dx, dy):
    """The fraction of (dx, dy), from a step's centre, at which the line leaves its outline.

    ``span`` is how many times (dx, dy) reaches the outline along its own direction (1 ends on
    it): the larger of the two ratios to the half sides for a box, their sum for a diamond, the
    length of the vector they make for an ellipse. Steps closer than two spans (overlapping)
    meet in the middle rather than cross: the fraction is at most 0.5, also for steps on top of
    each other (no division by zero).

    Written with operators only, so that it runs on floats as fast as plain Python and on numpy
    arrays element-wise (a numpy function called on a float costs about a microsecond).
    """
    x = abs(dx) / _HALF_WIDTH
    y = abs(dy) / _HALF_HEIGHT
    spans = (_larger(x, y), x + y * _DIAMOND_SQUASH, (x * x + y * y) ** 0.5)  # by shape code
    span = np.choose(shape, spans) if isinstance(shape, np.ndarray) else spans[shape]
    return 1.0 / _larger(span, 2.0)


def _larger(a, b):
    """The larger of two floats, or element-wise of two arrays."""
    return (a + b + abs(a - b)) / 2


def _clipped(ax, ay, bx, by, source_shape, target_shape):
    dx, dy = bx - ax, by - ay
    t = _exit_fraction(source_shape, dx, dy)
    u = _exit_fraction(target_shape, dx, dy)
    return ax + dx * t, ay + dy * t, bx - dx * u, by - dy * u


def clip_line(
    ax: float, ay: float, bx: float, by: float, source_shape: int, target_shape: int
) -> tuple[float, float, float, float]:
    """The ends of one edge between the centres (ax, ay) and (bx, by) of steps of the given shape
    codes: where the line leaves the source's outline and meets the target's.

    An action (a box 170 wide) and a decision (a diamond) 400 apart on a row:

    >>> clip_line(0.0, 0.0, 400.0, 0.0, BOX, DIAMOND)
    (85.0, 0.0, 315.0, 0.0)

    An ellipse straight above a box, 200 up:

    >>> clip_line(0.0, 0.0, 0.0, -200.0, BOX, ELLIPSE)
    (0.0, -32.0, 0.0, -168.0)
    """
    x1, y1, x2, y2 = _clipped(ax, ay, bx, by, source_shape, target_shape)
    return float(x1), float(y1), float(x2), float(y2)


def clip_ends(
    centres: np.ndarray, source_shapes: np.ndarray, target_shapes: np.ndarray
) -> np.ndarray:
    """:func:`clip_line` for many edges at once: rows of (ax, ay, bx, by) centres in, rows of
    line ends out.

    >>> clip_ends(
    ...     np.array([[0.0, 0.0, 400.0, 0.0], [0.0, 0.0, 0.0, -200.0]]),
    ...     np.array([BOX, BOX]),
    ...     np.array([DIAMOND, ELLIPSE]),
    ... ).tolist()
    [[85.0, 0.0, 315.0, 0.0], [0.0, -32.0, 0.0, -168.0]]
    """
    ax, ay, bx, by = centres.T
    return np.column_stack(_clipped(ax, ay, bx, by, source_shapes, target_shapes))


def edge_box(x1, y1, x2, y2, width):
    """Left, top, right and bottom of everything an edge from (x1, y1) to (x2, y2) paints: the
    line, its arrow head and its label. Floats for one edge, or numpy arrays for many at once.

    >>> edge_box(0.0, 0.0, 100.0, 10.0, 2.0)
    (-46.0, -16.0, 146.0, 26.0)
    """
    reach_x = abs(x2 - x1) / 2 + HEAD_ROOM + width + LABEL_ROOM
    reach_y = abs(y2 - y1) / 2 + HEAD_ROOM + width
    middle_x, middle_y = (x1 + x2) / 2, (y1 + y2) / 2
    return middle_x - reach_x, middle_y - reach_y, middle_x + reach_x, middle_y + reach_y


def path_box(points, width: float, label_at=None) -> tuple[float, float, float, float]:
    """Left, top, right and bottom of what an edge drawn along ``points`` paints: a polyline, or
    the points of a Bézier chain (the curve stays inside them), its arrow head and its label.

    >>> path_box([(0.0, 0.0), (50.0, 40.0), (100.0, 10.0)], 2.0, (50.0, 20.0))
    (-16.0, -16.0, 116.0, 56.0)
    """
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    reach = HEAD_ROOM + width
    left, top, right, bottom = min(xs) - reach, min(ys) - reach, max(xs) + reach, max(ys) + reach
    if label_at is not None:
        x, y = label_at
        left, right = min(left, x - LABEL_ROOM - reach), max(right, x + LABEL_ROOM + reach)
        top, bottom = min(top, y - reach), max(bottom, y + reach)
    return left, top, right, bottom


def path_distance(x: float, y: float, points) -> float:
    """From the point (x, y) to a polyline.

    >>> path_distance(5.0, 3.0, [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)])
    3.0
    """
    return min(
        segment_distance(x, y, ax, ay, bx, by)
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False)
    )


def crosses_rect(points, rect) -> bool:
    """Does the polyline through ``points`` pass through the (left, top, right, bottom) rect?

    >>> crosses_rect([(0.0, 0.0), (10.0, 10.0)], (4.0, 0.0, 6.0, 2.0))
    False
    >>> crosses_rect([(0.0, 0.0), (10.0, 10.0), (10.0, 0.0)], (8.0, 4.0, 12.0, 6.0))
    True
    """
    segments = np.array(
        [(ax, ay, bx, by) for (ax, ay), (bx, by) in zip(points, points[1:], strict=False)]
    )
    return bool(len(segments)) and bool(len(segment_hits(segments, np.array([rect]))[0]))


def segment_distance(x: float, y: float, x1: float, y1: float, x2: float, y2: float) -> float:
    """From the point (x, y) to the segment from (x1, y1) to (x2, y2).

    >>> segment_distance(50.0, 30.0, 0.0, 0.0, 100.0, 0.0)  # beside it
    30.0
    >>> segment_distance(103.0, 4.0, 0.0, 0.0, 100.0, 0.0)  # past its end
    5.0
    >>> segment_distance(3.0, 4.0, 7.0, 7.0, 7.0, 7.0)  # a segment of no length is a point
    5.0
    """
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / length2))
    return math.hypot(x - x1 - t * dx, y - y1 - t * dy)


def centres_extent(
    centres, box: tuple[float, float, float, float]
) -> tuple[float, float, float, float] | None:
    """Left, top, width, height of what items centred at ``centres`` cover, each item's own
    ``box`` being (left, top, width, height) around its centre; None for no items.

    >>> centres_extent([(0, 0), (100, 50)], (-10, -5, 20, 10))
    (-10, -5, 120, 60)
    """
    xs, ys = [], []
    for x, y in centres:
        xs.append(x)
        ys.append(y)
    if not xs:
        return None
    left, top, width, height = box
    return (min(xs) + left, min(ys) + top, max(xs) - min(xs) + width, max(ys) - min(ys) + height)
