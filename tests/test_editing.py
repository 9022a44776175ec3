"""MapDocument: validated edits, indexes and Qt-free change signals."""

from __future__ import annotations

import pytest

from models import Edge, EditError, MapDocument, Node


@pytest.fixture
def doc(small_map):
    return MapDocument(small_map)


def _record(doc):
    events = []
    doc.item_added.connect(lambda c, item, i: events.append(("added", c, item.id, i)))
    doc.item_removed.connect(lambda c, item, i: events.append(("removed", c, item.id, i)))
    doc.item_changed.connect(lambda c, item, old: events.append(("changed", c, item.id, old)))
    doc.positions_changed.connect(lambda moves: events.append(("moved", moves)))
    doc.changed.connect(lambda: events.append(("changed-any",)))
    return events


def test_add_update_remove_emit_once_each(doc):
    events = _record(doc)
    doc.add("nodes", Node(id="demo", process="funnel", label="Demo"), index=1)
    assert doc.map.nodes[1].id == "demo"
    assert doc.update("nodes", "demo", label="Live demo", owner="sdr") == {
        "label": "Demo",
        "owner": None,
    }
    assert doc.update("nodes", "demo", label="Live demo") == {}  # no real change, no signal
    doc.set_position("demo", (10, 20))
    doc.set_position("demo", (10, 20))
    item, index = doc.remove("nodes", "demo")
    assert (item.id, index) == ("demo", 1)
    assert [e[0] for e in events] == [
        "added",
        "changed-any",
        "changed",
        "changed-any",
        "moved",
        "changed-any",
        "removed",
        "changed-any",
    ]
    assert doc.position("demo") is None


def test_refused_edit_changes_nothing_and_says_why(doc):
    events = _record(doc)
    before = doc.map.model_copy(deep=True)
    with pytest.raises(
        EditError, match=r"conversion: must be a probability between 0 and 1, not 1.5"
    ):
        doc.update("edges", "e1", conversion=1.5, label="ok")
    with pytest.raises(EditError, match="did you mean 0.50"):
        doc.update("edges", "e1", conversion=50)
    with pytest.raises(EditError, match="control character"):
        doc.update("nodes", "web", label="bad\x07")
    with pytest.raises(EditError, match="ids are stable"):
        doc.update("nodes", "web", id="other")
    with pytest.raises(EditError, match="no node with id 'ghost'"):
        doc.add("edges", Edge(id="e9", source="web", target="ghost"))
    with pytest.raises(EditError, match="already used"):
        doc.add("nodes", Node(id="web", process="funnel"))
    with pytest.raises(EditError, match="still has edges"):
        doc.remove("nodes", "web")
    with pytest.raises(EditError, match="still has nodes"):
        doc.remove("processes", "funnel")
    assert events == []
    assert doc.map == before


def test_nan_is_refused_on_edit(doc):
    with pytest.raises(EditError):
        doc.update("nodes", "web", volume=float("nan"))
    with pytest.raises(EditError):
        doc.update("nodes", "web", volume=float("inf"))


def test_map_fields_and_replace(doc, small_map):
    events = []
    doc.map_changed.connect(lambda old: events.append(old))
    doc.reset.connect(lambda: events.append("reset"))
    assert doc.set_map_fields(name="Q3 plan", currency="EUR") == {
        "name": "Small funnel",
        "currency": "USD",
    }
    with pytest.raises(EditError, match="currency"):
        doc.set_map_fields(currency="euro")
    doc.replace(small_map.model_copy(deep=True))
    assert events == [{"name": "Small funnel", "currency": "USD"}, "reset"]
    assert doc.get("nodes", "web").label == "Website"


def test_new_ids_are_unique_and_valid(doc):
    ids = {doc.new_id("nodes") for _ in range(200)}
    assert len(ids) == 200
    for node_id in list(ids)[:5]:
        doc.add("nodes", Node(id=node_id, process="funnel"))
    assert doc.new_id("processes").startswith("process-")


def test_a_snapshot_never_sees_later_edits(doc):
    """Workers analyse, simulate and export a snapshot while the user keeps typing."""
    before = doc.snapshot()
    label = doc.get("nodes", "web").label
    doc.update("nodes", "web", label="Renamed while a worker runs")
    doc.set_position("web", (1.0, 2.0))
    doc.add("nodes", Node(id="late", process=doc.map.nodes[0].process, label="Late"))
    assert next(n for n in before.nodes if n.id == "web").label == label
    assert "late" not in {n.id for n in before.nodes}
    assert before.layout.nodes.get("web") != (1.0, 2.0)
    assert doc.get("nodes", "web").label == "Renamed while a worker runs"


def test_replacing_the_map_is_a_reset_not_an_edit(doc, small_map):
    seen = []
    doc.reset.connect(lambda: seen.append("reset"))
    doc.changed.connect(lambda: seen.append("changed"))
    doc.replace(small_map.model_copy(deep=True))
    assert seen == ["reset"]


def test_moving_many_steps_is_one_change_and_all_or_nothing(doc):
    """An auto-layout, an arrangement or their undo moves every step at once: the moves are
    announced together, the map changed once; a position out of bounds anywhere moves none."""
    ids = [n.id for n in doc.map.nodes][:3]
    events = _record(doc)
    doc.set_positions({node_id: (100.0 * i, 50.0) for i, node_id in enumerate(ids)})
    assert events == [
        ("moved", {node_id: (100.0 * i, 50.0) for i, node_id in enumerate(ids)}),
        ("changed-any",),
    ]
    events.clear()
    with pytest.raises(EditError, match=rf"layout.nodes.{ids[2]}: a position must lie within"):
        doc.set_positions({ids[0]: (1.0, 1.0), ids[2]: (float("inf"), 0.0)})
    assert events == [] and doc.position(ids[0]) == (0.0, 50.0)
    doc.set_positions({ids[0]: (0.0, 50.0)})  # where it is already: nothing to say
    assert events == []
