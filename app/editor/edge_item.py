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
from PySide6.QtWidgets import QGraphicsItem, QStyle

from app.editor.style import EDGE_COLORS


class EdgeItem(QGraphicsItem):
    def __init__(self, edge_id: str, source, target) -> None:
        super().__init__()
        self.edge_id = edge_id
        self.source, self.target = source, target
        self.kind = "flow"
        self.text = ""
        self.width = 1.6
        self._line = QLineF()
        self.setFlags(QGraphicsItem.ItemIsSelectable)
        self.setZValue(0)
        source.edges.append(self)
        target.edges.append(self)
        self.adjust()

    def detach(self) -> None:
        for end in (self.source, self.target):
            if self in end.edges:
                end.edges.remove(self)

    def set_content(self, kind: str, text: str, width: float = 1.6) -> None:
        if (kind, text, width) != (self.kind, self.text, self.width):
            self.prepareGeometryChange()
            self.kind, self.text, self.width = kind, text, width
            self.update()

    def adjust(self) -> None:
        a, b = self.source.pos(), self.target.pos()
        line = QLineF(a, b)
        if line.length() < 1:
            new = QLineF(a, a)
        else:
            new = QLineF(_border(self.source, b, a), _border(self.target, a, b))
        if new != self._line:
            self.prepareGeometryChange()
            self._line = new

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        extra = 14 + self.width
        return QRectF(self._line.p1(), self._line.p2()).normalized().adjusted(-extra - 30, -extra, extra + 30, extra)

    def shape(self) -> QPainterPath:
        path = QPainterPath(self._line.p1())
        path.lineTo(self._line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(10 + self.width)
        return stroker.createStroke(path)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if self._line.length() < 1:
            return
        color = QColor("#1864ab") if option.state & QStyle.State_Selected else QColor(EDGE_COLORS.get(self.kind, "#495057"))
        pen = QPen(color, self.width)
        if self.kind == "recycle":
            pen.setStyle(Qt.DashLine)
        elif self.kind == "addresses":
            pen.setStyle(Qt.DotLine)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(pen)
        painter.drawLine(self._line)
        if self.kind != "addresses":
            angle = math.atan2(-self._line.dy(), self._line.dx())
            tip = self._line.p2()
            size = 9 + self.width
            left = tip - QPointF(math.sin(angle + math.pi / 3) * size, math.cos(angle + math.pi / 3) * size)
            right = tip - QPointF(math.sin(angle + math.pi - math.pi / 3) * size,
                                  math.cos(angle + math.pi - math.pi / 3) * size)
            painter.setBrush(QBrush(color))
            painter.setPen(QPen(color, 1))
            painter.drawPolygon(QPolygonF([tip, left, right]))
        if self.text and option.levelOfDetailFromTransform(painter.worldTransform()) > 0.3:
            font = QFont(painter.font())
            font.setPointSizeF(8.5)
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


def _border(item, toward: QPointF, center: QPointF) -> QPointF:
    """Where the line from the item's centre toward a point leaves its outline."""
    path = item.shape()
    local_center = QPointF(0, 0)
    local_toward = item.mapFromScene(toward)
    low, high = 0.0, 1.0
    for _ in range(12):  # bisection on the outline: cheap and exact enough for any shape
        mid = (low + high) / 2
        point = local_center + (local_toward - local_center) * mid
        if path.contains(point):
            low = mid
        else:
            high = mid
    return item.mapToScene(local_center + (local_toward - local_center) * high)
