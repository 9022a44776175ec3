"""A node on the canvas: paints and hit-tests; the scene maps it to the model."""

from __future__ import annotations

from typing import NamedTuple

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
    canvas_font,
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
        # No cache of its own until the scene has been painted once (MapScene.painted), no tooltip and no z-value of its own: each costs a microsecond per item on open. The scene
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
        # Every pen, brush, rectangle and font comes made (_Look): building them from colour
        # names on each paint was a third of a first paint's Python time.
        look = _look(self.kind)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(_ANTIALIAS, lod > 0.4)
        if self.change is not None:  # a ring around the shape, under it
            painter.setPen(_CHANGE_PENS[self.change])
            painter.setBrush(_NO_BRUSH)
            painter.drawRoundedRect(_CHANGE_RECT, 6, 6)
        if self.isSelected():  # not option.state: converting it builds enum objects, slow
            painter.setPen(_SELECTED_PEN)
        else:
            painter.setPen(_HIGHLIGHT_PEN if self.highlight else look.pen)
        painter.setBrush(look.brush)
        painter.drawPath(look.outline)
        if look.inner is not None:
            painter.setBrush(_NO_BRUSH)
            painter.drawRect(look.inner)
        if self.team_color is not None:
            painter.setPen(_NO_PEN)
            painter.setBrush(self.team_color)
            painter.drawRect(look.team_bar)
        if lod < 0.22:  # zoomed far out: shapes only, text would be unreadable anyway
            return
        fonts = _fonts(canvas_font(painter, widget))
        painter.setPen(TEXT_COLOR)
        painter.setFont(fonts[0])  # pixels, not points: exports at any DPI keep the layout
        painter.drawText(look.text_rect, _WRAPPED, self.label)  # plain text: never HTML
        if self.overlay:
            painter.setFont(fonts[1])
            dark = is_dark(widget)  # the overlay line is drawn on the canvas, under the step
            painter.setPen(_OVERLAY_COLORS[(self.highlight, dark)])
            painter.drawText(_OVERLAY_RECT, _CENTER, self.overlay)
        if self.badge:
            painter.setPen(_NO_PEN)
            painter.setBrush(_BADGE_COLORS[self.badge.severity])
            painter.drawEllipse(_BADGE_RECT)
            painter.setPen(_WHITE)
            painter.setFont(fonts[2])
            painter.drawText(_BADGE_RECT, _CENTER, str(self.badge.count))

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


class _Look(NamedTuple):
    """What one kind of step is painted with, made once."""

    pen: QPen
    brush: QBrush
    outline: QPainterPath
    inner: QRectF | None  # the second frame of a "double" shape
    team_bar: QRectF  # where the owner team's colour goes
    text_rect: QRectF  # the label's box


_LOOKS: dict[str, _Look] = {}


def _look(kind: str) -> _Look:
    look = _LOOKS.get(kind)
    if look is None:
        style = KIND_STYLES.get(kind, KIND_STYLES["action"])
        outline = _OUTLINES.get(style.shape)
        if outline is None:
            outline = _OUTLINES[style.shape] = _outline_path(style.shape)
        inset = 18 if style.shape in ("diamond", "ellipse", "pill") else 10
        look = _LOOKS[kind] = _Look(
            QPen(QColor(style.border), 1.6),
            QBrush(QColor(style.fill)),
            outline,
            QRectF(-W / 2 + 5, -H / 2 + 5, W - 10, H - 10) if style.shape == "double" else None,
            QRectF(-W / 2, -H / 2, 7, H)
            if style.shape == "rect"
            else QRectF(-W / 4, H / 2 - 6, W / 2, 5),
            QRectF(-W / 2 + inset, -H / 2 + 3, W - 2 * inset, H - 6),
        )
    return look


_FONTS: dict[str, tuple[QFont, QFont, QFont]] = {}
_LAST: list = [None, None]  # the base font asked for last, and its fonts


def _fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
    """(label, overlay line, badge count) fonts in the painter's family."""
    if _LAST[1] is not None and base == _LAST[0]:
        return _LAST[1]  # every step of a paint asks with the same font: == is half of key()
    key = base.key()
    fonts = _FONTS.get(key)
    if fonts is None:
        label, overlay, badge = QFont(base), QFont(base), QFont(base)
        label.setPixelSize(LABEL_PIXELS)
        overlay.setPixelSize(11)
        overlay.setBold(True)
        badge.setPixelSize(10)
        badge.setBold(True)
        fonts = _FONTS[key] = (label, overlay, badge)
    _LAST[:] = [QFont(base), fonts]
    return fonts


_ANTIALIAS = QPainter.Antialiasing
_CENTER = Qt.AlignCenter
_NO_BRUSH = QBrush(Qt.NoBrush)
_NO_PEN = QPen(Qt.NoPen)
_WHITE = QColor("white")
_SELECTED_PEN = QPen(QColor("#1864ab"), 3)
_HIGHLIGHT_PEN = QPen(QColor("#e8590c"), 4)
_CHANGE_PENS = {change: QPen(QColor(color), 3) for change, color in CHANGE_COLORS.items()}
_CHANGE_RECT = QRectF(-W / 2 - 2.5, -H / 2 - 2.5, W + 5, H + 5)
_OVERLAY_RECT = QRectF(-W / 2, H / 2 + 1, W, 14)
_OVERLAY_COLORS = {  # (the bottleneck, a dark palette)
    (True, True): QColor("#ff8787"),
    (True, False): QColor("#c92a2a"),
    (False, True): QColor("#91a7ff"),
    (False, False): QColor("#364fc7"),
}
_BADGE_RECT = QRectF(W / 2 - 8, -H / 2 - 10, 18, 18)
_BADGE_COLORS = {
    "error": QColor("#e03131"),
    "warning": QColor("#f08c00"),
    "info": QColor("#1c7ed6"),
}
