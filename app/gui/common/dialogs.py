"""The app's questions to the user, in one place (tests patch ``ask``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: list[str],
    default: str | None = None,
    icon: QMessageBox.Icon = QMessageBox.Question,
) -> str:
    """Show a plain-text question with named buttons; return the chosen name ("" if closed).

    The last choice is the cancel/escape answer.
    """
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.PlainText)  # file names and labels never render as HTML
    buttons = {}
    for index, choice in enumerate(choices):
        role = QMessageBox.RejectRole if index == len(choices) - 1 else QMessageBox.AcceptRole
        buttons[box.addButton(choice, role)] = choice
        if choice == default:
            box.setDefaultButton(list(buttons)[-1])
    box.setEscapeButton(list(buttons)[-1])
    box.exec()
    return buttons.get(box.clickedButton(), "")


def error(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Critical, title, text, parent=parent)
    box.setTextFormat(Qt.PlainText)
    box.exec()


def save_file(parent: QWidget | None, title: str, suggested: str, file_filter: str) -> str:
    """Ask where to save; "" when cancelled (tests patch this)."""
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return path


def open_file(parent: QWidget | None, title: str, start: str, file_filter: str) -> str:
    """Ask which file to open; "" when cancelled (tests patch this)."""
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, title, start, file_filter)
    return path


def info(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Information, title, text, parent=parent)
    box.setTextFormat(Qt.PlainText)
    box.exec()


def choose(parent: QWidget | None, title: str, text: str, choices: list[tuple[str, str]]) -> str:
    """Pick one of ``choices`` ((key, what the user reads)) from a list; the key, or "" when
    cancelled (tests patch this)."""
    from PySide6.QtWidgets import QInputDialog

    shown = [label for _, label in choices]
    picked, ok = QInputDialog.getItem(parent, title, text, shown, 0, False)
    return next((key for key, label in choices if ok and label == picked), "")


def print_preview(parent: QWidget | None, paint) -> bool:
    """Qt's print preview; ``paint(printer)`` draws the pages (tests patch this)."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    printer = QPrinter(QPrinter.HighResolution)
    preview = QPrintPreviewDialog(printer, parent)
    preview.setWindowTitle("Print")
    preview.paintRequested.connect(paint)
    return preview.exec() == QPrintPreviewDialog.Accepted


def page_setup(parent: QWidget | None, papers: list[str]) -> tuple[str, bool, bool] | None:
    """Paper, landscape or not, tiled or fitted; None when cancelled (tests patch this)."""
    from PySide6.QtWidgets import (
        QComboBox,
        QDialog,
        QDialogButtonBox,
        QFormLayout,
        QRadioButton,
        QVBoxLayout,
    )

    dialog = QDialog(parent)
    dialog.setWindowTitle("PDF for printing")
    paper, orientation = QComboBox(), QComboBox()
    paper.addItems(papers)
    orientation.addItems(["Landscape", "Portrait"])
    fit = QRadioButton("Each process fitted to one page")
    tile = QRadioButton("Tiled across pages at a readable size, with marks to join them")
    fit.setChecked(True)
    form = QFormLayout()
    form.addRow("Paper", paper)
    form.addRow("Orientation", orientation)
    form.addRow(fit)
    form.addRow(tile)
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.Accepted:
        return None
    return paper.currentText(), orientation.currentText() == "Landscape", tile.isChecked()
