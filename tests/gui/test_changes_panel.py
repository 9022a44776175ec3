"""The Changes dock (File ▸ Compare with…, issue 19): what changed since another version, read-only,
over a real workspace, and from a git revision of the open map through the window."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.gui.panels.changes import ChangesPanel
from app.gui.shell import compare_actions
from app.gui.workspace.workspace import Workspace
from models import Node, save_map
from models.templates import load_template

_FIND = Qt.MatchContains | Qt.MatchRecursive
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def _edited(workspace: Workspace) -> None:
    document = workspace.document
    document.add("nodes", Node(id="node-3fa2b1", process="funnel", label="Call the CFO"))
    edge = document.map.edges[0]
    document.update("edges", edge.id, conversion=0.5)
    document.remove("slas", document.map.slas[-1].id)


def test_added_removed_and_changed_items_are_listed_and_clicking_one_selects_it(qtbot):
    workspace = Workspace(load_template("enterprise"))
    qtbot.waitUntil(lambda: workspace.analysis.settled, timeout=60_000)
    panel = ChangesPanel(workspace)
    qtbot.addWidget(panel)
    panel.resize(700, 420)
    panel.show()
    before = load_template("enterprise")
    _edited(workspace)
    diff = panel.compare_with(before, "enterprise.json")
    assert diff.counts() == {"added": 1, "removed": 1, "changed": 1, "moved": 0}
    rows = panel.rows()
    edge = before.edges[0]
    assert '  + node-3fa2b1 "Call the CFO" (action in funnel)' in rows
    assert f"    conversion: {edge.conversion} → 0.5" in rows
    assert any(row.startswith(f"  − {before.slas[-1].id}") for row in rows)
    assert panel.summary.text() == "Since enterprise.json: 1 added, 1 removed, 1 changed, 0 moved."
    SCREENSHOTS.mkdir(exist_ok=True)
    panel.grab().save(str(SCREENSHOTS / "changes-panel.png"))

    step = panel.tree.findItems("+ node-3fa2b1", _FIND)[0]
    panel.tree.setCurrentItem(step)
    assert (workspace.selection.process, workspace.selection.nodes) == ("funnel", ("node-3fa2b1",))
    field = panel.tree.findItems(f"conversion: {edge.conversion}", _FIND)[0]
    panel.tree.setCurrentItem(field)  # a field's row selects its connection
    assert workspace.selection.edges == (edge.id,)

    with qtbot.waitSignal(panel.diff_updated, timeout=5000) as blocker:  # it follows edits
        workspace.document.update("edges", edge.id, conversion=edge.conversion)
    assert blocker.args[0].counts()["changed"] == 0
    qtbot.waitUntil(
        lambda: workspace.analysis.settled, timeout=60_000
    )  # no worker outlives the workspace


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_compare_with_a_git_revision_of_the_open_map(window, tmp_path, monkeypatch, qtbot):
    folder = tmp_path / "repo"
    folder.mkdir()
    path = folder / "plan.json"
    save_map(load_template("saas-trial"), path)
    env = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for args in (
        ["init", "-q"],
        ["add", "plan.json"],
        ["-c", "user.name=A", "-c", "user.email=a@b", "commit", "-q", "-m", "first"],
    ):
        subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)
    assert window.files.open_path(path)
    window.document.update("nodes", "need", label="Needs a better tool")
    monkeypatch.setattr(compare_actions, "ask_revision", lambda parent, name: "HEAD")
    assert window.compare_actions.compare_with_revision()
    assert window.changes_dock.isVisible()
    assert window.changes.summary.text().startswith("Since HEAD:plan.json: 0 added, 0 removed, 1")
    assert '    label: "Needs a tool for the team" → "Needs a better tool"' in window.changes.rows()
    errors = []
    monkeypatch.setattr(compare_actions.dialogs, "error", lambda *args: errors.append(args[2]))
    monkeypatch.setattr(compare_actions, "ask_revision", lambda parent, name: "no-such-rev")
    assert not window.compare_actions.compare_with_revision()
    assert errors and "git cannot show this version" in errors[0]
    qtbot.waitUntil(lambda: window.workspace.analysis.settled, timeout=60_000)


def test_two_scenarios_show_the_parameters_they_set_differently(qtbot):
    workspace = Workspace(load_template("enterprise"))
    qtbot.waitUntil(lambda: workspace.analysis.settled, timeout=60_000)
    panel = ChangesPanel(workspace)
    qtbot.addWidget(panel)
    panel.resize(700, 300)
    panel.show()
    first, second, third = workspace.document.map.scenarios
    rows = panel.compare_scenarios(first.id, second.id)
    assert rows == ["conversion[funnel-e14]: 0.495 → (map)", "headcount[sdr]: (map) → 3"]
    assert panel.picker.isVisible() and panel.second.currentText() == second.name
    assert panel.summary.text() == (
        f"Scenario “{first.name}” → “{second.name}”: 2 parameters set differently."
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    panel.grab().save(str(SCREENSHOTS / "changes-scenarios.png"))
    panel.tree.setCurrentItem(panel.tree.findItems("headcount[sdr]", _FIND)[0])
    assert workspace.selection.other == ("teams", "sdr")  # Properties shows the team
    panel.tree.setCurrentItem(panel.tree.findItems("conversion[funnel-e14]", _FIND)[0])
    assert workspace.selection.edges == ("funnel-e14",)
    panel.second.setCurrentIndex(2)  # another scenario picked in the dock
    panel.second.activated.emit(2)
    assert panel.scenarios == (first.id, third.id)
    assert panel.summary.text().startswith(f"Scenario “{first.name}” → “{third.name}”")
    qtbot.waitUntil(lambda: workspace.analysis.settled, timeout=60_000)


def test_compare_scenarios_needs_two(window, monkeypatch, qtbot):
    errors = []
    monkeypatch.setattr(compare_actions.dialogs, "error", lambda *args: errors.append(args[2]))
    window.files.load(load_template("saas-trial"), None)
    if len(window.document.map.scenarios) < 2:
        assert not window.compare_actions.compare_scenarios()
        assert errors == ["The map needs two scenarios to compare; add them in the outline."]
    window.files.load(load_template("enterprise"), None)
    assert window.compare_actions.compare_scenarios()
    assert window.changes_dock.isVisible() and len(window.changes.rows()) == 2
    qtbot.waitUntil(lambda: window.workspace.analysis.settled, timeout=60_000)


def test_the_canvas_marks_what_changed_since_the_version_compared(window, qtbot, tmp_path):
    """Added steps and connections green, changed ones amber (what changed on hover), removed
    steps as faded ghosts where they were; closing the dock takes the marks away."""
    before = load_template("enterprise")
    window.files.load(load_template("enterprise"), None)
    funnel = next(p.id for p in before.processes if p.kind == "funnel")
    window.workspace.selection.set(funnel, focus=True)
    scene = window.current_view().diagram()
    assert scene.process_id == funnel
    gone = next(n for n in before.nodes if n.process == funnel and n.kind == "action" and n.label)
    changed = next(
        e
        for e in before.edges
        if e.kind == "flow"
        and gone.id not in (e.source, e.target)
        and before.node(e.source).process == funnel
    )
    window.editor.remove_nodes([gone.id])
    window.editor.add_node(Node(id="node-new", process=funnel, label="Call the CFO"), (0, 600))
    window.editor.update("edges", changed.id, conversion=0.123)
    save_map(before, tmp_path / "enterprise.json")
    assert window.compare_actions.compare(
        str(tmp_path / "enterprise.json"), None, "enterprise.json"
    )
    assert scene.item_for_node("node-new").change == "added"
    assert scene.item_for_edge(changed.id).mark == "changed"
    assert "conversion" in window.workspace.derived.change_marks["edges", changed.id].text
    assert scene.ghost_labels() == [gone.label]
    window.resize(1600, 900)
    window.current_view().open_fit()
    SCREENSHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "changes-on-canvas.png"))
    window.compare_actions.dock.close()  # the comparison ends with its dock
    assert scene.item_for_node("node-new").change is None
    assert scene.item_for_edge(changed.id).mark is None
    assert scene.ghost_labels() == []


def test_removed_connections_are_drawn_as_ghost_lines_between_their_ends(window, qtbot, tmp_path):
    """A connection removed since the version compared is a faded line between its two ends (a
    step of the map now, or a removed step's ghost) with its old label; it is not an edge of
    the canvas (never selected), says on hover that it was removed, and goes with the dock."""
    before = load_template("enterprise")
    window.files.load(load_template("enterprise"), None)
    funnel = next(p.id for p in before.processes if p.kind == "funnel")
    window.workspace.selection.set(funnel, focus=True)
    scene = window.current_view().diagram()
    mine = [e for e in before.edges if e.kind == "flow" and before.node(e.source).process == funnel]
    cut = mine[0]  # removed alone: both its ends stay on the canvas
    inside = [e for e in mine[1:] if before.node(e.target).process == funnel]
    gone = next(  # a step removed with its connections: their ghosts end at its ghost
        before.node(e.target)
        for e in inside
        if e.target not in (cut.source, cut.target) and before.node(e.target).kind == "action"
    )
    with_gone = {  # drawn where both ends are on this canvas
        e.id
        for e in before.edges
        if gone.id in (e.source, e.target)
        and before.node(e.source).process == before.node(e.target).process == funnel
    }
    assert with_gone
    window.editor.update("edges", cut.id, label="Booked a demo")
    before.edges[before.edges.index(cut)] = cut = cut.model_copy(update={"label": "Booked a demo"})
    window.editor.remove_edges([cut.id])
    window.editor.remove_nodes([gone.id])
    save_map(before, tmp_path / "enterprise.json")
    assert window.compare_actions.compare(
        str(tmp_path / "enterprise.json"), None, "enterprise.json"
    )
    ghosts = {g.edge_id: g for g in scene.ghost_edges()}
    assert set(ghosts) == {cut.id} | with_gone
    line = ghosts[cut.id]
    assert line.text == "Booked a demo"
    assert line.toolTip() == (
        "Removed since the other version: the connection from "
        f"“{before.node(cut.source).label}” to “{before.node(cut.target).label}” (Booked a demo)."
    )
    middle = line.path().pointAtPercent(0.25)
    source, target = (scene.item_for_node(i).pos() for i in (cut.source, cut.target))
    assert line.path().pointAtPercent(0).x() == pytest.approx(source.x(), abs=120)
    assert line in scene.items(middle)  # hovering there shows its tooltip
    assert not line.flags() & line.GraphicsItemFlag.ItemIsSelectable
    assert line.acceptedMouseButtons() == Qt.NoButton
    hit = scene.edge_at(middle)
    assert hit is None or hit.edge_id != cut.id  # not an edge of the canvas
    assert cut.id not in scene.edge_layer.lines
    ghost_ends = [g for g in scene.ghost_edges() if g.edge_id in with_gone]
    assert ghost_ends and scene.ghost_labels() == [gone.label]
    start = line.path().pointAtPercent(0)
    window.editor.move_nodes({cut.source: (source.x() - 300, source.y())})  # its end moves
    (line,) = [g for g in scene.ghost_edges() if g.edge_id == cut.id]
    assert line.path().pointAtPercent(0).x() == pytest.approx(start.x() - 300, abs=60)

    window.resize(1600, 900)
    view = window.current_view()
    view.fitInView(line.sceneBoundingRect().adjusted(-500, -300, 500, 300), Qt.KeepAspectRatio)
    SCREENSHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "changes-removed-connections.png"))
    window.compare_actions.dock.close()  # the comparison ends with its dock
    assert scene.ghost_edges() == [] and scene.ghost_labels() == []
    assert not [i for i in scene.items() if i.toolTip().startswith("Removed since")]


def test_the_buying_group_page_shows_a_removed_link_between_processes(window, qtbot, tmp_path):
    """A link from a funnel action to a buyer step of another process has both ends only on
    the buying-group page: removed since the version compared, it is drawn there as a ghost
    line, and follows its step when the step is moved on the page."""
    before = load_template("enterprise")
    link = next(
        e
        for e in before.edges
        if e.kind == "addresses" and before.node(e.source).process != before.node(e.target).process
    )
    window.files.load(load_template("enterprise"), None)
    window.editor.remove_edges([link.id])
    save_map(before, tmp_path / "enterprise.json")
    window.view_actions.group.trigger()  # View ▸ Buying group
    scene = window.current_view().diagram()
    assert window.compare_actions.compare(
        str(tmp_path / "enterprise.json"), None, "enterprise.json"
    )
    (line,) = scene.ghost_edges()
    assert line.edge_id == link.id
    source = scene.item_for_node(link.source).pos()
    assert line.path().pointAtPercent(0).x() == pytest.approx(source.x(), abs=120)
    assert scene.ghost_labels() == []  # no removed step: no step ghost on the page
    window.editor.move_nodes({link.source: (source.x() + 200, source.y())}, group=True)
    (line,) = scene.ghost_edges()
    assert line.path().pointAtPercent(0).x() == pytest.approx(source.x() + 200, abs=120)
    window.compare_actions.dock.close()
    assert scene.ghost_edges() == []
