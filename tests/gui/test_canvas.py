"""The canvas with real mouse and keyboard: create, connect, dictate, edit, undo, save, recover."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QPushButton, QToolTip

from app.gui.canvas.node_item import NodeItem
from app.gui.common import dialogs
from app.gui.shell.recovery import RecoveryStore
from models import Edge, JourneyMap, Node, Process, load_map, save_map
from models.templates import load_template, template_names

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def discard_changes(win) -> None:
    win.editor.undo_stack.setClean()


def _blank(window) -> None:
    window.files.load(JourneyMap(processes=[Process(id="p", name="Journey", kind="buyer")]), None)


def _view_point(view, scene_point):
    return view.mapFromScene(scene_point)


def _tooltip_over(view, scene_point) -> str:
    """Hover as Qt does: a ToolTip help event on the viewport; the text as the user reads it."""
    view.show()
    point = view.mapFromScene(scene_point)
    QApplication.sendEvent(
        view.viewport(), QHelpEvent(QEvent.ToolTip, point, view.viewport().mapToGlobal(point))
    )
    shown = QToolTip.text()
    QToolTip.hideText()
    document = QTextDocument()
    document.setHtml(shown)  # what the tooltip label renders: rich text
    return document.toPlainText()


def _labels_in_order(doc, start: str) -> list[str]:
    labels, current = [], start
    while True:
        labels.append(doc.node(current).label)
        nxt = [e.target for e in doc.edges if e.source == current]
        if not nxt:
            return labels
        current = nxt[0]


def test_double_click_creates_a_node_and_typing_names_it(window, qtbot):
    _blank(window)
    view = window.current_view()
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=QPoint(300, 300))
    assert len(window.document.map.nodes) == 1
    qtbot.keyClicks(view.viewport(), "Visit the website")
    qtbot.keyClick(view.viewport(), Qt.Key_Return)
    node = window.document.map.nodes[0]
    assert node.label == "Visit the website"
    assert window.document.position(node.id) is not None
    assert window.isWindowModified()


def test_palette_adds_each_kind(window):
    _blank(window)
    for action in window.add_actions.values():
        action.trigger()
        window.current_view().diagram().label_editor.commit()
    assert sorted(n.kind for n in window.document.map.nodes) == sorted(window.add_actions)


def test_dictate_a_chain_of_five_steps_by_keyboard(window, qtbot):
    _blank(window)
    view = window.current_view()
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=QPoint(150, 200))
    names = [
        "Hears about us",
        "Reads reviews",
        "Starts a trial",
        "Invites a colleague",
        "Asks for a quote",
    ]
    qtbot.keyClicks(view.viewport(), names[0])
    qtbot.keyClick(view.viewport(), Qt.Key_Return)
    for name in names[1:]:
        qtbot.keyClick(view.viewport(), Qt.Key_Tab)  # next step, connected, label selected
        qtbot.keyClicks(view.viewport(), name)
        qtbot.keyClick(view.viewport(), Qt.Key_Return)
    doc = window.document.map
    assert len(doc.nodes) == 5 and len(doc.edges) == 4
    first = next(n.id for n in doc.nodes if n.label == names[0])
    assert _labels_in_order(doc, first) == names
    xs = [window.document.position(n.id)[0] for n in doc.nodes]
    assert xs == sorted(xs), "each next step goes to the right"


def test_connect_by_dragging_with_shift(window, qtbot):
    _blank(window)
    editor = window.editor
    editor.add_node(Node(id="a", process="p", kind="buyer_step", label="A"), (0, 0))
    editor.add_node(Node(id="b", process="p", kind="buyer_step", label="B"), (400, 0))
    view = window.current_view()
    view.resetTransform()
    view.centerOn(200, 0)
    start, end = (
        _view_point(view, view.diagram().item_for_node("a").pos()),
        _view_point(view, view.diagram().item_for_node("b").pos()),
    )
    qtbot.mousePress(view.viewport(), Qt.LeftButton, Qt.ShiftModifier, start)
    qtbot.mouseMove(view.viewport(), (start + end) / 2)
    qtbot.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), Qt.LeftButton, Qt.ShiftModifier, end)
    assert [(e.source, e.target, e.kind) for e in window.document.map.edges] == [("a", "b", "flow")]
    assert view.diagram().item_for_edge(window.document.map.edges[0].id) is not None


def test_drag_moves_as_one_undo_step(window, qtbot):
    _blank(window)
    window.editor.add_node(Node(id="a", process="p", label="A"), (0, 0))
    view = window.current_view()
    view.resetTransform()
    view.centerOn(0, 0)
    count = window.editor.undo_stack.count()
    start = _view_point(view, view.diagram().item_for_node("a").pos())
    qtbot.mousePress(view.viewport(), Qt.LeftButton, Qt.NoModifier, start)
    for step in range(1, 6):
        qtbot.mouseMove(view.viewport(), start + QPoint(20 * step, 10 * step))
    qtbot.mouseRelease(view.viewport(), Qt.LeftButton, Qt.NoModifier, start + QPoint(100, 50))
    assert window.editor.undo_stack.count() == count + 1
    moved = window.document.position("a")
    assert moved != (0.0, 0.0) and moved[0] % 10 == 0 and moved[1] % 10 == 0  # snapped to the grid
    window.editor.undo_stack.undo()
    assert window.document.position("a") == (0.0, 0.0)
    assert view.diagram().item_for_node("a").pos().toTuple() == (0.0, 0.0)


def test_delete_node_with_edges_is_one_step_and_undo_restores_order(window, qtbot, small_map):
    window.files.load(small_map, None)
    before = window.document.map.model_copy(deep=True)
    scene = window.current_view().diagram()
    scene.select_nodes(["call"])
    qtbot.keyClick(window.current_view().viewport(), Qt.Key_Delete)
    assert not window.document.has("nodes", "call")
    assert {e.id for e in window.document.map.edges} == {"e3", "e4"}
    window.editor.undo_stack.undo()
    assert window.document.map == before  # list order preserved
    window.editor.undo_stack.redo()
    window.editor.undo_stack.undo()
    assert window.document.map == before
    assert scene.item_for_node("call") is not None and scene.item_for_edge("e1") is not None


def test_scene_follows_the_model(window, small_map):
    window.files.load(small_map, None)
    scene = window.current_view().diagram()
    window.editor.update("nodes", "call", label="Qualification call", owner=None)
    assert scene.item_for_node("call").label == "Qualification call"
    assert scene.item_for_node("call").team_color is None
    window.editor.update("edges", "e1", conversion=0.25)
    assert scene.item_for_edge("e1").text == "25%"
    window.editor.add_node(Node(id="new", process="funnel", label="New"), (50, 50))
    assert scene.item_for_node("new").pos().toTuple() == (50.0, 50.0)
    window.editor.move_nodes({"new": (90, 60)})
    assert scene.item_for_node("new").pos().toTuple() == (90.0, 60.0)
    window.editor.remove_nodes(["new"])
    assert scene.item_for_node("new") is None


def test_labels_are_plain_text(window, qtbot):
    _blank(window)
    window.editor.add_node(Node(id="x", process="p", label="<img src=x> & <b>bold</b>"), (0, 0))
    item = window.current_view().diagram().item_for_node("x")
    assert item.label == "<img src=x> & <b>bold</b>"
    assert (
        _tooltip_over(window.current_view(), item.pos()) == "<img src=x> & <b>bold</b>"
    )  # shown literally
    window.current_view().diagram().start_label_edit("x")
    assert window.current_view().diagram().label_editor.toPlainText() == "<img src=x> & <b>bold</b>"


def test_save_and_reopen_equal(window, tmp_path, small_map, monkeypatch):
    window.files.load(small_map, None)
    window.editor.update("nodes", "call", label="Changed")
    path = tmp_path / "saved.json"
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: str(path))
    window.action_save.trigger()
    assert window.editor.undo_stack.isClean() and not window.isWindowModified()
    assert load_map(path) == window.document.map
    window.files.open_path(path)
    assert window.document.map == load_map(path)


def test_a_file_changed_on_disk_is_not_silently_overwritten(
    window, tmp_path, small_map, monkeypatch
):
    path = tmp_path / "shared.json"
    save_map(small_map, path)
    window.files.open_path(path)
    other = small_map.model_copy(deep=True)
    other.name = "Edited by a colleague"
    save_map(other, path)
    os.utime(path, ns=(1, 1))  # make sure the change is visible even on coarse clocks
    window.editor.update("nodes", "call", label="Mine")
    asked = []
    monkeypatch.setattr(dialogs, "ask", lambda *a, **k: asked.append(a[1]) or "Cancel")
    assert window.files.save() is False
    assert asked == ["The file changed on disk"]
    assert load_map(path).name == "Edited by a colleague"


def test_close_with_unsaved_changes_asks(window, monkeypatch, small_map):
    window.files.load(small_map, None)
    window.editor.update("nodes", "call", label="Unsaved")
    monkeypatch.setattr(dialogs, "ask", lambda *a, **k: "Cancel")
    assert window.close() is False
    monkeypatch.setattr(dialogs, "ask", lambda *a, **k: "Discard")
    assert window.close() is True


def test_damaged_file_is_refused_and_not_opened_as_empty(window, tmp_path, monkeypatch, small_map):
    window.files.load(small_map, None)
    bad = tmp_path / "bad.json"
    bad.write_text("")
    shown = []
    monkeypatch.setattr(dialogs, "error", lambda parent, title, text: shown.append(text))
    assert window.files.open_path(bad) is False
    assert "is empty" in shown[0] and "bad.json" in shown[0]
    assert window.document.map == small_map  # the open map is untouched


def test_recovery_after_a_crash(qtbot, tmp_path, small_map, monkeypatch):
    """Autosave, then the window dies without closing; the next start offers the work back."""
    from app.gui.main import make_app
    from app.gui.shell.window import MainWindow

    make_app()
    folder = tmp_path / "recovery-crash"
    first = MainWindow(RecoveryStore(folder))
    qtbot.addWidget(first, before_close_func=discard_changes)
    first.files.load(small_map, None)
    first.editor.update("nodes", "call", label="Work that must not be lost")
    first.files.autosave()
    first.files.wait_for_autosave()
    first.files.autosave_timer.stop()
    # a crash: no closeEvent, the snapshot stays. Pretend the writer process is gone.
    store = RecoveryStore(folder)
    monkeypatch.setattr("app.gui.shell.recovery.process_alive", lambda pid: False)
    monkeypatch.setattr("app.gui.shell.recovery.os.getpid", lambda: -12345)
    second = MainWindow(store)
    qtbot.addWidget(second, before_close_func=discard_changes)
    asked = []
    monkeypatch.setattr(dialogs, "ask", lambda *a, **k: asked.append(a[2]) or "Restore")
    assert second.files.offer_recovery() is True
    assert second.document.get("nodes", "call").label == "Work that must not be lost"
    assert (
        " were kept at " in asked[0] and time.strftime("%d %b") in asked[0]
    )  # says when it was kept
    assert second.isWindowModified()
    assert store.orphans() == []


def test_auto_layout_is_one_undo_step(window, qtbot, small_map):
    window.files.load(small_map, None)
    count = window.editor.undo_stack.count()
    with qtbot.waitSignal(window.layout_finished, timeout=15000) as blocker:
        window.action_layout.trigger()
    assert blocker.args[0] == "dot"
    positions = {n.id: window.document.position(n.id) for n in small_map.nodes}
    assert positions["web"][0] < positions["call"][0] < positions["fit"][0] < positions["won"][0]
    assert window.editor.undo_stack.count() == count + 1


def test_presentation_mode_hides_chrome_and_comes_back(window, qtbot):
    window.files.load(load_template("plugged-funnel"), None)
    view = window.current_view()
    zoom = view.zoom_level()
    window.action_present.trigger()
    assert window.menuBar().isHidden() and window.isFullScreen()
    assert window.tabs.tabBar().isHidden()  # no chrome at all: no tab bar, no scroll bars
    assert view.horizontalScrollBarPolicy() == Qt.ScrollBarAlwaysOff
    # the whole screen, with or without a window manager (the offscreen test screen is
    # narrower than the window can be, which a real screen is not)
    assert window.geometry().contains(window.screen().geometry())
    qtbot.waitUntil(lambda: view.zoom_level() > zoom)
    # a step's label is at least 2.5 % of the screen's height: readable from the back
    height = window.screen().geometry().height()
    assert 13 * view.zoom_level() >= 0.025 * height - 0.01
    qtbot.keyClick(window, Qt.Key_Escape)
    assert not window.menuBar().isHidden() and not window.tabs.tabBar().isHidden()
    assert view.horizontalScrollBarPolicy() == Qt.ScrollBarAsNeeded
    assert view.zoom_level() == pytest.approx(zoom)  # the workshop's zoom comes back


def test_presenting_walks_along_a_process_and_from_process_to_process(window, qtbot):
    window.files.load(load_template("enterprise"), None)
    window.open_process("cfo-journey")
    window.open_process("funnel")
    window.action_present.trigger()
    view = window.current_view()
    qtbot.waitUntil(
        lambda: 13 * view.zoom_level() >= 0.025 * window.screen().geometry().height() - 0.01
    )
    bar = view.horizontalScrollBar()
    start = bar.value()
    qtbot.keyClick(view.viewport(), Qt.Key_Right)  # one screen along the funnel
    assert bar.value() > start
    qtbot.keyClick(view.viewport(), Qt.Key_Left)
    assert bar.value() == start
    qtbot.keyClick(view.viewport(), Qt.Key_PageDown)  # the next open process, fitted the same way
    other = window.current_view()
    assert other is not view and other.diagram().process_id in ("cfo-journey", "funnel")
    assert other.horizontalScrollBarPolicy() == Qt.ScrollBarAlwaysOff
    zoom = other.zoom_level()
    qtbot.keyClick(other.viewport(), Qt.Key_Equal, Qt.ControlModifier)  # larger type
    assert other.zoom_level() > zoom
    SCREENSHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "presentation.png"))
    qtbot.keyClick(window, Qt.Key_Escape)
    assert not window.tabs.tabBar().isHidden()


@pytest.mark.parametrize("name", template_names())
def test_screenshot_of_each_template(window, qtbot, name):
    doc = load_template(name)
    window.files.load(doc, None)
    window.resize(1920, 1080)  # a projector's size: what a workshop room sees
    legend = window.legend.list
    qtbot.waitUntil(
        lambda: legend.count() == 11 + len(doc.teams)
    )  # the legend follows on the next turn
    window.current_view().fit(readable=True)
    SCREENSHOTS.mkdir(exist_ok=True)
    image = window.grab()
    assert image.save(str(SCREENSHOTS / f"{name}.png"))
    nodes = [i for i in window.current_view().diagram().items() if isinstance(i, NodeItem)]
    process = window.current_view().diagram().process_id
    assert len(nodes) == len(window.document.map.nodes_of(process))


def test_subprocess_node_opens_its_process(window, qtbot):
    window.files.load(load_template("saas-trial"), None)
    window.open_process("champion-journey")
    view = window.current_view()
    view.resetTransform()
    item = view.diagram().item_for_node("trial")
    view.centerOn(item)
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=view.mapFromScene(item.pos()))
    assert window.current_view().diagram().process_id == "free-trial"


def test_undo_redo_round_trip_of_many_edits(window, small_map):
    window.files.load(small_map, None)
    snapshots = [window.document.map.model_copy(deep=True)]
    editor = window.editor
    editor.add_node(Node(id="n1", process="funnel", label="One"), (10, 10))
    snapshots.append(window.document.map.model_copy(deep=True))
    editor.add_edge(Edge(id="x1", source="n1", target="call", conversion=0.2))
    snapshots.append(window.document.map.model_copy(deep=True))
    editor.update("nodes", "web", volume=1500, label="Web")
    snapshots.append(window.document.map.model_copy(deep=True))
    editor.remove_nodes(["fit"])
    snapshots.append(window.document.map.model_copy(deep=True))
    for expected in reversed(snapshots[:-1]):
        editor.undo_stack.undo()
        assert window.document.map == expected
    for expected in snapshots[1:]:
        editor.undo_stack.redo()
        assert window.document.map == expected


def test_a_large_process_opens_in_slices_and_keeps_edits_made_meanwhile(window, qtbot):
    """A 1,500-step map never freezes the window while it opens; an edit made during the build is kept."""
    from models.generate import generate_funnel

    doc = generate_funnel(1500, 2200, seed=5)
    window.files.load(doc, None)
    process = window.document.map.processes[0].id
    scene = window.view_for(process).diagram()
    assert scene.building and len(scene._nodes) < 1500  # noqa: SLF001 - the build is under way
    first = next(n for n in window.document.map.nodes if n.process == process).id
    window.editor.add_node(
        Node(id="added-meanwhile", process=process, label="Added meanwhile"), (0.0, -400.0)
    )
    window.editor.add_edge(
        Edge(id="edge-meanwhile", source="added-meanwhile", target=first, conversion=0.5)
    )
    with qtbot.waitSignal(scene.built, timeout=20000):
        pass
    expected_nodes = {n.id for n in window.document.map.nodes if n.process == process}
    expected_edges = {
        e.id
        for e in window.document.map.edges
        if e.source in expected_nodes and e.target in expected_nodes
    }
    assert set(scene._nodes) == expected_nodes  # noqa: SLF001
    assert set(scene._edges) == expected_edges  # noqa: SLF001
    assert "edge-meanwhile" in expected_edges


def test_zoomed_far_out_edges_are_thin_lines_and_come_back_with_arrows(window, qtbot):
    """Below 30% zoom the edge layer draws one-pixel lines in batches; closer in, the full edge again."""
    window.files.load(load_template("enterprise"), None)
    view = window.current_view()
    scene = view.diagram()
    edge = next(line for line in scene._edges.values() if line.line().length() > 150)  # noqa: SLF001

    def ring_at_quarter():  # a quarter of the way along: clear of the conversion label at the middle
        quarter = edge.line().pointAt(0.25)
        view.centerOn(quarter)
        image = view.viewport().grab().toImage()
        point = view.mapFromScene(quarter)
        return [
            image.pixelColor(point.x() + dx, point.y() + dy)
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
        ]

    view.zoom(0.25 / view.zoom_level())
    assert any(color.lightness() < 200 for color in ring_at_quarter()), (
        "the edge is drawn when far out"
    )
    view.zoom(1.0 / view.zoom_level())
    assert any(color.lightness() < 200 for color in ring_at_quarter()), "and when close"


def test_open_recent_lists_saved_and_opened_files_newest_first_and_reopens_them(
    window, tmp_path, small_map, monkeypatch
):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    save_map(small_map, first)
    window.files.open_path(first)
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: str(second))
    window.action_save_as.trigger()  # Save As puts the new name on top

    def shown():
        window.recent_menu.aboutToShow.emit()  # what File ▸ Open recent lists when it opens
        return [(a.text(), a.toolTip()) for a in window.recent_menu.actions()]

    assert shown() == [("second.json", str(second.resolve())), ("first.json", str(first.resolve()))]
    second.unlink()  # a file that went away is not offered
    assert [text for text, _ in shown()] == ["first.json"]
    window.editor.update("nodes", "call", label="Not saved")
    asked = []
    monkeypatch.setattr(dialogs, "ask", lambda *a, **k: asked.append(a[1]) or "Discard")
    window.recent_menu.actions()[0].trigger()
    assert asked and window.files.path == first.resolve() and window.document.map == load_map(first)


def test_the_window_remembers_its_size_and_docks_between_runs(window, qtbot, tmp_path):
    from app.gui.shell.window import MainWindow

    window.resize(
        640, 520
    )  # within the offscreen screen (800x800): Qt fits a restored window to its screen
    size = (window.width(), window.height())  # (or the window's minimum size, if larger)
    window.legend_dock.close()  # the user closes the legend
    assert window.close()  # a real close: the state is saved as the user leaves
    again = MainWindow(RecoveryStore(tmp_path / "recovery-2"))
    qtbot.addWidget(again, before_close_func=discard_changes)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == size
    assert not again.legend_dock.isVisible() and again.properties_dock.isVisible()


def _drop(window, path):
    """A file dragged from the desktop and dropped on the canvas, as Qt delivers it to the window."""
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    canvas = window.current_view().viewport()
    assert (
        not canvas.acceptDrops() and window.acceptDrops()
    )  # so the drop over the canvas reaches the window
    point = window.mapFromGlobal(canvas.mapToGlobal(canvas.rect().center()))
    enter = QDragEnterEvent(QPointF(point), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(
        window, QDropEvent(QPointF(point), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    )
    QApplication.processEvents()  # the window opens it once the drop has returned
    return True


def test_dropping_a_map_file_opens_it_and_another_tools_file_imports_it(
    window, tmp_path, small_map, monkeypatch
):
    from exporters.registry import export_to_file

    _blank(window)
    path = tmp_path / "dropped.json"
    save_map(small_map, path)
    assert _drop(window, path)
    assert window.files.path == path and window.document.map == small_map
    export_to_file(load_template("saas-trial"), "drawio", tmp_path / "from-drawio.drawio")
    monkeypatch.setattr(dialogs, "info", lambda *a: None)
    assert _drop(window, tmp_path / "from-drawio.drawio")
    assert window.files.path is None and len(window.document.map.nodes) == len(
        load_template("saas-trial").nodes
    )
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert not _drop(window, tmp_path / "notes.txt")  # refused at the door: the cursor says no


def test_the_history_dock_lists_every_edit_and_a_click_goes_back_to_it(window, qtbot, small_map):
    window.files.load(small_map, None)
    window.editor.update("nodes", "call", label="First name")
    window.editor.update("nodes", "call", label="Second name")
    history = window.history
    model = history.model()
    texts = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert texts == [
        "The map as opened",
        "Change label of 'Discovery call'",
        "Change label of 'First name'",
    ]
    window.history_dock.show()
    window.history_dock.raise_()
    rect = history.visualRect(model.index(1, 0))
    qtbot.mouseClick(history.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.document.get("nodes", "call").label == "First name"
    rect = history.visualRect(model.index(0, 0))
    qtbot.mouseClick(history.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.document.get("nodes", "call").label == "Discovery call"


def test_the_step_being_dictated_stays_in_sight(window, qtbot):
    _blank(window)
    view = window.current_view()
    view.resetTransform()
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=QPoint(60, 200))
    qtbot.keyClicks(view.viewport(), "Step 1")
    qtbot.keyClick(view.viewport(), Qt.Key_Return)
    for number in range(2, 13):  # twelve steps, 230 apart: far wider than the window
        qtbot.keyClick(view.viewport(), Qt.Key_Tab)
        editor = view.diagram().label_editor
        assert (
            view.viewport()
            .rect()
            .contains(view.mapFromScene(editor.sceneBoundingRect()).boundingRect())
        )
        qtbot.keyClicks(view.viewport(), f"Step {number}")
        qtbot.keyClick(view.viewport(), Qt.Key_Return)
    assert len(window.document.map.nodes) == 12


def test_tab_on_an_empty_canvas_starts_dictating_there_and_never_renames_the_map(window, qtbot):
    from models import BuyerRole

    window.files.load(
        JourneyMap(
            name="Workshop",
            roles=[BuyerRole(id="sec", name="Security officer")],
            processes=[Process(id="p", name="Security review", kind="buyer", role="sec")],
        ),
        None,
    )
    view = window.current_view()
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key_Tab)
    qtbot.keyClicks(view.viewport(), "Reads the DPA")
    qtbot.keyClick(view.viewport(), Qt.Key_Return)
    qtbot.keyClick(view.viewport(), Qt.Key_Tab)
    qtbot.keyClicks(view.viewport(), "Asks for a pen test")
    qtbot.keyClick(view.viewport(), Qt.Key_Return)
    doc = window.document.map
    assert doc.name == "Workshop"
    assert [(n.label, n.kind, n.role) for n in doc.nodes] == [
        ("Reads the DPA", "buyer_step", "sec"),
        ("Asks for a pen test", "buyer_step", "sec"),
    ]  # the process's role
    assert [(e.source, e.target) for e in doc.edges] == [(doc.nodes[0].id, doc.nodes[1].id)]
    view.diagram().clearSelection()
    qtbot.keyClick(
        view.viewport(), Qt.Key_Tab, Qt.ControlModifier
    )  # the keyboard way out of the canvas
    assert not view.hasFocus()


def test_an_empty_process_says_how_to_start_and_the_palette_works_without_a_tab(window, qtbot):
    window.files.load(JourneyMap(), None)  # a new, empty map: no process, no tab
    assert window.current_view() is None
    window.add_actions["buyer_step"].trigger()  # the toolbar's "Buyer step"
    doc = window.document.map
    assert [p.kind for p in doc.processes] == ["buyer"] and [n.kind for n in doc.nodes] == [
        "buyer_step"
    ]
    view = window.current_view()
    assert view is not None and view.diagram().label_editor is not None
    window.outline.tree.setFocus()
    window.outline.tree.setCurrentItem(window.outline._groups["processes"])  # noqa: SLF001
    new_id = window.outline.add_to_current_group()
    opened = window.current_view()
    assert opened.diagram().process_id == new_id  # Add opened the new process's tab
    image = opened.viewport().grab().toImage()
    middle = range(image.height() // 2 - 40, image.height() // 2 + 40, 2)
    written = sum(
        image.pixelColor(x, y).lightness() < 200 for x in range(0, image.width(), 2) for y in middle
    )
    assert written > 50  # the "has no steps yet" hint is written across the middle
    opened.diagram().add_node_at(opened.mapToScene(0, 0), "buyer_step", edit=False)
    image = opened.viewport().grab().toImage()
    assert (
        sum(
            image.pixelColor(x, y).lightness() < 200
            for x in range(0, image.width(), 2)
            for y in middle
        )
        == 0
    )


def test_with_no_process_open_the_window_shows_how_to_start(window, qtbot):
    window.files.load(JourneyMap(), None)
    assert window.stack.currentWidget() is window.start_page and window.start_page.isVisible()
    button = window.start_page.findChild(QPushButton, "startTemplate_enterprise")
    qtbot.mouseClick(button, Qt.LeftButton)
    assert window.document.map.name == load_template("enterprise").name
    assert window.stack.currentWidget() is window.tabs and window.tabs.count() == 1
    window.action_close_tab.trigger()
    assert window.stack.currentWidget() is window.start_page  # every tab closed: how to go on
    before = len(window.document.map.processes)
    qtbot.mouseClick(window.start_page.findChild(QPushButton, "startNewProcess"), Qt.LeftButton)
    assert len(window.document.map.processes) == before + 1 and window.tabs.count() == 1
    assert (
        window.current_view().diagram().item_count() == 0
    )  # an empty canvas, which says how to start
