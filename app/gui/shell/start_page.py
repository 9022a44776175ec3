"""What the window shows where the diagrams go when no process is open: how to start.

A newcomer who starts Journeymap without a file sees the templates (each with what it
shows), Open, the recent files and a button for a first empty process, instead of a blank
grey area.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.templates import DESCRIPTIONS, template_names


class StartPage(QWidget):
    template_chosen = Signal(str)
    open_requested = Signal()
    recent_chosen = Signal(str)
    new_process_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        inner = QWidget(self)
        inner.setMinimumWidth(420)
        inner.setMaximumWidth(760)  # a readable column in the middle, however wide the window
        outer = QVBoxLayout(self)
        outer.addWidget(inner, 0, Qt.AlignCenter)
        column = QVBoxLayout(inner)
        title = QLabel("Map how your buyers buy")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        column.addWidget(title)
        column.addWidget(_plain("Start from a template, open a map, or draw a first process."))
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for row, name in enumerate(template_names()):
            button = QPushButton(name)
            button.setObjectName(f"startTemplate_{name}")
            button.clicked.connect(lambda _=False, chosen=name: self.template_chosen.emit(chosen))
            grid.addWidget(button, row, 0)
            grid.addWidget(_plain(DESCRIPTIONS.get(name, "")), row, 1)
        column.addLayout(grid)
        first = QPushButton("Draw a first process")
        first.setObjectName("startNewProcess")
        first.clicked.connect(self.new_process_requested)
        opening = QPushButton("Open a map…")
        opening.setObjectName("startOpen")
        opening.clicked.connect(self.open_requested)
        column.addWidget(first)
        column.addWidget(opening)
        self.recent_box = QVBoxLayout()
        column.addLayout(self.recent_box)

    def show_recent(self, paths: list[str]) -> None:
        """The recent files, each a button (the list comes from FileController.recent())."""
        while self.recent_box.count():
            widget = self.recent_box.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        if paths:
            self.recent_box.addWidget(_plain("Recent maps:"))
        for path in paths[:5]:
            button = QPushButton(Path(path).name)
            button.setToolTip(path)
            button.setFlat(True)
            button.clicked.connect(lambda _=False, chosen=path: self.recent_chosen.emit(chosen))
            self.recent_box.addWidget(button)


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.PlainText)
    label.setWordWrap(True)
    return label
