"""Plain-text tables for `journeymap simulate` and `journeymap goal` (no Qt, no colour)."""

from __future__ import annotations


def number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def money(value: float | None, currency: str) -> str:
    return "-" if value is None else f"{currency} {value:,.0f}"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}" if abs(value) >= 0.1 else f"{value:.1%}"


def signed_percent(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0%}"


def table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    """Left-align the first column, right-align the others."""
    if not rows:
        return []
    widths = [max(len(r[k]) for r in rows if k < len(r)) for k in range(max(len(r) for r in rows))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [c.rjust(widths[k + 1]) for k, c in enumerate(row[1:])]
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines


def flow_lines(flow, labels: dict[str, str]) -> list[str]:
    """The expected flow: key figures, the funnel by stage, team loads."""
    per = f"per {flow.period}"
    c = flow.currency
    out = [f"Expected {per}"]
    out += table(
        [
            ["Leads in", number(flow.leads)],
            ["Deals won", number(flow.won, 2)],
            ["Revenue", money(flow.revenue, c)],
            ["Cost", money(flow.cost, c)],
            ["Cost per deal", money(flow.cost_per_won, c)],
            ["Lead-to-deal conversion", percent(flow.conversion)],
            ["Days to close", number(flow.days_to_close)],
        ]
    )
    if flow.bottleneck:
        out.append(f"  Bottleneck: {flow.bottleneck.message}")
    if flow.stages:
        out += ["", "Funnel by stage (leads reaching it)"]
        rows = [["", "Leads", "From previous"]]
        rows += [
            [s.name, number(s.leads, 1), percent(s.conversion) if s.conversion is not None else ""]
            for s in flow.stages
        ]
        out += table(rows)
    teams = [t for t in flow.teams.values() if t.capacity is not None]
    if teams:
        out += ["", f"Teams (leads {per})"]
        rows = [["", "Load", "Capacity", "Utilisation", "Busiest step"]]
        rows += [
            [
                t.name,
                number(t.load),
                number(t.capacity),
                percent(t.utilisation),
                labels.get(t.busiest_node, t.busiest_node or "-"),
            ]
            for t in teams
        ]
        out += table(rows)
    return out


def monte_carlo_lines(mc) -> list[str]:
    c = mc.currency
    out = [
        f"Monte Carlo: {mc.runs} runs of {mc.periods} {mc.period}s ({mc.days} days), seed {mc.seed}"
        + (" (cancelled)" if mc.cancelled else "")
    ]
    rows = [
        ["", "P10", "P50", "P90", "Mean"],
        [
            "Deals won, total",
            *(number(getattr(mc.won, k), 1) for k in ("p10", "p50", "p90", "mean")),
        ],
        [
            f"Revenue, total ({c})",
            *(number(getattr(mc.revenue, k)) for k in ("p10", "p50", "p90", "mean")),
        ],
    ]
    for p in mc.per_period:
        rows.append(
            [
                f"Deals in {mc.period} {p.period}",
                *(number(getattr(p.won, k), 1) for k in ("p10", "p50", "p90", "mean")),
            ]
        )
    out += table(rows)
    if mc.sla_breach_rate is not None:
        out.append(
            f"  SLA breach rate: {percent(mc.sla_breach_rate)} of hand-offs touched after the response window"
        )
    for team in mc.teams.values():
        out.append(
            f"  {team.name}: works {percent(team.utilisation)} of capacity, receives {percent(team.load)}; "
            f"median backlog at the end {number(team.backlog_end.p50)} leads"
        )
    if mc.bottleneck:
        out.append(f"  Bottleneck: {mc.bottleneck.message}")
    return out


def comparison_lines(comparison) -> list[str]:
    c = comparison.currency
    cols = comparison.columns
    header = ["", *(col.name for col in cols)]
    if len(cols) > 1:
        header += ["Change"]
    rows = [header]
    spec = [
        ("Leads in", "leads", lambda v: number(v)),
        ("Deals won", "won", lambda v: number(v, 2)),
        ("Revenue", "revenue", lambda v: money(v, c)),
        ("Cost", "cost", lambda v: money(v, c)),
        ("Cost per deal", "cost_per_won", lambda v: money(v, c)),
        ("Days to close", "days_to_close", lambda v: number(v)),
    ]
    for title, key, fmt in spec:
        row = [title, *(fmt(getattr(col.result, key)) for col in cols)]
        if len(cols) > 1:
            row.append(signed_percent(cols[-1].changes[key]))
        rows.append(row)
    title = f"Scenarios (per {comparison.period}"
    title += f"; change: {cols[-1].name} against {cols[0].name})" if len(cols) > 1 else ")"
    out = [title, *table(rows)]
    for col in cols:
        if col.result.bottleneck:
            out.append(f"  Bottleneck, {col.name}: {col.result.bottleneck.message}")
    return out


def sensitivity_lines(levers, currency: str, period: str, limit: int = 15) -> list[str]:
    out = [f"What moves revenue most (one change at a time, capacity-aware, per {period})"]
    rows = [["", f"Revenue ({currency})", "Deals"]]
    rows += [
        [lever.what, f"{lever.revenue_delta:+,.0f}", f"{lever.won_delta:+,.2f}"]
        for lever in levers[:limit]
    ]
    out += table(rows)
    if len(levers) > limit:
        out.append(f"  ... and {len(levers) - limit} more (--format json lists them all)")
    return out
