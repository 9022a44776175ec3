"""Diff and merge at the model level (issue 19): properties over generated edits, and the
located conflicts, rule-breaking merges and conflict files a person meets."""

from __future__ import annotations

import json

import pytest
from group_map import buying_group_map
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from version_edits import EDITS, edited
from work_count import work

from models import Edge, MapFileError, Node, dumps_map, loads_map
from models.templates import load_template
from models.versions import apply_diff, diff_maps, merge_maps
from models.versions.text import diff_text

BASES = {
    "saas-trial": load_template("saas-trial"),
    "plugged-funnel": load_template("plugged-funnel"),
    "buying-group": buying_group_map(),
}
SIDE = st.lists(EDITS, min_size=0, max_size=5)
SETTINGS = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def _loads(doc):
    """``doc`` as a file would bring it back, or None when the edits broke a rule."""
    try:
        return loads_map(dumps_map(doc), "edited.json")
    except MapFileError:
        return None


def _sides(data, count):
    base = BASES[data.draw(st.sampled_from(sorted(BASES)))]
    sides = [_loads(edited(base, data.draw(SIDE), side)) for side in "xyz"[:count]]
    assume(all(side is not None for side in sides))
    return base, sides


# --- properties -----------------------------------------------------------------------------------


@SETTINGS
@given(st.data())
def test_applying_the_diff_of_a_and_b_to_a_gives_b(data):
    _, (a, b) = _sides(data, 2)
    assert apply_diff(a, diff_maps(a, b)) == b
    assert diff_maps(a, a).equal() and diff_maps(a, b).equal() == (a == b)


@SETTINGS
@given(st.data())
def test_merging_a_change_with_no_change_gives_the_change(data):
    base, (x,) = _sides(data, 1)
    for merged in (merge_maps(base, x, base), merge_maps(base, base, x)):
        assert merged.clean and merged.doc == x
        assert merged.text() == dumps_map(x)


@SETTINGS
@given(st.data())
def test_merge_is_symmetric_when_clean_and_its_file_validates_and_resaves(data):
    base, (x, y) = _sides(data, 2)
    one, other = merge_maps(base, x, y), merge_maps(base, y, x)
    assert one.clean == other.clean
    if one.clean:
        assert one.doc == other.doc
        assert one.text() == other.text()
        again = loads_map(one.text(), "merged.json")
        assert dumps_map(again) == one.text()
    else:  # valid JSON that loading refuses, naming the first conflict
        assert json.loads(one.text())["merge_conflicts"]
        with pytest.raises(MapFileError, match="unresolved merge conflict"):
            loads_map(one.text(), "merged.json")


# --- the cases a team meets -----------------------------------------------------------------------


def _template():
    return load_template("enterprise")


def test_two_people_adding_steps_to_one_process_merge_with_no_conflict():
    base, ours, theirs = _template(), _template(), _template()
    for doc, suffix in ((ours, "a"), (theirs, "b")):
        doc.nodes.append(Node(id=f"node-{suffix}", process="funnel", label=suffix))
        doc.edges.append(Edge(id=f"edge-{suffix}", source="web-inbound", target=f"node-{suffix}"))
        doc.layout.nodes[f"node-{suffix}"] = (0.0, 600.0)
    merged = merge_maps(base, ours, theirs)
    assert merged.clean
    assert [n.id for n in merged.doc.nodes_of("funnel")][-2:] == ["node-a", "node-b"]


def test_different_fields_of_one_item_merge_and_the_same_field_is_one_conflict_line():
    base, ours, theirs = _template(), _template(), _template()
    ours.edges[0] = ours.edges[0].model_copy(update={"conversion": 0.4, "label": "Booked"})
    theirs.edges[0] = theirs.edges[0].model_copy(update={"conversion": 0.5, "delay_days": 3.0})
    merged = merge_maps(base, ours, theirs)
    edge = merged.doc.edges[0]
    assert (edge.label, edge.delay_days, edge.conversion) == ("Booked", 3.0, 0.4)  # ours held
    assert [c.line() for c in merged.conflicts] == [
        f'edge "{edge.id}" conversion: base {base.edges[0].conversion}, ours 0.4, theirs 0.5 '
        "(changed on both sides)"
    ]
    record = json.loads(merged.text())["merge_conflicts"][0]
    assert record == {
        "collection": "edges",
        "id": edge.id,
        "field": "conversion",
        "base": base.edges[0].conversion,
        "ours": 0.4,
        "theirs": 0.5,
        "reason": "changed on both sides",
    }


def test_a_conflict_file_is_refused_where_the_list_is_and_loads_once_resolved(tmp_path):
    base, ours, theirs = _template(), _template(), _template()
    ours.name, theirs.name = "Ours", "Theirs"
    text = merge_maps(base, ours, theirs).text()
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MapFileError) as caught:
        loads_map(text, path)
    assert str(caught.value) == (
        f"{path}:4:3: merge_conflicts: 1 unresolved merge conflict, the first: the map's name: "
        'base "Enterprise buying group", ours "Ours", theirs "Theirs" (changed on both sides). '
        "The file holds ours' value at each; set the values you want, then delete "
        '"merge_conflicts".'
    )
    data = json.loads(text)
    del data["merge_conflicts"]
    assert loads_map(json.dumps(data)).name == "Ours"


def test_an_edge_to_a_step_the_other_side_removed_is_a_conflict_not_a_broken_map():
    base, ours, theirs = _template(), _template(), _template()
    ours.edges.append(Edge(id="edge-new", source="web-inbound", target="capture", kind="recycle"))
    theirs.edges = [e for e in theirs.edges if "capture" not in (e.source, e.target)]
    theirs.nodes = [n for n in theirs.nodes if n.id != "capture"]
    del theirs.layout.nodes["capture"]
    merged = merge_maps(base, ours, theirs)
    assert [(c.collection, c.id, c.field) for c in merged.conflicts] == [
        ("edges", "edge-new", "target")
    ]
    assert "breaks a rule" in merged.conflicts[0].reason
    assert "does not exist" in merged.conflicts[0].reason
    json.loads(merged.text())  # still JSON


def test_two_new_edges_joining_the_same_steps_break_the_duplicate_rule():
    base, ours, theirs = _template(), _template(), _template()
    ours.edges.append(Edge(id="edge-a", source="web-inbound", target="capture", kind="recycle"))
    theirs.edges.append(Edge(id="edge-b", source="web-inbound", target="capture", kind="recycle"))
    merged = merge_maps(base, ours, theirs)
    assert [c.id for c in merged.conflicts] == ["edge-b"]
    assert "already exists" in merged.conflicts[0].reason


def test_removed_on_one_side_and_changed_on_the_other_keeps_the_change_as_a_conflict():
    base, ours, theirs = _template(), _template(), _template()
    gone = ours.edges.pop(0)
    theirs.edges[0] = theirs.edges[0].model_copy(update={"conversion": 0.99})
    merged = merge_maps(base, ours, theirs)
    assert merged.doc.edges[0].id == gone.id and merged.doc.edges[0].conversion == 0.99
    (conflict,) = merged.conflicts
    assert conflict.line() == (
        f'edge "{gone.id}": base {{"conversion": {gone.conversion}}}, ours (absent), '
        'theirs {"conversion": 0.99} (removed by ours, changed by theirs: kept with theirs\' '
        "changes)"
    )


def test_a_step_moved_to_two_places_is_a_layout_conflict():
    base, ours, theirs = _template(), _template(), _template()
    ours.layout.nodes["capture"] = (1.0, 1.0)
    theirs.layout.nodes["capture"] = (2.0, 2.0)
    (conflict,) = merge_maps(base, ours, theirs).conflicts
    assert conflict.line().startswith('position of node "capture": base [')
    assert conflict.line().endswith(
        "ours [1.0, 1.0], theirs [2.0, 2.0] (moved to different places on both sides)"
    )


def test_no_common_version_merges_two_additions_of_the_same_map():
    doc = _template()
    assert merge_maps(None, doc, doc).clean
    other = _template()
    other.name = "Renamed"
    assert [c.field for c in merge_maps(None, doc, other).conflicts] == ["name"]


def test_the_diff_text_says_added_removed_changed_and_moved():
    old, new = _template(), _template()
    new.nodes.append(Node(id="node-3fa2b1", process="funnel", label="Call the CFO"))
    new.layout.nodes["node-3fa2b1"] = (230.0, 600.0)
    new.edges[0] = new.edges[0].model_copy(update={"conversion": 0.5})
    removed = new.slas.pop()
    new.layout.nodes["capture"] = (0.0, 0.0)
    diff = diff_maps(old, new)
    text = diff_text(diff, "old.json", "new.json")
    was = old.edges[0].conversion
    assert text.splitlines()[:2] == ["--- old.json", "+++ new.json"]
    assert '  + node-3fa2b1 "Call the CFO" (action in funnel)' in text
    assert f"      conversion: {was} -> 0.5" in text
    assert f'  - {removed.id} "{removed.name}"' in text
    assert "  node-3fa2b1: (not placed) -> (230, 600)" in text
    assert text.endswith("Changes: 1 added, 1 removed, 1 changed; 2 moved.\n")
    hidden = diff_text(diff, "old.json", "new.json", layout=False)
    assert "layout" not in hidden and hidden.endswith("1 changed.\n")
    only_moved = _template()
    only_moved.layout.nodes["capture"] = (0.0, 0.0)
    assert diff_maps(old, only_moved).equal(layout=False)
    assert diff_text(diff_maps(old, only_moved), "a", "b", layout=False).endswith(
        "No changes (apart from 1 moves).\n"
    )


# --- growth ---------------------------------------------------------------------------------------


def _versions(size: int):
    from models.generate import generate_funnel

    base = generate_funnel(size, size * 3 // 2, seed=1)
    sides = []
    for side in ("a", "b"):
        doc = base.model_copy(deep=True)
        start = 0 if side == "a" else size // 2
        for index in range(start, start + size // 20):  # a twentieth of the edges changed
            doc.edges[index] = doc.edges[index].model_copy(update={"label": side})
        for index in range(size // 20):  # and as many steps added
            doc.nodes.append(Node(id=f"node-{side}{index}", process="funnel"))
        sides.append(doc)
    return base, *sides


def test_diff_and_merge_work_grow_linearly_with_the_map():
    """Doubling the map (1,000 -> 2,000 steps) may at most double the work, with a margin
    (quadratic code would do four times as much)."""
    small, large = _versions(1000), _versions(2000)
    for name, run in (
        ("diff", lambda v: diff_maps(v[0], v[1])),
        ("merge", lambda v: merge_maps(*v).text()),
    ):
        ratio = work(lambda r=run: r(large)) / work(lambda r=run: r(small))
        assert ratio < 2.5, f"{name}: doubling the map did {ratio:.2f} times the work"
