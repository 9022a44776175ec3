"""An edge on the canvas: a line between two node items, with its conversion."""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem

from app.editor.style import EDGE_COLORS, KIND_STYLES, NODE_HEIGHT, NODE_WIDTH


class EdgeItem(QGraphicsItem):
    def __init__(self, edge_id: str, source, target, centres: tuple[float, float, float, float] | None = None) -> None:
        super().__init__()
        self.edge_id = edge_id
        self.source, self.target = source, target
        self.kind = "flow"
        self.text = ""
        self.width = 1.6
        self._arrow: QPolygonF | None = None
        self.setFlags(QGraphicsItem.ItemIsSelectable)
        source.edges.append(self)
        target.edges.append(self)
        # not on a scene yet: set the geometry directly (no prepareGeometryChange, no Qt objects to compare);
        # ``centres`` (the two nodes' x, y as floats) spares the position look-ups when a scene builds thousands
        self._set_line(*self._clip(*(centres or self._centres())))

    def detach(self) -> None:
        for end in (self.source, self.target):
            if self in end.edges:
                end.edges.remove(self)

    def set_content(self, kind: str, text: str, width: float = 1.6) -> None:
        if (kind, text, width) != (self.kind, self.text, self.width):
            self.prepareGeometryChange()
            if width != self.width:
                self.width = width
                self._geometry()
            self.kind, self.text = kind, text
            self.update()

    def _centres(self) -> tuple[float, float, float, float]:
        a, b = self.source.pos(), self.target.pos()
        return a.x(), a.y(), b.x(), b.y()

    def _ends(self) -> tuple[float, float, float, float]:
        return self._clip(*self._centres())

    def _clip(self, ax: float, ay: float, bx: float, by: float) -> tuple[float, float, float, float]:
        """Where the line from centre to centre leaves the source's outline and meets the target's."""
        dx, dy = bx - ax, by - ay
        if abs(dx) + abs(dy) < 1:
            return ax, ay, ax, ay
        t = _exit(self.source.kind, dx, dy)
        u = _exit(self.target.kind, dx, dy)
        return ax + dx * t, ay + dy * t, bx - dx * u, by - dy * u

    def adjust(self) -> None:
        new = QLineF(*self._ends())
        if new != self._line:
            if not self.isVisible() and self.scene() is not None:  # painted by the overview: repaint there
                old = QRectF(self._bounds)
                self._line = new
                self._geometry()
                self.scene().update(old.united(self._bounds))
                return
            self.prepareGeometryChange()
            self._line = new
            self._geometry()

    def _geometry(self) -> None:
        """Bounds when the line changes rather than at every paint; the arrow head when next painted."""
        line = self._line
        self._set_line(line.x1(), line.y1(), line.x2(), line.y2())

    def _set_line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self._line = QLineF(x1, y1, x2, y2)
        extra = 14 + self.width
        self._bounds = QRectF(min(x1, x2) - extra - 30, min(y1, y2) - extra,
                              abs(x2 - x1) + 2 * extra + 60, abs(y2 - y1) + 2 * extra)
        self._arrow = None

    def _arrow_head(self) -> QPolygonF:
        angle = math.atan2(-self._line.dy(), self._line.dx())
        tip = self._line.p2()
        size = 9 + self.width
        left = tip - QPointF(math.sin(angle + math.pi / 3) * size, math.cos(angle + math.pi / 3) * size)
        right = tip - QPointF(math.sin(angle + math.pi - math.pi / 3) * size,
                              math.cos(angle + math.pi - math.pi / 3) * size)
        self._arrow = QPolygonF([tip, left, right])
        return self._arrow

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._bounds

    def bounds(self) -> QRectF:
        return self._bounds

    def line(self) -> QLineF:
        return self._line

    def shape(self) -> QPainterPath:
        path = QPainterPath(self._line.p1())
        path.lineTo(self._line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(10 + self.width)
        return stroker.createStroke(path)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if self._line.length() < 1:
            return
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        selected = self.isSelected()  # not option.state (see NodeItem.paint)
        if lod < 0.3 and not selected:  # zoomed far out: a thin line is all one sees
            painter.setRenderHint(QPainter.Antialiasing, False)
            painter.setPen(_FAR_PENS.get(self.kind) or _far_pen(self.kind))
            painter.drawLine(self._line)
            return
        color = QColor("#1864ab") if selected else QColor(EDGE_COLORS.get(self.kind, "#495057"))
        pen = QPen(color, self.width)
        if self.kind == "recycle":
            pen.setStyle(Qt.DashLine)
        elif self.kind == "addresses":
            pen.setStyle(Qt.DotLine)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(pen)
        painter.drawLine(self._line)
        if self.kind != "addresses":
            painter.setBrush(QBrush(color))
            painter.setPen(QPen(color, 1))
            painter.drawPolygon(self._arrow or self._arrow_head())
        if self.text:
            font = QFont(painter.font())
            font.setPixelSize(11)  # pixels: the same size on screen, in PNG and PDF
            painter.setFont(font)
            mid = self._line.center()
            rect = QRectF(mid.x() - 40, mid.y() - 9, 80, 18)
            metrics = painter.fontMetrics()
            width = metrics.horizontalAdvance(self.text) + 8
            box = QRectF(mid.x() - width / 2, mid.y() - 9, width, 18)
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(255, 255, 255, 220))
            painter.drawRoundedRect(box, 4, 4)
            painter.setPen(color)
            painter.drawText(rect.adjusted(-60, 0, 60, 0), Qt.AlignCenter, self.text)


_FAR_PENS: dict[str, QPen] = {}


def overview_pen(kind: str) -> QPen:
    """The one-pixel pen for an edge kind (or "selected") when the map is seen from far."""
    if kind == "selected":
        return _FAR_PENS.get(kind) or _FAR_PENS.setdefault(kind, QPen(QColor("#1864ab"), 0))
    return _FAR_PENS.get(kind) or _far_pen(kind)


def _far_pen(kind: str) -> QPen:
    pen = QPen(QColor(EDGE_COLORS.get(kind, "#495057")), 0)  # cosmetic: one pixel at any zoom
    _FAR_PENS[kind] = pen
    return pen


def _exit(kind: str, dx: float, dy: float) -> float:
    """The fraction of (dx, dy) from a node's centre at which the line leaves its outline (closed form)."""
    hw, hh = NODE_WIDTH / 2, NODE_HEIGHT / 2
    ax, ay = abs(dx), abs(dy)
    shape = _SHAPES.get(kind) or _SHAPES.setdefault(kind, KIND_STYLES.get(kind, KIND_STYLES["action"]).shape)
    if shape == "diamond":
        t = 1.0 / (ax / hw + ay / (hh + 6))
    elif shape == "ellipse":
        t = 1.0 / math.sqrt((dx / hw) ** 2 + (dy / hh) ** 2)
    else:  # rectangles, rounded and pill shapes: the box is close enough for an arrow tip
        t = min(hw / ax if ax else math.inf, hh / ay if ay else math.inf)
    return min(t, 0.5)  # overlapping nodes: meet in the middle rather than cross


_SHAPES: dict[str, str] = {}
