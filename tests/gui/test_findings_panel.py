"""The findings panel follows edits, explains itself, and takes the user to the problem."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from models import Node
from models.templates import load_template

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def test_panel_updates_after_an_edit_and_badges_appear(window, qtbot):
    window.files.load(load_template("enterprise"), None)
    qtbot.waitUntil(lambda: window.workspace.analysis.settled)  # just after the paint
    panel = window.findings
    assert panel.row_for("dead-end") is not None
    assert panel.row_for("no-call-to-action") is None
    with qtbot.waitSignal(panel.findings_updated, timeout=5000):
        window.editor.update("nodes", "qualify", call_to_action="")
    row = panel.row_for("no-call-to-action")
    assert row is not None and "BANT qualification call" in row.data()
    assert "obvious next step" in row.data(Qt.ToolTipRole)  # why it matters, in the method's terms
    badge = window.view_for("funnel").diagram().item_for_node("qualify").badge
    assert (badge.severity, badge.count) == ("warning", 1)


def test_clicking_a_finding_selects_and_centres_its_nodes(window, qtbot):
    window.files.load(load_template("enterprise"), None)
    qtbot.waitUntil(lambda: window.workspace.analysis.settled)  # just after the paint
    window.open_process("champion-journey")
    panel = window.findings
    row = panel.row_for("unaddressed-step")
    panel.tree.scrollTo(row)
    rect = panel.tree.visualRect(row)
    with qtbot.waitSignal(panel.finding_activated) as blocker:
        qtbot.mouseClick(panel.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert blocker.args == ["business-journey", ["bb-references"], []]
    scene = window.current_view().diagram()
    assert scene.process_id == "business-journey"
    assert scene.selected_node_ids() == ["bb-references"]


def test_filter_by_code(window, qtbot):
    window.files.load(load_template("enterprise"), None)
    qtbot.waitUntil(lambda: window.workspace.analysis.settled)  # just after the paint
    panel = window.findings
    panel.filter.setCurrentIndex(panel.filter.findData("orphan-activity"))
    assert panel.row_for("orphan-activity") is not None and panel.row_for("dead-end") is None
    SCREENSHOTS.mkdir(exist_ok=True)
    panel.filter.setCurrentIndex(0)
    window.grab().save(str(SCREENSHOTS / "findings-panel.png"))


def test_typing_never_waits_for_the_analysis(window, qtbot):
    """Edits only restart a debounce timer; the analysis runs once after the burst."""
    window.files.load(load_template("enterprise"), None)
    qtbot.waitUntil(lambda: window.workspace.analysis.settled)  # just after the paint
    panel = window.findings
    runs = []
    panel.findings_updated.connect(lambda f: runs.append(len(f)))
    for index in range(5):
        window.editor.add_node(
            Node(id=f"t{index}", process="funnel", label=f"T{index}"), (0, 600 + index)
        )
    assert runs == [] and window.workspace.analysis.timer.isActive()
    qtbot.waitUntil(lambda: len(runs) == 1, timeout=5000)


def test_badges_are_on_the_steps_as_soon_as_a_file_opens_and_in_tabs_opened_later(
    window, tmp_path, qtbot
):
    from models import save_map
    from models.templates import load_template

    path = tmp_path / "enterprise.json"
    save_map(load_template("enterprise"), path)
    window.files.open_path(path)
    qtbot.waitUntil(lambda: window.workspace.analysis.settled)  # just after the paint
    funnel = window.current_view().diagram()
    badge = funnel.item_for_node("trade-show").badge
    assert (badge.severity, badge.count) == ("error", 1)
    later = window.open_process("business-journey").diagram()
    badge = later.item_for_node("bb-references").badge
    assert (badge.severity, badge.count) == ("warning", 1)


def test_a_finding_about_a_connection_selects_it_alone_and_opens_its_field(window, qtbot):
    """A missing conversion used to select both steps and the connection, so Properties showed
    '2 steps selected'; now the connection alone is selected and the keyboard is in its field."""
    doc = load_template("enterprise")
    edge = next(e for e in doc.edges if e.kind == "flow" and e.source == "qualify")
    edge.conversion = None
    window.files.load(doc, None)
    qtbot.waitUntil(lambda: window.workspace.analysis.settled)  # just after the paint
    window.activateWindow()
    panel = window.findings
    row = panel.row_for("missing-conversion")
    panel.tree.scrollTo(row)
    qtbot.mouseClick(panel.tree.viewport(), Qt.LeftButton, pos=panel.tree.visualRect(row).center())
    scene = window.current_view().diagram()
    assert scene.selected_node_ids() == [] and scene.selected_edge_ids() == [edge.id]
    field = window.properties.findChild(QLineEdit, "field_conversion")
    assert field is not None and field.hasFocus()
    qtbot.keyClicks(field, "35%")
    qtbot.keyClick(field, Qt.Key_Return)
    assert window.document.get("edges", edge.id).conversion == 0.35


def test_a_finding_about_a_team_opens_the_team_in_properties(window, qtbot):
    """'SDR / inside sales is at 164% of capacity': a click shows the team, with the keyboard in
    its headcount, and the outline selects it."""
    from PySide6.QtWidgets import QWidget

    from app.gui.panels.outline import ROLE

    window.files.load(load_template("enterprise"), None)
    qtbot.waitUntil(lambda: window.workspace.analysis.settled)  # just after the paint
    window.activateWindow()
    panel = window.findings
    panel.filter.setCurrentIndex(panel.filter.findData("team-over-capacity"))
    rows = [
        panel.model.index(r, 0, group)
        for group in panel.model.groups()
        for r in range(panel.model.rowCount(group))
    ]
    row = next(r for r in rows if r.data(Qt.UserRole) and "SDR" in r.data())
    panel.tree.scrollTo(row)
    qtbot.mouseClick(panel.tree.viewport(), Qt.LeftButton, pos=panel.tree.visualRect(row).center())
    assert window.workspace.selection.other == ("teams", "sdr")
    assert window.outline.tree.currentItem().data(0, ROLE) == ("teams", "sdr")
    field = window.properties.findChild(QWidget, "field_headcount")
    assert field is not None and field.hasFocus()
    assert window.current_view().diagram().selected_node_ids() == []


def test_a_cadence_the_team_cannot_cover_opens_the_sla_at_its_minutes(window, qtbot):
    """The SDRs' follow-up SLA at 15 minutes an attempt asks 455 hours of their 347: a click shows
    the SLA with the keyboard in its minutes per attempt; 4 minutes (121 hours) fixes it."""
    from app.gui.panels.outline import ROLE

    doc = load_template("enterprise")
    doc.slas[1].attempt_minutes = 15
    window.files.load(doc, None)
    qtbot.waitUntil(lambda: window.workspace.analysis.settled)  # just after the paint
    window.activateWindow()
    panel = window.findings
    row = panel.row_for("sla-cadence-over-hours")
    assert row is not None and "about 455 hours" in row.data()
    panel.tree.scrollTo(row)
    qtbot.mouseClick(panel.tree.viewport(), Qt.LeftButton, pos=panel.tree.visualRect(row).center())
    assert window.workspace.selection.other == ("slas", "sla-follow-up")
    assert window.outline.tree.currentItem().data(0, ROLE) == ("slas", "sla-follow-up")
    field = window.properties.findChild(QLineEdit, "field_attempt_minutes")
    assert field is not None and field.hasFocus()
    field.selectAll()
    with qtbot.waitSignal(panel.findings_updated, timeout=5000):
        qtbot.keyClicks(field, "4")
        qtbot.keyClick(field, Qt.Key_Return)
    assert window.document.get("slas", "sla-follow-up").attempt_minutes == 4
    assert panel.row_for("sla-cadence-over-hours") is None


def test_a_big_map_opened_is_drawn_before_it_is_analysed(window, tmp_path, qtbot, monkeypatch):
    """The analysis of a map just opened waits for its canvas: a worker analysing meanwhile
    holds the interpreter lock that every slice of the canvas and every step's paint needs (a
    2,000-step map's opening stalled the window three times as long)."""
    from app.gui.workspace.analysis import LiveAnalysis
    from models.generate import generate_funnel
    from models.storage import save_map

    path = tmp_path / "big.json"
    save_map(generate_funnel(800, 1100, seed=2), path)  # over 600 steps: built in slices
    building_when_analysed = []
    refresh = LiveAnalysis.refresh

    def noting(analysis):
        view = window.current_view()
        building_when_analysed.append(view is not None and view.diagram().building)
        refresh(analysis)

    monkeypatch.setattr(LiveAnalysis, "refresh", noting)
    window.files.open_path(path)
    qtbot.waitUntil(lambda: window.workspace.analysis.settled, timeout=60000)
    assert building_when_analysed and not any(building_when_analysed)
    assert window.workspace.derived.findings  # and it was analysed
