"""The simulation panel: a leader runs baseline and fix, sees the bottleneck on the diagram, asks for a goal."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.gui.canvas.scene import percent
from models.simulation import expected_flow, goal_seek
from models.simulation.prepare import apply_scenario
from models.templates import load_template

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
FIX = "Fix: qualification, cadence, nurture"


def _summary(panel) -> dict[str, str]:
    table = panel.summary
    return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}


def _run(panel, qtbot, runs: int = 50):
    panel.runs.setValue(runs)
    with qtbot.waitSignal(panel.finished, timeout=60000) as blocker:
        assert panel.run()
    return blocker.args[0]


def test_baseline_then_fix_moves_the_bottleneck_on_the_diagram(window, qtbot):
    doc = load_template("plugged-funnel")
    window.files.load(doc, None)
    panel = window.simulation
    outcome = _run(panel, qtbot)
    assert outcome is not None and panel.run_button.isEnabled()
    baseline = expected_flow(doc)
    assert (
        _summary(panel)["Deals won"] == f"{baseline.won:,.1f}"
    )  # the same figure as `journeymap simulate`
    window.action_overlay.trigger()  # Simulate ▸ Show flow on the diagram
    scene = window.view_for("funnel").diagram()
    assert scene.item_for_node("inquiries").overlay.startswith("1,000 in")
    assert scene.item_for_node(baseline.bottleneck.node).highlight
    flows = {
        edge.id: scene.item_for_edge(edge.id).width
        for edge in doc.edges
        if scene.item_for_edge(edge.id)
    }
    assert max(flows.values()) > min(flows.values())  # edge width follows the flow

    panel.scenario.setCurrentIndex(panel.scenario.findText(FIX))
    assert panel.scenario.toolTip() == FIX  # the whole name, when the narrow column cuts it
    fixed = _run(panel, qtbot)
    scenario_flow = expected_flow(doc, None, FIX)
    assert fixed.expected.won >= 2.5 * outcome.expected.won  # the deals roughly triple
    assert scene.item_for_node("inquiries").overlay.startswith(
        f"{scenario_flow.nodes['inquiries'].arrivals:,.0f} in"
    )
    changed = next(
        e for e in apply_scenario(doc, FIX).edges if e.conversion != doc.edge(e.id).conversion
    )
    assert scene.item_for_edge(changed.id).text == percent(
        changed.conversion
    )  # the scenario's rate is shown
    shown = scene.node_ids()
    highlighted = [n for n in shown if scene.item_for_node(n).highlight]
    assert highlighted == (
        [scenario_flow.bottleneck.node] if scenario_flow.bottleneck.node in shown else []
    )
    assert highlighted != [baseline.bottleneck.node]  # the bottleneck moved
    SCREENSHOTS.mkdir(exist_ok=True)
    window.simulation_dock.raise_()
    panel.tabs.setCurrentIndex(2)  # scenarios side by side
    window.resize(1920, 1080)
    window.grab().save(str(SCREENSHOTS / "simulation-plugged-funnel.png"))

    window.action_overlay.trigger()
    assert scene.item_for_node("inquiries").overlay == ""
    assert scene.item_for_edge(changed.id).text == percent(
        doc.edge(changed.id).conversion
    )  # the map's again


def test_goal_seek_from_the_panel_matches_the_model(window, qtbot):
    doc = load_template("plugged-funnel")
    window.files.load(doc, None)
    panel = window.simulation
    panel.revenue.setValue(1_000_000)
    assert panel.goal()
    expected = goal_seek(doc, 1_000_000)
    table = panel.goal_table
    rows = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert rows["Deals won"] == f"{expected.deals_needed:,.1f}"
    assert rows[f"Leads from '{expected.entries[0].label}'"] == f"{expected.entries[0].needed:,.1f}"


def test_cancel_stops_a_long_run_and_says_so(window, qtbot):
    window.files.load(load_template("enterprise"), None)
    panel = window.simulation
    panel.runs.setValue(5000)
    panel.periods.setValue(24)
    with qtbot.waitSignal(panel.finished, timeout=60000) as blocker:
        panel.run()
        panel.cancel()
    assert blocker.args == [None]
    assert panel.status.text() == "Cancelled." and panel.run_button.isEnabled()


def test_a_map_that_cannot_run_is_refused_with_its_findings(window, qtbot):
    """A flow without a conversion blocks the run; the panel says which, as the command line does."""
    from models.simulation import SimulationError, check_runnable

    window.files.load(load_template("plugged-funnel"), None)
    window.editor.update("edges", window.document.map.edges[2].id, conversion=None)
    with pytest.raises(SimulationError) as refusal:
        check_runnable(window.document.map, "funnel")
    outcome = _run(window.simulation, qtbot, runs=0)
    assert outcome is None
    assert window.simulation.status.text() == str(refusal.value)
    assert "no conversion rate" in str(refusal.value)


def test_plan_against_actual_and_keep_the_calibrated_rates(window, qtbot, tmp_path, monkeypatch):
    """A leader loads last quarter's CRM counts, sees plan against actual, keeps the rates as a scenario."""
    from app.gui.common import dialogs

    window.files.load(load_template("plugged-funnel"), None)
    panel = window.simulation
    counts = tmp_path / "q1.csv"
    counts.write_text("stage,count\ninquiry,1200\nopportunity,90\ncustomer,3\n", encoding="utf-8")
    monkeypatch.setattr(dialogs, "open_file", lambda *a: str(counts))
    assert panel.actuals_dialog()
    table = panel.actuals_table
    rows = {
        table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
        for r in range(table.rowCount())
    }
    assert rows["Customer"] == ("2.0", "3.0")  # plan 2 deals a quarter, 3 happened
    before = len(window.document.map.scenarios)
    qtbot.mouseClick(panel.keep_button, Qt.LeftButton)
    scenarios = window.document.map.scenarios
    assert len(scenarios) == before + 1 and scenarios[-1].name == "Calibrated from q1.csv"
    assert panel.scenario.findText("Calibrated from q1.csv") >= 0  # offered for the next run
    calibrated = expected_flow(window.document.map, None, scenarios[-1].id)
    assert calibrated.won == pytest.approx(3.0, rel=0.05)
    window.editor.undo_stack.undo()
    assert len(window.document.map.scenarios) == before


def test_a_bad_actuals_file_is_explained(window, tmp_path):
    window.files.load(load_template("plugged-funnel"), None)
    bad = tmp_path / "bad.csv"
    bad.write_text("stage,count\ninquiry,lots\n", encoding="utf-8")
    assert not window.simulation.compare_actuals(str(bad))
    assert "bad.csv" in window.simulation.status.text()


def test_results_for_other_settings_are_greyed_and_say_what_they_are_for(window, qtbot):
    window.files.load(load_template("plugged-funnel"), None)
    panel = window.simulation
    _run(panel, qtbot, runs=0)
    assert panel.tabs.isEnabled()
    panel.scenario.setCurrentIndex(panel.scenario.findText(FIX))
    assert not panel.tabs.isEnabled()
    assert panel.status.text().startswith("The results below are for Baseline")
    panel.scenario.setCurrentIndex(0)  # back to what was run: the results are current again
    assert panel.tabs.isEnabled()
    panel.scenario.setCurrentIndex(panel.scenario.findText(FIX))
    _run(panel, qtbot, runs=0)
    assert panel.tabs.isEnabled() and panel.outcome.overlay.title == FIX


def test_the_summary_states_one_bottleneck_and_why_the_runs_differ(window, qtbot):
    window.files.load(load_template("plugged-funnel"), None)
    outcome = _run(window.simulation, qtbot, runs=60)
    rows = _summary(window.simulation)
    assert "Bottleneck in the runs" not in rows and "Bottleneck" in rows
    expected, runs = outcome.expected.bottleneck, outcome.monte_carlo.bottleneck
    differ = runs is not None and (expected.node, expected.team) != (runs.node, runs.team)
    assert ("Why the runs see it elsewhere" in rows) == differ


def test_the_summary_shows_the_flow_with_capacity_and_the_revenue_at_risk(window, qtbot):
    doc = load_template("enterprise")
    window.files.load(doc, None)
    _run(window.simulation, qtbot, runs=0)
    rows = _summary(window.simulation)
    view = expected_flow(doc).capacity
    assert rows["Deals won, with capacity"] == f"{view.won:,.1f}"
    assert rows["Revenue at risk from capacity"].startswith(f"USD {view.revenue_at_risk:,.0f}")
    assert rows["Team that costs most"] == view.cause.name
