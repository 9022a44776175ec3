"""A node on the canvas: paints and hit-tests; the scene maps it to the model."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from app.gui.common.style import (
    CHANGE_COLORS,
    KIND_STYLES,
    LABEL_PIXELS,
    NODE_HEIGHT,
    NODE_WIDTH,
    TEXT_COLOR,
    is_dark,
    plain_tooltip,
)
from models.derived import Badge

W, H = NODE_WIDTH, NODE_HEIGHT
_FLAGS = (
    QGraphicsItem.ItemIsSelectable | QGraphicsItem.ItemIsMovable | QGraphicsItem.ItemIsFocusable
)
# (combined once: enum arithmetic costs microseconds per item, thousands of times on open)
_WRAPPED = Qt.AlignCenter | Qt.TextWordWrap


class NodeItem(QGraphicsItem):
    """Holds only what it paints: kind, label, team colour, badge and overlay text."""

    def __init__(
        self, node_id: str, kind: str = "action", label: str = "", team_color: QColor | None = None
    ) -> None:
        super().__init__()
        self.node_id = node_id
        self.kind = kind
        self.label = label
        self.team_color = team_color
        self.badge: Badge | None = None  # the findings on this step
        self.overlay: str = ""  # simulation counts
        self.highlight = False  # the bottleneck
        self.change: str | None = None  # "added" or "changed" since a version compared
        self.change_text = ""
        self.edges: list = []  # the EdgeLines that end here
        self.setFlags(_FLAGS)
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        # No tooltip and no z-value of its own: each costs a microsecond per item on open. The scene
        # answers tooltips (MapScene.helpEvent) and the edge layer sits below at z = -1.

    def set_content(self, kind: str, label: str, team_color: QColor | None) -> None:
        if (kind, label, team_color) != (self.kind, self.label, self.team_color):
            self.prepareGeometryChange()
            self.kind, self.label, self.team_color = kind, label, team_color
            self.update()

    def set_badge(self, badge: Badge | None) -> None:
        if badge != self.badge:
            self.badge = badge
            self.update()

    def set_flow(self, text: str, highlight: bool) -> None:
        """The simulation's line under the step, and whether it is the bottleneck."""
        if (text, highlight) != (self.overlay, self.highlight):
            self.overlay, self.highlight = text, highlight
            self.update()

    def set_change(self, change: str | None, text: str = "") -> None:
        """A ring in green (added) or amber (changed) since a version compared."""
        if (change, text) != (self.change, self.change_text):
            self.change, self.change_text = change, text
            self.update()

    def tooltip(self) -> str:
        """The label, what the findings say about the step and what changed since a version
        compared, escaped: shown literally even when it looks like HTML."""
        lines = [self.label]
        if self.badge is not None:
            lines += [f"• {m}" for m in self.badge.messages]
        if self.change_text:
            lines.append(self.change_text)
        return plain_tooltip("\n".join(lines))

    BOUNDS = QRectF(
        -W / 2 - 4, -H / 2 - 12, W + 16, H + 28
    )  # the shape, the badge and the overlay line

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self.BOUNDS

    def shape(self) -> QPainterPath:
        return self._outline()

    def _outline(self) -> QPainterPath:
        style = KIND_STYLES.get(self.kind, KIND_STYLES["action"])
        cached = _OUTLINES.get(style.shape)
        if cached is None:
            cached = _OUTLINES[style.shape] = _outline_path(style.shape)
        return cached

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        style = KIND_STYLES.get(self.kind, KIND_STYLES["action"])
        selected = (
            self.isSelected()
        )  # not option.state: converting it builds enum objects, slow the first time
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        outline = self._outline()
        painter.setRenderHint(QPainter.Antialiasing, lod > 0.4)
        pen = QPen(
            QColor("#e8590c") if self.highlight else QColor(style.border),
            4 if self.highlight else 1.6,
        )
        if selected:
            pen = QPen(QColor("#1864ab"), 3)
        if self.change is not None:  # a ring around the shape, under it
            painter.setPen(QPen(QColor(CHANGE_COLORS[self.change]), 3))
            painter.setBrush(Qt.NoBrush)
            painter.drawRoundedRect(QRectF(-W / 2 - 2.5, -H / 2 - 2.5, W + 5, H + 5), 6, 6)
        painter.setPen(pen)
        painter.setBrush(QBrush(QColor(style.fill)))
        painter.drawPath(outline)
        if style.shape == "double":
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(QRectF(-W / 2 + 5, -H / 2 + 5, W - 10, H - 10))
        if self.team_color is not None:
            painter.setPen(Qt.NoPen)
            painter.setBrush(self.team_color)
            painter.drawRect(
                QRectF(-W / 2, -H / 2, 7, H)
                if style.shape == "rect"
                else QRectF(-W / 4, H / 2 - 6, W / 2, 5)
            )
        if lod < 0.22:  # zoomed far out: shapes only, text would be unreadable anyway
            return
        painter.setPen(TEXT_COLOR)
        font = QFont(painter.font())
        font.setPixelSize(LABEL_PIXELS)  # pixels, not points: exports at any DPI keep the layout
        painter.setFont(font)
        inset = 18 if style.shape in ("diamond", "ellipse", "pill") else 10
        painter.drawText(
            QRectF(-W / 2 + inset, -H / 2 + 3, W - 2 * inset, H - 6), _WRAPPED, self.label
        )  # plain text: never HTML
        if self.overlay:
            font.setPixelSize(11)
            font.setBold(True)
            painter.setFont(font)
            dark = is_dark(widget)  # the overlay line is drawn on the canvas, under the step
            painter.setPen(
                QColor(
                    ("#ff8787" if dark else "#c92a2a")
                    if self.highlight
                    else ("#91a7ff" if dark else "#364fc7")
                )
            )
            painter.drawText(QRectF(-W / 2, H / 2 + 1, W, 14), Qt.AlignCenter, self.overlay)
        if self.badge:
            severity, count = self.badge.severity, self.badge.count
            color = {"error": "#e03131", "warning": "#f08c00", "info": "#1c7ed6"}[severity]
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(color))
            painter.drawEllipse(QRectF(W / 2 - 8, -H / 2 - 10, 18, 18))
            painter.setPen(QColor("white"))
            font.setPixelSize(10)
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(QRectF(W / 2 - 8, -H / 2 - 10, 18, 18), Qt.AlignCenter, str(count))

    # No itemChange override on purpose: PySide6 6.12 converts every item change
    # through Python (slow with thousands of items) and leaks a reference to None
    # each time. Whoever moves an item (the scene, a drag interaction) calls this.
    def adjust_edges(self) -> None:
        for edge in self.edges:
            edge.adjust()

    def set_position(self, point: QPointF) -> None:
        if self.pos() != point:
            self.setPos(point)
            self.adjust_edges()


_OUTLINES: dict[str, QPainterPath] = {}


def _outline_path(shape: str) -> QPainterPath:
    """The outline of one node shape, built once and shared by every item of that shape."""
    rect = QRectF(-W / 2, -H / 2, W, H)
    path = QPainterPath()
    if shape == "diamond":
        path.addPolygon(
            QPolygonF(
                [
                    QPointF(0, -H / 2 - 6),
                    QPointF(W / 2, 0),
                    QPointF(0, H / 2 + 6),
                    QPointF(-W / 2, 0),
                    QPointF(0, -H / 2 - 6),
                ]
            )
        )
    elif shape == "ellipse":
        path.addEllipse(rect)
    elif shape == "pill":
        path.addRoundedRect(rect, H / 2, H / 2)
    elif shape == "round":
        path.addRoundedRect(rect, 14, 14)
    else:
        path.addRect(rect)
    return path
