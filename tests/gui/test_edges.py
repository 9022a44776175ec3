"""Edges on the canvas with the real mouse: select, delete, rubber band, tooltips, and the layer's index."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QLineEdit, QToolTip

from app.gui.canvas.geometry import clip_ends, clip_line, shape_code
from app.gui.canvas.image_export import render_scene
from app.gui.canvas.node_item import NodeItem
from app.gui.common.shapes import KIND_SHAPES
from models import Edge, JourneyMap, Layout, Node, Process


def _three_steps() -> JourneyMap:
    """A -> B -> C in a row, 400 apart, and an 'addresses' edge from an action below."""
    return JourneyMap(
        processes=[Process(id="p", name="Journey", kind="buyer")],
        nodes=[
            Node(id="a", process="p", kind="buyer_step", label="Reads reviews"),
            Node(id="b", process="p", kind="buyer_step", label="Starts a trial"),
            Node(id="c", process="p", kind="decision", label="Buys?"),
            Node(id="act", process="p", kind="action", label="Send case study"),
        ],
        edges=[
            Edge(id="ab", source="a", target="b", conversion=0.4),
            Edge(id="bc", source="b", target="c", conversion=0.25),
            Edge(id="help", source="act", target="b", kind="addresses"),
        ],
        layout=Layout(nodes={"a": (0, 0), "b": (400, 0), "c": (800, 0), "act": (400, 300)}),
    )


@pytest.fixture
def view(window):
    window.files.load(_three_steps(), None)
    view = window.current_view()
    view.resetTransform()
    view.centerOn(400, 100)
    return view


def _at(view, x: float, y: float) -> QPoint:
    return view.mapFromScene(QPointF(x, y))


def _drag(view, qtbot, start: QPoint, end: QPoint, steps=(0.3, 0.7, 1.0)) -> None:
    """Press, move with the button held (qtbot's mouseMove carries no buttons), release."""
    qtbot.mousePress(view.viewport(), Qt.LeftButton, Qt.NoModifier, start)
    for step in steps:
        point = start + (end - start) * step
        QApplication.sendEvent(
            view.viewport(),
            QMouseEvent(
                QEvent.MouseMove,
                point,
                view.viewport().mapToGlobal(point),
                Qt.NoButton,
                Qt.LeftButton,
                Qt.NoModifier,
            ),
        )
    qtbot.mouseRelease(view.viewport(), Qt.LeftButton, Qt.NoModifier, end)


def test_clicking_an_edge_selects_it_for_the_properties_panel_and_delete_removes_it(
    window, view, qtbot
):
    scene = view.diagram()
    qtbot.mouseClick(
        view.viewport(), Qt.LeftButton, pos=_at(view, 150, 0)
    )  # on the line from A to B
    assert scene.selected_edge_ids() == ["ab"] and scene.selected_node_ids() == []
    field = window.properties.findChild(QLineEdit, "field_conversion")
    assert field is not None and field.text() == "40%"  # the panel follows the edge selection
    assert window.properties.title.text() == "Connection: Reads reviews → Starts a trial"
    qtbot.keyClick(view.viewport(), Qt.Key_Delete)
    assert not window.document.has("edges", "ab") and scene.item_for_edge("ab") is None
    assert scene.edge_at(QPointF(150, 0)) is None  # gone from the layer's index too
    window.editor.undo_stack.undo()
    assert [e.id for e in window.document.map.edges] == ["ab", "bc", "help"]
    assert scene.edge_at(QPointF(150, 0)) is scene.item_for_edge("ab")


def test_clicks_choose_between_edges_steps_and_empty_canvas(window, view, qtbot):
    scene = view.diagram()
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=_at(view, 600, 0))
    assert scene.selected_edge_ids() == ["bc"]
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, Qt.ControlModifier, pos=_at(view, 150, 0))
    assert scene.selected_edge_ids() == ["ab", "bc"]  # Ctrl adds
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, Qt.ControlModifier, pos=_at(view, 600, 0))
    assert scene.selected_edge_ids() == ["ab"]  # and Ctrl toggles
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=_at(view, 0, 0))  # a step
    assert scene.selected_node_ids() == ["a"] and scene.selected_edge_ids() == []
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=_at(view, 600, 0))
    assert scene.selected_node_ids() == [] and scene.selected_edge_ids() == ["bc"]
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=_at(view, 600, 200))  # empty canvas
    assert scene.selected_node_ids() == [] and scene.selected_edge_ids() == []


def test_double_click_on_an_edge_does_not_add_a_step(window, view, qtbot):
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=_at(view, 150, 0))
    assert len(window.document.map.nodes) == 4


def test_a_rubber_band_takes_the_edges_it_encloses(window, view, qtbot):
    scene = view.diagram()
    _drag(view, qtbot, _at(view, -120, -80), _at(view, 520, 80))  # around A and B, not C
    assert sorted(scene.selected_node_ids()) == ["a", "b"]
    assert scene.selected_edge_ids() == ["ab"]  # B -> C leaves the band: not taken


def test_a_quick_rubber_band_takes_the_edges_too(window, view, qtbot):
    """One mouse move from corner to corner (a fast hand): the band is where the mouse is, not one move behind."""
    scene = view.diagram()
    _drag(view, qtbot, _at(view, -120, -80), _at(view, 520, 80), steps=(1.0,))
    assert sorted(scene.selected_node_ids()) == ["a", "b"] and scene.selected_edge_ids() == ["ab"]


def test_clicking_one_of_the_selected_steps_leaves_it_alone_selected(window, view, qtbot):
    scene = view.diagram()
    _drag(view, qtbot, _at(view, -120, -80), _at(view, 920, 380))  # everything
    assert scene.selected_edge_ids() == ["ab", "bc", "help"]
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=_at(view, 800, 0))  # C, already selected
    assert scene.selected_node_ids() == ["c"] and scene.selected_edge_ids() == []
    qtbot.keyClick(view.viewport(), Qt.Key_Delete)
    assert sorted(e.id for e in window.document.map.edges) == [
        "ab",
        "help",
    ]  # only C's connection went


def test_select_all_takes_steps_and_connections(window, view, qtbot):
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key_A, Qt.ControlModifier)
    assert QKeySequence(QKeySequence.SelectAll).toString() == "Ctrl+A"
    scene = view.diagram()
    assert sorted(scene.selected_node_ids()) == ["a", "act", "b", "c"]
    assert scene.selected_edge_ids() == ["ab", "bc", "help"]


def test_a_rebuild_keeps_the_selected_connection_and_the_panel_agrees(window, view, qtbot):
    scene = view.diagram()
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=_at(view, 150, 0))
    window.editor.update("edges", "bc", source="a")  # new ends: the scene is rebuilt
    assert scene.selected_edge_ids() == ["ab"] and window.selection.edges == ("ab",)


def test_painting_a_strip_paints_what_painting_everything_does(window, view):
    """Scrolling repaints strips: an arrow head, a label or a dash cut at the strip's edge must still be whole."""
    scene = view.diagram()
    for item in scene._nodes.values():  # noqa: SLF001 - edges alone
        item.setVisible(False)
    scale = 4.0

    def render(source: QRectF, clip: QRect | None = None) -> QImage:
        image = QImage(
            int(source.width() * scale), int(source.height() * scale), QImage.Format_ARGB32
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        if clip is not None:
            painter.setClipRect(clip)
        scene.render(painter, QRectF(image.rect()), source, Qt.IgnoreAspectRatio)
        painter.end()
        return image

    def differing(a: QImage, b: QImage, rect: QRect) -> int:
        """Pixels that visibly differ (antialiasing may round a channel by one or two)."""
        return sum(
            max(
                abs(p - q)
                for p, q in zip(
                    a.pixelColor(x, y).getRgb(), b.pixelColor(x, y).getRgb(), strict=True
                )
            )
            > 16
            for x in range(rect.left(), rect.right() + 1)
            for y in range(rect.top(), rect.bottom() + 1)
        )

    # a strip starting 4 units below the line A -> B, across its arrow head (x about 315) and its label (x 200)
    for source in (QRectF(250, -20, 100, 40), QRectF(170, -20, 60, 40)):
        strip = QRect(
            0, int((4 - source.top()) * scale), int(source.width() * scale), int(16 * scale)
        )
        assert differing(render(source), render(source, strip), strip) == 0
    window.editor.update(
        "edges", "bc", kind="recycle"
    )  # dashed: the dashes must line up across strips
    source = QRectF(420, -10, 360, 20)
    whole = render(source)
    for left in range(0, whole.width(), 37):
        strip = QRect(left, 0, 37, whole.height())
        assert differing(whole, render(source, strip), strip) == 0


def test_edges_follow_a_drag_and_are_found_where_they_now_are(window, view, qtbot):
    scene = view.diagram()
    _drag(view, qtbot, _at(view, 800, 0), _at(view, 800, 200))  # C down by 200
    assert window.document.position("c") == (800.0, 200.0)
    line = scene.item_for_edge("bc")
    middle = line.line().center()
    assert scene.edge_at(middle) is line
    assert scene.edge_at(QPointF(600, 0)) is None  # not where it was


def test_hovering_an_edge_tells_what_it_converts(view):
    view.show()
    point = _at(view, 150, 0)
    QApplication.sendEvent(
        view.viewport(), QHelpEvent(QEvent.ToolTip, point, view.viewport().mapToGlobal(point))
    )
    text = QTextDocument()
    text.setHtml(QToolTip.text())
    QToolTip.hideText()
    assert text.toPlainText() == "Reads reviews → Starts a trial: 40%"


def test_canvas_export_draws_edges_at_any_zoom(view):
    view.zoom(0.15 / view.zoom_level())  # far out, where edges are thin batched lines on screen
    image = QImage.fromData(render_scene(view.diagram(), "png"))
    scene_rect = view.diagram().content_rect().adjusted(-40, -40, 40, 40)
    scale = image.width() / scene_rect.width()
    x, y = (
        (150 - scene_rect.left()) * scale,
        (0 - scene_rect.top()) * scale,
    )  # on the line from A to B
    ring = [image.pixelColor(int(x) + dx, int(y) + dy) for dx in (-2, 0, 2) for dy in (-2, 0, 2)]
    assert any(color.lightness() < 200 for color in ring)


def test_many_removals_and_undos_keep_the_index_true(window, view):
    scene = view.diagram()
    for _ in range(
        1500
    ):  # each undo adds the edge anew: past 1,024 rows the layer drops the free ones
        window.editor.remove_nodes([], ["ab"])
        window.editor.undo_stack.undo()
    assert len(scene.edge_layer._rows) <= 1025  # noqa: SLF001 - compacted (1,503 rows without it)
    assert scene.edge_at(QPointF(150, 0)) is scene.item_for_edge("ab")
    assert scene.edge_at(QPointF(600, 0)) is scene.item_for_edge("bc")
    assert scene.edge_at(QPointF(400, 150)) is scene.item_for_edge("help")


# --- the clipping geometry, against outlines worked out here and the outlines NodeItem paints ---

# the outlines clipped exactly (the rounded ones, "round" and "pill", are clipped as their box)
_PAINTED_AS_CLIPPED = {"rect", "double", "diamond", "ellipse"}


def _reach(shape: str, x, y):
    """1 where the point (x, y), relative to a step's centre, lies on the step's outline: the
    170 x 64 box, or the diamond through the middles of its sides reaching 6 above and below
    it, or the ellipse inside the box."""
    if shape == "diamond":
        return np.abs(x) / 85 + np.abs(y) / 38
    if shape == "ellipse":
        return np.hypot(x / 85, y / 32)
    return np.maximum(np.abs(x) / 85, np.abs(y) / 32)


@pytest.mark.parametrize(
    "source_kind,target_kind",
    [(k, k) for k in KIND_SHAPES] + [("decision", "won"), ("won", "entry"), ("entry", "decision")],
)
def test_edges_end_on_both_outlines_in_every_direction(qapp, source_kind, target_kind):
    """For 500 directions and distances, each end of an edge lies on its step's outline, on the
    line between the two centres, the start before the end; the one-edge and the many-edges
    entry points agree."""
    rng = np.random.default_rng(7)
    angles = rng.uniform(0, 2 * np.pi, 500)
    angles[:8] = np.arange(8) * np.pi / 4  # straight across, down, up and the diagonals
    distances = rng.uniform(210, 2000, 500)  # apart: no two outlines overlap
    a = rng.uniform(-3000, 3000, (500, 2))
    b = a + distances[:, None] * np.column_stack((np.cos(angles), np.sin(angles)))
    ends = clip_ends(
        np.hstack((a, b)),
        np.full(500, shape_code(source_kind)),
        np.full(500, shape_code(target_kind)),
    )
    start, end = ends[:, :2], ends[:, 2:]
    source_shape, target_shape = KIND_SHAPES[source_kind], KIND_SHAPES[target_kind]
    assert _reach(source_shape, *(start - a).T) == pytest.approx(np.ones(500), abs=1e-9)
    assert _reach(target_shape, *(end - b).T) == pytest.approx(np.ones(500), abs=1e-9)
    direction = (b - a) / distances[:, None]
    along_start = np.sum((start - a) * direction, axis=1)
    along_end = np.sum((end - a) * direction, axis=1)
    for tip in (start, end):  # on the centre-to-centre line
        across = direction[:, 0] * (tip - a)[:, 1] - direction[:, 1] * (tip - a)[:, 0]
        assert np.abs(across).max() < 1e-6
    assert (along_start > 0).all() and (along_start < along_end).all()
    assert (along_end < distances).all()
    for row in range(0, 500, 50):  # the one edge that follows a drag: the same ends
        one = clip_line(*a[row], *b[row], shape_code(source_kind), shape_code(target_kind))
        assert one == pytest.approx(tuple(ends[row]), abs=1e-9)

    # what is painted: just outside each end is outside the step's painted outline, and for the
    # outlines that are clipped exactly, just inside it is inside
    for row in range(0, 500, 25):
        for centre, tip, kind, outward in (
            (a[row], start[row], source_kind, direction[row]),
            (b[row], end[row], target_kind, -direction[row]),
        ):
            outline = NodeItem("n", kind).shape()
            local = tip - centre
            out, inside = local + 0.5 * outward, local - 0.5 * outward
            assert not outline.contains(QPointF(*out)), (kind, local)
            if KIND_SHAPES[kind] in _PAINTED_AS_CLIPPED:
                assert outline.contains(QPointF(*inside)), (kind, local)


@pytest.mark.parametrize(
    "source_kind,target_kind", [("action", "action"), ("decision", "won"), ("entry", "buyer_step")]
)
def test_overlapping_steps_meet_in_the_middle(source_kind, target_kind):
    codes = shape_code(source_kind), shape_code(target_kind)
    on_top = clip_line(40.0, 10.0, 40.0, 10.0, *codes)
    assert on_top == (40.0, 10.0, 40.0, 10.0)
    would_cross = clip_line(0.0, 0.0, 30.0, 8.0, *codes)
    assert would_cross == pytest.approx((15.0, 4.0, 15.0, 4.0))


def test_the_geometry_needs_no_qt_and_its_examples_hold():
    import doctest
    import subprocess
    import sys

    from app.gui.canvas import geometry
    from app.gui.common import shapes

    for module in (geometry, shapes):
        assert doctest.testmod(module).failed == 0, module.__name__
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, app.gui.canvas.geometry; print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


def test_edges_end_on_the_new_outline_when_a_step_changes_kind(window, view):
    line = view.diagram().item_for_edge("bc")  # ends on the decision diamond's left corner
    before = line.line().p2().x()
    window.editor.update(
        "nodes", "c", kind="won"
    )  # an ellipse: the same left extreme, so move C first
    window.editor.move_nodes({"c": (800.0, 60.0)})
    on_ellipse = line.line().p2()
    window.editor.update("nodes", "c", kind="action")  # a rectangle: the line ends on its box
    on_box = line.line().p2()
    assert before != on_ellipse.x() and on_ellipse != on_box
    assert on_box.x() == pytest.approx(800 - 85, abs=0.5) or on_box.y() == pytest.approx(
        60 - 32, abs=0.5
    )


def _menu(view, x: float, y: float) -> dict:
    """The right-click menu at a scene point, as {text without its shortcut: action}."""
    menu = view.context_menu(_at(view, x, y))
    return {
        action.text().split("\t")[0]: action
        for action in menu.actions()
        if not action.isSeparator()
    }


def test_right_click_on_a_step_selects_it_and_offers_what_applies_to_it(window, view):
    scene = view.diagram()
    scene.select_nodes(["a"])
    items = _menu(view, 800, 0)  # C, not selected yet
    assert scene.selected_node_ids() == ["c"]
    assert {"Rename", "Add next step", "Cu&t", "&Copy", "D&uplicate", "&Delete"} <= set(items)
    items["&Delete"].trigger()
    assert not window.document.has("nodes", "c") and not window.document.has("edges", "bc")


def test_right_click_on_empty_canvas_adds_a_step_of_any_kind_there(window, view):
    QApplication.clipboard().setText("")  # the clipboard outlives tests: nothing copied
    items = _menu(view, 600, 200)
    assert [text for text in items if text.startswith("Add ")] == [
        "Add lead source here",
        "Add buyer step here",
        "Add company action here",
        "Add decision here",
        "Add sub-process here",
        "Add won here",
        "Add lost here",
    ]
    assert {"Paste here", "Auto-&layout", "&Fit to window"} <= set(items)
    assert not items["Paste here"].isEnabled()  # nothing copied yet
    items["Add decision here"].trigger()
    added = window.document.map.nodes[-1]
    assert added.kind == "decision" and window.document.position(added.id) == (600.0, 200.0)
    assert view.diagram().label_editor is not None  # its label is ready to type


def test_right_click_on_a_connection_selects_it_for_delete(window, view):
    items = _menu(view, 150, 0)
    assert view.diagram().selected_edge_ids() == ["ab"]
    items["&Delete"].trigger()
    assert not window.document.has("edges", "ab")


def test_right_click_on_a_sub_process_step_opens_its_process(window):
    doc = _three_steps()
    doc.processes.append(Process(id="trial", name="Trial", kind="subprocess"))
    doc.nodes.append(
        Node(id="sp", process="p", kind="subprocess", label="Trial", subprocess="trial")
    )
    doc.layout.nodes["sp"] = (0, 300)
    window.files.load(doc, None)
    view = window.current_view()
    view.resetTransform()
    view.centerOn(400, 100)
    _menu(view, 0, 300)["Open sub-process"].trigger()
    assert window.current_view().diagram().process_id == "trial"


def test_paste_here_puts_the_copied_steps_where_the_right_click_was(window, view):
    QApplication.clipboard().setText("some text from another program")
    assert (
        not _menu(view, 600, 200)["Paste here"].isEnabled() and not window.action_paste.isEnabled()
    )
    view.diagram().select_nodes(["a", "b"])
    window.action_copy.trigger()
    assert window.action_paste.isEnabled()
    items = _menu(view, 600, 200)
    assert items["Paste here"].isEnabled()
    items["Paste here"].trigger()
    pasted = view.diagram().selected_node_ids()
    assert sorted(window.document.position(n) for n in pasted) == [(600.0, 200.0), (1000.0, 200.0)]


def _popup_after(send) -> list | None:
    """Send an event that opens a menu; read the menu's entries once it is open, then close it."""
    from PySide6.QtCore import QTimer

    seen = []

    def close_the_popup():  # runs inside the menu's own event loop, once it is open
        popup = QApplication.activePopupWidget()
        seen.append(
            [a.text().split("\t")[0] for a in popup.actions() if not a.isSeparator()]
            if popup
            else None
        )
        if popup:
            popup.close()

    QTimer.singleShot(0, close_the_popup)
    send()
    if not seen:  # a menu opened with popup() rather than exec(): it is up once the event returns
        QApplication.processEvents()
    return seen[0] if seen else None


def test_the_menu_key_opens_the_menu_of_the_selection(window, view):
    from PySide6.QtGui import QContextMenuEvent

    view.diagram().select_nodes(["b"])
    shown = _popup_after(
        lambda: QApplication.sendEvent(
            view.viewport(),
            QContextMenuEvent(
                QContextMenuEvent.Keyboard, QPoint(0, 0), view.viewport().mapToGlobal(QPoint(0, 0))
            ),
        )
    )
    assert "Rename" in shown and view.diagram().selected_node_ids() == [
        "b"
    ]  # b's menu, b still selected


def test_right_click_in_a_label_being_typed_is_left_to_the_text_field(window, view):
    from PySide6.QtGui import QContextMenuEvent

    view.diagram().start_label_edit("b")
    point = _at(view, 400, 0)
    shown = _popup_after(
        lambda: QApplication.sendEvent(
            view.viewport(),
            QContextMenuEvent(QContextMenuEvent.Mouse, point, view.viewport().mapToGlobal(point)),
        )
    )
    assert (
        shown is not None and "Rename" not in shown and "Select All" in shown
    )  # the text's own menu


def test_edges_stay_readable_on_a_dark_palette(window, view):
    """The canvas follows the platform's palette; on a dark one, edges are drawn light."""
    from PySide6.QtGui import QPalette

    def on_the_line():
        image = view.viewport().grab().toImage()
        point = _at(view, 100, 0)  # on the line from A to B, clear of its label
        ring = [
            image.pixelColor(point.x() + dx, point.y() + dy).lightness()
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
        ]
        return ring, image.pixelColor(point.x(), point.y() - 20).lightness()

    ring, background = on_the_line()
    assert background > 200 and min(ring) < 150  # light canvas: a dark line
    dark = QPalette(view.palette())
    dark.setColor(QPalette.Base, QColor("#1e1e1e"))
    view.setPalette(dark)
    view.viewport().setPalette(dark)
    ring, background = on_the_line()
    assert background < 60 and max(ring) > 150  # dark canvas: a light line


def test_properties_offer_a_conversion_and_a_delay_only_on_a_connection_that_moves_leads(
    window, view
):
    """An 'addresses' link moves no leads: a conversion typed there would be read by nothing."""
    selection, properties = window.workspace.selection, window.properties
    selection.set("p", edges=["help"])
    assert properties.title.text().startswith("Connection")
    assert properties.findChild(QLineEdit, "field_conversion") is None
    assert properties.findChild(QLineEdit, "field_delay_days") is None
    assert properties.findChild(QLineEdit, "field_label") is not None
    selection.set("p", edges=["ab"])
    assert properties.findChild(QLineEdit, "field_conversion").text() == "40%"
    window.editor.update("edges", "help", kind="flow")  # made a flow: the fields appear
    selection.set("p", edges=["help"])
    assert properties.findChild(QLineEdit, "field_conversion") is not None
    window.editor.undo_stack.undo()  # an addresses link again, while shown: they go
    assert properties.findChild(QLineEdit, "field_conversion") is None
    assert properties.findChild(QLineEdit, "field_delay_days") is None
