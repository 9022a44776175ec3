"""Properties of the selection (placeholder until the panel lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.editor.commands import DocumentEditor
from app.editor.selection import Selection


class PropertiesPanel(QWidget):
    def __init__(self, editor: DocumentEditor, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("propertiesPanel")
        self.editor, self.selection = editor, selection
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Select a step to edit it."))
