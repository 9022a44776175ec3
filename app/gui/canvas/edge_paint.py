"""How the edge layer paints edges: near, with arrow heads, labels and dashes; far out, as thin
lines in one call per kind. A message edge looks as BPMN draws a message flow: dashed, a small
circle at its start and an open arrow head. A routed edge is painted along its route (its Bézier curves or its
polyline), its arrow head along the route's last stretch and its label where the router put it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF

from app.gui.canvas.edge_line import EdgeLine
from app.gui.canvas.geometry import LABEL_ROOM
from app.gui.common.style import edge_color

_FAR_PENS: dict[tuple[str, bool], QPen] = {}


def _far_pen(key: str, dark: bool) -> QPen:
    pen = _FAR_PENS.get((key, dark))
    if pen is None:
        pen = _FAR_PENS[(key, dark)] = QPen(
            QColor(edge_color(key, dark)), 0
        )  # cosmetic: one pixel at any zoom
    return pen


def paint_far(painter: QPainter, lines: list[EdgeLine], dark: bool) -> None:
    """Zoomed far out: thin lines, one drawLines call per kind."""
    by_pen: dict[str, list[QLineF]] = {}
    for line in lines:
        key = "selected" if line.selected else (line.mark or line.kind)
        batch = by_pen.setdefault(key, [])
        if line.polyline is None:
            batch.append(QLineF(line.x1, line.y1, line.x2, line.y2))
        else:
            batch.extend(_segments(line))
    painter.setRenderHint(QPainter.Antialiasing, False)
    for key, batch in by_pen.items():
        painter.setPen(_far_pen(key, dark))
        painter.drawLines(batch)


def _segments(line: EdgeLine) -> list[QLineF]:
    """A routed edge as line segments (made once while its route holds)."""
    if line.qlines is None:
        points = line.polyline
        line.qlines = [
            QLineF(ax, ay, bx, by) for (ax, ay), (bx, by) in zip(points, points[1:], strict=False)
        ]
    return line.qlines


def _route_path(line: EdgeLine) -> QPainterPath:
    """A routed edge as a path: its Bézier curves or its polyline (made once while it holds)."""
    points = line.route.points
    path = QPainterPath(QPointF(*points[0]))
    if line.route.curved:
        for i in range(1, len(points) - 2, 3):
            path.cubicTo(QPointF(*points[i]), QPointF(*points[i + 1]), QPointF(*points[i + 2]))
    else:
        for point in points[1:]:
            path.lineTo(QPointF(*point))
    return path


def paint_near(
    painter: QPainter,
    lines: list[EdgeLine],
    area: tuple[float, float, float, float],
    dark: bool,
    base: QFont | None = None,
) -> None:
    """``base``: the canvas's font (``canvas_font``); None: the painter's."""
    painter.setRenderHint(QPainter.Antialiasing)
    font = QFont(base if base is not None else painter.font())
    font.setPixelSize(11)  # pixels: the same size on screen, in PNG and PDF
    painter.setFont(font)
    metrics = painter.fontMetrics()
    left, top, right, bottom = area
    labelled: list[tuple[EdgeLine, QColor]] = []
    for line in lines:
        x1, y1, x2, y2 = line.x1, line.y1, line.x2, line.y2
        color, pen, head_pen, head_brush = _near_pens(
            line.kind, line.selected, line.width, dark, line.mark
        )
        if line.route is not None:
            margin = LABEL_ROOM + line.width
            shown = (left - margin, top - margin, right + margin, bottom + margin)
            if line.route.curved and _within(line.route.points, shown):
                if line.qpath is None:
                    line.qpath = _route_path(line)
                painter.setPen(pen)
                painter.setBrush(Qt.NoBrush)
                painter.drawPath(line.qpath)
            else:  # only the pieces in the exposed area, as for a straight line
                _stroke_pieces(painter, pen, line, shown)
            x1, y1 = _head_base(line.polyline)
        else:
            length = math.hypot(x2 - x1, y2 - y1)
            if length < 1:
                continue
            # Only the part in the exposed area is stroked: antialiased strokes of lines thousands
            # of pixels long are slow even when the painter clips them away.
            margin = LABEL_ROOM + line.width  # the arrow head and the label reach this far
            shown = _clip_to(
                x1, y1, x2, y2, left - margin, top - margin, right + margin, bottom + margin
            )
            if shown is None:
                continue
            skipped, sx1, sy1, sx2, sy2 = shown
            if skipped and line.kind in _DASHES:
                pen = QPen(pen)
                pen.setDashOffset(skipped * length / line.width)  # dashes stay put when clipped
            painter.setPen(pen)
            painter.drawLine(QLineF(sx1, sy1, sx2, sy2))
        if line.kind == "message":  # open ends, filled with the canvas's background
            painter.setBrush(_OPEN[dark])
            painter.setPen(head_pen)
            painter.drawPolygon(_arrow_head(x1, y1, x2, y2, line.width))
            start = line.polyline[0] if line.route is not None else (line.x1, line.y1)
            radius = 3.5 + line.width / 2
            painter.drawEllipse(QPointF(*start), radius, radius)
        elif line.kind != "addresses":
            painter.setBrush(head_brush)
            painter.setPen(head_pen)
            painter.drawPolygon(_arrow_head(x1, y1, x2, y2, line.width))
        if line.text:
            labelled.append((line, color))
    for line, color in labelled:  # after every line: no connection is drawn over a label
        mx, my = line.label_centre()
        width = metrics.horizontalAdvance(line.text) + 8
        painter.setPen(Qt.NoPen)
        painter.setBrush(_LABEL_BACK[dark])
        painter.drawRoundedRect(QRectF(mx - width / 2, my - 9, width, 18), 4, 4)
        painter.setPen(color)
        painter.drawText(QRectF(mx - 100, my - 9, 200, 18), Qt.AlignCenter, line.text)


def _within(points, area: tuple[float, float, float, float]) -> bool:
    """Are the points (a curve's, which stays inside them) all inside the area?"""
    left, top, right, bottom = area
    return all(left <= x <= right and top <= y <= bottom for x, y in points)


def _stroke_pieces(
    painter: QPainter, pen: QPen, line: EdgeLine, area: tuple[float, float, float, float]
) -> None:
    """A routed edge's polyline (a curve's samples), only the pieces in ``area``: antialiased
    strokes thousands of pixels long are slow even when the painter clips them away. Dashes
    stay put: each piece's dash offset is the length drawn before it."""
    points = line.polyline
    dashed = line.kind in _DASHES
    done = 0.0
    pieces = []
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        length = math.hypot(bx - ax, by - ay)
        shown = _clip_to(ax, ay, bx, by, *area) if length > 0 else None
        if shown is not None:
            skipped, sx1, sy1, sx2, sy2 = shown
            if dashed:
                piece = QPen(pen)
                piece.setDashOffset((done + skipped * length) / line.width)
                painter.setPen(piece)
                painter.drawLine(QLineF(sx1, sy1, sx2, sy2))
            else:
                pieces.append(QLineF(sx1, sy1, sx2, sy2))
        done += length
    if pieces:
        painter.setPen(pen)
        painter.drawLines(pieces)


def _head_base(points: list[tuple[float, float]]) -> tuple[float, float]:
    """A point back along the path from its end, giving the arrow head its direction."""
    end_x, end_y = points[-1]
    for x, y in reversed(points[:-1]):
        if math.hypot(end_x - x, end_y - y) >= 1:
            return x, y
    return points[0]


_LABEL_BACK = {
    False: QColor(255, 255, 255, 220),
    True: QColor(30, 30, 30, 220),
}  # behind a conversion label
_DASHES = {"recycle": Qt.DashLine, "addresses": Qt.DotLine, "message": Qt.DashLine}
_MESSAGE_DASHES = [6.0, 3.0]  # longer dashes than a recycle edge's, as BPMN draws a message
_OPEN = {False: QBrush(QColor("#ffffff")), True: QBrush(QColor("#1e1e1e"))}
"""Inside a message's open arrow head and start circle."""
_NEAR_PENS: dict[tuple, tuple] = {}


def _near_pens(
    kind: str, selected: bool, width: float, dark: bool, mark: str | None = None
) -> tuple[QColor, QPen, QPen, QBrush]:
    """Colour, line pen, arrow-head pen and brush for one look, made once and shared."""
    key = (kind, selected, width, dark, mark)
    pens = _NEAR_PENS.get(key)
    if pens is None:
        if len(_NEAR_PENS) > 256:  # flow overlays make many widths; keep the cache small
            _NEAR_PENS.clear()
        color = QColor(edge_color("selected" if selected else (mark or kind), dark))
        pen = QPen(color, width)
        if kind == "message":
            pen.setDashPattern(_MESSAGE_DASHES)
        elif kind in _DASHES:
            pen.setStyle(_DASHES[kind])
        pens = _NEAR_PENS[key] = (color, pen, QPen(color, 1), QBrush(color))
    return pens


def _arrow_head(x1: float, y1: float, x2: float, y2: float, width: float) -> QPolygonF:
    angle = math.atan2(-(y2 - y1), x2 - x1)
    size = 9 + width
    left_angle, right_angle = angle + math.pi / 3, angle + math.pi - math.pi / 3
    return QPolygonF(
        [
            QPointF(x2, y2),
            QPointF(x2 - math.sin(left_angle) * size, y2 - math.cos(left_angle) * size),
            QPointF(x2 - math.sin(right_angle) * size, y2 - math.cos(right_angle) * size),
        ]
    )


def _clip_to(
    x1: float, y1: float, x2: float, y2: float, left: float, top: float, right: float, bottom: float
) -> tuple[float, float, float, float, float] | None:
    """Liang-Barsky: the fraction cut from the start and the part of the segment inside the box, or None."""
    dx, dy = x2 - x1, y2 - y1
    start, end = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0:
                return None
            continue
        u = q / p
        if p < 0:
            if u > end:
                return None
            start = max(start, u)
        else:
            if u < start:
                return None
            end = min(end, u)
    return start, x1 + start * dx, y1 + start * dy, x1 + end * dx, y1 + end * dy
