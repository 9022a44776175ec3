"""Simulate leads, time, capacity and revenue through a map.

* :func:`expected_flow`: the exact expected flow per period (an absorbing
  Markov chain solved with one sparse LU), with stages, team loads, cost,
  days to close and the bottleneck.
* :func:`monte_carlo`: day-by-day runs with random arrivals, delays, team
  capacity, queues and the SLA response window; percentiles over runs.
* :func:`models.simulation.compare.compare`, :func:`models.simulation.sensitivity.sensitivity`,
  :func:`goal_seek`: scenarios side by side, the single changes that move revenue most, and
  the reverse funnel. (Those two are imported from their modules: a function named as its
  module cannot be handed out by this package, see ``_WHERE``.)
* :func:`read_actuals`, :func:`calibrate`: CRM counts in, conversions out.
* Committee gates (:mod:`models.simulation.gates`): a funnel step a lead passes only when
  every buyer role its gate names has cleared a step of its own process; reported as
  :class:`GateFlow` (exact) and in ``MonteCarloResult.gates``.

Nothing here imports Qt; the editor's panel, the HTML report and the
``journeymap simulate`` / ``journeymap goal`` commands all call these.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers; at run time each name is imported when first used
    from .actuals import Actuals, PlanVsActual, calibrate, calibration_scenario, read_actuals
    from .compare import Comparison
    from .errors import SimulationCancelled, SimulationError
    from .expected import expected_flow
    from .flow_result import FlowResult
    from .gate_results import Clearing, GateFlow, RoleClearance, RoleGate
    from .goal import GoalResult, goal_seek
    from .mc_results import MonteCarloResult
    from .montecarlo import monte_carlo
    from .prepare import apply_scenario, check_runnable, default_process
    from .results import Bottleneck, NodeFlow, StageCount, TeamLoad
    from .sensitivity import Lever

_WHERE = {
    "Actuals": "actuals",
    "PlanVsActual": "actuals",
    "calibrate": "actuals",
    "calibration_scenario": "actuals",
    "read_actuals": "actuals",
    "Comparison": "compare",
    "SimulationCancelled": "errors",
    "SimulationError": "errors",
    "expected_flow": "expected",
    "FlowResult": "flow_result",
    "Clearing": "gate_results",
    "GateFlow": "gate_results",
    "RoleClearance": "gate_results",
    "RoleGate": "gate_results",
    "GoalResult": "goal",
    "goal_seek": "goal",
    "MonteCarloResult": "mc_results",
    "monte_carlo": "montecarlo",
    "apply_scenario": "prepare",
    "check_runnable": "prepare",
    "default_process": "prepare",
    "Bottleneck": "results",
    "NodeFlow": "results",
    "StageCount": "results",
    "TeamLoad": "results",
    "Lever": "sensitivity",
}
"""Where each public name lives. The package imports them lazily (PEP 562): the editor
shows a window before scipy and networkx load, and a module such as ``text`` or ``overlay``
can be used without loading the solver. No name here may be a module's: once anything imports
``models.simulation.compare``, the package's ``compare`` is that module and ``__getattr__`` is
never asked (the HTML report exported from the editor after a scenario comparison failed with
"'module' object is not callable"); a test checks."""


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Actuals",
    "Bottleneck",
    "Clearing",
    "Comparison",
    "FlowResult",
    "GateFlow",
    "GoalResult",
    "Lever",
    "MonteCarloResult",
    "NodeFlow",
    "PlanVsActual",
    "RoleClearance",
    "RoleGate",
    "SimulationCancelled",
    "SimulationError",
    "StageCount",
    "TeamLoad",
    "apply_scenario",
    "calibrate",
    "calibration_scenario",
    "check_runnable",
    "default_process",
    "expected_flow",
    "goal_seek",
    "monte_carlo",
    "read_actuals",
]
