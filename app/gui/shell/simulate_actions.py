"""Simulate: run (F5), the flow on the diagram (Ctrl+Shift+F), work back from a revenue target."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDockWidget, QMainWindow

from app.gui.common.follow import follow
from app.gui.panels.binding import signals_blocked
from app.gui.panels.simulation import SimulationPanel
from app.gui.shell.actions import make_action
from app.gui.workspace.workspace import Workspace


class SimulateActions(QObject):
    def __init__(
        self, window: QMainWindow, workspace: Workspace, panel: SimulationPanel, dock: QDockWidget
    ) -> None:
        super().__init__(window)
        self.derived, self.panel, self.dock = workspace.derived, panel, dock
        act = partial(make_action, window)
        self.run = act("&Run simulation", self.run_simulation, "F5", "actionSimulate")
        self.overlay = act(
            "Show &flow on the diagram",
            self._on_overlay_triggered,
            "Ctrl+Shift+F",
            "actionOverlay",
            checkable=True,
        )
        self.goal = act("Work back from a revenue &target…", self.goal_seek, None, "actionGoal")
        self.run.setIconText("Simulate")
        self.overlay.setIconText("Show flow")
        follow(self, [(self.derived.overlay_changed, self._on_overlay_changed)])

    def _show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def run_simulation(self, *_) -> None:
        self._show_panel()
        self.panel.run()

    def goal_seek(self, *_) -> None:
        self._show_panel()
        self.panel.revenue.setFocus()
        self.panel.revenue.selectAll()

    def _on_overlay_triggered(self, checked: bool) -> None:
        self.derived.show_overlay(checked)

    def _on_overlay_changed(self) -> None:
        with signals_blocked(self.overlay):
            self.overlay.setChecked(self.derived.overlay_shown)
