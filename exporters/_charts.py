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


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


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


def _as_dict(result) -> Mapping | None:
    if result is None:
        return None
    if hasattr(result, "to_dict"):
        result = result.to_dict()
    return result if isinstance(result, Mapping) else None


def _amount(entry) -> float | None:
    """A number, or the first usual count inside a dict (``{"arrivals": 120, ...}``)."""
    if _is_number(entry):
        return float(entry)
    if isinstance(entry, Mapping):
        for key in ("arrivals", "leads", "count", "volume", "flow", "value"):
            if _is_number(entry.get(key)):
                return float(entry[key])
    return None


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
        if _is_number(data.get(key)):
            amount = float(data[key])
            text = f"{amount * 100:.3g}%" if key == "conversion" else number(amount)
            figures.append((title, (currency if key in MONEY else "") + text))
    labels = {n.id: n.label or n.id for n in doc.nodes}
    bottleneck = data.get("bottleneck")
    if isinstance(bottleneck, Mapping):  # its message names the step; else the step's label
        node = bottleneck.get("node") or bottleneck.get("id")
        bottleneck = (
            bottleneck.get("message")
            or bottleneck.get("reason")
            or (labels.get(node, str(node)) if node else None)
        )
    elif isinstance(bottleneck, str):
        bottleneck = labels.get(bottleneck, bottleneck)
    else:
        bottleneck = None
    stage_names = {s.id: s.name for s in doc.stages}
    stages = data.get("stages")
    pairs: list[tuple[str, float]] = []
    if isinstance(stages, Mapping):
        order = {s.id: i for i, s in enumerate(doc.stages)}
        for key in sorted(stages, key=lambda k: (order.get(k, len(order)), str(k))):
            amount = _amount(stages[key])
            if amount is not None:
                pairs.append((stage_names.get(key, str(key)), amount))
    elif isinstance(stages, list):
        for entry in stages:
            if isinstance(entry, Mapping):
                key = entry.get("stage") or entry.get("id") or entry.get("name")
                amount = _amount(entry)
                if key is not None and amount is not None:
                    pairs.append((stage_names.get(key, str(key)), amount))
    nodes = data.get("nodes") if isinstance(data.get("nodes"), Mapping) else {}
    shown = [n for n in doc.nodes if process_ids is None or n.process in process_ids]
    table = []
    for node in shown:
        entry = nodes.get(node.id)
        if isinstance(entry, Mapping) and _is_number(entry.get("arrivals")):
            drop = entry.get("dropoff")
            table.append(
                (
                    labels[node.id],
                    number(float(entry["arrivals"])),
                    number(float(drop)) if _is_number(drop) else "",
                )
            )
    chart = None
    if pairs:
        chart = bar_chart("Leads per period reaching each stage", pairs)
    elif table:
        steps = [
            (labels[n.id], float(nodes[n.id]["arrivals"]))
            for n in shown
            if isinstance(nodes.get(n.id), Mapping)
            and _is_number(nodes[n.id].get("arrivals"))
            and nodes[n.id]["arrivals"] > 0
        ][:25]
        chart = bar_chart("Leads per period reaching each step", steps) if steps else None
    teams = []
    for key, entry in (
        (data.get("teams") or {}).items() if isinstance(data.get("teams"), Mapping) else ()
    ):
        if isinstance(entry, Mapping) and _is_number(entry.get("load")):
            share = entry.get("utilisation")
            teams.append(
                (
                    str(entry.get("name") or key),
                    number(float(entry["load"])),
                    number(float(entry["capacity"]))
                    if _is_number(entry.get("capacity"))
                    else "not a constraint",
                    f"{share * 100:.0f}%" if _is_number(share) else "",
                )
            )
    names = {p.id: p.name for p in doc.processes}
    process = names.get(data.get("process"), "") if isinstance(data.get("process"), str) else ""
    return {
        "figures": figures,
        "bottleneck": bottleneck,
        "chart": chart,
        "nodes": table,
        "teams": teams,
        "process": process,
    }


def _entries(data) -> list[Mapping]:
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


def _metric(entry: Mapping, key: str) -> float | None:
    if _is_number(entry.get(key)):
        return float(entry[key])
    for inner in ("result", "flow", "totals", "expected"):
        nested = entry.get(inner)
        if isinstance(nested, Mapping) and _is_number(nested.get(key)):
            return float(nested[key])
    return None


def comparison_view(doc: JourneyMap, comparison) -> dict | None:
    """Charts and a table of won deals and revenue per scenario, or None when unreadable."""
    names = {s.id: s.name for s in doc.scenarios}
    rows = []
    for entry in _entries(_as_dict(comparison)):
        raw = next((entry.get(k) for k in ("name", "scenario", "label", "id") if k in entry), None)
        label = "Baseline" if raw in (None, "", "baseline") else names.get(raw, str(raw))
        rows.append((label, {key: _metric(entry, key) for key, _ in METRICS}))
    if not rows:
        return None
    charts = []
    for i, (key, title) in enumerate(METRICS[:2]):
        pairs = [(label, values[key]) for label, values in rows if values[key] is not None]
        if pairs:
            unit = f"{doc.currency} " if key == "revenue" else ""
            charts.append(bar_chart(f"{title} per period, by scenario", pairs, COLORS[i + 1], unit))
    columns = [title for key, title in METRICS if any(v[key] is not None for _, v in rows)]
    keys = [key for key, _ in METRICS if any(v[key] is not None for _, v in rows)]
    table = [(label, [number(v[k]) if v[k] is not None else "" for k in keys]) for label, v in rows]
    return {"charts": charts, "columns": columns, "rows": table}
