"""Copy, paste and duplicate across processes; auto-layout with and without Graphviz; inline label keys."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from app.gui.canvas.clipboard import copy_payload, paste_payload
from models import Process


def _select(window, *node_ids):
    scene = window.current_view().diagram()
    scene.select_nodes(list(node_ids))
    return scene


def test_copy_paste_into_another_process_with_fresh_ids_is_one_step(window, qtbot, small_map):
    window.files.load(small_map, None)
    window.editor.add_item("processes", Process(id="other", name="Other", kind="buyer"))
    originals = {n.id for n in window.document.map.nodes}
    labels = sorted(window.document.get("nodes", n).label for n in ("web", "call"))
    _select(window, "web", "call")
    before = window.editor.undo_stack.count()
    window.action_copy.trigger()
    window.open_process("other")
    window.action_paste.trigger()
    pasted = window.document.map.nodes_of("other")
    assert sorted(n.label for n in pasted) == labels
    assert not {n.id for n in pasted} & originals
    inside = {n.id for n in pasted}
    assert [e for e in window.document.map.edges if e.source in inside and e.target in inside]
    assert window.editor.undo_stack.count() == before + 1
    window.editor.undo_stack.undo()
    assert window.document.map.nodes_of("other") == []


def test_duplicate_by_keyboard_then_undo_restores_the_map(window, qtbot, small_map):
    window.files.load(small_map, None)
    snapshot = window.document.map.model_copy(deep=True)
    view = window.current_view()
    _select(window, "fit")
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key_D, Qt.ControlModifier)
    assert len(window.document.map.nodes) == len(snapshot.nodes) + 1
    window.editor.undo_stack.undo()
    assert window.document.map == snapshot


def test_paste_of_foreign_text_does_nothing(window, small_map):
    window.files.load(small_map, None)
    assert paste_payload(window.editor, "just some words", "funnel") == []
    assert paste_payload(window.editor, copy_payload(window.document, []), "funnel") == []


def test_inline_label_edit_with_f2_commits_on_enter_and_esc_cancels(window, qtbot, small_map):
    window.files.load(small_map, None)
    view = window.current_view()
    _select(window, "call")
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key_F2)
    qtbot.keyClick(view.viewport(), Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(view.viewport(), "<img src=x>")
    qtbot.keyClick(view.viewport(), Qt.Key_Return)
    assert window.document.get("nodes", "call").label == "<img src=x>"
    _select(window, "call")
    qtbot.keyClick(view.viewport(), Qt.Key_F2)
    qtbot.keyClicks(view.viewport(), "ignored")
    qtbot.keyClick(view.viewport(), Qt.Key_Escape)
    assert window.document.get("nodes", "call").label == "<img src=x>"


@pytest.mark.needs_dot
def test_auto_layout_with_real_dot(window, qtbot, small_map):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot is not installed")
    window.files.load(small_map, None)
    with qtbot.waitSignal(window.layout_finished, timeout=15000) as blocker:
        window.action_layout.trigger()
    assert blocker.args[0] == "dot"


def test_auto_layout_falls_back_without_dot(window, qtbot, small_map, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot on this PATH
    window.files.load(small_map, None)
    count = window.editor.undo_stack.count()
    with qtbot.waitSignal(window.layout_finished, timeout=15000) as blocker:
        window.action_layout.trigger()
    assert blocker.args[0].startswith("layered")
    x = {n.id: window.document.position(n.id)[0] for n in window.document.map.nodes}
    assert x["web"] < x["call"] < x["fit"]
    assert window.editor.undo_stack.count() == count + 1


def test_space_drag_pans_and_edges_follow_a_drag(window, qtbot, small_map):
    window.files.load(small_map, None)
    view = window.current_view()
    view.resetTransform()
    view.setFocus()
    qtbot.keyPress(view.viewport(), Qt.Key_Space)
    assert view.dragMode() == view.DragMode.ScrollHandDrag
    qtbot.keyRelease(view.viewport(), Qt.Key_Space)
    assert view.dragMode() == view.DragMode.RubberBandDrag
    scene = view.diagram()
    item = scene.item_for_node("call")
    edge = next(e for e in item.edges)
    before = edge.bounds()
    view.centerOn(item)
    start = view.mapFromScene(item.pos())
    qtbot.mousePress(view.viewport(), Qt.LeftButton, pos=start)
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    end = start + QPoint(0, 120)
    move = QMouseEvent(
        QMouseEvent.MouseMove,
        end,
        view.viewport().mapToGlobal(end),
        Qt.NoButton,
        Qt.LeftButton,
        Qt.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), move)
    qtbot.mouseRelease(view.viewport(), Qt.LeftButton, pos=end)
    assert edge.bounds() != before


def test_align_top_is_one_undo_step(window, small_map):
    window.files.load(small_map, None)
    window.editor.move_nodes({"web": (0.0, 0.0), "call": (240.0, 60.0), "fit": (480.0, 120.0)})
    _select(window, "web", "call", "fit")
    count = window.editor.undo_stack.count()
    window.arrange("top")
    assert {window.document.position(n)[1] for n in ("web", "call", "fit")} == {0.0}
    assert window.editor.undo_stack.count() == count + 1
    window.editor.undo_stack.undo()
    assert window.document.position("fit") == (480.0, 120.0)
