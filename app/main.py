"""Start the desktop application."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from app import __version__


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("Journeymap")
    QCoreApplication.setApplicationName("Journeymap")
    QCoreApplication.setApplicationVersion(__version__)
    app.setStyle("Fusion")  # follows the platform's light or dark palette, same look everywhere
    return app


def run_app(path: str | None = None) -> int:
    """Open the main window on FILE (or an empty map) and run until it closes."""
    app = make_app()
    from app.main_window import MainWindow

    window = MainWindow()
    window.show()
    restored = window.files.offer_recovery()
    if path and not restored:
        if not Path(path).exists():
            from app.editor import dialogs

            dialogs.error(window, "Cannot open the map", f"{path}: no such file.")
        else:
            window.files.open_path(path)
    return app.exec()
