"""No connection is hidden on the canvas: routed around steps, labels clear, with the real mouse
and keyboard; routing waits for edits to settle and drops answers for positions gone stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter
from PySide6.QtWidgets import QApplication

from app.gui.canvas.group_scene import GroupScene
from app.gui.canvas.scene import MapScene
from app.gui.canvas.scene_routing import label_size
from app.gui.workspace.workspace import Workspace
from models import Edge, JourneyMap, Layout, Node, Process
from models.simulation.session import Request, run_simulation
from models.templates import load_template, template_names
from tests.routing_checks import H, W, bezier_points, label_problems, passes_through, walk

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
ROUTED = 20000  # ms: the longest a test waits for the router (it answers in well under a second)


def _path(line) -> list[tuple[float, float]]:
    if line.route is None:
        return [(line.x1, line.y1), (line.x2, line.y2)]
    return bezier_points(line.route.points) if line.route.curved else list(line.route.points)


def _steps(scene) -> dict[str, dict]:
    out = {}
    for node_id in scene.node_ids():
        item = scene.item_for_node(node_id)
        out[node_id] = {"x": item.pos().x(), "y": item.pos().y(), "kind": item.kind}
    return out


def _problems(scene) -> list[str]:
    """What an onlooker would see hidden: a path under a step, a label on a label or a step."""
    steps = _steps(scene)
    problems, labels = [], {}
    for edge_id in list(scene._edges):  # noqa: SLF001 - every connection drawn
        line = scene.item_for_edge(edge_id)
        ends = (line.source.node_id, line.target.node_id)
        problems += [f"{edge_id} under {n}" for n in passes_through(_path(line), steps, ends)]
        if line.text:
            (x, y), (width, height) = line.label_centre(), label_size(line.text)
            labels[edge_id] = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
    return problems + label_problems(labels, steps)


def _chain() -> JourneyMap:
    positions = {"a": (0, 0), "b": (230, 0), "c": (460, 0)}
    return JourneyMap(
        processes=[Process(id="p", name="Journey", kind="buyer")],
        nodes=[Node(id=n, process="p", kind="buyer_step", label=n.upper()) for n in positions],
        edges=[
            Edge(id="ab", source="a", target="b", conversion=0.4),
            Edge(id="bc", source="b", target="c", conversion=0.25),
        ],
        layout=Layout(nodes=positions),
    )


def _load(window, qtbot, doc):
    """Open ``doc`` and wait for its first routing (it starts once the scene is built)."""
    window.files.load(doc, None)
    view = window.current_view()
    view.resetTransform()
    with qtbot.waitSignal(view.diagram().routed, timeout=ROUTED):
        pass
    return view, view.diagram()


def _at(view, x: float, y: float) -> QPoint:
    return view.mapFromScene(QPointF(x, y))


def _move(view, point: QPoint, buttons=Qt.LeftButton, modifiers=Qt.NoModifier) -> None:
    QApplication.sendEvent(
        view.viewport(),
        QMouseEvent(
            QEvent.MouseMove,
            point,
            view.viewport().mapToGlobal(point),
            Qt.NoButton,
            buttons,
            modifiers,
        ),
    )


def test_shift_drag_past_the_next_step_goes_around_it_with_its_label_clear(window, qtbot):
    view, scene = _load(window, qtbot, _chain())
    view.centerOn(230, 0)
    start, end = _at(view, 0, 0), _at(view, 460, 0)
    with qtbot.waitSignal(scene.routed, timeout=ROUTED):
        qtbot.mousePress(view.viewport(), Qt.LeftButton, Qt.ShiftModifier, start)
        for step in (0.3, 0.7, 1.0):
            _move(view, start + (end - start) * step, modifiers=Qt.ShiftModifier)
        qtbot.mouseRelease(view.viewport(), Qt.LeftButton, Qt.ShiftModifier, end)
    new = next(e.id for e in window.document.map.edges if (e.source, e.target) == ("a", "c"))
    line = scene.item_for_edge(new)
    assert line.text == "?" and line.route is not None and line.route.curved
    assert _problems(scene) == []
    SCREENSHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "routing-around-a-step.png"))
    # the path is what the mouse finds, what a rubber band takes and what the layer's index holds
    bulge = max(line.path(), key=lambda p: abs(p[1]))
    assert abs(bulge[1]) > H / 2
    assert scene.edge_at(QPointF(*bulge)) is line
    assert line in scene.edge_layer.near((bulge[0] - 1, bulge[1] - 1, bulge[0] + 1, bulge[1] + 1))
    chord = QRectF(-100, -40, 660, 80)  # around the straight line a -> c, not the detour
    assert line not in scene.edge_layer.within(chord)
    assert line in scene.edge_layer.within(chord.adjusted(0, -300, 0, 300))


def _keys(qtbot, view, *keys) -> None:
    for key in keys:
        if isinstance(key, str):
            qtbot.keyClicks(view.viewport(), key)
            qtbot.keyClick(view.viewport(), Qt.Key_Return)
        else:
            qtbot.keyClick(view.viewport(), key)


def test_dictating_from_a_step_that_has_a_next_step_goes_to_the_next_free_row(window, qtbot):
    view, scene = _load(window, qtbot, JourneyMap(processes=[Process(id="p", name="J")]))
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=QPoint(120, 120))
    _keys(qtbot, view, "A", Qt.Key_Tab, "B", Qt.Key_Tab, "C", Qt.Key_Tab, "D")
    ids = {n.label: n.id for n in window.document.map.nodes}
    first = scene.item_for_node(ids["A"]).pos()
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.mapFromScene(first))
    with qtbot.waitSignal(scene.routed, timeout=ROUTED):
        _keys(qtbot, view, Qt.Key_Tab, "E")  # A already leads to B
    ids = {n.label: n.id for n in window.document.map.nodes}
    b, e = (window.document.position(ids[k]) for k in "BE")
    assert e[0] == b[0] and e[1] > b[1]  # under B, in the next free row
    assert _problems(scene) == []
    # again from A, and from B, which now both lead somewhere: never across a step or a line
    for source in ("A", "B", "A"):
        qtbot.mouseClick(
            view.viewport(),
            Qt.LeftButton,
            pos=view.mapFromScene(scene.item_for_node(ids[source]).pos()),
        )
        with qtbot.waitSignal(scene.routed, timeout=ROUTED):
            _keys(qtbot, view, Qt.Key_Tab, f"after {source}")
        view.ensureVisible(scene.content_rect())
        assert _problems(scene) == [], source
    lines = [scene.item_for_edge(e.id) for e in window.document.map.edges]
    assert all(line.route is None or not line.route.curved for line in lines)  # no detours needed


def test_a_quick_added_chain_with_branches_stays_clear(window, qtbot):
    view, scene = _load(window, qtbot, JourneyMap(processes=[Process(id="p", name="J")]))
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=QPoint(80, 80))
    _keys(qtbot, view, "Start")
    for n in range(6):
        _keys(qtbot, view, Qt.Key_Tab, f"Step {n}")
    labels = {n.label: n.id for n in window.document.map.nodes}
    for source in ("Start", "Step 1", "Step 1", "Step 3", "Start"):
        scene.select_nodes([labels[source]])
        qtbot.keyClick(view.viewport(), Qt.Key_Return, Qt.ControlModifier)  # Ctrl+Enter
        qtbot.keyClicks(view.viewport(), f"branch of {source}")
        qtbot.keyClick(view.viewport(), Qt.Key_Return)
    with qtbot.waitSignal(scene.routed, timeout=ROUTED):
        scene.schedule_routing()
    assert len(window.document.map.nodes) == 12 and _problems(scene) == []
    view.fit()
    SCREENSHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "routing-quick-added-chain.png"))


def test_a_step_without_connections_moved_onto_a_route_is_gone_around(window, qtbot):
    doc = _chain()
    doc.edges = [Edge(id="ac", source="a", target="c", conversion=0.1)]
    doc.layout.nodes["b"] = (230.0, 400.0)
    view, scene = _load(window, qtbot, doc)
    assert scene.item_for_edge("ac").route is None  # nothing in the way: the canvas's own line
    with qtbot.waitSignal(scene.routed, timeout=ROUTED):
        window.editor.move_nodes({"b": (230.0, 10.0)})  # b has no connection of its own
    assert scene.item_for_edge("ac").route.curved and _problems(scene) == []


def test_an_answer_for_positions_that_changed_since_is_dropped(window, qtbot):
    doc = _chain()
    doc.edges.append(Edge(id="ac", source="a", target="c", conversion=0.1))
    view, scene = _load(window, qtbot, doc)
    assert scene.item_for_edge("ac").route.curved
    scene._start_routing()  # noqa: SLF001 - a job for where the steps are now...
    window.editor.move_nodes({"b": (230.0, 400.0)})  # ...and b moves before it answers
    assert scene.item_for_edge("ab").route is None  # meanwhile straight
    with qtbot.waitSignal(scene.routed, timeout=ROUTED):
        pass
    assert scene.item_for_edge("ac").route is None  # b is out of the way: a -> c is straight
    assert scene.item_for_edge("ac").label_at is not None
    assert _problems(scene) == []


def test_a_dragged_step_pulls_its_connections_straight_until_routed_again(window, qtbot):
    doc = _chain()
    doc.edges.append(Edge(id="ac", source="a", target="c", conversion=0.1))
    view, scene = _load(window, qtbot, doc)
    view.centerOn(230, 0)
    start = _at(view, 0, 0)
    qtbot.mousePress(view.viewport(), Qt.LeftButton, Qt.NoModifier, start)
    _move(view, start + QPoint(0, 20))
    assert scene.item_for_edge("ac").route is None
    with qtbot.waitSignal(scene.routed, timeout=ROUTED):
        _move(view, start + QPoint(0, 40))
        qtbot.mouseRelease(view.viewport(), Qt.LeftButton, Qt.NoModifier, start + QPoint(0, 40))
    assert scene.item_for_edge("ac").route is not None and _problems(scene) == []


def test_a_routed_connection_is_drawn_along_its_route_far_out_near_and_in_part(window, qtbot):
    doc = _chain()
    doc.edges.append(Edge(id="ac", source="a", target="c", conversion=0.1))
    view, scene = _load(window, qtbot, doc)
    line = scene.item_for_edge("ac")
    path = line.path()
    off = path[len(path) // 4]  # on the curve, below b, away from its label
    assert abs(off[1]) > H / 2
    for node_id in scene.node_ids():
        scene.item_for_node(node_id).setVisible(False)
    for scale, source in (
        (0.2, QRectF(-200, -200, 900, 400)),  # one-pixel lines far out
        (1.0, QRectF(-200, -200, 900, 400)),  # the styled path near
        (2.0, QRectF(off[0] - 40, off[1] - 40, 80, 80)),  # near, only a piece of it exposed
    ):
        image = QImage(
            int(source.width() * scale), int(source.height() * scale), QImage.Format_ARGB32
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        scene.render(painter, QRectF(image.rect()), source, Qt.IgnoreAspectRatio)
        painter.end()
        x, y = (off[0] - source.left()) * scale, (off[1] - source.top()) * scale
        ring = [
            image.pixelColor(int(x) + dx, int(y) + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)
        ]
        assert any(color.lightness() < 220 for color in ring), scale


@pytest.mark.parametrize("name", template_names())
def test_the_flow_line_under_each_step_is_crossed_by_no_connection(qtbot, name):
    doc = load_template(name)
    workspace = Workspace(doc, analyse=False)
    # the funnel, or the first process (a buyer's journey simulates too)
    funnel = next((p.id for p in doc.processes if p.kind == "funnel"), doc.processes[0].id)
    scene = MapScene(workspace, funnel, progressive=False)
    try:
        with qtbot.waitSignal(scene.routed, timeout=ROUTED):
            workspace.derived.set_outcome(run_simulation(doc, Request(funnel, None, 1, 0, 1)))
            workspace.derived.show_overlay(True)
        shown = [n for n in scene.node_ids() if scene.item_for_node(n).overlay]
        assert shown
        steps = _steps(scene)
        strips = {  # where each step's "N in · M drop" line is drawn
            n: (
                steps[n]["x"] - W / 2,
                steps[n]["y"] + H / 2,
                steps[n]["x"] + W / 2,
                steps[n]["y"] + H / 2 + 15,
            )
            for n in shown
        }
        for edge_id in list(scene._edges):  # noqa: SLF001
            path = list(walk(_path(scene.item_for_edge(edge_id))))
            for n, (left, top, right, bottom) in strips.items():
                assert not any(
                    left + 1 < x < right - 1 and top + 1 < y < bottom - 1 for x, y in path
                ), (edge_id, n)
        for n in shown:
            steps[n]["below"] = 15.0
        labels = {}
        for edge_id in list(scene._edges):  # noqa: SLF001
            line = scene.item_for_edge(edge_id)
            if line.text:
                (x, y), (width, height) = line.label_centre(), label_size(line.text)
                labels[edge_id] = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
        assert label_problems(labels, steps) == []
    finally:
        scene.detach()
        workspace.close()


@pytest.mark.parametrize("name", template_names())
def test_the_buying_group_page_is_routed_as_drawn(qtbot, name):
    workspace = Workspace(load_template(name), analyse=False)
    scene = GroupScene(workspace, progressive=False)
    try:
        with qtbot.waitSignal(scene.routed, timeout=ROUTED):
            pass
        assert _problems(scene) == []
        across = [
            e
            for e in workspace.document.map.edges
            if scene.item_for_edge(e.id).source.node_id
            and workspace.document.get("nodes", e.source).process
            != workspace.document.get("nodes", e.target).process
        ]
        assert all(scene.item_for_edge(e.id) is not None for e in across)
    finally:
        scene.detach()
        workspace.close()


def test_a_picture_or_a_page_made_at_once_shows_the_connections_routed(qtbot, tmp_path):
    from PySide6.QtGui import QPdfWriter

    from app.gui.canvas.image_export import render_scene
    from app.gui.canvas.paper import paint_pages

    doc = _chain()
    doc.edges.append(Edge(id="ac", source="a", target="c", conversion=0.1))
    workspace = Workspace(doc, analyse=False)
    for make in (
        lambda scene: render_scene(scene, "png"),
        lambda scene: paint_pages(QPdfWriter(str(tmp_path / "page.pdf")), [("P", scene)]),
    ):
        scene = MapScene(workspace, "p", progressive=False)  # built for the occasion: not routed
        try:
            assert scene.item_for_edge("ac").route is None
            make(scene)
            assert scene.item_for_edge("ac").route.curved and _problems(scene) == []
        finally:
            scene.detach()
    workspace.close()


def test_the_routing_process_answers_as_routing_here_would_and_survives_its_death(monkeypatch):
    from app.gui.canvas import routing_process
    from models.route_types import Link
    from models.routing import route, steps_of

    doc = _chain()
    doc.edges.append(Edge(id="ac", source="a", target="c", conversion=0.1))
    steps = steps_of(doc, "p")
    links = [Link(e.id, e.source, e.target, (30.0, 18.0)) for e in doc.edges]
    here = route(steps, links).routes
    router = routing_process.RoutingProcess()
    try:
        assert router.route(steps, links, lambda: False).routes == here
        first = router._process  # noqa: SLF001
        assert first is not None and first.poll() is None  # the process made it
        first.kill()
        first.wait()
        assert router.route(steps, links, lambda: False).routes == here  # made here meanwhile
        assert router.route(steps, links, lambda: False).routes == here  # by a new process
        assert router._process is not first and router._process.poll() is None  # noqa: SLF001
        assert router.route(steps, links, lambda: True) is None  # given up before its turn
    finally:
        router.close()
    assert first.poll() is not None and router._process is None  # noqa: SLF001
    # a Python that cannot start: routed in the calling thread, and not tried again
    monkeypatch.setattr(routing_process.sys, "executable", "/nonexistent/python")
    broken = routing_process.RoutingProcess()
    assert broken.route(steps, links, lambda: False).routes == here and broken.failed
