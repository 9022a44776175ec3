"""The simulation's figures as tables: the summary of a run, the reverse funnel of a goal, plan vs actual.

Rows are built from the typed results :mod:`models.simulation` returns, formatted by
:mod:`models.simulation.text`, so the panel reads the same figures as ``journeymap simulate``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from models.simulation import text as simtext

if TYPE_CHECKING:
    from models.simulation import GoalResult, PlanVsActual
    from models.simulation.results import Bottleneck
    from models.simulation.session import Outcome


def table(name: str) -> QTableWidget:
    """A read-only table without row numbers."""
    widget = QTableWidget(objectName=name)
    widget.verticalHeader().hide()
    widget.setEditTriggers(QTableWidget.NoEditTriggers)
    return widget


def fill(widget: QTableWidget, headers: list[str], rows: list[tuple]) -> None:
    widget.clear()
    widget.setColumnCount(len(headers))
    widget.setHorizontalHeaderLabels(headers)
    widget.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            widget.setItem(r, c, QTableWidgetItem(str(value)))
    widget.resizeColumnsToContents()


def summary_rows(outcome: Outcome) -> list[tuple[str, str]]:
    """What the Summary tab lists: the expected figures, each scenario, and the runs' range."""
    expected, currency = outcome.expected, outcome.currency
    rows = [
        ("Deals won", simtext.number(expected.won, 1)),
        ("Revenue", simtext.money(expected.revenue, currency)),
        ("Leads lost", simtext.number(expected.lost, 1)),
        ("Cost", simtext.money(expected.cost, currency)),
        ("Cost per deal", simtext.money(expected.cost_per_won, currency)),
        ("Days to close", simtext.number(expected.days_to_close, 0)),
    ]
    rows += capacity_rows(outcome)
    rows.append(("Bottleneck", bottleneck_text(expected.bottleneck)))
    rows += gate_rows(outcome)
    for column in outcome.comparison.columns[1:]:
        result = column.result
        rows.append(
            (
                f"Scenario '{column.name}'",
                f"{simtext.number(result.won, 1)} deals, {simtext.money(result.revenue, currency)}"
                f" ({_signed(column.deltas.get('won'))} deals)",
            )
        )
    mc = outcome.monte_carlo
    if mc:
        span = f"{outcome.request.periods} {outcome.period}s"
        rows += [
            (
                f"Deals in {span}, {mc.runs} runs (P10 / P50 / P90)",
                " / ".join(simtext.number(v, 1) for v in (mc.won.p10, mc.won.p50, mc.won.p90)),
            ),
            (f"Revenue in {span} (P50)", simtext.money(mc.revenue.p50, currency)),
            ("Leads not touched within the SLA", simtext.percent(mc.sla_breach_rate)),
        ]
        if _differ(expected.bottleneck, mc.bottleneck):
            rows.append(
                (
                    "Why the runs see it elsewhere",
                    f"{bottleneck_text(mc.bottleneck)} The runs follow queues and SLA windows day "
                    "by day; the expected flow (on the diagram) averages them away.",
                )
            )
    return rows


def capacity_rows(outcome: Outcome) -> list[tuple[str, str]]:
    """The flow with the teams' capacity beside the flow without limits (the figures above),
    and the revenue at risk with the limits that cost it, as ``journeymap simulate`` says."""
    limited, currency = outcome.expected.capacity, outcome.currency
    if limited is None:
        return []
    per = f"per {outcome.period}"
    cause = limited.cause
    return [
        ("Deals won, with capacity", simtext.number(limited.won, 1)),
        ("Revenue, with capacity", simtext.money(limited.revenue, currency)),
        (
            "Revenue at risk from capacity",
            simtext.at_risk_line(limited, currency, per).split(": ", 1)[1],
        ),
        ("Team that costs most", cause.name if cause is not None else "none"),
    ]


def gate_rows(outcome: Outcome) -> list[tuple[str, str]]:
    """Each committee gate: how many pass, what it costs, and each role's part in it."""
    rows = []
    for gate in outcome.expected.gates:
        cost = (
            "" if gate.deals_lost is None else f", costs {simtext.number(gate.deals_lost, 2)} deals"
        )
        rows.append(
            (f"Committee gate '{gate.label}'", f"{simtext.percent(gate.pass_rate)} pass{cost}")
        )
        for role in gate.roles:
            lost = (
                ""
                if role.deals_lost is None
                else f", {simtext.number(role.deals_lost, 2)} deals lost"
            )
            rows.append(
                (
                    f"    {role.role_name}: '{role.step_label}'",
                    f"{simtext.percent(role.probability)} clear{lost}",
                )
            )
    return rows


def status_line(outcome: Outcome) -> str:
    """The one line under the controls after a run."""
    expected = outcome.expected
    parts = [
        f"{simtext.number(expected.won, 1)} deals and "
        f"{simtext.money(expected.revenue, outcome.currency)} per {outcome.period} expected."
    ]
    text = bottleneck_text(outcome.expected.bottleneck)
    if text != "none":
        parts.append(f"Bottleneck: {text.rstrip('.')}.")
    for gate in expected.gates:
        worst = gate.costliest
        if worst is not None:
            parts.append(
                f"{worst.role_name}'s '{worst.step_label}' costs most at the committee: "
                f"{simtext.number(worst.deals_lost, 2)} deals."
            )
    return " ".join(parts)


def goal_rows(result: GoalResult) -> list[tuple]:
    """The reverse funnel: deals, leads per entry and stage, people per team and SLA."""
    money, number = simtext.money, simtext.number
    rows = [
        (
            "Revenue",
            money(result.current_revenue, result.currency),
            money(result.target_revenue, result.currency),
        ),
        ("Deals won", number(result.current_deals, 1), number(result.deals_needed, 1)),
    ]
    rows += [
        (f"Leads from '{e.label}'", number(e.current, 1), number(e.needed, 1))
        for e in result.entries
    ]
    rows += [
        (f"Leads reaching {s.name}", number(s.current, 1), number(s.needed, 1))
        for s in result.stages
    ]
    rows += [
        (f"People in {t.name}", str(t.headcount), f"{t.headcount_needed} ({t.reason})")
        for t in result.teams
    ]
    rows += [
        (
            f"SLA '{a.name}': {a.stage or 'leads'} per rep",
            number(a.per_rep_now, 1),
            f"{number(a.leads_per_rep, 0)} per rep: {a.headcount_needed} people",
        )
        for a in result.slas
    ]
    return rows


def actuals_rows(rows: list[PlanVsActual]) -> list[tuple]:
    number = simtext.number
    return [
        (
            r.label,
            number(r.plan, 1),
            number(r.actual, 1),
            "–" if r.ratio is None else f"{r.ratio:.0%}",
            number(r.calibrated, 1),
        )
        for r in rows
    ]


def _differ(a: Bottleneck | None, b: Bottleneck | None) -> bool:
    if a is None or b is None:
        return False
    return (a.node, a.team) != (b.node, b.team)


def bottleneck_text(bottleneck: Bottleneck | None) -> str:
    if bottleneck is None:
        return "none"
    return str(bottleneck.message or bottleneck.team or bottleneck.node or "none")


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+,.1f}"
