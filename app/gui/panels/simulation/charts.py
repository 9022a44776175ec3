"""The simulation's charts, drawn with matplotlib's Qt canvas from the typed results.

Funnel by stage, scenarios side by side, the sensitivity tornado, backlog per team over time
and the P10-P90 band of deals per period. Canvases are made at the first results, not at
start-up (matplotlib costs a noticeable part of a second to import).
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from models.simulation.mc_results import MonteCarloResult
from models.simulation.session import Outcome
from models.units import shortened

CHART_STYLE = {"font.size": 8, "axes.titlesize": 9}
CHARTS = [
    ("funnel", "Funnel by stage"),
    ("scenarios", "Scenarios"),
    ("sensitivity", "Sensitivity"),
    ("backlog", "Backlog"),
    ("band", "P10–P90"),
]


class Charts:
    """One tab per chart in ``tabs``; ``draw(outcome)`` fills them all, ``clear()`` empties them."""

    def __init__(self, tabs: QTabWidget) -> None:
        self.canvases: dict[str, object] = {}
        self._slots: dict[str, QVBoxLayout] = {}
        for key, title in CHARTS:
            slot = QWidget(objectName=f"chartTab_{key}")
            self._slots[key] = QVBoxLayout(slot)
            self._slots[key].setContentsMargins(0, 0, 0, 0)
            tabs.addTab(slot, title)

    def clear(self) -> None:
        for canvas in self.canvases.values():
            canvas.figure.clear()
            canvas.draw_idle()

    def draw(self, outcome: Outcome) -> None:
        import matplotlib

        with matplotlib.rc_context(CHART_STYLE):  # small print for dense panels, nothing global
            self._funnel(outcome)
            self._scenarios(outcome)
            self._sensitivity(outcome)
            self._backlog(outcome.monte_carlo)
            self._band(outcome.monte_carlo)

    def _axes(self, key: str, where: int = 111):
        canvas = self.canvases.get(key)
        if canvas is None:
            canvas = self.canvases[key] = _chart_canvas()
            canvas.setObjectName(f"chart_{key}")
            self._slots[key].addWidget(canvas)
        if where == 111 or where == 121:
            canvas.figure.clear()
        return canvas.figure.add_subplot(where), canvas

    def _funnel(self, outcome: Outcome) -> None:
        ax, canvas = self._axes("funnel")
        stages = outcome.expected.stages
        if stages:
            names = [s.name for s in stages]
            counts = [s.leads or 0.0 for s in stages]
            bars = ax.barh(range(len(names)), counts, color="#4c6ef5")
            ax.set_yticks(range(len(names)), labels=names)
            ax.invert_yaxis()
            for bar, count in zip(bars, counts, strict=True):
                y = bar.get_y() + bar.get_height() / 2
                ax.text(bar.get_width(), y, f" {count:,.1f}", va="center")
            ax.set_xlabel("leads per period reaching the stage")
        else:
            _empty(ax, "No stages on this process's steps")
        canvas.draw_idle()

    def _scenarios(self, outcome: Outcome) -> None:
        columns = outcome.comparison.columns
        ax, canvas = self._axes("scenarios", 121)
        ax2, _ = self._axes("scenarios", 122)
        names = [c.name for c in columns]
        colors = ["#868e96"] + ["#2f9e44"] * (len(columns) - 1)
        ax.bar(range(len(columns)), [c.result.won for c in columns], color=colors)
        ax.set_xticks(range(len(columns)), labels=names, rotation=15, ha="right")
        ax.set_title(f"Deals per {outcome.period}")
        ax2.bar(range(len(columns)), [c.result.revenue for c in columns], color=colors)
        ax2.set_xticks(range(len(columns)), labels=names, rotation=15, ha="right")
        ax2.set_title(f"Revenue per {outcome.period} ({outcome.currency})")
        ax2.yaxis.set_major_formatter(_thousands())
        canvas.draw_idle()

    def _sensitivity(self, outcome: Outcome) -> None:
        ax, canvas = self._axes("sensitivity")
        moving = [lever for lever in outcome.levers if lever.revenue_delta]
        levers = sorted(moving, key=lambda lever: -abs(lever.revenue_delta))[:8]  # biggest swings
        if levers:
            deltas = [lever.revenue_delta for lever in levers]
            ax.barh(
                range(len(levers)),
                deltas,
                color=["#2f9e44" if d >= 0 else "#e03131" for d in deltas],
            )
            labels = [shortened(lever.short or lever.what, 32) for lever in levers]
            ax.set_yticks(range(len(levers)), labels=labels)
            ax.invert_yaxis()
            ax.axvline(0, color="#495057", linewidth=0.8)
            ax.set_xlabel(f"revenue change per {outcome.period} ({outcome.currency})")
            ax.xaxis.set_major_formatter(_thousands())
        else:
            _empty(ax, "No single change moves revenue")
        canvas.draw_idle()

    def _backlog(self, mc: MonteCarloResult | None) -> None:
        ax, canvas = self._axes("backlog")
        drawn = False
        for team in (mc.teams if mc else {}).values():
            if team.backlog:
                ax.plot(range(len(team.backlog)), team.backlog, label=team.name)
                drawn = True
        if drawn:
            ax.set_xlabel("day")
            ax.set_ylabel("leads waiting (median run)")
            ax.legend(loc="upper left")
        else:
            _empty(ax, "Run with Monte Carlo runs above 0 to see queues per team")
        canvas.draw_idle()

    def _band(self, mc: MonteCarloResult | None) -> None:
        ax, canvas = self._axes("band")
        per_period = mc.per_period if mc else []
        if per_period:
            x = [p.period for p in per_period]
            low, high = [p.won.p10 for p in per_period], [p.won.p90 for p in per_period]
            ax.fill_between(x, low, high, color="#a5d8ff", label="P10–P90")
            ax.plot(x, [p.won.p50 for p in per_period], color="#1c7ed6", marker="o", label="P50")
            ax.plot(x, [p.won.mean for p in per_period], color="#495057", ls=":", label="mean")
            ax.set_xlabel("period")
            ax.set_ylabel("deals won")
            ax.legend(loc="upper left")
        else:
            _empty(ax, "Run with Monte Carlo runs above 0 to see the range")
        canvas.draw_idle()


def _chart_canvas():
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    canvas = FigureCanvasQTAgg(Figure(figsize=(6, 3), layout="constrained"))
    canvas.setMinimumHeight(120)
    return canvas


def _empty(ax, message: str) -> None:
    """What a chart says when it has nothing to show yet."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: f"{value:,.0f}")
