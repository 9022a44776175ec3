"""Calibration from actuals: counts from a CRM report in, conversion rates out, plan against actual.

The CSV has a header ``node,count`` (counts of leads reaching each step) or
``stage,count`` (leads reaching each lifecycle stage), and optionally a
``period`` column; other columns are ignored. With several periods, each
count is the average per period (a key missing from a period counts 0 there).

* **By node**: an observed entry's volume becomes its count; an edge between
  two observed nodes gets ``count(target) / count(source)``, the target's
  count being shared over its incoming edges in proportion to the planned
  flow on each (equally when the plan sends nothing). If a node would pass on
  more than all its leads, its calibrated rates are scaled down to fit.
* **By stage**: each observed stage's rate from the previous observed stage
  is matched by scaling the conversions of the edges entering the stage (the
  first observed stage by scaling the entry volumes), repeated until the
  stage counts match: an approximation when loops or shared steps couple
  stages, exact on a plain funnel.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.document import JourneyMap, Scenario
from models.errors import MapFileError
from models.storage import IMPORT_LIMIT, read_input

from . import linear
from .expected import prepare
from .flow import flow_of, stage_counts
from .network import GATE, Network
from .prepare import apply_scenario
from .results import num

STAGE_PASSES = 60


@dataclass(frozen=True)
class Actuals:
    path: str
    by: str  # "node" or "stage"
    counts: dict[str, float]  # key -> count per period
    periods: tuple[str, ...]  # the distinct periods of the file ("" when it has no period column)
    lines: dict[str, int]  # key -> first line it appears on (for messages)


@dataclass(frozen=True)
class PlanVsActual:
    key: str
    kind: str  # "node" or "stage"
    label: str
    plan: float  # per period, from the map before calibration
    actual: float
    calibrated: float  # per period, from the calibrated map

    @property
    def ratio(self) -> float | None:
        return self.actual / self.plan if self.plan else None

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "kind": self.kind,
            "label": self.label,
            "plan": num(self.plan),
            "actual": num(self.actual),
            "calibrated": num(self.calibrated),
            "ratio": num(self.ratio),
        }


def read_actuals(path: str | Path) -> Actuals:
    """Read a CSV of counts; a bad row raises :class:`MapFileError` naming the file, line and column."""
    path = Path(path)
    data = read_input(
        path, "CSV file", hint="Check the path to the CSV of actuals", max_bytes=IMPORT_LIMIT
    )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MapFileError(
            path, "is not UTF-8 text", hint="Export the report as CSV in UTF-8"
        ) from None
    rows = list(csv.reader(text.splitlines()))
    header_line = next((k for k, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if header_line is None:
        raise MapFileError(
            path,
            "is empty",
            hint="Give a header `node,count` or `stage,count` and one row per step",
        )
    header = [c.strip().lower() for c in rows[header_line]]
    keys = [c for c in ("node", "stage") if c in header]
    if "count" not in header or len(keys) != 1:
        raise MapFileError(
            path,
            f"the header is {','.join(header)!r}",
            line=header_line + 1,
            hint="It must name a `count` column and one of `node` or `stage`, as in node,count",
        )
    by = keys[0]
    col_key, col_count = header.index(by), header.index("count")
    col_period = header.index("period") if "period" in header else None
    totals: dict[str, float] = {}
    lines: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    periods: list[str] = []
    for k in range(header_line + 1, len(rows)):
        row, line = rows[k], k + 1
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header):
            raise MapFileError(
                path,
                f"has {len(row)} values where the header has {len(header)}",
                line=line,
                hint="Give every row a value for each column",
            )
        key = row[col_key].strip()
        if not key:
            raise MapFileError(path, f"the {by} is empty", line=line, field=by)
        period = row[col_period].strip() if col_period is not None else ""
        raw = row[col_count].strip()
        try:
            count = float(raw.replace(",", "").replace("_", "").replace(" ", ""))
        except ValueError:
            raise MapFileError(
                path,
                f"{raw!r} is not a number",
                line=line,
                field="count",
                hint="Enter the number of leads, like 120",
            ) from None
        if not math.isfinite(count) or count < 0:
            raise MapFileError(
                path,
                f"{raw!r} is not a count of leads",
                line=line,
                field="count",
                hint="Counts are zero or more",
            )
        if (key, period) in seen:
            where = f" in period {period!r}" if period else ""
            raise MapFileError(
                path,
                f"{by} {key!r} appears twice{where} (also on line {seen[key, period]})",
                line=line,
                field=by,
                hint="Keep one row per step and period",
            )
        seen[key, period] = line
        if period not in periods:
            periods.append(period)
        totals[key] = totals.get(key, 0.0) + count
        lines.setdefault(key, line)
    if not totals:
        raise MapFileError(
            path, "has a header but no counts", hint="Add one row per step: node id, count"
        )
    n = len(periods)
    return Actuals(str(path), by, {k: v / n for k, v in totals.items()}, tuple(periods), lines)


def calibrate(
    doc: JourneyMap, actuals: Actuals, process_id: str | None = None
) -> tuple[JourneyMap, list[PlanVsActual]]:
    """The map with conversions (and entry volumes) set from ``actuals``, and plan against actual."""
    ready = prepare(doc, process_id)
    net = ready.net
    observed: dict[int, float] | dict[str, float]  # by node index, or by stage id
    if actuals.by == "node":
        by_node = _node_keys(net, actuals)
        conversion, volume = _by_node(net, by_node)
        observed = by_node
    else:
        by_stage = _stage_keys(net, actuals)
        conversion, volume = _by_stage(net, by_stage)
        observed = by_stage
    override = Scenario(
        id="calibrated",
        name=f"Calibrated from {Path(actuals.path).name}",
        conversion={k: min(1.0, max(0.0, v)) for k, v in conversion.items()},
        entry_volume=volume,
    )
    calibrated = apply_scenario(ready.doc, override)
    after = prepare(calibrated, net.process).net
    return calibrated, _report(net, after, actuals, observed)


def _node_keys(net: Network, actuals: Actuals) -> dict[int, float]:
    index = net.index
    by_origin: dict[str, list[int]] = {}
    for i, origin in enumerate(net.origin):
        by_origin.setdefault(origin, []).append(i)
    observed = {}
    gate_of = {gate.host: gate for gate in net.gates}
    for key, count in actuals.counts.items():
        found = index.get(key)
        if found is None and len(by_origin.get(key, [])) == 1:
            found = by_origin[key][0]
        if found is not None and found in gate_of:
            # a count at a gated step is of the leads reaching it: those arrive at the gate, and
            # the gate's pass rate of them go on to the step's own conversions
            gate = gate_of[found]
            observed[gate.index] = count
            observed[found] = count * float(net.conv[gate.edge])
        elif found is not None:
            observed[found] = count
        else:
            raise MapFileError(
                actuals.path,
                f"node {key!r} is not a step of '{net.process_name}'",
                line=actuals.lines.get(key),
                field="node",
                hint="Use the node ids of the map, as `journeymap simulate --format json` lists them",
            )
    return observed


def _stage_keys(net: Network, actuals: Actuals) -> dict[str, float]:
    ids = {s: s for s, _ in net.stages} | {name.lower(): s for s, name in net.stages}
    observed = {}
    for key, count in actuals.counts.items():
        stage = ids.get(key, ids.get(key.lower()))
        if stage is None:
            used = ", ".join(s for s, _ in net.stages) or "none"
            raise MapFileError(
                actuals.path,
                f"stage {key!r} is not used in '{net.process_name}'",
                line=actuals.lines.get(key),
                field="stage",
                hint=f"Its stages are: {used}",
            )
        observed[stage] = count
    return observed


def _by_node(net: Network, observed: dict[int, float]) -> tuple[dict[str, float], dict[str, float]]:
    x = linear.solve(net).arrivals
    count = np.full(net.size, np.nan)
    for i, c in observed.items():
        count[i] = c
    volume = {net.ids[i]: c for i, c in observed.items() if net.entry[i]}
    seen = ~np.isnan(count)
    rows = np.flatnonzero(seen[net.src] & seen[net.dst] & (count[net.src] > 0))
    conv = net.conv.copy()
    for j in np.unique(net.dst[rows]).tolist():
        into = rows[net.dst[rows] == j]
        planned = x[net.src[into]] * net.conv[into]
        inflow_planned = x[j] - net.volume[j]
        share = (
            planned / inflow_planned
            if inflow_planned > 0 and planned.sum() > 0
            else np.full(into.size, 1.0 / into.size)
        )
        arrived = 0.0 if net.entry[j] else count[j]  # an entry's count is its own volume
        conv[into] = arrived * share / count[net.src[into]]
    for i in np.unique(net.src[rows]).tolist():  # a node cannot pass on more than all its leads
        mine = rows[net.src[rows] == i]
        others = float(conv[(net.src == i)].sum() - conv[mine].sum())
        room = max(0.0, 1.0 - others)
        if conv[mine].sum() > room:
            conv[mine] *= room / conv[mine].sum()
    return _per_model_edge(net, conv, rows, count), volume


def _per_model_edge(
    net: Network, conv: np.ndarray, rows: np.ndarray, weight: np.ndarray
) -> dict[str, float]:
    """Rows sharing a model edge (one per expansion) get one rate: their average weighted by source count."""
    sums: dict[str, list[float]] = {}
    for e in rows.tolist():
        if net.edge_kind[e] == GATE:
            continue  # a gate's rate comes from its roles' processes, not from counts
        w = float(weight[net.src[e]]) if np.isfinite(weight[net.src[e]]) else 1.0
        entry = sums.setdefault(net.edge_base[e], [0.0, 0.0])
        entry[0] += conv[e] * w
        entry[1] += w
    return {k: (v[0] / v[1] if v[1] else 0.0) for k, v in sums.items()}


def _by_stage(
    net: Network, observed: dict[str, float]
) -> tuple[dict[str, float], dict[str, float]]:
    order = [s for s, _ in net.stages if s in observed]
    stage_of = np.array([s if s is not None else "" for s in net.stage], dtype=object)
    conv, volume = net.conv.copy(), net.volume.copy()
    touched = np.zeros(conv.size, dtype=bool)  # edges entering an observed stage
    for _ in range(STAGE_PASSES):
        plan = {s.id: s.leads for s in stage_counts(net, conv, volume)}
        worst = max(abs(plan[s] - observed[s]) / max(observed[s], 1e-9) for s in order)
        if worst < 1e-7:
            break
        first = order[0]
        if plan[first] > 0:
            volume = volume * (observed[first] / plan[first])
        for previous, stage in zip(order, order[1:], strict=False):
            if plan[previous] <= 0 or plan[stage] <= 0 or observed[previous] <= 0:
                continue
            ratio = (observed[stage] / observed[previous]) / (plan[stage] / plan[previous])
            entering = (stage_of[net.dst] == stage) & (stage_of[net.src] != stage)
            conv[entering] *= ratio
            touched |= entering
            conv = _fit(net, conv, entering)
    rows = np.flatnonzero(touched | (conv != net.conv))  # with the siblings _fit lowered
    conversion = {
        net.edge_base[e]: float(conv[e]) for e in rows.tolist() if net.edge_kind[e] != GATE
    }
    entries = {net.ids[i]: float(volume[i]) for i in np.flatnonzero(net.entry & (net.volume > 0))}
    return conversion, entries


def _fit(net: Network, conv: np.ndarray, changed: np.ndarray) -> np.ndarray:
    """Keep every node at or under 100 %: take the excess from its unchanged edges, then the changed ones."""
    share = np.bincount(net.src, weights=conv, minlength=net.size)
    for i in np.flatnonzero(share > 1.0 + 1e-12).tolist():
        mine = (net.src == i) & changed
        others = (net.src == i) & ~changed
        room = max(0.0, 1.0 - conv[mine].sum())
        if conv[others].sum() > room:
            conv[others] *= room / conv[others].sum() if conv[others].sum() else 0.0
        if conv[mine].sum() > 1.0:
            conv[mine] /= conv[mine].sum()
    return conv


def _report(before: Network, after: Network, actuals: Actuals, observed) -> list[PlanVsActual]:
    plan_flow, fit_flow = flow_of(before), flow_of(after)
    rows = []
    if actuals.by == "node":
        gate_of = {gate.host: gate.index for gate in before.gates}
        for i, count in sorted(observed.items()):
            if i >= before.steps:
                continue  # a gate's node: its count is reported at its step
            count = observed.get(gate_of[i], count) if i in gate_of else count
            node = before.ids[i]
            rows.append(
                PlanVsActual(
                    node,
                    "node",
                    before.labels[i],
                    plan_flow.nodes[node].arrivals,
                    count,
                    fit_flow.nodes[node].arrivals,
                )
            )
    else:
        plan = {s.id: s for s in plan_flow.stages}
        fit = {s.id: s.leads for s in fit_flow.stages}
        for stage_id, _ in before.stages:
            if stage_id in observed:
                rows.append(
                    PlanVsActual(
                        stage_id,
                        "stage",
                        plan[stage_id].name,
                        plan[stage_id].leads,
                        observed[stage_id],
                        fit.get(stage_id, 0.0),
                    )
                )
    return rows


def calibration_scenario(
    doc: JourneyMap, calibrated: JourneyMap, scenario_id: str, name: str
) -> Scenario:
    """The changes :func:`calibrate` made, as a scenario to keep in the map and compare with the plan.

    >>> from models.templates import load_template
    >>> doc = load_template("plugged-funnel")
    >>> same = calibration_scenario(doc, doc, "calibrated", "Calibrated")
    >>> same.conversion, same.entry_volume
    ({}, {})
    """
    before_edges = {e.id: e.conversion for e in doc.edges}
    before_volume = {n.id: n.volume for n in doc.nodes if n.kind == "entry"}
    conversion = {
        e.id: e.conversion
        for e in calibrated.edges
        if e.id in before_edges and e.conversion is not None and e.conversion != before_edges[e.id]
    }
    volume = {
        n.id: n.volume
        for n in calibrated.nodes
        if n.id in before_volume and n.volume is not None and n.volume != before_volume[n.id]
    }
    return Scenario(
        id=scenario_id,
        name=name,
        description="Conversions and volumes set from actual counts.",
        conversion=conversion,
        entry_volume=volume,
    )
