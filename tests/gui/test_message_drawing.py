"""Message edges in the editor, with the real mouse: Shift+drag across two lanes of the buying
group between two steps that are not an action and a buyer step draws a message (as BPMN's
message flow: dashed, a circle at the start, an open arrow); process tabs show it as a stub;
the legend and Properties name it; undo takes it away."""

from __future__ import annotations

import html
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QComboBox

from app.gui.canvas.edge_line import EdgeLine
from app.gui.canvas.edge_paint import paint_near
from app.gui.canvas.group_scene import GROUP
from models import Edge, JourneyMap, Layout, Node, Process
from models.document import BuyerRole, Stage

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def _map() -> JourneyMap:
    """Marketing's process hands a lead to sales'; the CFO asks sales for the contract."""
    return JourneyMap(
        name="Hand-offs",
        roles=[BuyerRole(id="cfo", name="CFO", kind="cfo")],
        stages=[Stage(id="lead", name="Lead"), Stage(id="sql", name="SQL")],
        processes=[
            Process(id="marketing", name="Marketing", kind="funnel"),
            Process(id="sales", name="Sales", kind="funnel"),
            Process(id="cfo-journey", name="CFO sign-off", kind="buyer", role="cfo"),
        ],
        nodes=[
            Node(id="in", process="marketing", kind="entry", label="Web leads", stage="lead", volume=100),
            Node(id="score", process="marketing", label="Scores the lead", stage="lead"),
            Node(id="call", process="sales", label="Qualify call", stage="sql"),
            Node(id="roi", process="cfo-journey", kind="buyer_step", label="Asks for the contract", role="cfo"),
        ],
        edges=[Edge(id="e1", source="in", target="score", conversion=0.3)],
        layout=Layout(nodes={"in": (0, 0), "score": (300, 0), "call": (300, 0), "roi": (300, 0)}),
    )  # fmt: skip


def _open_group(window):
    window.files.load(_map(), None)
    window.view_actions.group.trigger()
    view = window.current_view()
    assert view.diagram().process_id == GROUP
    view.fitInView(view.diagram().content_rect())
    return view, view.diagram()


def _at(view, node_id: str) -> QPoint:
    return view.mapFromScene(view.diagram().item_for_node(node_id).pos())


def _shift_drag(qtbot, view, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(view.viewport(), Qt.LeftButton, Qt.ShiftModifier, start)
    qtbot.mouseMove(view.viewport(), (start + end) / 2)
    qtbot.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), Qt.LeftButton, Qt.ShiftModifier, end)


def test_shift_drag_between_two_actions_of_two_processes_draws_a_message(window, qtbot):
    view, scene = _open_group(window)
    _shift_drag(qtbot, view, _at(view, "score"), _at(view, "call"))
    (edge,) = [e for e in window.document.map.edges if e.source == "score"]
    assert (edge.target, edge.kind) == ("call", "message")
    assert scene.item_for_edge(edge.id) is not None  # drawn between the lanes
    _shift_drag(qtbot, view, _at(view, "roi"), _at(view, "call"))  # the CFO writes to sales
    assert ("roi", "call", "message") in [
        (e.source, e.target, e.kind) for e in window.document.map.edges
    ]
    SCREENSHOTS.mkdir(exist_ok=True)
    assert window.grab().save(str(SCREENSHOTS / "message-edges.png"))

    marketing = window.open_process("marketing").diagram()
    stub = marketing.stub_for_edge(edge.id)
    assert stub is not None and stub.text == "✉→ Sales: Qualify call" and stub.message
    assert "sends a message to 'Qualify call' in Sales" in html.unescape(stub.toolTip())
    window.current_view().fit()
    assert window.grab().save(str(SCREENSHOTS / "message-stub.png"))
    sales = window.open_process("sales").diagram()
    assert sales.stub_for_edge(edge.id).text == "✉← Marketing: Scores the lead"
    sales.stub_activated(edge.id)  # a click goes to the other end
    assert window.current_view().diagram().selected_node_ids() == ["score"]

    window.editor.undo_stack.undo()
    window.editor.undo_stack.undo()
    assert [e.id for e in window.document.map.edges] == ["e1"]
    assert marketing.stub_ids() == [] and sales.stub_ids() == []


def test_properties_and_the_legend_name_a_message(window, qtbot):
    window.files.load(_map(), None)
    window.editor.add_edge(Edge(id="m1", source="score", target="call", kind="message"))
    window.view_actions.group.trigger()
    window.current_view().diagram().select_nodes([], ["m1"])
    assert window.properties.title.text() == "Connection: Scores the lead → Qualify call"
    kind = window.properties.findChild(QComboBox, "field_kind")
    assert kind is not None and kind.currentText() == "message"
    legend = window.legend.list
    qtbot.waitUntil(lambda: legend.count() > 0)  # the legend follows on the next turn
    rows = [legend.item(i).text() for i in range(legend.count())]
    assert "Message to another process (dashed, ○ start, open ▷)" in rows


def test_a_message_is_painted_dashed_with_a_circle_and_an_open_arrow():
    """Painted on white: the middle of the arrow head and of the start circle stay white (open),
    and the line has gaps (dashed); a flow's head is filled."""

    def painted(kind: str) -> QImage:
        image = QImage(200, 60, QImage.Format_ARGB32)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        ends = SimpleNamespace(edges=[]), SimpleNamespace(edges=[])  # two steps' stand-ins
        line = EdgeLine(None, "x", *ends, kind, "", (20.0, 30.0, 180.0, 30.0))
        paint_near(painter, [line], (0, 0, 200, 60), False)
        painter.end()
        return image

    white = QColor("#ffffff").rgb()
    message, flow = painted("message"), painted("flow")
    SCREENSHOTS.mkdir(exist_ok=True)
    message.scaled(800, 240).save(str(SCREENSHOTS / "message-edge-look.png"))
    along = [message.pixel(x, 30) for x in range(40, 150)]
    assert along.count(QColor("#ffffff").rgb()) > 10  # gaps between the dashes
    assert any(p != QColor("#ffffff").rgb() for p in along)
    assert message.pixel(174, 30) == QColor("#ffffff").rgb()  # inside the open head
    assert flow.pixel(174, 30) != QColor("#ffffff").rgb()  # a flow's head is filled
    assert message.pixel(20, 30) == QColor("#ffffff").rgb()  # inside the start circle
    assert any(message.pixel(x, 30) != white for x in range(12, 20))  # the circle's rim
    darkest = QColor(min(along, key=lambda p: QColor(p).lightness()))
    assert darkest.blue() > darkest.green() + 40  # in the message's violet
