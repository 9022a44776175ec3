"""Simulation results for the HTML report: figures, bar charts and tables, drawn as plain SVG.

The charts are data for the report template's ``bar_chart`` macro (the
template draws the ``<svg>``, so every label is autoescaped like the rest of
the page); nothing here imports a plotting library or touches the network.
The simulation's ``to_dict()`` output is read tolerantly: a key that is
missing or shaped differently leaves its chart out instead of failing the
report.

>>> chart = bar_chart("Leads", [("MQL", 300.0), ("SQL", 75.0)])
>>> [(b["short"], b["text"], round(b["width"])) for b in chart["bars"]]
[('MQL', '300', 360), ('SQL', '75', 90)]
>>> number(1234.5), number(0.25), number(12.34)
('1,234', '0.25', '12.3')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from models.document import JourneyMap

BAR_AREA, LABEL_WIDTH, BAR_HEIGHT, GAP = 360.0, 220, 20, 6
COLORS = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2")
METRICS = (("won", "Deals won"), ("revenue", "Revenue"), ("lost", "Leads lost"), ("cost", "Cost"))
MONEY = {"revenue", "cost", "cost_per_won"}


def number(value: float) -> str:
    """A short human number: thousands separated, fewer decimals as it grows."""
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 1:
        return f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{value:.2g}"


def _is_number(value: object) -> TypeGuard[int | float]:
    """A real number: not a bool, not NaN."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def _number_at(data: Mapping[Any, Any], key: str) -> float | None:
    """``data[key]`` as a float when it is a number, else None."""
    value = data.get(key)
    return float(value) if _is_number(value) else None


def _text(value: float | None) -> str:
    return "" if value is None else number(value)


def bar_chart(
    title: str, bars: list[tuple[str, float]], color: str = COLORS[0], unit: str = ""
) -> dict:
    """Geometry of a horizontal bar chart (label, value) for the template's ``bar_chart`` macro."""
    top = max((v for _, v in bars), default=0.0) or 1.0
    out = []
    for i, (label, value) in enumerate(bars):
        short = label if len(label) <= 32 else label[:31] + "\u2026"
        out.append(
            {
                "label": label,
                "short": short,
                "value": value,
                "text": f"{unit}{number(value)}",
                "y": 8 + i * (BAR_HEIGHT + GAP),
                "width": round(max(value, 0.0) / top * BAR_AREA, 2),
                "color": color,
            }
        )
    return {
        "title": title,
        "bars": out,
        "label_width": LABEL_WIDTH,
        "width": LABEL_WIDTH + BAR_AREA + 90,
        "height": 16 + len(bars) * (BAR_HEIGHT + GAP),
    }


def _as_dict(result: object) -> Mapping[Any, Any] | None:
    if result is None:
        return None
    if hasattr(result, "to_dict"):
        result = result.to_dict()
    return result if isinstance(result, Mapping) else None


def _amount(entry: object) -> float | None:
    """A number, or the first usual count inside a dict (``{"arrivals": 120, ...}``)."""
    if _is_number(entry):
        return float(entry)
    if isinstance(entry, Mapping):
        for key in ("arrivals", "leads", "count", "volume", "flow", "value"):
            amount = _number_at(entry, key)
            if amount is not None:
                return amount
    return None


def node_figures(result: object) -> dict[str, tuple[float, float | None]]:
    """Leads arriving at each node and the share of them moving on, by plain node id (the
    figures of a node reached on several sub-process paths summed), from an expected flow or
    its ``to_dict()``; nodes without a readable count are left out.

    >>> node_figures({"nodes": {"a": {"arrivals": 200, "dropoff": 50}, "sub/a": {"arrivals": 0}}})
    {'a': (200.0, 0.75)}
    """
    data = _as_dict(result) or {}
    per_node = data.get("nodes")
    totals: dict[str, list[float]] = {}
    for key, entry in per_node.items() if isinstance(per_node, Mapping) else ():
        arrivals = _number_at(entry, "arrivals") if isinstance(entry, Mapping) else None
        if arrivals is None:
            continue
        total = totals.setdefault(str(key).rsplit("/", 1)[-1], [0.0, 0.0])
        total[0] += arrivals
        total[1] += _number_at(entry, "dropoff") or 0.0
    return {
        node: (arrivals, (arrivals - dropoff) / arrivals if arrivals else None)
        for node, (arrivals, dropoff) in totals.items()
    }


def flow_view(doc: JourneyMap, result, process_ids: set[str] | None = None) -> dict:
    """Key figures, the funnel-by-stage chart and the per-node table of one expected flow
    (the table and the per-step chart only for the nodes of ``process_ids``, default all)."""
    data = _as_dict(result) or {}
    currency = f"{doc.currency} "
    figures = []
    for key, title in (
        ("leads", "Leads in"),
        *METRICS,
        ("conversion", "Lead to deal"),
        ("cost_per_won", "Cost per deal"),
        ("days_to_close", "Days to close"),
    ):
        figure = _number_at(data, key)
        if figure is not None:
            text = f"{figure * 100:.3g}%" if key == "conversion" else number(figure)
            figures.append((title, (currency if key in MONEY else "") + text))
    labels = {n.id: n.label or n.id for n in doc.nodes}
    found = data.get("bottleneck")
    bottleneck: str | None = None
    if isinstance(found, Mapping):  # its message names the step; else the step's label
        node = found.get("node") or found.get("id")
        bottleneck = (
            found.get("message")
            or found.get("reason")
            or (labels.get(node, str(node)) if node else None)
        )
    elif isinstance(found, str):
        bottleneck = labels.get(found, found)
    stage_names = {s.id: s.name for s in doc.stages}
    stages = data.get("stages")
    pairs: list[tuple[str, float]] = []
    if isinstance(stages, Mapping):
        order = {s.id: i for i, s in enumerate(doc.stages)}
        for stage in sorted(stages, key=lambda k: (order.get(k, len(order)), str(k))):
            amount = _amount(stages[stage])
            if amount is not None:
                pairs.append((stage_names.get(stage, str(stage)), amount))
    elif isinstance(stages, list):
        for item in stages:
            if isinstance(item, Mapping):
                stage = item.get("stage") or item.get("id") or item.get("name")
                amount = _amount(item)
                if stage is not None and amount is not None:
                    pairs.append((stage_names.get(stage, str(stage)), amount))
    per_node = data.get("nodes")
    nodes: Mapping[Any, Any] = per_node if isinstance(per_node, Mapping) else {}
    shown = [n for n in doc.nodes if process_ids is None or n.process in process_ids]
    table = []
    arrivals: dict[str, float] = {}
    for n in shown:
        entry = nodes.get(n.id)
        count = _number_at(entry, "arrivals") if isinstance(entry, Mapping) else None
        if isinstance(entry, Mapping) and count is not None:
            arrivals[n.id] = count
            table.append((labels[n.id], number(count), _text(_number_at(entry, "dropoff"))))
    chart = None
    if pairs:
        chart = bar_chart("Leads per period reaching each stage", pairs)
    elif table:
        steps = [(labels[n.id], arrivals[n.id]) for n in shown if arrivals.get(n.id, 0.0) > 0][:25]
        chart = bar_chart("Leads per period reaching each step", steps) if steps else None
    teams = []
    per_team = data.get("teams")
    for team, entry in per_team.items() if isinstance(per_team, Mapping) else ():
        load = _number_at(entry, "load") if isinstance(entry, Mapping) else None
        if load is not None:
            capacity = _number_at(entry, "capacity")
            share = _number_at(entry, "utilisation")
            teams.append(
                (
                    str(entry.get("name") or team),
                    number(load),
                    number(capacity) if capacity is not None else "not a constraint",
                    f"{share * 100:.0f}%" if share is not None else "",
                )
            )
    names = {p.id: p.name for p in doc.processes}
    shown_process = data.get("process")
    process = names.get(shown_process, "") if isinstance(shown_process, str) else ""
    return {
        "figures": figures,
        "bottleneck": bottleneck,
        "chart": chart,
        "nodes": table,
        "teams": teams,
        "process": process,
    }


def _entries(data: object) -> list[Mapping[Any, Any]]:
    """The per-scenario results of a comparison, whatever container holds them."""
    if isinstance(data, list):
        return [e for e in data if isinstance(e, Mapping)]
    if not isinstance(data, Mapping):
        return []
    for key in ("columns", "scenarios", "results", "rows", "runs", "items"):
        inner = data.get(key)
        if isinstance(inner, list) and inner and all(isinstance(e, Mapping) for e in inner):
            return inner
        if (
            isinstance(inner, Mapping)
            and inner
            and all(isinstance(v, Mapping) for v in inner.values())
        ):
            base = (
                [{"name": None, **data["baseline"]}]
                if isinstance(data.get("baseline"), Mapping)
                else []
            )
            return base + [{"name": k, **v} for k, v in inner.items()]
    if data and all(isinstance(v, Mapping) for v in data.values()):
        return [{"name": None if k in ("baseline", "None") else k, **v} for k, v in data.items()]
    return []


def _metric(entry: Mapping[Any, Any], key: str) -> float | None:
    """``entry[key]``, else the first ``entry[inner][key]`` of the usual containers, or None."""
    for where in (entry, *(entry.get(k) for k in ("result", "flow", "totals", "expected"))):
        if isinstance(where, Mapping) and (value := _number_at(where, key)) is not None:
            return value
    return None


def comparison_view(doc: JourneyMap, comparison) -> dict | None:
    """Charts and a table of won deals and revenue per scenario, or None when unreadable."""
    names = {s.id: s.name for s in doc.scenarios}
    rows = []
    for entry in _entries(_as_dict(comparison)):
        raw = next((entry.get(k) for k in ("name", "scenario", "label", "id") if k in entry), None)
        label = "Baseline" if raw in (None, "", "baseline") else names.get(str(raw), str(raw))
        rows.append((label, {key: _metric(entry, key) for key, _ in METRICS}))
    if not rows:
        return None
    charts = []
    for i, (key, title) in enumerate(METRICS[:2]):
        pairs = [(label, value) for label, values in rows if (value := values[key]) is not None]
        if pairs:
            unit = f"{doc.currency} " if key == "revenue" else ""
            charts.append(bar_chart(f"{title} per period, by scenario", pairs, COLORS[i + 1], unit))
    columns = [title for key, title in METRICS if any(v[key] is not None for _, v in rows)]
    keys = [key for key, _ in METRICS if any(v[key] is not None for _, v in rows)]
    table = [(label, [_text(v[k]) for k in keys]) for label, v in rows]
    return {"charts": charts, "columns": columns, "rows": table}
