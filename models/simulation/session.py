"""One press of the editor's Run, headless: the request, the computation and its typed outcome.

The simulation panel runs :func:`run_simulation` in a worker thread and only draws the
:class:`Outcome`; tests and scripts can call it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import SimulationCancelled
from .overlay import FlowOverlay, flow_overlay

if TYPE_CHECKING:  # the solver loads when a run starts, not when the editor opens
    from models.document import JourneyMap

    from .compare import Comparison
    from .flow_result import FlowResult
    from .mc_results import MonteCarloResult
    from .sensitivity import Lever

__all__ = ["Outcome", "Request", "SimulationCancelled", "flow_overlay", "run_simulation"]


@dataclass
class Request:
    """What to run: a process (None: the map's funnel), a scenario (None: the baseline), and Monte
    Carlo settings (``runs`` = 0 skips it)."""

    process: str | None
    scenario: str | None
    periods: int
    runs: int
    seed: int


@dataclass
class Outcome:
    """What one press of Run produced: the typed results the command line prints too."""

    request: Request
    expected: FlowResult
    comparison: Comparison
    """The baseline and every scenario, each solved once, baseline first."""
    overlay: FlowOverlay
    levers: list[Lever] = field(default_factory=list)
    monte_carlo: MonteCarloResult | None = None

    @property
    def currency(self) -> str:
        return self.expected.currency

    @property
    def period(self) -> str:
        return self.expected.period


def run_simulation(
    doc: JourneyMap,
    request: Request,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Outcome:
    """The whole computation behind the editor's Run: every scenario solved once, the levers,
    the flow overlay and, when ``request.runs`` > 0, the Monte Carlo runs.

    Raises :class:`SimulationCancelled` as soon as ``cancelled()`` says so, and the
    simulation's own errors when the map cannot be simulated.
    """
    from .compare import compare
    from .montecarlo import monte_carlo
    from .prepare import apply_scenario, default_process
    from .sensitivity import sensitivity

    process = request.process or default_process(doc)
    comparison = compare(doc, process)  # the baseline and every scenario, each solved once
    expected = next(c.result for c in comparison.columns if c.scenario == request.scenario)
    if cancelled():
        raise SimulationCancelled("The simulation was cancelled.")
    levers = sensitivity(doc, process, request.scenario)
    applied = apply_scenario(doc, request.scenario)
    baseline = {e.id: e.conversion for e in doc.edges}
    changed = {e.id: e.conversion for e in applied.edges if e.conversion != baseline.get(e.id)}
    outcome = Outcome(request, expected, comparison, flow_overlay(doc, expected, changed), levers)
    if request.runs > 0:
        result = monte_carlo(
            doc,
            process,
            request.scenario,
            periods=request.periods,
            runs=request.runs,
            seed=request.seed,
            progress=progress,
            cancel=cancelled,
        )
        if cancelled() or result.cancelled:
            raise SimulationCancelled("The simulation was cancelled.")
        outcome.monte_carlo = result
    return outcome
