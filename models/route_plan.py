"""The steps as the router checks routes against them: arrays of their boxes and outlines.

:class:`Plan` holds the steps of one routing as numpy arrays (boxes to keep routes off, outlines
to clip at, the flow lines under steps, the places no label goes) and answers which steps a batch
of polylines passes (:meth:`Plan.hits`), and which straight or side-to-side lines join two steps.
Part of :mod:`models.routing`; no Qt.

>>> plan = Plan([Step("a", 0, 0), Step("b", 230, 0), Step("c", 460, 0)])
>>> plan.straight(0, 2)
[(85.0, 0.0), (375.0, 0.0)]
>>> plan.hits([plan.straight(0, 2), plan.straight(0, 1)], [(0, 2), (0, 1)], 4.0)  # a -> c passes b
[{1}, set()]
"""

from __future__ import annotations

import numpy as np

from .route_geometry import BOX, DIAMOND, BoxGrid, clip_centres, outline_crosses
from .route_types import DIAMOND_RISE, NODE_HEIGHT, NODE_WIDTH, Point, Step

STUB = 14.0  # a side-to-side line leaves and enters its steps straight for this long
LABEL_GAP = 3.0  # around a step, kept free of labels


class Plan:
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
