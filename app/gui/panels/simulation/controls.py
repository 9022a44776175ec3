"""The simulation panel's form: what to run (process, scenario, periods, runs, seed) and its buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.gui.panels.binding import signals_blocked
from models.document import JourneyMap
from models.simulation.session import Request

BASELINE = "Baseline"


class SimulationControls(QWidget):
    """The form and the buttons; the panel wires them to the workspace's simulation runner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.process = QComboBox(objectName="simProcess")
        self.scenario = QComboBox(objectName="simScenario")
        for combo in (self.process, self.scenario):
            combo.view().setMinimumWidth(320)  # the open list shows whole names; the tooltip too
            combo.currentTextChanged.connect(combo.setToolTip)
        self.periods = QSpinBox(objectName="simPeriods", minimum=1, maximum=60, value=6)
        self.runs = QSpinBox(
            objectName="simRuns", minimum=0, maximum=5000, value=200, singleStep=100
        )
        self.runs.setToolTip("Monte Carlo runs (0: expected values only)")
        self.seed = QSpinBox(objectName="simSeed", minimum=0, maximum=2**31 - 1, value=1)
        self.run_button = QPushButton("Run", objectName="simRun")
        self.run_button.setToolTip("Run the simulation (F5)")
        self.cancel_button = QPushButton("Cancel", objectName="simCancel", enabled=False)
        self.progress = QProgressBar(objectName="simProgress", textVisible=True)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.overlay = QCheckBox("Show on diagram", objectName="simOverlay")
        self.overlay.setToolTip(
            "Edge width follows the expected flow; steps show arrivals and drop-off"
        )
        self.revenue = QDoubleSpinBox(
            objectName="goalRevenue", maximum=1e12, decimals=0, singleStep=100000
        )
        self.revenue.setGroupSeparatorShown(True)
        self.goal_button = QPushButton("Work back from revenue", objectName="goalRun")
        self.actuals_button = QPushButton("Compare with actuals (CSV)…", objectName="actualsRun")
        self.actuals_button.setToolTip(
            "A CRM report of counts per step or per stage: node,count or stage,count"
        )
        self.keep_button = QPushButton(
            "Keep calibrated rates as a scenario", objectName="actualsKeep", enabled=False
        )
        self.status = QLabel(objectName="simStatus", wordWrap=True)
        self.status.setTextFormat(Qt.PlainText)

        form = QFormLayout()
        form.addRow("Process", self.process)
        form.addRow("Scenario", self.scenario)
        form.addRow("Periods", self.periods)
        form.addRow("Runs", self.runs)
        form.addRow("Seed", self.seed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        form.addRow(buttons)
        form.addRow(self.progress)
        form.addRow(self.overlay)
        form.addRow("Revenue target", self.revenue)
        form.addRow(self.goal_button)
        form.addRow(self.actuals_button)
        form.addRow(self.keep_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def request(self) -> Request:
        return Request(
            self.process.currentData(),
            self.scenario.currentData(),
            self.periods.value(),
            self.runs.value(),
            self.seed.value(),
        )

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setRange(0, 0)  # busy until the Monte Carlo reports its runs
        else:
            self.progress.setRange(0, 1)

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def refresh_choices(self, doc: JourneyMap) -> None:
        """The map's processes and scenarios, keeping what was picked when it still exists."""
        current_process, current_scenario = self.process.currentData(), self.scenario.currentData()
        with signals_blocked(self.process), signals_blocked(self.scenario):
            self.process.clear()
            self.process.addItem("Automatic (the funnel)", None)
            for process in doc.processes:
                self.process.addItem(process.name, process.id)
            self.scenario.clear()
            self.scenario.addItem(BASELINE, None)
            for scenario in doc.scenarios:
                self.scenario.addItem(scenario.name, scenario.id)
            self.process.setCurrentIndex(max(self.process.findData(current_process), 0))
            self.scenario.setCurrentIndex(max(self.scenario.findData(current_scenario), 0))
            for combo in (self.process, self.scenario):  # a name cut short reads in full here
                for index in range(combo.count()):
                    combo.setItemData(index, combo.itemText(index), Qt.ToolTipRole)
                combo.setToolTip(combo.currentText())
