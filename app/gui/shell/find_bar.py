"""Edit ▸ Find step (Ctrl+F): type part of a label, Enter jumps to the next step that has it.

A bar over the canvas, as in a browser: the search runs over every process of the map (a
match in another process opens its tab), in map order, without case; the label shows "2 of
5". Enter or F3 goes to the next match, Shift+Enter or Shift+F3 to the previous one, Esc
closes the bar and gives the keyboard back to the canvas.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from models.editing import MapDocument


def matches(document: MapDocument, text: str) -> list:
    """The steps whose label (or id) contains ``text``, ignoring case, in map order."""
    needle = text.strip().casefold()
    if not needle:
        return []
    return [
        n for n in document.map.nodes if needle in n.label.casefold() or needle in n.id.casefold()
    ]


class FindBar(QWidget):
    found = Signal(str, str)  # process id, node id: show it
    closed = Signal()

    def __init__(self, document: MapDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.document = document
        self.field = QLineEdit(self)
        self.field.setObjectName("findField")
        self.field.setPlaceholderText("Find a step by its label")
        self.field.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("findCount")
        self.count.setTextFormat(Qt.PlainText)
        previous, following, close = QToolButton(self), QToolButton(self), QToolButton(self)
        previous.setText("↑")
        previous.setToolTip("Previous match (Shift+Enter)")
        following.setText("↓")
        following.setToolTip("Next match (Enter)")
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self._current = -1  # index in the last list of matches
        self.field.textChanged.connect(self._on_text)
        self.field.returnPressed.connect(self.next)
        previous.clicked.connect(self.previous)
        following.clicked.connect(self.next)
        close.clicked.connect(self.close_bar)
        for keys, slot in (
            (QKeySequence.FindNext, self.next),
            (QKeySequence.FindPrevious, self.previous),
            (QKeySequence("Shift+Return"), self.previous),
            (QKeySequence("Shift+Enter"), self.previous),
            (QKeySequence(Qt.Key_Escape), self.close_bar),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        document.reset.connect(self._refresh)
        document.changed.connect(self._refresh)
        self.hide()

    def open(self) -> None:
        """Show the bar with its text selected, ready to type over."""
        self.show()
        self.field.setFocus(Qt.ShortcutFocusReason)
        self.field.selectAll()
        self._refresh()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def next(self) -> None:
        self._step(1)

    def previous(self) -> None:
        self._step(-1)

    def _on_text(self, _text: str) -> None:
        self._current = -1
        self._step(1)  # as you type, the first match is shown

    def _step(self, direction: int) -> None:
        found = matches(self.document, self.field.text())
        if not found:
            self._current = -1
            self._show_count(found)
            return
        self._current = (
            (self._current + direction) % len(found)
            if self._current >= 0
            else (0 if direction > 0 else len(found) - 1)
        )
        node = found[self._current]
        self._show_count(found)
        self.found.emit(node.process, node.id)
        self.field.setFocus(
            Qt.OtherFocusReason
        )  # showing it opened a tab, which took the focus: keep typing here

    def _refresh(self, *_) -> None:
        if self.isVisible():
            found = matches(self.document, self.field.text())
            self._current = min(self._current, len(found) - 1)
            self._show_count(found)

    def _show_count(self, found: list) -> None:
        text = self.field.text().strip()
        if not text:
            self.count.setText("")
        elif not found:
            self.count.setText("no step has that")
        else:
            self.count.setText(f"{max(self._current, 0) + 1} of {len(found)}")
