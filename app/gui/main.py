"""Start the desktop application."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from app import __version__

_NONE_PADDED = False


def keep_none_alive() -> None:
    """Work around a PySide6 6.12 reference leak on None (Python < 3.12 only).

    PySide6 6.12 drops one reference to None for every QGraphicsScene.removeItem
    and for every move of a Python-subclassed item (measured: 300 removals lose
    300 references). On Python 3.12+ None is immortal and nothing happens; on
    3.11 the count reaches zero after a few thousand edits and the interpreter
    aborts ("none_dealloc"). Padding the count once makes None effectively
    immortal, as 3.12 does.
    """
    global _NONE_PADDED
    if _NONE_PADDED or sys.version_info >= (3, 12):
        return
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    _NONE_PADDED = True


def make_app() -> QApplication:
    keep_none_alive()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("Journeymap")
    QCoreApplication.setApplicationName("Journeymap")
    QCoreApplication.setApplicationVersion(__version__)
    app.setStyle("Fusion")  # follows the platform's light or dark palette, same look everywhere
    return app


def run_app(path: str | None = None) -> int:
    """Open the main window on FILE (or an empty map) and run until it closes."""
    app = make_app()
    from app.gui.shell.window import MainWindow

    window = MainWindow()
    window.show()
    from app.gui.shell.bugs import install_bug_handler

    install_bug_handler(window.files)  # a bug says so in a dialog and keeps the user's work
    restored = window.files.offer_recovery()
    if path and not restored:
        if not Path(path).exists():
            from app.gui.common import dialogs

            dialogs.error(window, "Cannot open the map", f"{path}: no such file.")
        else:
            window.files.open_path(path)
    return app.exec()
