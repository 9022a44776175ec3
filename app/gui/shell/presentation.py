"""Presentation mode for a room: the process on the whole screen, type readable from the back.

F11 (or Ctrl+Shift+P) enters, Esc or F11 leaves, and everything comes back as it was. On
entry the window covers the whole screen (with a window manager or without one), every
piece of chrome goes (menus, toolbars, docks, the tab bar, the find bar, scroll bars), and
the canvas zooms so a step's label is at least 2.5 % of the screen's height (27 px at 1080p;
connection rates are then about 23 px): the whole process when it fits at that size, else
its left end, from where Right / Left (or Space / Backspace) go one screen along it. Ctrl+=
and Ctrl+- change the type size; Page Down and Page Up go to the next or previous open
process (each fitted the same way).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractScrollArea, QDockWidget, QMainWindow, QToolBar

from app.gui.common.style import LABEL_PIXELS

SHOWN_TOOLBARS = ("mainToolbar", "paletteToolbar")
READABLE_SHARE = 0.025
"""A step's label on screen, as a share of the screen's height (27 px on a 1080p projector)."""


class PresentationMode(QObject):
    """Remembers the window's state on entry and gives it back on exit."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._saved = None
        self._view = None  # (view, transform, centre, scroll bar policies) to give back
        self._keys: list[QShortcut] = []
        for keys, slot in (
            (("PgDown",), lambda: self.step_process(1)),
            (("PgUp",), lambda: self.step_process(-1)),
            (("Right", "Space"), lambda: self.pan(1)),
            (("Left", "Backspace"), lambda: self.pan(-1)),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), window)
                shortcut.setContext(Qt.WindowShortcut)
                shortcut.setEnabled(False)  # only while presenting
                shortcut.activated.connect(slot)
                self._keys.append(shortcut)

    @property
    def active(self) -> bool:
        return self._saved is not None

    def _tabs(self):
        return getattr(self.window, "tabs", None)

    def enter(self) -> None:
        if self.active:
            return
        w = self.window
        self._saved = (w.saveState(), w.isFullScreen(), w.geometry())
        for dock in w.findChildren(QDockWidget):
            dock.hide()
        for bar in w.findChildren(QToolBar):
            bar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        tabs = self._tabs()
        if tabs is not None:
            tabs.tabBar().hide()
        find_bar = getattr(w, "find_bar", None)
        if find_bar is not None:
            find_bar.hide()
        screen = w.screen()
        if screen is not None:  # without a window manager showFullScreen alone moves nothing
            w.setGeometry(screen.geometry())
        w.showFullScreen()
        for shortcut in self._keys:
            shortcut.setEnabled(True)
        view = w.current_view() if hasattr(w, "current_view") else None
        if view is not None:
            self._view = (view, view.transform(), view.mapToScene(view.viewport().rect().center()))
        self._bare(view)
        QTimer.singleShot(0, w, self.fit)  # once the window has its full-screen size

    def _bare(self, view) -> None:
        if view is not None:
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
            view.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)

    def readable_zoom(self) -> float:
        """The zoom at which a step's label is READABLE_SHARE of the screen's height."""
        screen = self.window.screen()
        height = screen.geometry().height() if screen is not None else 1080
        return READABLE_SHARE * height / LABEL_PIXELS

    def fit(self) -> None:
        """The current process as a room reads it: whole if it fits with readable type, else
        its left end at that type size."""
        view = self.window.current_view() if self.active else None
        if view is None:
            return
        view.fit()
        zoom = self.readable_zoom()
        if view.zoom_level() < zoom:
            rect = view.diagram().content_rect()
            view.resetTransform()
            view.scale(zoom, zoom)
            half = view.viewport().width() / zoom / 2
            view.centerOn(rect.left() - 40 + half, rect.center().y())

    def pan(self, direction: int) -> None:
        """One screen along the process (Right / Left, Space / Backspace)."""
        view = self.window.current_view()
        if view is not None:
            bar = view.horizontalScrollBar()
            bar.setValue(bar.value() + direction * int(view.viewport().width() * 0.9))

    def step_process(self, direction: int) -> None:
        """The next or previous open process (Page Down / Page Up), fitted for the room."""
        tabs = self._tabs()
        if tabs is None or tabs.count() < 2:
            return
        tabs.setCurrentIndex((tabs.currentIndex() + direction) % tabs.count())
        self._bare(self.window.current_view())
        self.fit()

    def leave(self) -> None:
        if not self.active:
            return
        w = self.window
        state, was_full, geometry = self._saved
        self._saved = None
        for shortcut in self._keys:
            shortcut.setEnabled(False)
        w.menuBar().show()
        w.statusBar().show()
        tabs = self._tabs()
        if tabs is not None:
            tabs.tabBar().show()
            for index in range(tabs.count()):
                view = tabs.widget(index)
                if isinstance(view, QAbstractScrollArea):
                    view.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
                    view.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        for bar in w.findChildren(QToolBar):
            if bar.objectName() in SHOWN_TOOLBARS:
                bar.show()
        w.restoreState(state)
        if not was_full:
            w.showNormal()
            w.setGeometry(geometry)
        if self._view is not None:
            view, transform, centre = self._view
            self._view = None
            if shiboken6.isValid(view):
                view.setTransform(transform)
                view.centerOn(centre)
