"""Inline label editing on the canvas: plain text only; Enter commits, Esc cancels."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QGraphicsTextItem

from app.gui.common.style import NODE_WIDTH


class LabelEditor(QGraphicsTextItem):
    committed = Signal(str, str)  # node id, text
    cancelled = Signal()

    def __init__(self, node_id: str, text: str, node_item) -> None:
        super().__init__()
        self.node_id = node_id
        self.setPlainText(text)  # never HTML: "<img src=x>" stays literal
        self.setTextInteractionFlags(Qt.TextEditorInteraction)
        self.setTextWidth(NODE_WIDTH - 16)
        self.setDefaultTextColor(Qt.black)
        self.setZValue(10)
        self.setPos(node_item.pos().x() - (NODE_WIDTH - 16) / 2, node_item.pos().y() - 14)
        self._done = False

    def begin(self) -> None:
        self.setFocus(Qt.OtherFocusReason)
        cursor = self.textCursor()
        cursor.select(QTextCursor.Document)
        self.setTextCursor(cursor)

    def paint(self, painter, option, widget=None) -> None:
        painter.fillRect(self.boundingRect(), Qt.white)
        painter.setPen(Qt.darkBlue)
        painter.drawRect(self.boundingRect().adjusted(0, 0, -1, -1))
        super().paint(painter, option, widget)

    def commit(self) -> None:
        if not self._done:
            self._done = True
            self.committed.emit(self.node_id, " ".join(self.toPlainText().split()))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if (
            event.key() in (Qt.Key_Return, Qt.Key_Enter)
            and not event.modifiers() & Qt.ShiftModifier
        ):
            self.commit()
            event.accept()
            return
        if event.key() == Qt.Key_Escape:
            self._done = True
            self.cancelled.emit()
            event.accept()
            return
        if event.key() == Qt.Key_Tab:
            self.commit()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        if event.reason() != Qt.PopupFocusReason:
            self.commit()
