"""Running simulations for the editor: one job at a time, off the UI thread, cancellable.

The computation is :func:`models.simulation.session.run_simulation`, on a snapshot of the
map; a finished run is written into the derived state, which the panel and the canvas follow.
Goal seek and the comparison with actuals are quick and run here directly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.gui.common import worker
from models import simulation as sim
from models.derived import DerivedState
from models.document import Scenario
from models.editing import MapDocument
from models.errors import JourneymapError
from models.signals import connect
from models.simulation.session import Outcome, Request, SimulationCancelled, run_simulation


class SimulationRunner(QObject):
    """Starts, follows and cancels the one simulation job of a workspace."""

    started = Signal()
    progressed = Signal(int, int)  # runs done, runs in all
    finished = Signal(object)  # the Outcome, or None when refused, failed or cancelled
    failed = Signal(str)  # why, in a sentence

    def __init__(self, document: MapDocument, derived: DerivedState, parent: QObject | None = None):
        super().__init__(parent)
        self.document, self.derived = document, derived
        self.job: worker.Job | None = None
        connect(document.reset, self._on_reset)

    def close(self) -> None:
        self.cancel()
        self.document.reset.disconnect(self._on_reset)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def _on_reset(self) -> None:
        self.cancel()

    def run(self, request: Request) -> bool:
        """Start a simulation; False when one is already running."""
        if self.job is not None:
            return False
        doc = self.document.snapshot()  # the worker never sees later edits
        self.job = worker.start(
            lambda progress, cancelled: run_simulation(doc, request, progress, cancelled),
            self._on_done,
            self._on_error,
            self.progressed.emit,
        )
        self.started.emit()
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _on_error(self, error: BaseException) -> None:
        self.job = None
        if isinstance(error, SimulationCancelled):
            message = "Cancelled."
        elif isinstance(error, JourneymapError):
            message = str(error)
        else:  # a bug must not kill the app; say so plainly
            message = f"The simulation failed unexpectedly ({type(error).__name__}: {error})."
        self.failed.emit(message)
        self.finished.emit(None)

    def _on_done(self, outcome: Outcome) -> None:
        self.job = None
        self.derived.set_outcome(outcome)
        self.finished.emit(outcome)

    # --- quick answers, on the UI thread -------------------------------------------------------

    def goal(self, revenue: float, process: str | None, scenario: str | None) -> sim.GoalResult:
        """Work back from a revenue target (raises JourneymapError with a plain sentence)."""
        return sim.goal_seek(self.document.map, revenue, process, scenario)

    def calibrate(self, path: str, process: str | None) -> tuple[Scenario, list]:
        """Plan against actual from a CSV of counts: the calibrated rates as a scenario, and the rows."""
        doc = self.document.map
        actuals = sim.read_actuals(path)
        calibrated, rows = sim.calibrate(doc, actuals, process)
        name = f"Calibrated from {Path(path).name}"
        scenario_id = self.document.new_id("scenarios", "calibrated")
        return sim.calibration_scenario(doc, calibrated, scenario_id, name), rows
