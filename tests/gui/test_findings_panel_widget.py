"""The findings panel on its own, over a real workspace (no main window): live updates, clicks, close."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.gui.panels.findings import FindingsPanel
from app.gui.workspace.workspace import Workspace
from models import Edge, Node
from models.editing import MapDocument
from models.templates import load_template

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def _panel(qtbot) -> tuple[MapDocument, FindingsPanel]:
    workspace = Workspace(load_template("saas-trial"))
    qtbot.waitUntil(lambda: workspace.analysis.settled)  # just after the paint
    panel = FindingsPanel(workspace)
    qtbot.addWidget(panel)
    panel.resize(900, 420)
    panel.show()
    return workspace.document, panel


def test_an_edit_updates_the_rows_after_the_debounce(qtbot):
    document, panel = _panel(qtbot)
    assert panel.row_for("orphan-activity") is None
    process = document.map.processes[0].id
    with qtbot.waitSignal(panel.findings_updated, timeout=5000) as blocker:
        document.add(
            "nodes", Node(id="brand-event", process=process, label="Brand event", owner=None)
        )
    assert any(f.code == "orphan-activity" and f.nodes == ("brand-event",) for f in blocker.args[0])
    row = panel.row_for("orphan-activity")
    assert "Brand event" in row.data()
    assert "sponsored brand event" in row.data(Qt.ToolTipRole) and "Fix:" in row.data(
        Qt.ToolTipRole
    )
    assert panel.findChild(type(panel.tree), "findingsTree") is panel.tree


def test_clicking_a_row_emits_the_process_nodes_and_edges(qtbot):
    document, panel = _panel(qtbot)
    process = document.map.processes[0].id
    entry = next(n for n in document.map.nodes if n.process == process and n.kind == "entry")
    with qtbot.waitSignal(panel.findings_updated, timeout=5000):
        document.add("nodes", Node(id="stuck", process=process, kind="buyer_step", label="Stuck"))
        document.add("edges", Edge(id="to-stuck", source=entry.id, target="stuck", conversion=0.0))
    panel.filter.setCurrentIndex(panel.filter.findData("dead-end"))
    row = next(r for r in [panel.row_for("dead-end")] if r is not None)
    finding = row.data(Qt.UserRole)
    panel.tree.scrollTo(row)
    rect = panel.tree.visualRect(row)
    with qtbot.waitSignal(panel.finding_activated) as blocker:
        qtbot.mouseClick(panel.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert blocker.args == [finding.process, list(finding.nodes), list(finding.edges)]
    panel.filter.setCurrentIndex(0)
    SCREENSHOTS.mkdir(exist_ok=True)
    panel.grab().save(str(SCREENSHOTS / "findings_panel.png"))


def test_a_closed_workspace_stops_analysing_and_a_destroyed_panel_stops_following(qtbot):
    from PySide6.QtCore import QCoreApplication, QEvent

    workspace = Workspace(load_template("saas-trial"))
    qtbot.waitUntil(lambda: workspace.analysis.settled)  # just after the paint
    panel = FindingsPanel(workspace)  # not given to qtbot: this test deletes it
    gone = []
    panel.destroyed.connect(lambda: gone.append(True))
    panel.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert gone
    workspace.derived.set_findings([])  # would reach the deleted widget if it still followed
    workspace.close()
    document = workspace.document
    document.add("nodes", Node(id="late", process=document.map.processes[0].id, label="Late"))
    assert not workspace.analysis.timer.isActive()


def test_a_large_map_is_analysed_off_the_ui_thread_and_stale_results_are_dropped(qtbot):
    """Over 1,000 nodes the analysis runs in a worker; an edit made while it runs makes its result stale."""
    from models.derived import badges_for
    from models.generate import generate_funnel

    workspace = Workspace(generate_funnel(1500, 2500, seed=3))
    assert not workspace.analysis.settled  # scheduled: what opens shows before it is analysed
    document = workspace.document
    panel = FindingsPanel(workspace)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.busy or workspace.analysis.settled)  # the run, in a worker
    process = document.map.processes[0].id
    with qtbot.waitSignal(panel.findings_updated, timeout=20000) as blocker:
        document.add("nodes", Node(id="brand-event", process=process, label="Brand event"))
    # the first result shown already includes the edit: the run started before it was dropped
    assert any(f.code == "orphan-activity" and f.nodes == ("brand-event",) for f in blocker.args[0])
    qtbot.waitUntil(lambda: not panel.busy, timeout=20000)
    derived = workspace.derived  # the worker made the badges too: the same as made here
    assert derived.badges and derived.badges == badges_for(derived.findings)
    assert derived.badges["brand-event"].severity in ("error", "warning")


def test_a_finding_about_a_team_selects_the_team_in_the_outline(qtbot):
    """The enterprise SDR overload is about the team: a click selects it in the outline (and so
    in Properties), never a step on the diagram."""
    from app.gui.panels.outline import ROLE, OutlinePanel

    workspace = Workspace(load_template("enterprise"))
    qtbot.waitUntil(lambda: workspace.analysis.settled)  # just after the paint
    panel, outline = FindingsPanel(workspace), OutlinePanel(workspace)
    qtbot.addWidget(panel)
    qtbot.addWidget(outline)
    panel.filter.setCurrentIndex(panel.filter.findData("team-over-capacity"))
    rows = [
        panel.model.index(r, 0, group)
        for group in panel.model.groups()
        for r in range(panel.model.rowCount(group))
    ]
    sdr = next(r for r in rows if r.data(Qt.UserRole) and "SDR" in r.data())
    assert sdr.data(Qt.UserRole).items == (("teams", "sdr"),)
    panel._on_activated(sdr)  # noqa: SLF001 - what a click does, without the window
    assert workspace.selection.other == ("teams", "sdr")
    assert workspace.selection.nodes == () and workspace.selection.process == "funnel"
    assert outline.tree.currentItem().data(0, ROLE) == ("teams", "sdr")
    assert outline.group_item("teams").isExpanded()


def test_each_kind_of_item_a_finding_names_is_selected_in_the_outline(qtbot):
    """Stages, SLAs, criteria, scenarios, roles and processes: the item a finding names."""
    from app.gui.panels.outline import ROLE, OutlinePanel
    from models import SLA, Criteria, Scenario, Stage

    doc = load_template("saas-trial")
    doc.stages.append(Stage(id="x-stage", name="Renewal"))
    doc.criteria.append(Criteria(id="x-crit", name="MEDDIC"))
    doc.slas.append(SLA(id="x-sla", name="Renewals", from_team="ghost", to_team="ghost"))
    doc.scenarios.append(Scenario(id="x-scen", name="Hire", headcount={"ghost": 1}))
    workspace = Workspace(doc)
    qtbot.waitUntil(lambda: workspace.analysis.settled)  # just after the paint
    panel, outline = FindingsPanel(workspace), OutlinePanel(workspace)
    qtbot.addWidget(panel)
    qtbot.addWidget(outline)
    named = {i for f in panel.findings() for i in f.items}
    for wanted in [
        ("stages", "x-stage"),
        ("criteria", "x-crit"),
        ("slas", "x-sla"),
        ("scenarios", "x-scen"),
    ]:
        assert wanted in named
    for finding in panel.findings():
        if not finding.items:
            continue
        row = next(
            panel.model.index(r, 0, group)
            for group in panel.model.groups()
            for r in range(panel.model.rowCount(group))
            if panel.model.index(r, 0, group).data(Qt.UserRole) is finding
        )
        panel._on_activated(row)  # noqa: SLF001 - what a click does, without the window
        assert workspace.selection.other == finding.items[0]
        assert outline.tree.currentItem().data(0, ROLE) == finding.items[0]


def test_the_sessions_first_analysis_loads_its_libraries_off_the_ui_thread(qtbot, monkeypatch):
    """The first analysis imports networkx and scipy (about half a second): it runs in a worker,
    so a map just opened can be painted and used meanwhile; its findings follow."""
    import sys
    import threading

    monkeypatch.delitem(sys.modules, "models.analysis", raising=False)  # a fresh session
    imported_on = []
    real_import = __import__

    def watching(name, *args, **kwargs):
        if name == "models.analysis" and name not in sys.modules:  # loading it, not a lookup
            imported_on.append(threading.current_thread() is threading.main_thread())
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr("builtins.__import__", watching)
    workspace = Workspace(load_template("saas-trial"))
    workspace.analysis.refresh()
    assert workspace.analysis.busy  # in a worker, not inline
    qtbot.waitUntil(lambda: workspace.analysis.settled, timeout=20000)
    assert imported_on and not any(imported_on)  # never loaded on the UI thread
    assert workspace.derived.findings  # and its findings arrived
    workspace.close()
