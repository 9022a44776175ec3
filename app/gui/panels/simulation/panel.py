"""The simulation panel: leads, time, capacity and revenue through the map, with charts.

The controls say what to run; the workspace's :class:`~app.gui.workspace.simulation.
SimulationRunner` runs it off the UI thread (progress and Cancel); the result lands in the
workspace's derived state, and this panel draws it: the summary table, the charts, the goal
and plan-vs-actual tables. "Show on diagram" switches the flow on the canvas, which the
scenes draw from the same derived state.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QTabWidget, QWidget

from app.gui.common import dialogs
from app.gui.common.follow import follow
from app.gui.panels.binding import signals_blocked
from app.gui.panels.simulation import results
from app.gui.panels.simulation.charts import Charts
from app.gui.panels.simulation.controls import SimulationControls
from app.gui.workspace.workspace import Workspace
from models.errors import JourneymapError
from models.simulation import text as simtext
from models.simulation.session import Outcome

READY = "Press Run (F5) to simulate the funnel."
STALE = "The map changed since the last run: press Run (F5) again."


class SimulationPanel(QWidget):
    finished = Signal(object)  # the Outcome, or None when refused, failed or cancelled

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("simulationPanel")
        self.workspace = workspace
        self.document, self.derived, self.runner = (
            workspace.document,
            workspace.derived,
            workspace.simulation,
        )
        self.goal_result = None
        self.calibration = None  # the Scenario the last comparison with actuals proposes
        self.controls = controls = SimulationControls()
        # the widgets tests and the window reach for, by their usual names
        self.process, self.scenario, self.periods = (
            controls.process,
            controls.scenario,
            controls.periods,
        )
        self.runs, self.seed, self.revenue = controls.runs, controls.seed, controls.revenue
        self.run_button, self.cancel_button = controls.run_button, controls.cancel_button
        self.overlay, self.status, self.keep_button = (
            controls.overlay,
            controls.status,
            controls.keep_button,
        )
        scroll = QScrollArea()  # the controls scroll rather than force the dock's height
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setMaximumWidth(350)
        scroll.setMinimumWidth(260)
        self.tabs = QTabWidget(objectName="simTabs")
        self.summary = results.table("simSummary")
        self.tabs.addTab(self.summary, "Summary")
        self.charts = Charts(self.tabs)
        self.goal_table = results.table("goalTable")
        self.tabs.addTab(self.goal_table, "Goal")
        self.actuals_table = results.table("actualsTable")
        self.tabs.addTab(self.actuals_table, "Plan vs actual")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(scroll)
        layout.addWidget(self.tabs, 1)

        controls.run_button.clicked.connect(self.run)
        controls.cancel_button.clicked.connect(self.cancel)
        controls.overlay.toggled.connect(self.derived.show_overlay)
        controls.goal_button.clicked.connect(self.goal)
        controls.actuals_button.clicked.connect(self.actuals_dialog)
        controls.keep_button.clicked.connect(self.keep_calibration)
        self.runner.progressed.connect(self._on_progress)
        for combo in (controls.process, controls.scenario):
            combo.currentIndexChanged.connect(self._on_settings_changed)
        for spin in (controls.periods, controls.runs, controls.seed):
            spin.valueChanged.connect(self._on_settings_changed)
        self.runner.failed.connect(self._on_failed)
        self.runner.finished.connect(self._on_finished)
        self._choices = QTimer(self, singleShot=True, interval=400)
        self._choices.timeout.connect(lambda: controls.refresh_choices(self.document.map))
        follow(
            self,
            [
                (self.document.reset, self._on_reset),
                (self.document.changed, lambda: self._choices.start()),  # names may have changed
                (self.derived.outcome_changed, self._on_outcome_changed),
                (self.derived.overlay_changed, self._on_overlay_changed),
                (self.derived.stale_changed, self._on_stale),
            ],
        )
        self._on_reset()

    @property
    def outcome(self) -> Outcome | None:
        return self.derived.outcome

    # --- following the workspace -----------------------------------------------------------------

    def _on_reset(self) -> None:
        self.controls.refresh_choices(self.document.map)
        self.status.setText(READY)

    def _on_outcome_changed(self) -> None:
        outcome = self.derived.outcome
        self.tabs.setEnabled(True)
        if outcome is None:
            results.fill(self.summary, [], [])
            self.charts.clear()
            return
        results.fill(
            self.summary,
            [f"Per {outcome.period} (expected)", "Value"],
            results.summary_rows(outcome),
        )
        self.charts.draw(outcome)
        self.status.setText(results.status_line(outcome))

    def _on_overlay_changed(self) -> None:
        with signals_blocked(self.overlay):
            self.overlay.setChecked(self.derived.overlay_shown)

    def _on_progress(self, done: int, total: int) -> None:
        if done >= total:  # the runs are done; the results are on their way to the screen
            self.controls.progress.setRange(0, 0)
            self.status.setText("Drawing the results…")
        else:
            self.controls.show_progress(done, total)

    def _on_settings_changed(self, *_) -> None:
        """Results computed for other settings are greyed out and say what they are for."""
        outcome = self.derived.outcome
        if outcome is None or self.runner.busy:
            return
        if outcome.request == self.controls.request():
            self.tabs.setEnabled(True)
            self.status.setText(results.status_line(outcome))
            return
        self.tabs.setEnabled(False)
        shown = outcome.overlay.title
        self.status.setText(
            f"The results below are for {shown}, {outcome.request.periods} {outcome.period}s"
            f" and {outcome.request.runs} runs: press Run (F5) for these settings."
        )

    def _on_stale(self, stale: bool) -> None:
        if stale:
            self.status.setText(STALE)

    # --- running ---------------------------------------------------------------------------------

    def request(self):
        return self.controls.request()

    def run(self) -> bool:
        if not self.runner.run(self.controls.request()):
            return False
        self.controls.set_running(True)
        self.status.setText("Simulating…")
        return True

    def cancel(self) -> None:
        if self.runner.busy:
            self.runner.cancel()
            self.status.setText("Cancelling…")

    def _on_failed(self, message: str) -> None:
        self.controls.set_running(False)
        self.controls.progress.setValue(0)
        self.status.setText(message)

    def _on_finished(self, outcome: Outcome | None) -> None:
        if outcome is not None:
            self.controls.set_running(False)
            self.controls.progress.setValue(1)
        self.finished.emit(outcome)

    # --- goal seek -------------------------------------------------------------------------------

    def goal(self) -> bool:
        """Work back from the revenue target: deals, leads per entry and stage, people per team."""
        revenue = self.revenue.value()
        if revenue <= 0:
            self.status.setText(
                "Type a revenue target per period above zero, then press the button again."
            )
            return False
        request = self.controls.request()
        try:
            result = self.runner.goal(revenue, request.process, request.scenario)
        except JourneymapError as error:
            self.status.setText(str(error))
            return False
        self.goal_result = result
        headers = ["What is needed per " + result.period, "Today", "For the target"]
        results.fill(self.goal_table, headers, results.goal_rows(result))
        self.tabs.setCurrentWidget(self.goal_table)
        self.status.setText(
            f"{simtext.money(revenue, result.currency)} per {result.period} needs "
            f"{simtext.number(result.deals_needed, 1)} deals (today "
            f"{simtext.number(result.current_deals, 1)}): see the Goal tab for leads and people."
        )
        return True

    # --- plan against actual ----------------------------------------------------------------------

    def actuals_dialog(self) -> bool:
        path = dialogs.open_file(
            self,
            "Counts from the CRM (CSV: node,count or stage,count)",
            "",
            "CSV files (*.csv);;All files (*)",
        )
        return bool(path) and self.compare_actuals(path)

    def compare_actuals(self, path: str) -> bool:
        """Plan against actual from a CSV of counts, and the calibrated rates as a scenario to keep."""
        try:
            self.calibration, rows = self.runner.calibrate(path, self.process.currentData())
        except JourneymapError as error:
            self.status.setText(str(error))
            return False
        changed = len(self.calibration.conversion) + len(self.calibration.entry_volume)
        self.keep_button.setEnabled(bool(changed))
        headers = ["Step or stage", "Plan", "Actual", "Actual / plan", "Calibrated"]
        results.fill(self.actuals_table, headers, results.actuals_rows(rows))
        self.tabs.setCurrentWidget(self.actuals_table)
        self.status.setText(
            f"Plan against actual from {Path(path).name}: {len(rows)} counts compared, "
            f"{changed} rates and volumes to calibrate."
        )
        return True

    def keep_calibration(self) -> None:
        """Add the calibrated rates to the map as a scenario (one undo step) and pick it."""
        scenario, self.calibration = self.calibration, None
        if scenario is None:
            return
        self.workspace.editor.add_item("scenarios", scenario)
        self.controls.refresh_choices(self.document.map)
        self.scenario.setCurrentIndex(max(self.scenario.findData(scenario.id), 0))
        self.status.setText(
            f"Added the scenario '{scenario.name}' and picked it: press Run (F5) "
            "to compare it with the plan."
        )
        self.keep_button.setEnabled(False)
