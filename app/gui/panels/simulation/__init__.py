"""The simulation panel: the form, the tables and the charts of a run."""

from app.gui.panels.simulation.panel import SimulationPanel

__all__ = ["SimulationPanel"]
