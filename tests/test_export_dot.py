"""DOT export: Graphviz itself parses every output, with one node and edge per model item."""

from __future__ import annotations

import pytest
from hostile import HOSTILE_STRINGS, hostile_map
from interop import SAMPLES, dot_counts, dot_json, drawn_edges, sample_map

from exporters._labels import edge_text, local_edges, node_text
from exporters.dot import dot_text, generate_dot, write_dot

pytestmark = pytest.mark.needs_dot


def _expected(doc) -> tuple[int, int]:
    return len(doc.nodes), len(drawn_edges(doc))  # the edges between processes too


@pytest.mark.parametrize("name", SAMPLES)
def test_every_process_parses_with_model_counts(name, request):
    doc = sample_map(name, request)
    assert dot_counts(generate_dot(doc)) == _expected(doc)


@pytest.mark.parametrize("name", SAMPLES)
def test_each_process_alone(name, request):
    doc = sample_map(name, request)
    for process in doc.processes:
        nodes, edges = dot_counts(generate_dot(doc, process.id))
        assert (nodes, edges) == (len(doc.nodes_of(process.id)), len(local_edges(doc, process)))


def test_hostile_labels_arrive_as_labels():
    doc = hostile_map()
    graph = dot_json(generate_dot(doc, "end"))
    labels = sorted(o["label"] for o in graph["objects"])
    assert labels == sorted(str(dot_text(node_text(n))) for n in doc.nodes_of("end"))
    edge_labels = sorted(e.get("label", "") for e in graph["edges"])
    assert edge_labels == sorted(
        str(dot_text(edge_text(e))) for e in local_edges(doc, doc.process("end"))
    )


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_each_hostile_string_is_one_node(text, small_map):
    small_map.nodes[0].label = text
    small_map.edges[0].label = text
    assert dot_counts(generate_dot(small_map)) == (5, 4)


def test_shapes_and_colours_by_kind(small_map):
    text = generate_dot(small_map)
    assert "rankdir=LR" in text
    assert 'fillcolor="#f5e6c8"' in text  # actions beige
    assert "shape=diamond" in text and "peripheries=2" in text
    assert 'label="10%"' in text


def test_write_dot(tmp_path, small_map):
    write_dot(small_map, tmp_path / "out.dot")
    assert (tmp_path / "out.dot").read_text(encoding="utf-8") == generate_dot(small_map)
