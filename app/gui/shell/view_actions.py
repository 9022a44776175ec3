"""View: the buying group, zoom, fit, and presentation mode for the projector."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from app.gui.shell.actions import make_action
from app.gui.shell.presentation import PresentationMode
from app.gui.shell.tabs import ProcessTabs


class ViewActions(QObject):
    def __init__(self, window: QMainWindow, tabs: ProcessTabs) -> None:
        super().__init__(window)
        self.tabs = tabs
        self.presentation = PresentationMode(window)
        act = partial(make_action, window)
        self.zoom_in = act(
            "Zoom &in",
            self._on_view(lambda v: v.zoom(1.25)),
            [QKeySequence(QKeySequence.ZoomIn), QKeySequence("Ctrl+=")],
        )
        self.zoom_out = act("Zoom &out", self._on_view(lambda v: v.zoom(0.8)), QKeySequence.ZoomOut)
        self.fit = act("&Fit to window", self._on_view(lambda v: v.fit()), "Ctrl+0", "actionFit")
        self.group = act("&Buying group", lambda: tabs.open_group(), "Ctrl+G", "actionBuyingGroup")
        self.group.setStatusTip(
            "Every role's process and the funnel as lanes on one page, by stage"
        )
        self.present = act(
            "&Presentation mode",
            self.toggle_presentation,
            [QKeySequence("F11"), QKeySequence("Ctrl+Shift+P")],
            "actionPresentation",
            checkable=True,
        )

    def _on_view(self, fn):
        def run(*_) -> None:
            view = self.tabs.current_view()
            if view is not None:
                fn(view)

        return run

    def toggle_presentation(self, *_) -> None:
        """Full screen, large type, chrome hidden, for projectors; Esc or F11 leaves."""
        if self.presentation.active:
            self.presentation.leave()
        else:
            self.presentation.enter()
        self.present.setChecked(self.presentation.active)
