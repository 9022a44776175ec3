"""The simulation panel: leads, time, capacity and revenue through the map, with charts.

Everything is computed by :mod:`models.simulation` in a worker thread on a copy
of the map (progress and Cancel for the Monte Carlo runs); the panel only
draws. Charts use matplotlib's Qt canvas: funnel by stage, scenarios side by
side, the sensitivity tornado, backlog per team over time and the P10-P90 band
of deals per period. "Show on diagram" paints the expected flow on the canvas:
edge width proportional to flow, arrivals and drop-off under each step, the
bottleneck outlined.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.common import worker
from app.gui.common.follow import follow
from models.editing import MapDocument
from models.errors import JourneymapError
from models.simulation import text as simtext  # the figures read as in `journeymap simulate`
from models.simulation.session import Outcome, Request, SimulationCancelled, run_simulation
from models.units import shortened

BASELINE = "Baseline"
CHART_STYLE = {"font.size": 8, "axes.titlesize": 9}


class SimulationPanel(QWidget):
    overlay_ready = Signal(str, dict)  # process id, overlay ({} clears it)
    scenario_proposed = Signal(
        object
    )  # a Scenario to add to the map (the window adds it, undoably)
    finished = Signal(object)  # the Outcome, or None when refused, failed or cancelled

    def __init__(self, document: MapDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("simulationPanel")
        self.document = document
        self.outcome: Outcome | None = None
        self.goal_result = None
        self.calibration = None  # the Scenario the last comparison with actuals proposes
        self._overlay_shown = False
        self._charts_drawn = False
        self.job: worker.Job | None = None
        self._build()
        self._unfollow = follow(
            self, [(document.reset, self._on_reset), (document.changed, self._on_changed)]
        )
        self._on_reset()

    # --- widgets -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.process = QComboBox(objectName="simProcess")
        self.scenario = QComboBox(objectName="simScenario")
        for combo in (self.process, self.scenario):
            combo.view().setMinimumWidth(320)  # the open list shows whole names; the tooltip too
            combo.currentTextChanged.connect(combo.setToolTip)
        self.periods = QSpinBox(objectName="simPeriods", minimum=1, maximum=60, value=6)
        self.runs = QSpinBox(
            objectName="simRuns", minimum=0, maximum=5000, value=200, singleStep=100
        )
        self.runs.setToolTip("Monte Carlo runs (0: expected values only)")
        self.seed = QSpinBox(objectName="simSeed", minimum=0, maximum=2**31 - 1, value=1)
        self.run_button = QPushButton("Run", objectName="simRun")
        self.run_button.setToolTip("Run the simulation (F5)")
        self.cancel_button = QPushButton("Cancel", objectName="simCancel", enabled=False)
        self.progress = QProgressBar(objectName="simProgress", textVisible=True)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.overlay = QCheckBox("Show on diagram", objectName="simOverlay")
        self.overlay.setToolTip(
            "Edge width follows the expected flow; steps show arrivals and drop-off"
        )
        self.revenue = QDoubleSpinBox(
            objectName="goalRevenue", maximum=1e12, decimals=0, singleStep=100000
        )
        self.revenue.setGroupSeparatorShown(True)
        self.goal_button = QPushButton("Work back from revenue", objectName="goalRun")
        self.actuals_button = QPushButton("Compare with actuals (CSV)…", objectName="actualsRun")
        self.actuals_button.setToolTip(
            "A CRM report of counts per step or per stage: node,count or stage,count"
        )
        self.keep_button = QPushButton(
            "Keep calibrated rates as a scenario", objectName="actualsKeep", enabled=False
        )
        self.status = QLabel(objectName="simStatus", wordWrap=True)
        self.status.setTextFormat(Qt.PlainText)

        controls = QFormLayout()
        controls.addRow("Process", self.process)
        controls.addRow("Scenario", self.scenario)
        controls.addRow("Periods", self.periods)
        controls.addRow("Runs", self.runs)
        controls.addRow("Seed", self.seed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        controls.addRow(buttons)
        controls.addRow(self.progress)
        controls.addRow(self.overlay)
        controls.addRow("Revenue target", self.revenue)
        controls.addRow(self.goal_button)
        controls.addRow(self.actuals_button)
        controls.addRow(self.keep_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(controls)
        left_layout.addWidget(self.status)
        left_layout.addStretch(1)
        scroll = QScrollArea()  # the controls scroll rather than force the dock's height
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setMaximumWidth(350)
        scroll.setMinimumWidth(260)

        self.tabs = QTabWidget(objectName="simTabs")
        self.summary = QTableWidget(objectName="simSummary")
        self.summary.verticalHeader().hide()
        self.summary.setEditTriggers(QTableWidget.NoEditTriggers)
        self.tabs.addTab(self.summary, "Summary")
        self.charts: dict[
            str, object
        ] = {}  # matplotlib canvases, made at the first results (not at start-up)
        self._chart_slots: dict[str, QVBoxLayout] = {}
        for key, title in [
            ("funnel", "Funnel by stage"),
            ("scenarios", "Scenarios"),
            ("sensitivity", "Sensitivity"),
            ("backlog", "Backlog"),
            ("band", "P10–P90"),
        ]:
            slot = QWidget(objectName=f"chartTab_{key}")
            self._chart_slots[key] = QVBoxLayout(slot)
            self._chart_slots[key].setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(slot, title)
        self.goal_table = QTableWidget(objectName="goalTable")
        self.goal_table.verticalHeader().hide()
        self.goal_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.tabs.addTab(self.goal_table, "Goal")
        self.actuals_table = QTableWidget(objectName="actualsTable")
        self.actuals_table.verticalHeader().hide()
        self.actuals_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.tabs.addTab(self.actuals_table, "Plan vs actual")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(scroll)
        layout.addWidget(self.tabs, 1)

        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.overlay.toggled.connect(self._emit_overlay)
        self.goal_button.clicked.connect(self.goal)
        self.actuals_button.clicked.connect(self.actuals_dialog)
        self.keep_button.clicked.connect(self.keep_calibration)
        self._stale = QTimer(self, singleShot=True, interval=400)
        self._stale.timeout.connect(self._refresh_choices)

    # --- following the document ----------------------------------------------------------------

    def _on_reset(self) -> None:
        self.cancel()
        self.outcome = None
        self._refresh_choices()
        self._clear_results()
        self.status.setText("Press Run (F5) to simulate the funnel.")
        self._emit_overlay()

    def _on_changed(self) -> None:
        self._stale.start()  # names of processes and scenarios may have changed
        if self.outcome is not None:
            self.status.setText("The map changed since the last run: press Run (F5) again.")

    def _refresh_choices(self) -> None:
        doc = self.document.map
        current_process, current_scenario = self.process.currentData(), self.scenario.currentData()
        self.process.blockSignals(True)
        self.scenario.blockSignals(True)
        self.process.clear()
        self.process.addItem("Automatic (the funnel)", None)
        for process in doc.processes:
            self.process.addItem(process.name, process.id)
        self.scenario.clear()
        self.scenario.addItem(BASELINE, None)
        for scenario in doc.scenarios:
            self.scenario.addItem(scenario.name, scenario.id)
        self.process.setCurrentIndex(max(self.process.findData(current_process), 0))
        self.scenario.setCurrentIndex(max(self.scenario.findData(current_scenario), 0))
        for combo in (
            self.process,
            self.scenario,
        ):  # a name cut short in the narrow column reads in full here
            for index in range(combo.count()):
                combo.setItemData(index, combo.itemText(index), Qt.ToolTipRole)
            combo.setToolTip(combo.currentText())
        self.process.blockSignals(False)
        self.scenario.blockSignals(False)

    # --- running ---------------------------------------------------------------------------------

    def request(self) -> Request:
        return Request(
            self.process.currentData(),
            self.scenario.currentData(),
            self.periods.value(),
            self.runs.value(),
            self.seed.value(),
        )

    def run(self) -> bool:
        if self.job is not None:
            return False
        request = self.request()
        doc = self.document.snapshot()  # the worker never sees later edits
        self.job = worker.start(
            lambda progress, cancelled: run_simulation(doc, request, progress, cancelled),
            self._on_done,
            self._on_error,
            self._on_progress,
        )
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)  # busy until the Monte Carlo reports its runs
        self.status.setText("Simulating…")
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText("Cancelling…")

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finish_job(self) -> None:
        self.job = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)

    def _on_error(self, error: BaseException) -> None:
        if isinstance(error, SimulationCancelled):
            self._on_failed("Cancelled.")
        elif isinstance(error, JourneymapError):
            self._on_failed(str(error))
        else:  # a bug must not kill the app; say so plainly
            self._on_failed(
                f"The simulation failed unexpectedly ({type(error).__name__}: {error})."
            )

    def _on_failed(self, message: str) -> None:
        self._finish_job()
        self.progress.setValue(0)
        self.status.setText(message)
        self.finished.emit(None)

    def _on_done(self, outcome: Outcome) -> None:
        self._finish_job()
        self.progress.setValue(1)
        self.outcome = outcome
        try:
            self._show(outcome)
            self._emit_overlay()
        finally:
            self.finished.emit(outcome)

    def _emit_overlay(self, *_) -> None:
        shown = self.outcome.overlay if (self.outcome and self.overlay.isChecked()) else {}
        if not shown and not self._overlay_shown:
            return  # nothing on the diagram to clear (opening a big map stays quick)
        self._overlay_shown = bool(shown)
        for process in self.document.map.processes:
            self.overlay_ready.emit(process.id, shown.get(process.id, {}))

    # --- goal seek -------------------------------------------------------------------------------

    def goal(self) -> bool:
        """Work back from the revenue target: deals, leads per entry and stage, people per team."""
        from models import simulation as sim

        revenue = self.revenue.value()
        if revenue <= 0:
            self.status.setText(
                "Type a revenue target per period above zero, then press the button again."
            )
            return False
        request = self.request()
        doc = self.document.map
        try:
            result = sim.goal_seek(doc, revenue, request.process, request.scenario)
        except JourneymapError as error:
            self.status.setText(str(error))
            return False
        self.goal_result = result
        _fill_table(
            self.goal_table,
            ["What is needed per " + result.period, "Today", "For the target"],
            goal_rows(result),
        )
        self.tabs.setCurrentWidget(self.goal_table)
        self.status.setText(
            f"{simtext.money(revenue, result.currency)} per {result.period} needs "
            f"{simtext.number(result.deals_needed, 1)} deals (today {simtext.number(result.current_deals, 1)}): "
            "see the Goal tab for leads and people."
        )
        return True

    # --- plan against actual ----------------------------------------------------------------------

    def actuals_dialog(self) -> bool:
        from app.gui.common import dialogs

        path = dialogs.open_file(
            self,
            "Counts from the CRM (CSV: node,count or stage,count)",
            "",
            "CSV files (*.csv);;All files (*)",
        )
        return bool(path) and self.compare_actuals(path)

    def compare_actuals(self, path: str) -> bool:
        """Plan against actual from a CSV of counts, and the calibrated rates as a scenario to keep."""
        from pathlib import Path

        from models import simulation as sim

        doc = self.document.map
        try:
            actuals = sim.read_actuals(path)
            calibrated, rows = sim.calibrate(doc, actuals, self.process.currentData())
        except JourneymapError as error:
            self.status.setText(str(error))
            return False
        name = f"Calibrated from {Path(path).name}"
        scenario_id = self.document.new_id("scenarios", "calibrated")
        self.calibration = sim.calibration_scenario(doc, calibrated, scenario_id, name)
        self.keep_button.setEnabled(
            bool(self.calibration.conversion or self.calibration.entry_volume)
        )
        _fill_table(
            self.actuals_table,
            ["Step or stage", "Plan", "Actual", "Actual / plan", "Calibrated"],
            [
                (
                    r.label,
                    simtext.number(r.plan, 1),
                    simtext.number(r.actual, 1),
                    "–" if r.ratio is None else f"{r.ratio:.0%}",
                    simtext.number(r.calibrated, 1),
                )
                for r in rows
            ],
        )
        self.tabs.setCurrentWidget(self.actuals_table)
        changed = len(self.calibration.conversion) + len(self.calibration.entry_volume)
        self.status.setText(
            f"Plan against actual from {Path(path).name}: {len(rows)} counts compared, "
            f"{changed} rates and volumes to calibrate."
        )
        return True

    def keep_calibration(self) -> None:
        if self.calibration is not None:
            self.scenario_proposed.emit(self.calibration)
            self._refresh_choices()
            self.scenario.setCurrentIndex(max(self.scenario.findData(self.calibration.id), 0))
            self.status.setText(
                f"Added the scenario '{self.calibration.name}' and picked it: press Run (F5) "
                "to compare it with the plan."
            )
            self.calibration = None
            self.keep_button.setEnabled(False)

    # --- drawing ---------------------------------------------------------------------------------

    def _clear_results(self) -> None:
        if not self._charts_drawn:
            return
        self._charts_drawn = False
        self.summary.clear()
        self.summary.setRowCount(0)
        self.summary.setColumnCount(0)
        for canvas in self.charts.values():
            canvas.figure.clear()
            canvas.draw_idle()

    def _show(self, outcome: Outcome) -> None:
        self._charts_drawn = True
        expected = outcome.expected
        currency = outcome.currency
        rows = [
            ("Deals won", simtext.number(expected.get("won"), 1)),
            ("Revenue", simtext.money(expected.get("revenue"), currency)),
            ("Leads lost", simtext.number(expected.get("lost"), 1)),
            ("Cost", simtext.money(expected.get("cost"), currency)),
            ("Cost per deal", simtext.money(expected.get("cost_per_won"), currency)),
            ("Days to close", simtext.number(expected.get("days_to_close"), 0)),
            ("Bottleneck", _bottleneck_text(expected.get("bottleneck"))),
        ]
        for column in outcome.comparison[1:]:
            delta = column.get("delta", {})
            rows.append(
                (
                    f"Scenario '{column['name']}'",
                    f"{simtext.number(column.get('won'), 1)} deals, "
                    f"{simtext.money(column.get('revenue'), currency)} ({_signed(delta.get('won'))} deals)",
                )
            )
        mc = outcome.monte_carlo
        if mc:
            won, revenue = mc.get("won", {}), mc.get("revenue", {})
            periods = outcome.request.periods
            rows += [
                (
                    f"Deals in {periods} {outcome.period}s, {mc['runs']} runs (P10 / P50 / P90)",
                    " / ".join(simtext.number(won.get(k), 1) for k in ("p10", "p50", "p90")),
                ),
                (
                    f"Revenue in {periods} {outcome.period}s (P50)",
                    simtext.money(revenue.get("p50"), currency),
                ),
                ("Leads not touched within the SLA", simtext.percent(mc.get("sla_breach_rate"))),
                ("Bottleneck in the runs", _bottleneck_text(mc.get("bottleneck"))),
            ]
        _fill_table(self.summary, [f"Per {outcome.period} (expected)", "Value"], rows)
        import matplotlib

        with matplotlib.rc_context(
            CHART_STYLE
        ):  # small print for dense panels, nothing changed globally
            self._chart_funnel(expected)
            self._chart_scenarios(outcome)
            self._chart_sensitivity(outcome)
            self._chart_backlog(mc)
            self._chart_band(mc)
        parts = [
            f"{simtext.number(expected.get('won'), 1)} deals and {simtext.money(expected.get('revenue'), currency)} "
            f"per {outcome.period} expected."
        ]
        text = _bottleneck_text(expected.get("bottleneck"))
        if text != "none":
            parts.append(f"Bottleneck: {text.rstrip('.')}.")
        self.status.setText(" ".join(parts))

    def _canvas(self, key: str):
        canvas = self.charts.get(key)
        if canvas is None:
            canvas = self.charts[key] = _chart_canvas()
            canvas.setObjectName(f"chart_{key}")
            self._chart_slots[key].addWidget(canvas)
        return canvas

    def _chart_funnel(self, expected: dict) -> None:
        canvas = self._canvas("funnel")
        figure = canvas.figure
        figure.clear()
        stages = expected.get("stages") or []
        ax = figure.add_subplot(111)
        if stages:
            names = [s["name"] for s in stages]
            counts = [s["leads"] or 0.0 for s in stages]
            bars = ax.barh(range(len(names)), counts, color="#4c6ef5")
            ax.set_yticks(range(len(names)), labels=names)
            ax.invert_yaxis()
            for bar, count in zip(bars, counts, strict=True):
                ax.text(
                    bar.get_width(),
                    bar.get_y() + bar.get_height() / 2,
                    f" {count:,.1f}",
                    va="center",
                )
            ax.set_xlabel("leads per period reaching the stage")
        else:
            _empty(ax, "No stages on this process's steps")
        canvas.draw_idle()

    def _chart_scenarios(self, outcome: Outcome) -> None:
        canvas = self._canvas("scenarios")
        figure = canvas.figure
        figure.clear()
        rows = outcome.comparison
        ax = figure.add_subplot(121)
        ax2 = figure.add_subplot(122)
        names = [r["name"] for r in rows]
        won = [r.get("won", 0.0) for r in rows]
        revenue = [r.get("revenue", 0.0) for r in rows]
        colors = ["#868e96"] + ["#2f9e44"] * (len(rows) - 1)
        ax.bar(range(len(rows)), won, color=colors)
        ax.set_xticks(range(len(rows)), labels=names, rotation=15, ha="right")
        ax.set_title(f"Deals per {outcome.period}")
        ax2.bar(range(len(rows)), revenue, color=colors)
        ax2.set_xticks(range(len(rows)), labels=names, rotation=15, ha="right")
        ax2.set_title(f"Revenue per {outcome.period} ({outcome.currency})")
        ax2.yaxis.set_major_formatter(_thousands())
        canvas.draw_idle()

    def _chart_sensitivity(self, outcome: Outcome) -> None:
        canvas = self._canvas("sensitivity")
        figure = canvas.figure
        figure.clear()
        moving = [lv for lv in outcome.levers if lv.get("revenue_delta")]
        levers = sorted(moving, key=lambda lv: -abs(lv["revenue_delta"]))[
            :8
        ]  # the biggest swings either way
        ax = figure.add_subplot(111)
        if levers:
            labels = [shortened(lv.get("short") or lv["what"], 32) for lv in levers]
            deltas = [lv["revenue_delta"] for lv in levers]
            ax.barh(
                range(len(levers)),
                deltas,
                color=["#2f9e44" if d >= 0 else "#e03131" for d in deltas],
            )
            ax.set_yticks(range(len(levers)), labels=labels)
            ax.invert_yaxis()
            ax.axvline(0, color="#495057", linewidth=0.8)
            ax.set_xlabel(f"revenue change per {outcome.period} ({outcome.currency})")
            ax.xaxis.set_major_formatter(_thousands())
        else:
            _empty(ax, "No single change moves revenue")
        canvas.draw_idle()

    def _chart_backlog(self, mc: dict | None) -> None:
        canvas = self._canvas("backlog")
        figure = canvas.figure
        figure.clear()
        ax = figure.add_subplot(111)
        teams = (mc or {}).get("teams") or {}
        drawn = False
        for name, data in teams.items():
            backlog = data.get("backlog") if isinstance(data, dict) else None
            if backlog:
                ax.plot(range(len(backlog)), backlog, label=data.get("name", name))
                drawn = True
        if drawn:
            ax.set_xlabel("day")
            ax.set_ylabel("leads waiting (median run)")
            ax.legend(loc="upper left")
        else:
            _empty(ax, "Run with Monte Carlo runs above 0 to see queues per team")
        canvas.draw_idle()

    def _chart_band(self, mc: dict | None) -> None:
        canvas = self._canvas("band")
        figure = canvas.figure
        figure.clear()
        ax = figure.add_subplot(111)
        per_period = (mc or {}).get("per_period") or []
        if per_period:
            x = [p["period"] for p in per_period]
            ax.fill_between(
                x,
                [p["won"]["p10"] for p in per_period],
                [p["won"]["p90"] for p in per_period],
                color="#a5d8ff",
                label="P10–P90",
            )
            ax.plot(
                x, [p["won"]["p50"] for p in per_period], color="#1c7ed6", marker="o", label="P50"
            )
            ax.plot(
                x,
                [p["won"]["mean"] for p in per_period],
                color="#495057",
                linestyle=":",
                label="mean",
            )
            ax.set_xlabel("period")
            ax.set_ylabel("deals won")
            ax.legend(loc="upper left")
        else:
            _empty(ax, "Run with Monte Carlo runs above 0 to see the range")
        canvas.draw_idle()


def _chart_canvas():
    import matplotlib
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    matplotlib.rcParams.update({"font.size": 8, "axes.titlesize": 9})  # dense panels: small print
    canvas = FigureCanvasQTAgg(Figure(figsize=(6, 3), layout="constrained"))
    canvas.setMinimumHeight(120)
    return canvas


def _fill_table(table: QTableWidget, headers: list[str], rows: list[tuple]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))
    table.resizeColumnsToContents()


def goal_rows(result) -> list[tuple]:
    """The reverse funnel as rows: deals, leads per entry, leads per stage, people per team and SLA."""
    rows = [
        (
            "Revenue",
            simtext.money(result.current_revenue, result.currency),
            simtext.money(result.target_revenue, result.currency),
        ),
        (
            "Deals won",
            simtext.number(result.current_deals, 1),
            simtext.number(result.deals_needed, 1),
        ),
    ]
    rows += [
        (f"Leads from '{e.label}'", simtext.number(e.current, 1), simtext.number(e.needed, 1))
        for e in result.entries
    ]
    rows += [
        (f"Leads reaching {s.name}", simtext.number(s.current, 1), simtext.number(s.needed, 1))
        for s in result.stages
    ]
    rows += [
        (f"People in {t.name}", str(t.headcount), f"{t.headcount_needed} ({t.reason})")
        for t in result.teams
    ]
    rows += [
        (
            f"SLA '{a.name}': {a.stage or 'leads'} per rep",
            simtext.number(a.per_rep_now, 1),
            f"{simtext.number(a.leads_per_rep, 0)} per rep: {a.headcount_needed} people",
        )
        for a in result.slas
    ]
    return rows


def _bottleneck_text(bottleneck) -> str:
    if not bottleneck:
        return "none"
    return str(
        bottleneck.get("message") or bottleneck.get("team") or bottleneck.get("node") or "none"
    )


def _empty(ax, message: str) -> None:
    """What a chart says when it has nothing to show yet."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: f"{value:,.0f}")


def _signed(value) -> str:
    return "–" if value is None else f"{value:+,.1f}"
