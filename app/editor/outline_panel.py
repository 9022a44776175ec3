"""Outline of the map (placeholder until the panel lands)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTreeWidget, QVBoxLayout, QWidget

from app.editor.commands import DocumentEditor
from app.editor.selection import Selection


class OutlinePanel(QWidget):
    process_activated = Signal(str)

    def __init__(self, editor: DocumentEditor, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outlinePanel")
        self.editor, self.selection = editor, selection
        layout = QVBoxLayout(self)
        layout.addWidget(QTreeWidget())
