"""Presentation mode for projectors: full screen, large type, chrome hidden; Esc or F11 leaves."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar

SCALE = 1.6  # type size in presentation mode, relative to the window's normal font
SHOWN_TOOLBARS = ("mainToolbar", "paletteToolbar")


class PresentationMode:
    """Remembers the window's state on entry and gives it back on exit."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self._saved = None
        self._view = None  # (view, zoom, centre) to give back on leaving

    @property
    def active(self) -> bool:
        return self._saved is not None

    def enter(self) -> None:
        if self.active:
            return
        w = self.window
        self._saved = (w.saveState(), w.isFullScreen(), w.font())
        for dock in w.findChildren(QDockWidget):
            dock.hide()
        for bar in w.findChildren(QToolBar):
            bar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        font = w.font()
        font.setPointSizeF(font.pointSizeF() * SCALE)
        w.setFont(font)
        w.showFullScreen()
        view = w.current_view() if hasattr(w, "current_view") else None
        if view is not None:  # the process fills the projector: large type on the canvas too
            self._view = (view, view.transform(), view.mapToScene(view.viewport().rect().center()))
            QTimer.singleShot(0, view, view.fit)

    def leave(self) -> None:
        if not self.active:
            return
        w = self.window
        state, was_full, font = self._saved
        self._saved = None
        w.setFont(font)
        w.menuBar().show()
        w.statusBar().show()
        for bar in w.findChildren(QToolBar):
            if bar.objectName() in SHOWN_TOOLBARS:
                bar.show()
        w.restoreState(state)
        if not was_full:
            w.showNormal()
        if self._view is not None:
            view, transform, centre = self._view
            self._view = None
            if shiboken6.isValid(view):
                view.setTransform(transform)
                view.centerOn(centre)
