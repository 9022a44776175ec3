"""Scenarios side by side: the baseline first, every other column with its change from it.

>>> from models.templates import load_template
>>> table = compare(load_template("plugged-funnel"))
>>> [c.name for c in table.columns]
['Baseline', 'Fix: qualification, cadence, nurture']
>>> round(table.columns[1].deltas["won"], 2)
4.06
"""

from __future__ import annotations

from dataclasses import dataclass

from models.document import JourneyMap, Scenario

from .expected import expected_flow
from .flow_result import FlowResult
from .prepare import resolve_process, resolve_scenario
from .results import num

METRICS = ("leads", "won", "lost", "revenue", "cost", "cost_per_won", "conversion", "days_to_close")


@dataclass(frozen=True)
class ScenarioColumn:
    name: str
    scenario: str | None  # the scenario id; None for the baseline
    result: FlowResult
    deltas: dict[str, float | None]  # metric -> value minus the first column's
    changes: dict[
        str, float | None
    ]  # metric -> relative change from the first column (0.1 = +10 %)

    def to_dict(self) -> dict:
        r = self.result.to_dict()
        return {
            "name": self.name,
            "scenario": self.scenario,
            **{m: r[m] for m in METRICS},
            "bottleneck": r["bottleneck"],
            "stages": r["stages"],
            "teams": r["teams"],
            "delta": {m: num(v) for m, v in self.deltas.items()},
            "change": {m: num(v) for m, v in self.changes.items()},
        }


@dataclass(frozen=True)
class Comparison:
    process: str
    process_name: str
    period: str
    currency: str
    columns: list[ScenarioColumn]

    @property
    def baseline(self) -> ScenarioColumn:
        return self.columns[0]

    def to_dict(self) -> dict:
        return {
            "process": self.process,
            "period": self.period,
            "currency": self.currency,
            "metrics": list(METRICS),
            "columns": [c.to_dict() for c in self.columns],
        }


def compare(
    doc: JourneyMap,
    process_id: str | None = None,
    scenarios: list[str | Scenario | None] | None = None,
) -> Comparison:
    """Expected flows of ``scenarios`` (None: the baseline) with deltas against the first one.

    ``scenarios`` defaults to the baseline followed by every scenario of the map.
    """
    process_id = resolve_process(doc, process_id)
    chosen: list[str | Scenario | None] = (
        [None, *doc.scenarios] if scenarios is None else list(scenarios)
    ) or [None]
    columns: list[ScenarioColumn] = []
    for scenario in chosen:
        result = expected_flow(doc, process_id, scenario)
        name = result.scenario or "Baseline"
        picked = resolve_scenario(doc, scenario)
        sid = picked.id if picked is not None else None
        first = columns[0].result if columns else result
        deltas, changes = {}, {}
        for metric in METRICS:
            value, base = getattr(result, metric), getattr(first, metric)
            deltas[metric] = None if value is None or base is None else value - base
            changes[metric] = None if value is None or not base else value / base - 1.0
        columns.append(ScenarioColumn(name, sid, result, deltas, changes))
    head = columns[0].result
    return Comparison(process_id, head.process_name, head.period, head.currency, columns)
