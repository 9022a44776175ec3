"""The errors a simulation reports instead of a traceback."""

from __future__ import annotations

from models.errors import JourneymapError
from models.findings import Finding


class SimulationError(JourneymapError):
    """A map, process, scenario or parameter the simulator refuses, in one to three sentences.

    ``findings`` holds the analysis findings that block the run (empty when the
    refusal is about a parameter, an unknown process or scenario).
    """

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings: list[Finding] = list(findings or [])


class SimulationCancelled(SimulationError):
    """Raised by :func:`~models.simulation.monte_carlo` when it is cancelled before the first run ends."""
