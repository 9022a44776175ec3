"""Native JSON export: the canonical file, or one process cut out with everything it needs."""

from __future__ import annotations

import pytest
from hostile import hostile_map
from interop import SAMPLES, sample_map

from exporters.native import generate_json, restrict, write_json
from models.errors import JourneymapError
from models.storage import dumps_map, load_map, loads_map

REFERENCES = {"owner": "teams", "role": "roles", "stage": "stages", "criteria": "criteria"}


@pytest.mark.parametrize("name", SAMPLES)
def test_whole_map_is_the_canonical_file(name, request):
    doc = sample_map(name, request)
    text = generate_json(doc)
    assert text == dumps_map(doc)
    assert loads_map(text) == doc


@pytest.mark.parametrize("name", SAMPLES)
def test_each_process_alone_is_a_valid_self_contained_map(name, request):
    doc = sample_map(name, request)
    for process in doc.processes:
        cut = loads_map(generate_json(doc, process.id))
        kept = {p.id for p in cut.processes}
        assert process.id in kept
        assert cut.nodes == [n for n in doc.nodes if n.process in kept]
        ids = {n.id for n in cut.nodes}
        assert cut.edges == [e for e in doc.edges if e.source in ids and e.target in ids]
        for node in cut.nodes:  # every reference that resolved before still resolves
            for field, collection in REFERENCES.items():
                ref = getattr(node, field)
                if ref in {i.id for i in getattr(doc, collection)}:
                    assert ref in {i.id for i in getattr(cut, collection)}
            if node.subprocess in {p.id for p in doc.processes}:
                assert node.subprocess in kept
        assert set(cut.layout.nodes) <= ids
        for scenario in cut.scenarios:
            assert set(scenario.conversion) <= {e.id for e in cut.edges}


def test_sub_processes_come_along():
    cut = restrict(hostile_map(), "end")
    assert [p.id for p in cut.processes] == ["end", "click"]
    assert [p.id for p in restrict(hostile_map(), "click").processes] == ["click"]


def test_restrict_leaves_the_map_alone(request):
    doc = sample_map("template:enterprise", request)
    before = dumps_map(doc)
    cut = restrict(doc, "cfo-journey")
    cut.nodes[0].label = "changed"
    assert dumps_map(doc) == before
    teams = {t.id for t in cut.teams}
    assert all(s.from_team in teams and s.to_team in teams for s in cut.slas)


def test_unknown_process(small_map):
    with pytest.raises(JourneymapError, match="no process 'x'"):
        generate_json(small_map, "x")


def test_write_json(tmp_path):
    write_json(hostile_map(), tmp_path / "m.json", "click")
    assert load_map(tmp_path / "m.json") == restrict(hostile_map(), "click")
