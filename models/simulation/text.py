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
    """The expected flow: key figures, committee gates, the funnel by stage, team loads.

    A buying-group role's own process (``flow.clearing``) makes no deals: it shows what the
    role clears for the funnel's gates instead of deals and revenue (:func:`clearing_lines`).
    """
    per = f"per {flow.period}"
    c = flow.currency
    if flow.clearing is not None:
        out = clearing_lines(flow.clearing, per)
        out += ["", f"Its own entries alone ({per})"]
        steps = dict.fromkeys((g.clearance.step_label, g.reached) for g in flow.clearing.gates)
        out += table(
            [
                ["Leads in", number(flow.leads)],
                *([f"Reach '{step}'", number(reached, 2)] for step, reached in steps),
                ["Cost", money(flow.cost, c)],
            ]
        )
    elif flow.capacity is not None:
        limited = flow.capacity
        out = [f"Expected {per}"]
        out += table(
            [
                ["", "Without limits", "With capacity"],
                ["Leads in", number(flow.leads), number(flow.leads)],
                ["Deals won", number(flow.won, 2), number(limited.won, 2)],
                ["Revenue", money(flow.revenue, c), money(limited.revenue, c)],
                ["Cost", money(flow.cost, c), money(limited.cost, c)],
                [
                    "Cost per deal",
                    money(flow.cost_per_won, c),
                    money(_ratio(limited.cost, limited.won), c),
                ],
                [
                    "Lead-to-deal conversion",
                    percent(flow.conversion),
                    percent(limited.won / flow.leads if flow.leads > 0 else None),
                ],
                ["Days to close", number(flow.days_to_close), number(limited.days_to_close)],
            ]
        )
        out.append(f"  {at_risk_line(limited, c, per)}")
    else:
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
    if flow.gates:
        out += ["", *gate_lines(flow.gates, per)]
    if flow.stages:
        out += ["", "Funnel by stage (leads reaching it)"]
        rows = [["", "Leads", "From previous"]]
        rows += [
            [s.name, number(s.leads, 1), percent(s.conversion) if s.conversion is not None else ""]
            for s in flow.stages
        ]
        out += table(rows)
    teams = [
        t for t in flow.teams.values() if t.capacity is not None or t.attempt_hours is not None
    ]
    if teams:
        paced = any(t.attempt_hours is not None for t in teams)
        out += ["", f"Teams (leads {per})"]
        rows = [["", "Load", "Capacity", "Utilisation", "Busiest step"]]
        if paced:
            rows[0][4:4] = ["Follow-up hours", "Hours"]
        for t in teams:
            row = [
                t.name,
                number(t.load),
                number(t.capacity),
                percent(t.utilisation),
                labels.get(t.busiest_node, t.busiest_node or "-"),
            ]
            if paced:
                row[4:4] = [number(t.attempt_hours), number(t.hours)]
            rows.append(row)
        out += table(rows)
    return out


def _ratio(part: float, whole: float) -> float | None:
    value = part / whole if whole > 0 else None
    return value if value is not None and value == value and abs(value) != float("inf") else None


def at_risk_line(limited, currency: str, per: str) -> str:
    """One sentence: the revenue the teams' capacity puts at risk, and which limits cost it."""
    if limited.revenue_at_risk <= 0 and limited.won_at_risk <= 1e-12:
        return "Revenue at risk from capacity: none; every team has the people for its leads."
    parts = [
        f"{limit.name} (+{money(limit.revenue, currency)}"
        + (" with the people it needs)" if k == 0 else ")")
        for k, limit in enumerate(limited.limits)
    ]
    who = ", then ".join(parts) if parts else "the teams together"
    return (
        f"Revenue at risk from capacity: {money(limited.revenue_at_risk, currency)} {per} "
        f"({limited.won_at_risk:,.2f} deals): {who}."
    )


def gate_lines(gates, per: str) -> list[str]:
    """The committee gates of an expected flow: who must clear, how likely, how long, at what cost."""
    out = [f"Committee gates ({per})"]
    for gate in gates:
        costs = (
            f"; the gate costs {gate.deals_lost:,.2f} deals" if gate.deals_lost is not None else ""
        )
        out.append(
            f"  '{gate.label}': {gate.arrivals:,.1f} reach it, {percent(gate.pass_rate)} pass, "
            f"{gate.lost:,.1f} leave at the gate{costs}"
        )
        rows = [["", "Clears", "Days", "Deals lost"]]
        rows += [
            [
                f"{r.role_name}: '{r.step_label}'",
                percent(r.probability),
                number(r.days),
                number(r.deals_lost, 2),
            ]
            for r in gate.roles
        ]
        out += table(rows, indent="    ")
        worst = gate.costliest
        if worst is not None:
            out.append(
                f"  {worst.role_name}'s '{worst.step_label}' loses most: "
                f"{worst.deals_lost:,.2f} deals {per}."
            )
        if gate.wait_days:
            out.append(
                f"  Days to close include the slowest role's {gate.wait_days:,.0f} days "
                "(expected days to clear, of the journeys that clear)."
            )
    return out


def clearing_lines(clearing, per: str) -> list[str]:
    """A role's own process, read by funnel gates: its chance to clear, its time, and where its
    deals are counted (never revenue it does not make)."""
    who = clearing.role_name
    out = [f"{who}'s part in the buying group"]
    funnels: dict[str, str] = {}
    for gate in clearing.gates:
        c = gate.clearance
        out += table(
            [
                [f"Clears '{c.step_label}'", percent(c.probability)],
                ["Days to clear, when it clears", number(c.days)],
            ]
        )
        where = f"the committee gate on '{gate.gate_label}' ('{gate.funnel_name}')"
        if gate.gate_arrivals is None:
            out.append(
                f"  Required by {where}; '{gate.funnel_name}' cannot be simulated as it is, "
                "so its figures are left out."
            )
        else:
            lost = (
                f"; {who}'s '{c.step_label}' costs {c.deals_lost:,.2f} deals {per}"
                if c.deals_lost is not None
                else ""
            )
            out.append(
                f"  Required by {where}: {gate.gate_arrivals:,.1f} leads {per} reach it, "
                f"{who} clears {gate.gate_cleared or 0.0:,.1f} of them, "
                f"{percent(gate.gate_pass_rate)} pass every role{lost}."
            )
        funnels.setdefault(gate.funnel, gate.funnel_name)
    names = " and ".join(f"'{name}'" for name in funnels.values())
    first = next(iter(funnels))
    out.append(
        f"  This process makes no deals or revenue of its own: what {who} clears counts in "
        f"{names}, through the gate (simulate --process {first} for its deals)."
    )
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
    if mc.stages:
        out += [
            f"  Leads reaching each stage per {mc.period} (a lead a loop brings back into a "
            "stage counts again)"
        ]
        rows = [["", "P10", "P50", "P90", "Mean", "Expected"]]
        rows += [
            [
                stage.name,
                *(number(getattr(stage.average, k), 1) for k in ("p10", "p50", "p90", "mean")),
                number(stage.expected, 1),
            ]
            for stage in mc.stages
        ]
        out += table(rows, indent="    ")
    if mc.sla_breach_rate is not None:
        out.append(
            f"  SLA breach rate: {percent(mc.sla_breach_rate)} of hand-offs touched after the response window"
        )
    for team in mc.teams.values():
        out.append(
            f"  {team.name}: works {percent(team.utilisation)} of capacity, receives {percent(team.load)}; "
            f"median backlog at the end {number(team.backlog_end.p50)} leads"
        )
    for gate in mc.gates.values():
        if gate.pass_rate is None:
            out.append(f"  Committee gate on '{gate.label}': no lead reached it")
            continue
        wait = (
            f"; they waited {gate.wait_days:,.1f} days for the slowest role"
            if gate.wait_days is not None
            else ""
        )
        out.append(
            f"  Committee gate on '{gate.label}': {gate.pass_rate:.1%} pass "
            f"(standard error {gate.pass_rate_se:.1%}) of {gate.arrived:,.1f} leads a run{wait}"
        )
        for role in gate.roles:
            days = f", in {role.days:,.1f} days" if role.days is not None else ""
            out.append(
                f"    {role.role_name} clears '{role.step_label}' for {role.clear_rate:.1%}{days}"
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
