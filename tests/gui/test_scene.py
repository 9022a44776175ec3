"""The canvas as a projection of the workspace, built without a main window (as orange tests its scene).

The scene is the only writer of its items: labels from the document, badges and the flow
from the workspace's derived state. Driving the model must be enough to change what is drawn.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from app.gui.canvas.scene import MapScene
from app.gui.shell.tabs import ProcessTabs
from app.gui.workspace.workspace import Workspace
from models import Edge, JourneyMap, Layout, Node, Process
from models.document import Scenario
from models.findings import Finding
from models.simulation.session import Request, run_simulation


def _funnel() -> JourneyMap:
    """100 leads a period: 40% book a demo, half of those buy; a scenario lifts the demo rate to 60%."""
    return JourneyMap(
        processes=[Process(id="p", name="Funnel", kind="funnel")],
        nodes=[
            Node(id="in", process="p", kind="entry", label="Web leads", volume=100),
            Node(id="demo", process="p", kind="action", label="Demo"),
            Node(id="won", process="p", kind="won", label="Customer", deal_value=1000),
        ],
        edges=[
            Edge(id="e1", source="in", target="demo", conversion=0.4, delay_days=2),
            Edge(id="e2", source="demo", target="won", conversion=0.5),
        ],
        scenarios=[Scenario(id="better", name="Better demos", conversion={"e1": 0.6})],
        layout=Layout(nodes={"in": (0, 0), "demo": (300, 0), "won": (600, 0)}),
    )


@pytest.fixture
def workspace(qtbot):
    ws = Workspace(_funnel())
    yield ws
    ws.close()


@pytest.fixture
def scene(workspace):
    built = MapScene(workspace, "p", progressive=False)
    yield built
    built.detach()


def _show_flow(workspace: Workspace, scenario: str | None) -> None:
    doc = workspace.document.map
    workspace.derived.set_outcome(run_simulation(doc, Request("p", scenario, 1, 0, 1)))
    workspace.derived.show_overlay(True)


def test_the_scene_follows_the_document_and_undo(workspace, scene):
    editor = workspace.editor
    editor.add_node(Node(id="nurture", process="p", kind="action", label="Nurture"), (300, 200))
    assert scene.item_for_node("nurture").label == "Nurture"
    editor.update("nodes", "nurture", label="Nurture mails")
    assert scene.item_for_node("nurture").label == "Nurture mails"
    editor.undo_stack.undo()
    assert scene.item_for_node("nurture").label == "Nurture"
    editor.undo_stack.undo()
    assert scene.item_for_node("nurture") is None


def test_badges_come_from_the_findings_and_explain_themselves(workspace, scene):
    workspace.derived.set_findings(
        [Finding("dead-end", "warning", "Demo leads nowhere when it fails", "p", ("demo",))]
    )
    item = scene.item_for_node("demo")
    assert (item.badge.severity, item.badge.count) == ("warning", 1)
    assert "Demo leads nowhere when it fails" in scene.tooltip_at(item.pos())
    workspace.derived.set_findings([])
    assert item.badge is None


def test_a_scenario_flow_labels_its_rates_and_an_unrelated_edit_keeps_them(workspace, scene):
    """With the scenario's flow shown, changing only an edge's delay kept its width but
    flipped its label back to the map's rate (two writers for one label)."""
    _show_flow(workspace, "better")
    line = scene.item_for_edge("e1")
    assert line.text == "60%" and line.width > 1.6
    width = line.width
    assert scene.item_for_node("in").overlay == "100 in · 40 drop"
    workspace.editor.update("edges", "e1", delay_days=5)
    assert (line.text, line.width) == ("60%", width)


def test_editing_a_conversion_under_the_baseline_flow_keeps_its_width(workspace, scene):
    _show_flow(workspace, None)
    line = scene.item_for_edge("e2")
    width = line.width
    assert width > 1.6
    workspace.editor.update("edges", "e2", conversion=0.6)
    assert (line.text, line.width) == ("60%", width)


def test_hiding_the_flow_gives_back_the_maps_rates_and_thin_lines(workspace, scene):
    _show_flow(workspace, "better")
    workspace.derived.show_overlay(False)
    line = scene.item_for_edge("e1")
    assert (line.text, line.width) == ("40%", 1.6)
    assert scene.item_for_node("in").overlay == "" and not scene.item_for_node("won").highlight


def test_a_scene_opened_while_the_flow_is_shown_draws_it_at_once(workspace):
    _show_flow(workspace, "better")
    late = MapScene(workspace, "p", progressive=False)
    try:
        assert late.item_for_edge("e1").text == "60%"
        assert late.item_for_node("demo").overlay.startswith("60 in")
    finally:
        late.detach()


def test_a_new_map_takes_the_flow_and_its_switch_away(workspace, scene):
    _show_flow(workspace, None)
    workspace.document.replace(_funnel())
    assert not workspace.derived.overlay_shown and workspace.derived.outcome is None
    assert scene.item_for_node("in").overlay == ""


def test_renaming_a_process_renames_its_tab(workspace, qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    tabs = ProcessTabs(workspace, parent)
    tabs.open_process("p")
    workspace.editor.update("processes", "p", name="Enterprise funnel")
    assert tabs.tabs.tabText(0) == "Enterprise funnel"
    workspace.editor.undo_stack.undo()
    assert tabs.tabs.tabText(0) == "Funnel"
    tabs.close_all()


def test_the_canvas_refuses_what_the_map_refuses_and_says_why(workspace, scene, qtbot):
    """Connecting out of an outcome, twice, or a flow across processes: nothing changes, the
    status bar says why (the rule lives in models.connect, the scene only asks it)."""
    said = []
    scene.status_message.connect(said.append)
    edges = len(workspace.document.map.edges)
    assert scene.connect_nodes("won", "demo") is None
    assert scene.connect_nodes("in", "demo") is None
    scene.select_nodes(["won"])
    assert scene.add_next_step() is None
    assert len(workspace.document.map.edges) == edges
    assert said == [
        "'Customer' is an outcome: leads that reach it stay there, so it has no next step.",
        "Those two are already connected.",
        "'Customer' is an outcome: leads that reach it stay there, so it has no next step.",
    ]


def test_the_canvas_says_which_scenario_its_flow_is(workspace, scene, qtbot):
    """A flow on the diagram names its scenario; it says so when the map changed since, and
    the caption goes with the flow."""
    from app.gui.canvas.view import DiagramView

    view = DiagramView(scene)
    qtbot.addWidget(view)
    view.show()
    assert not view.caption.isVisible()
    _show_flow(workspace, "better")
    assert view.caption.isVisible()
    assert view.caption.text() == "Expected flow per month: Better demos"
    # above the canvas, never over a step: the canvas starts below it
    assert view.viewport().geometry().top() >= view.caption.geometry().bottom()
    workspace.editor.update("edges", "e2", conversion=0.6)
    assert view.caption.text().endswith("(the map changed since: run again)")
    workspace.derived.show_overlay(False)
    assert not view.caption.isVisible()
    assert view.viewport().geometry().top() <= view.frameWidth()  # the strip goes with it


def test_steps_are_cached_from_the_second_paint_on(workspace, scene, qtbot):
    """The first paint draws the steps straight onto the canvas (a picture per step would
    make the page show later); from then on each step keeps its picture, so repaints at the
    same zoom (scrolling, hovering, selecting) are quick, and look the same."""
    from PySide6.QtWidgets import QGraphicsItem

    from app.gui.canvas.view import DiagramView

    view = DiagramView(scene)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    items = [scene.item_for_node(node_id) for node_id in ("in", "demo", "won")]
    assert {item.cacheMode() for item in items} == {QGraphicsItem.NoCache}
    first = view.viewport().grab().toImage()
    assert {item.cacheMode() for item in items} == {QGraphicsItem.DeviceCoordinateCache}
    # painted from the pictures: the same to the eye (antialiased edges may round otherwise)
    assert _largest_difference(view.viewport().grab().toImage(), first) <= 8
    workspace.editor.update("nodes", "demo", label="Demo call")  # a step drawn anew
    workspace.editor.add_node(Node(id="late", process="p", kind="action", label="Late"))
    assert scene.item_for_node("late").cacheMode() == QGraphicsItem.DeviceCoordinateCache


def _largest_difference(a, b) -> int:
    """The largest difference of one colour channel of one pixel between two same-sized pictures."""
    import numpy as np
    from PySide6.QtGui import QImage

    assert a.size() == b.size()
    a, b = (image.convertToFormat(QImage.Format_RGB32) for image in (a, b))
    x, y = (np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes()) for image in (a, b))
    return int(np.abs(x.astype(np.int16) - y).max())


def test_a_layout_moves_each_connection_once_and_undo_puts_them_back(workspace, scene, monkeypatch):
    """An auto-layout moves every step in one command: each connection follows its steps once
    (not once per step at its ends), and lies between them after the move and after undo."""
    from app.gui.canvas.edge_line import EdgeLine

    adjusted = []
    adjust = EdgeLine.adjust
    monkeypatch.setattr(EdgeLine, "adjust", lambda line: (adjusted.append(line), adjust(line)))
    before = {e: scene.item_for_edge(e).path() for e in ("e1", "e2")}
    workspace.editor.move_nodes({"in": (0, 500), "demo": (300, 600), "won": (600, 700)})
    assert sorted(line.edge_id for line in adjusted) == ["e1", "e2"]
    e1 = scene.item_for_edge("e1")
    assert e1.x1 > 0 and 500 < e1.y1 < e1.y2 < 600  # from 'in' down to 'demo', clipped at both
    workspace.editor.undo_stack.undo()
    assert {e: scene.item_for_edge(e).path() for e in ("e1", "e2")} == before


def test_many_connections_follow_a_layout_as_each_would_alone(qtbot):
    """An auto-layout moves every step at once; the connections follow in one vectorised step:
    each ends where following on its own would put it, clipped at both outlines, straight
    (its old route dropped), and found where it now lies."""
    from app.gui.canvas.geometry import clip_line, shape_code
    from models.generate import generate_funnel

    doc = generate_funnel(30, 45, seed=5)
    workspace = Workspace(doc, analyse=False)
    scene = MapScene(workspace, doc.processes[0].id, progressive=False)
    lines = list(scene.edge_layer.lines.values())
    for line in lines[:5]:
        line.set_route(None)
        line.label_at = (1e4, 1e4)  # as if routed: the move must drop it
    workspace.editor.move_nodes(
        {n.id: (x * 1.5 + 40, y * 0.8 - 25) for n in doc.nodes for x, y in [doc.layout.nodes[n.id]]}
    )
    for line in lines:
        a, b = line.source.pos(), line.target.pos()
        alone = clip_line(
            a.x(), a.y(), b.x(), b.y(), shape_code(line.source.kind), shape_code(line.target.kind)
        )
        assert (line.x1, line.y1, line.x2, line.y2) == pytest.approx(alone)
        assert line.label_at is None and line.route is None
        middle = ((line.x1 + line.x2) / 2, (line.y1 + line.y2) / 2)
        assert line in scene.edge_layer.near((*middle, *middle))
    scene.detach()
    workspace.close()
