"""A connection to another process, drawn on a process's own diagram as a labelled stub.

A company action in the funnel that serves the CFO's "Reviews ROI" step shows, under the
action, "→ CFO: Reviews ROI"; the CFO's diagram shows "← Funnel: Payback model" under the
step. A click on the stub opens the other process at the other end.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from app.gui.common.shapes import NODE_HEIGHT, NODE_WIDTH
from app.gui.common.style import edge_color, is_dark, plain_tooltip

STUB_HEIGHT = 18.0
STUB_TOP = NODE_HEIGHT / 2 + 16  # under the step and its flow line


class StubItem(QGraphicsItem):
    """A child of the step's item: it moves with the step and paints a short arrow and a label."""

    def __init__(
        self, parent: QGraphicsItem, edge_id: str, text: str, tooltip: str, message: bool = False
    ) -> None:
        super().__init__(parent)
        self.edge_id = edge_id
        self.message = message
        """A message to or from the other process: outlined in the message's colour."""
        self.text = text
        self.setToolTip(plain_tooltip(tooltip))
        self.setCursor(Qt.PointingHandCursor)
        self.setAcceptedMouseButtons(Qt.LeftButton)
        font = QFont()
        font.setPixelSize(11)
        self._font = font
        metrics, room = QFontMetricsF(font), NODE_WIDTH + 48  # the text, cut with "…" to fit
        self.shown = metrics.elidedText(text, Qt.ElideRight, room)
        width = metrics.horizontalAdvance(self.shown) + 14
        self._rect = QRectF(-width / 2, 0, width, STUB_HEIGHT)

    def place(self, index: int) -> None:
        """The ``index``-th stub of its step, one under the other."""
        self.setPos(0, STUB_TOP + index * (STUB_HEIGHT + 3))

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        dark = is_dark(widget)
        painter.setRenderHint(QPainter.Antialiasing)
        pen = QPen(QColor(edge_color("message" if self.message else "addresses", dark)), 1)
        pen.setStyle(Qt.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(QColor("#343a40" if dark else "#f8f9fa")))
        painter.drawRoundedRect(self._rect, 8, 8)
        painter.setFont(self._font)
        painter.setPen(QColor("#dee2e6" if dark else "#495057"))
        flags = Qt.AlignCenter | Qt.TextSingleLine
        painter.drawText(self._rect, flags, self.shown)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        event.accept()  # the click is ours: not a rubber band, not a drag of the step

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._rect.contains(event.pos()):
            scene = self.scene()
            if scene is not None:
                scene.stub_activated(self.edge_id)
        event.accept()
