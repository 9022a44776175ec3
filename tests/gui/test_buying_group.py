"""The buying group on one page, with the real mouse and keyboard: lanes, links across them,
dictation in a lane, moves on the page, stubs in the process tabs, undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt

from app.gui.canvas.group_scene import GROUP, TITLE
from app.gui.common import dialogs
from models import Edge, JourneyMap, Layout, Node, Process
from models.document import BuyerRole, Stage

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def _group_map() -> JourneyMap:
    """A funnel (lead → SQL) and the CFO's process: the payback model is a funnel action."""
    return JourneyMap(
        name="Buying group",
        roles=[BuyerRole(id="cfo", name="CFO", kind="cfo")],
        stages=[Stage(id="lead", name="Lead"), Stage(id="sql", name="SQL")],
        processes=[
            Process(id="funnel", name="Company funnel", kind="funnel"),
            Process(id="cfo-journey", name="CFO sign-off", kind="buyer", role="cfo"),
        ],
        nodes=[
            Node(id="in", process="funnel", kind="entry", label="Web leads", stage="lead", volume=100),
            Node(id="call", process="funnel", label="Qualify call", stage="sql"),
            Node(id="payback", process="funnel", label="Payback model", stage="sql"),
            Node(id="cfo-in", process="cfo-journey", kind="entry", label="Big purchase lands"),
            Node(id="roi", process="cfo-journey", kind="buyer_step", label="Reviews ROI", role="cfo"),
        ],
        edges=[
            Edge(id="e1", source="in", target="call", conversion=0.3),
            Edge(id="e2", source="cfo-in", target="roi", conversion=1.0),
        ],
        layout=Layout(nodes={"in": (0, 0), "call": (300, 0), "payback": (300, 150),
                             "cfo-in": (0, 0), "roi": (300, 0)}),
    )  # fmt: skip


def _open(window):
    window.files.load(_group_map(), None)
    window.view_actions.group.trigger()  # View ▸ Buying group (Ctrl+G)
    view = window.current_view()
    assert (
        view.diagram().process_id == GROUP
        and window.tabs.tabText(window.tabs.currentIndex()) == TITLE
    )
    view.resetTransform()
    return view, view.diagram()


def _at(view, node_id: str) -> QPoint:
    return view.mapFromScene(view.diagram().item_for_node(node_id).pos())


def _shift_drag(qtbot, view, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(view.viewport(), Qt.LeftButton, Qt.ShiftModifier, start)
    qtbot.mouseMove(view.viewport(), (start + end) / 2)
    qtbot.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), Qt.LeftButton, Qt.ShiftModifier, end)


def test_every_process_is_a_lane_and_columns_follow_the_stages(window):
    view, scene = _open(window)
    assert sorted(scene.node_ids()) == sorted(n.id for n in window.document.map.nodes)
    assert [lane.process for lane in scene.group_layout().lanes] == ["cfo-journey", "funnel"]
    x = {n: scene.item_for_node(n).pos().x() for n in scene.node_ids()}
    assert x["in"] < x["call"]  # Lead before SQL
    cfo_lane, funnel_lane = scene.group_layout().lanes
    assert cfo_lane.top <= scene.item_for_node("roi").pos().y() < cfo_lane.top + cfo_lane.height
    view.fit()
    SCREENSHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "buying-group.png"))


def test_the_outline_opens_the_buying_group(window, qtbot):
    window.files.load(_group_map(), None)
    group = window.outline.group_item("processes")
    row = group.child(0)
    assert row.text(0).startswith("Buying group")
    window.outline.tree.itemActivated.emit(row, 0)
    assert window.current_view().diagram().process_id == GROUP


def test_shift_drag_across_lanes_makes_an_action_address_the_cfo_step(window, qtbot):
    view, scene = _open(window)
    view.centerOn(scene.item_for_node("roi").pos())
    view.fitInView(scene.content_rect())
    _shift_drag(qtbot, view, _at(view, "payback"), _at(view, "roi"))
    edges = [(e.source, e.target, e.kind) for e in window.document.map.edges]
    assert ("payback", "roi", "addresses") in edges
    edge = next(e for e in window.document.map.edges if e.source == "payback")
    assert scene.item_for_edge(edge.id) is not None  # drawn across the lanes
    # the funnel's own tab shows it as a stub that jumps to the CFO's step
    funnel = window.open_process("funnel").diagram()
    stub = funnel.stub_for_edge(edge.id)
    assert stub is not None and stub.text == "→ CFO: Reviews ROI"
    funnel.stub_activated(edge.id)
    current = window.current_view().diagram()
    assert current.process_id == "cfo-journey" and current.selected_node_ids() == ["roi"]
    assert current.stub_for_edge(edge.id).text == "← Company funnel: Payback model"
    window.editor.undo_stack.undo()
    assert not any(e.source == "payback" for e in window.document.map.edges)
    assert funnel.stub_ids() == [] and current.stub_ids() == []


def test_a_flow_across_lanes_is_refused_with_the_reason(window, qtbot):
    view, scene = _open(window)
    view.fitInView(scene.content_rect())
    said = []
    window.statusBar().messageChanged.connect(lambda text: text and said.append(text))
    before = len(window.document.map.edges)
    _shift_drag(qtbot, view, _at(view, "in"), _at(view, "roi"))  # an entry sends no message
    assert len(window.document.map.edges) == before
    assert said and "different processes" in said[-1]


def test_dictation_inside_a_lane_stays_in_that_process(window, qtbot):
    view, scene = _open(window)
    view.fitInView(scene.content_rect())
    scene.select_nodes(["roi"])
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key_Tab)
    qtbot.keyClicks(view.viewport(), "Asks for finance terms")
    qtbot.keyClick(view.viewport(), Qt.Key_Return)
    new = next(n for n in window.document.map.nodes if n.label == "Asks for finance terms")
    assert new.process == "cfo-journey" and new.kind == "buyer_step" and new.role == "cfo"
    assert any(e.source == "roi" and e.target == new.id for e in window.document.map.edges)
    lane = scene.group_layout().lane_of("cfo-journey")
    assert lane.top <= scene.item_for_node(new.id).pos().y() < lane.top + lane.height
    # it has a place on the CFO's own diagram too, right of the step it follows
    assert window.document.position(new.id)[0] > window.document.position("roi")[0]
    window.editor.undo_stack.undo()  # the label
    window.editor.undo_stack.undo()  # the step and its connection
    assert not window.document.has("nodes", new.id)


def test_moving_a_step_on_the_page_keeps_its_place_on_its_own_diagram(window, qtbot):
    view, scene = _open(window)
    view.fitInView(scene.content_rect())
    start = _at(view, "call")
    before_process_page = window.document.position("call")
    qtbot.mousePress(view.viewport(), Qt.LeftButton, Qt.NoModifier, start)
    for step in range(1, 5):
        qtbot.mouseMove(view.viewport(), start + QPoint(10 * step, 12 * step))
    qtbot.mouseRelease(view.viewport(), Qt.LeftButton, Qt.NoModifier, start + QPoint(40, 48))
    moved = window.document.group_position("call")
    assert moved is not None
    assert window.document.position("call") == before_process_page
    assert scene.item_for_node("call").pos() == QPointF(*moved)
    window.editor.undo_stack.undo()
    assert window.document.group_position("call") is None
    assert scene.item_for_node("call").pos() == QPointF(*scene.group_layout().positions["call"])


def test_addresses_from_the_right_click_menu(window, qtbot, monkeypatch):
    view, scene = _open(window)
    view.fitInView(scene.content_rect())
    offered = []

    def pick(parent, title, text, choices):
        offered.extend(choices)
        return "roi"

    monkeypatch.setattr(dialogs, "choose", pick)
    menu = view.context_menu(_at(view, "payback"))
    action = next(a for a in menu.actions() if a.text() == "Addresses a buyer step…")
    action.trigger()
    assert ("roi", "CFO sign-off: Reviews ROI") in offered
    assert any(
        (e.source, e.target, e.kind) == ("payback", "roi", "addresses")
        for e in window.document.map.edges
    )


def test_the_flow_and_the_badges_are_on_the_page(window, qtbot):
    view, scene = _open(window)
    panel = window.simulation
    panel.runs.setValue(0)
    with qtbot.waitSignal(panel.finished, timeout=60000):
        assert panel.run()
    window.action_overlay.trigger()
    assert scene.item_for_node("in").overlay.startswith("100 in")
    assert scene.item_for_node("payback").badge is not None  # an action connected to nothing


def test_the_page_exports_as_the_canvas_does(window, tmp_path):
    _open(window)
    written = window.exports.export_canvas("svg", str(tmp_path / "group.svg"))
    text = Path(written).read_text("utf-8")
    assert "CFO sign-off" in text and "Company funnel" in text and "Reviews ROI" in text


def test_a_funnel_step_gets_a_committee_gate_in_properties(window, qtbot):
    window.files.load(_group_map(), None)
    window.current_view().diagram().select_nodes(["call"])
    table = window.properties.table
    assert table is not None and table.objectName() == "table_gate"
    qtbot.mouseClick(table.add_button, Qt.LeftButton)
    gate = window.document.get("nodes", "call").gate
    assert [(c.role, c.step) for c in gate] == [("cfo", "roi")]  # the CFO's process, its last step
    qtbot.mouseClick(table.add_button, Qt.LeftButton)  # no other role has a process: said so
    assert len(window.document.get("nodes", "call").gate) == 1 and table.error.isVisible()
    window.editor.undo_stack.undo()
    assert window.document.get("nodes", "call").gate == []
    window.open_process("cfo-journey").diagram().select_nodes(["roi"])
    assert window.properties.table is None  # a buyer step has no gate


def test_the_gate_says_who_must_clear_and_the_simulation_what_it_costs(window, qtbot):
    """The planner's path: the CFO's approval required at the call, then a run says how many
    deals the CFO's step costs; hovering the gated step says who must clear."""
    from models import Clearance

    doc = _group_map()
    doc.nodes.append(Node(id="roi-ok", process="cfo-journey", kind="won", label="Payback accepted"))
    doc.nodes.append(Node(id="roi-no", process="cfo-journey", kind="lost", label="Sends it back"))
    doc.nodes.append(Node(id="won", process="funnel", kind="won", label="Customer", deal_value=9))
    doc.edges += [
        Edge(id="c1", source="roi", target="roi-ok", conversion=0.6),
        Edge(id="c2", source="roi", target="roi-no", conversion=0.4),
        Edge(id="e3", source="call", target="won", conversion=0.5),
    ]
    doc.node("call").gate = [Clearance(role="cfo", step="roi-ok")]
    window.files.load(doc, None)
    scene = window.current_view().diagram()
    tip = scene.tooltip_at(scene.item_for_node("call").pos())
    assert (
        "Committee gate: a lead passes when CFO (&#x27;Payback accepted&#x27;) have cleared" in tip
    )
    panel = window.simulation
    panel.runs.setValue(0)
    with qtbot.waitSignal(panel.finished, timeout=60000):
        assert panel.run()
    table = panel.summary
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    gate = panel.outcome.expected.gates[0]
    assert rows["Committee gate 'Qualify call'"].startswith("60% pass")
    assert (
        rows["    CFO: 'Payback accepted'"]
        == f"60% clear, {gate.roles[0].deals_lost:,.2f} deals lost"
    )
    assert "CFO's 'Payback accepted' costs most at the committee" in panel.status.text()


def test_a_page_taller_than_the_window_opens_at_its_first_lane(window, qtbot):
    from models.generate import generate_buying_group

    window.files.load(generate_buying_group(20, 600, seed=2), None)
    window.view_actions.group.trigger()
    view = window.current_view()
    view.open_fit()
    assert view.zoom_level() == 0.6  # too big to show whole: from its start, legible
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    first = view.diagram().group_layout().lanes[0]
    assert shown.top() <= first.top + 40 and shown.bottom() > first.top + first.height / 2


def _ink(view, scene, edge_id: str) -> int:
    """How many dark pixels a connection's rate paints, at 100 %, centred in the view."""
    from PySide6.QtGui import QColor

    line = scene.edge_layer.lines[edge_id]
    centre = QPointF(*line.label_centre())
    view.resetTransform()
    view.centerOn(centre)
    image = view.viewport().grab().toImage()
    spot = view.mapFromScene(centre)
    return sum(
        QColor(image.pixel(x, y)).lightness() < 110
        for x in range(spot.x() - 20, spot.x() + 21)
        for y in range(spot.y() - 8, spot.y() + 9)
    )


def test_rates_and_labels_look_the_same_on_the_group_page_as_on_a_tab(qtbot):
    """The view does not save the painter's state between items: text must not take the font
    of what was painted before it (on the buying-group page, a lane's bold title made every
    connection's rate bold; a badge's bold count, the next step's label)."""
    from app.gui.canvas.group_scene import GroupScene
    from app.gui.canvas.scene import MapScene
    from app.gui.canvas.view import DiagramView
    from app.gui.workspace.workspace import Workspace
    from models.templates import load_template

    workspace = Workspace(load_template("enterprise"), analyse=False)
    edge = next(e for e in workspace.document.map.edges if e.id == "funnel-e3")  # 100%
    inks = []
    for scene in (MapScene(workspace, "funnel", progressive=False), GroupScene(workspace)):
        view = DiagramView(scene)
        qtbot.addWidget(view)
        view.resize(600, 400)
        view.show()
        inks.append(_ink(view, scene, edge.id))
        scene.detach()
    workspace.close()
    assert inks[0] > 20  # the rate is there
    assert abs(inks[1] - inks[0]) <= 0.15 * inks[0], inks
