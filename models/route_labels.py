"""Where the labels of routed connections go: each on its connection, clear of every step, badge,
flow line and other label. Part of :mod:`models.routing`; no Qt.

Each label goes to the middle of its connection, else the nearest free place along it (at most
``REACH`` and 40 % of its length either way), else beside it (``OFFSETS``); the shortest
connections, which have the least choice, choose first. A label with no free place goes where it
covers the fewest things, and its connection is reported as crowded.

The places are tried one by one against a grid of what is taken, in plain Python: most labels
find one among the first few, and a numpy call per label costs more than that. Only a label with
no free place has every place counted at once.

>>> taken = Taken([(0.0, 0.0, 100.0, 40.0)])
>>> line = [(-150.0, 20.0), (250.0, 20.0)]
>>> place_label(line, (30.0, 18.0), taken)  # the middle is on the step: the nearest free place
((122.0, 20.0), False)
>>> place_label(line, (30.0, 18.0), taken)  # that one is taken now: the other way
((-22.0, 20.0), False)
"""

from __future__ import annotations

import math
from bisect import bisect_left

import numpy as np

Point = tuple[float, float]
Rect = tuple[float, float, float, float]

REACH = 320.0  # a label moves at most this far along its connection from the middle
STEP = 12.0  # places tried along a connection are this far apart
MIN_STEP = 3.0  # or closer on a short one, but not closer than this
OFFSETS = (0.0, 16.0, -16.0, 28.0, -28.0)  # a label beside its line: this far off it
CELL = 128.0  # the grid of what is taken: about a step wide
HARD = 1000.0  # covering a step or a label counts as covering this many arrow heads


class Taken:
    """Rectangles (left, top, right, bottom) in a grid of cells: what labels must not cover.
    Some are ``soft`` (an arrow head): a label covers one only when nothing else is free."""

    def __init__(self, rects: list[Rect] = (), soft: list[Rect] = ()) -> None:  # type: ignore[assignment]
        self.cells: dict[tuple[int, int], list[tuple[float, ...]]] = {}
        for rect in rects:
            self.add(rect)
        for rect in soft:
            self.add(rect, 1.0)

    def add(self, rect: Rect, weight: float = HARD) -> None:
        cells = self.cells
        row = (*rect, weight)
        for cx in range(math.floor(rect[0] / CELL), math.floor(rect[2] / CELL) + 1):
            for cy in range(math.floor(rect[1] / CELL), math.floor(rect[3] / CELL) + 1):
                cells.setdefault((cx, cy), []).append(row)

    def free(self, left: float, top: float, right: float, bottom: float) -> bool:
        """Does the rectangle share more than an edge with nothing taken?"""
        cells = self.cells
        for cx in range(math.floor(left / CELL), math.floor(right / CELL) + 1):
            for cy in range(math.floor(top / CELL), math.floor(bottom / CELL) + 1):
                for other in cells.get((cx, cy), ()):
                    if (
                        left < other[2]
                        and other[0] < right
                        and top < other[3]
                        and other[1] < bottom
                    ):
                        return False
        return True

    def near(self, rect: Rect) -> np.ndarray:
        """Every rectangle in the cells ``rect`` covers, once, as rows (with its weight)."""
        found: dict[int, tuple[float, ...]] = {}
        for cx in range(math.floor(rect[0] / CELL), math.floor(rect[2] / CELL) + 1):
            for cy in range(math.floor(rect[1] / CELL), math.floor(rect[3] / CELL) + 1):
                for other in self.cells.get((cx, cy), ()):
                    found[id(other)] = other
        return np.array(list(found.values()), dtype=float).reshape(-1, 5)


def lengths(line: list[Point]) -> list[float]:
    """The distance along a polyline to each of its points."""
    out = [0.0]
    for (ax, ay), (bx, by) in zip(line, line[1:], strict=False):
        out.append(out[-1] + math.hypot(bx - ax, by - ay))
    return out


def middle(line: list[Point], where: list[float]) -> Point:
    """The point half-way along a polyline."""
    half = where[-1] / 2
    for i in range(1, len(line)):
        if where[i] >= half and where[i] > where[i - 1]:
            t = (half - where[i - 1]) / (where[i] - where[i - 1])
            (ax, ay), (bx, by) = line[i - 1], line[i]
            return ax + (bx - ax) * t, ay + (by - ay) * t
    return line[0]


def _shifts(total: float) -> list[float]:
    """How far from the middle the places along a connection are, nearest first: ``STEP``
    apart, closer on a short connection (a label between two steps in a row has little room)."""
    reach = min(REACH, 0.4 * total)
    step = max(MIN_STEP, min(STEP, total / 20))
    count = max(0, math.ceil((reach + 1e-9 - step) / step))
    out = [0.0]
    for i in range(count):
        out += [step + i * step, -(step + i * step)]
    return out


def _along(line: list[Point], where: list[float], shift: float) -> tuple[float, ...]:
    """The point ``shift`` from the middle of a polyline, and the unit direction there."""
    distance = where[-1] / 2 + shift
    i = min(max(bisect_left(where, distance), 1), len(line) - 1)
    (ax, ay), (bx, by) = line[i - 1], line[i]
    size = where[i] - where[i - 1]
    if size <= 0:
        return ax, ay, 1.0, 0.0
    t = min(max((distance - where[i - 1]) / size, 0.0), 1.0)
    return ax + (bx - ax) * t, ay + (by - ay) * t, (bx - ax) / size, (by - ay) / size


def _places(line: list[Point], where: list[float]) -> np.ndarray:
    """Every place a label may go, best first, as rows (x, y): on the line from its middle
    outwards, then beside it (``OFFSETS``). The same places as :func:`_along` finds, at once."""
    total = where[-1]
    distance = total / 2 + np.array(_shifts(total))
    at = np.asarray(where)
    points = np.asarray(line, dtype=float)
    i = np.clip(np.searchsorted(at, distance, "left"), 1, len(line) - 1)
    delta = points[i] - points[i - 1]
    size = at[i] - at[i - 1]
    safe = np.where(size > 0, size, 1.0)
    t = np.where(size > 0, np.clip((distance - at[i - 1]) / safe, 0.0, 1.0), 0.0)
    spot = points[i - 1] + delta * t[:, None]
    unit = np.where((size > 0)[:, None], delta / safe[:, None], (1.0, 0.0))
    normal = np.column_stack((-unit[:, 1], unit[:, 0]))
    return np.concatenate([spot + normal * offset for offset in OFFSETS])


FEW = 24  # places tried one by one before all are counted at once


def place_label(line: list[Point], size: tuple[float, float], taken: Taken) -> tuple[Point, bool]:
    """Where the label of the connection drawn along ``line`` goes, and whether it is crowded (no
    place free of steps and labels: then where it covers the fewest). Its place is marked taken.
    A place on an arrow head is taken only when no place is free of everything."""
    half_w, half_h = size[0] / 2, size[1] / 2
    where = lengths(line)
    x, y = middle(line, where)
    shifts = _shifts(where[-1])
    tried = 0
    if not taken.free(x - half_w, y - half_h, x + half_w, y + half_h):
        # the first few places one by one (most labels need no more), then all at once
        for shift in shifts[:FEW]:
            x, y, _, _ = _along(line, where, shift)
            if taken.free(x - half_w, y - half_h, x + half_w, y + half_h):
                break
            tried += 1
    if tried == len(shifts) or tried == FEW:
        spots = _places(line, where)
        rects = np.column_stack((spots - (half_w, half_h), spots + (half_w, half_h)))
        span = (rects[:, 0].min(), rects[:, 1].min(), rects[:, 2].max(), rects[:, 3].max())
        near = taken.near(span)
        clashes = (
            (rects[:, None, 0] < near[None, :, 2])
            & (near[None, :, 0] < rects[:, None, 2])
            & (rects[:, None, 1] < near[None, :, 3])
            & (near[None, :, 1] < rects[:, None, 3])
        ) @ near[:, 4]
        best = int(np.argmin(clashes))  # the first free place, else the least crowded
        x, y = spots[best].tolist()
        taken.add((x - half_w, y - half_h, x + half_w, y + half_h))
        return (x, y), bool(clashes[best] >= HARD)
    taken.add((x - half_w, y - half_h, x + half_w, y + half_h))
    return (x, y), False
