"""Every edge of a process, drawn by one item under the steps.

An edge is a plain record (:class:`EdgeLine`), not a QGraphicsItem: creating a
Python-subclassed item per edge cost about 13 µs, most of the time it took to open a
3,000-edge process. One :class:`EdgeLayer` paints the edges that cross the exposed
area (thousands of lines in one batch when zoomed far out), answers hit tests for
the scene and holds which edges are selected. The geometry (where an edge meets the outlines,
its box, the distance to it) is :mod:`app.gui.canvas.geometry`, without Qt.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem

from app.gui.canvas.edge_line import EdgeLine
from app.gui.canvas.edge_paint import paint_far, paint_near
from app.gui.canvas.geometry import clip_ends, edge_box, shape_code
from app.gui.common.style import canvas_font, is_dark

__all__ = ["EdgeLayer", "EdgeLine", "clip_ends", "shape_code"]  # what the scene imports from here

FAR_ZOOM = 0.3  # below this an edge is a one-pixel line: no arrow, no label, painted in batches


class EdgeLayer(QGraphicsItem):
    """Paints, hit-tests and selects every :class:`EdgeLine` of a scene; sits under the steps.

    Each edge's box is also kept in one numpy array, so finding the edges in an exposed
    area or under the mouse is a vectorised comparison rather than a Python loop over
    thousands of edges at every paint.
    """

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, EdgeLine] = {}
        self._extent = QRectF()
        self._boxes = np.full(
            (64, 4), np.nan
        )  # left, top, right, bottom per row; NaN rows are free
        self._rows: list[EdgeLine | None] = []
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.NoButton)  # presses go to the scene, which asks edge_at()
        self.setFlag(QGraphicsItem.ItemUsesExtendedStyleOption)  # paint() gets the exposed rect

    # --- membership ------------------------------------------------------------------------------

    def add(self, line: EdgeLine) -> None:
        """One edge the user just made: grow the layer if needed and paint it."""
        self.lines[line.edge_id] = line
        self._index([line])
        self.changed(None, line.box())

    def _index(self, lines: list[EdgeLine], ends: np.ndarray | None = None) -> None:
        start = len(self._rows)
        needed = start + len(lines)
        if needed > len(self._boxes):
            grown = np.full((max(needed, 2 * len(self._boxes)), 4), np.nan)
            grown[:start] = self._boxes[:start]
            self._boxes = grown
        for row, line in enumerate(lines, start):
            line.row = row
        self._rows.extend(lines)
        if lines:
            if ends is None:
                self._boxes[start:needed] = [line.box() for line in lines]
                return
            widths = np.array([line.width for line in lines])
            self._boxes[start:needed] = np.column_stack(edge_box(*ends.T, widths))  # every box()

    def add_batch(
        self, lines: list[EdgeLine], within: QRectF, ends: np.ndarray | None = None
    ) -> None:
        """Many edges while a scene is built: one geometry change for all of them.

        ``within`` is the extent of the steps they join: an edge runs between two outlines,
        so it stays within that extent widened by its arrow and label, and the layer need
        not measure every edge. ``ends`` are the lines' ends as
        clip_ends() returned them, which spares reading them back from each line.
        """
        for line in lines:
            self.lines[line.edge_id] = line
        self._index(lines, ends)
        widest = max((line.width for line in lines), default=0.0)
        extent = _rect(
            edge_box(within.left(), within.top(), within.right(), within.bottom(), widest)
        )
        self._grow(extent)
        self.update()

    def follow(self, lines: list[EdgeLine]) -> None:
        """Lines whose steps moved (an auto-layout, an arrangement, their undo): straight between
        the steps' outlines again, as ``EdgeLine.adjust`` makes one, but clipped in one
        vectorised step, re-indexed at once and repainted once (3,000 lines one by one took
        0.13 s, most of an auto-layout's stall on a 2,000-step map)."""
        lines = [line for line in lines if line.row >= 0]  # not removed since
        if len(lines) < 8:  # a step or two dragged: no arrays for that
            for line in lines:
                line.adjust()
            return
        centres = []
        for line in lines:
            a, b = line.source.pos(), line.target.pos()
            centres.append((a.x(), a.y(), b.x(), b.y()))
        ends = clip_ends(
            np.array(centres),
            np.array([shape_code(line.source.kind) for line in lines]),
            np.array([shape_code(line.target.kind) for line in lines]),
        )
        x1, y1, x2, y2 = ends.T
        boxes = np.column_stack(edge_box(x1, y1, x2, y2, np.array([line.width for line in lines])))
        for line, row in zip(lines, ends.tolist(), strict=True):
            line.straighten(row)
        self._boxes[[line.row for line in lines]] = boxes
        self._grow(_span(boxes))
        self.update()
        self.moved()

    def remove(self, edge_id: str) -> EdgeLine | None:
        line = self.lines.pop(edge_id, None)
        if line is not None:
            line.detach()
            self._boxes[line.row] = np.nan
            self._rows[line.row] = None
            line.row = (
                -1
            )  # a late adjust() of this line must not write into a row now free or reused
            if len(self._rows) > 1024 and len(self._rows) > 2 * len(self.lines):
                self._compact()  # many removals (and undos, which add rows anew): drop the free rows
            self.update(_rect(line.box()))
        return line

    def _compact(self) -> None:
        lines = [line for line in self._rows if line is not None]
        self._boxes = np.full((max(64, len(lines)), 4), np.nan)
        self._rows = []
        self._index(lines)

    def moved(self) -> None:
        """A step moved: routes made for where the steps were are stale, route again."""
        scene = self.scene()
        if scene is not None:
            scene.schedule_routing()

    def changed(self, old: tuple | None, new: tuple, line: EdgeLine | None = None) -> None:
        """An edge moved or changed its look: grow the layer if it left it, repaint where it was and is."""
        if line is not None and line.row >= 0:
            self._boxes[line.row] = new
        rect = _rect(new)
        self._grow(rect)
        self.update(rect if old is None else rect.united(_rect(old)))

    def _grow(self, rect: QRectF) -> None:
        """Take ``rect`` into the layer's extent (an edge added, moved or routed past it)."""
        if not self._extent.contains(rect):
            self.prepareGeometryChange()
            self._extent = self._extent.united(rect) if not self._extent.isNull() else rect

    # --- QGraphicsItem ---------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._extent

    def shape(self) -> QPainterPath:
        return QPainterPath()  # never "under the mouse" itself: the scene asks edge_at()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        exposed = _visible(painter, option.exposedRect)
        left, top, right, bottom = exposed.left(), exposed.top(), exposed.right(), exposed.bottom()
        visible = self._in_box(left, top, right, bottom)
        if not visible:
            return
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < FAR_ZOOM:
            paint_far(painter, visible, is_dark(widget))
        else:
            paint_near(
                painter,
                visible,
                (left, top, right, bottom),
                is_dark(widget),
                canvas_font(painter, widget),
            )

    # --- queries ---------------------------------------------------------------------------------

    def _in_box(self, left: float, top: float, right: float, bottom: float) -> list[EdgeLine]:
        """Edges whose box meets the given one, in the order they were added (the painting order)."""
        boxes = self._boxes[: len(self._rows)]
        with np.errstate(invalid="ignore"):  # free rows are NaN: never inside
            hits = np.flatnonzero(
                (boxes[:, 2] >= left)
                & (boxes[:, 0] <= right)
                & (boxes[:, 3] >= top)
                & (boxes[:, 1] <= bottom)
            )
        rows = self._rows
        return [rows[i] for i in hits.tolist()]

    def near(self, rect: tuple[float, float, float, float]) -> list[EdgeLine]:
        """Edges whose box meets the (left, top, right, bottom) rect: the ones that may cross it."""
        return self._in_box(*rect)

    def edge_at(self, point: QPointF, tolerance: float) -> EdgeLine | None:
        """The edge drawn nearest ``point``, if it passes within ``tolerance`` (plus half its width)."""
        x, y = point.x(), point.y()
        best, best_distance = None, math.inf
        for line in self._in_box(x - tolerance, y - tolerance, x + tolerance, y + tolerance):
            reach = tolerance + line.width / 2
            if line.polyline is None and not (
                min(line.x1, line.x2) - reach <= x <= max(line.x1, line.x2) + reach
                and min(line.y1, line.y2) - reach <= y <= max(line.y1, line.y2) + reach
            ):
                continue
            distance = line.distance(x, y)
            if distance <= reach and distance <= best_distance:  # later edges are painted on top
                best, best_distance = line, distance
        return best

    def within(self, rect: QRectF) -> list[EdgeLine]:
        """Edges whose drawn line lies wholly inside ``rect`` (what a rubber band encloses)."""
        return [
            line
            for line in self.lines.values()
            if all(rect.contains(QPointF(x, y)) for x, y in line.path())
        ]

    def set_routes(self, routes: dict) -> None:
        """Draw every edge along its route (one the routes leave out: straight), in one repaint;
        the edges whose route is the one drawn already are left alone."""
        rows, boxes = [], []
        for line in self.lines.values():
            if line.route_to(routes.get(line.edge_id)) and line.row >= 0:
                rows.append(line.row)
                boxes.append(line.box())
        if not rows:
            return
        self._boxes[rows] = boxes
        self._grow(_span(np.array(boxes)))
        self.update()

    def selected(self) -> list[EdgeLine]:
        return [line for line in self.lines.values() if line.selected]

    def set_mark(self, line: EdgeLine, mark: str | None) -> None:
        """Colour an edge added or changed since a version compared (None: as usual)."""
        if line.mark != mark:
            line.mark = mark
            self.update(_rect(line.box()))

    def set_selected(self, line: EdgeLine, on: bool) -> None:
        if line.selected != on:
            line.selected = on
            self.update(_rect(line.box()))


def _span(boxes: np.ndarray) -> QRectF:
    """The rectangle around rows of (left, top, right, bottom) boxes."""
    left, top = boxes[:, :2].min(axis=0).tolist()
    right, bottom = boxes[:, 2:].max(axis=0).tolist()
    return _rect((left, top, right, bottom))


def _visible(painter: QPainter, exposed: QRectF) -> QRectF:
    """The part of ``exposed`` that can reach the device: QGraphicsView.render() and scene
    exports expose the whole layer, while only what lands on the image, page or screen matters."""
    if painter.hasClipping():
        exposed = exposed.intersected(painter.clipBoundingRect())
    device = painter.device()
    inverse, invertible = painter.combinedTransform().inverted()
    if device is not None and invertible:
        # On a high-DPI screen the painter's transform already scales to device pixels while
        # the device's size is in logical ones: the device's extent is its size times its pixel
        # ratio (else edges past the middle of the view were never painted at scale 2).
        ratio = max(device.devicePixelRatioF(), 1.0)
        extent = QRectF(0, 0, device.width() * ratio, device.height() * ratio)
        exposed = exposed.intersected(inverse.mapRect(extent))
    return exposed


def _rect(box: tuple[float, float, float, float]) -> QRectF:
    return QRectF(box[0], box[1], box[2] - box[0], box[3] - box[1])
