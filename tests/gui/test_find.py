"""Edit ▸ Find step (Ctrl+F) with the real keyboard: as you type, Enter for the next, across processes."""

from __future__ import annotations

from PySide6.QtCore import Qt

from models.templates import load_template


def test_find_a_step_by_typing_and_walk_through_the_matches(window, qtbot):
    window.files.load(load_template("enterprise"), None)
    view = window.current_view()
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key_F, Qt.ControlModifier)
    bar = window.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "REVIEW")  # any case; steps in several processes
    doc = window.document.map
    expected = [n for n in doc.nodes if "review" in n.label.lower()]
    assert len(expected) >= 2
    scene = window.current_view().diagram()
    assert scene.process_id == expected[0].process and scene.selected_node_ids() == [expected[0].id]
    assert bar.count.text() == f"1 of {len(expected)}"
    assert bar.field.hasFocus()  # still typing in the bar, even though a tab may have opened
    qtbot.keyClick(bar.field, Qt.Key_Return)
    scene = window.current_view().diagram()
    assert (
        scene.selected_node_ids() == [expected[1].id]
        and bar.count.text() == f"2 of {len(expected)}"
    )
    qtbot.keyClick(bar.field, Qt.Key_Return, Qt.ShiftModifier)
    assert window.current_view().diagram().selected_node_ids() == [expected[0].id]
    qtbot.keyClick(bar.field, Qt.Key_Escape)
    assert not bar.isVisible() and window.current_view().hasFocus()


def test_a_match_in_another_process_opens_its_tab(window, qtbot):
    doc = load_template("enterprise")
    window.files.load(doc, None)
    other = next(n for n in doc.nodes if n.process != window.current_view().diagram().process_id)
    window.action_find.trigger()
    qtbot.keyClicks(window.find_bar.field, other.label)
    view = window.current_view()
    assert (
        view.diagram().process_id == other.process
        and other.id in view.diagram().selected_node_ids()
    )
    step = view.diagram().item_for_node(other.id)
    assert view.viewport().rect().contains(view.mapFromScene(step.pos()))  # centred in sight


def test_nothing_found_says_so(window, qtbot):
    window.files.load(load_template("saas-trial"), None)
    window.action_find.trigger()
    qtbot.keyClicks(window.find_bar.field, "no such step anywhere")
    assert window.find_bar.count.text() == "no step has that"
