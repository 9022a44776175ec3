"""BPMN import: our own files come back without loss; foreign files in the supported subset."""

from __future__ import annotations

import pytest
from hostile import hostile_map
from interop import SAMPLES, TOOLS, sample_map

from exporters.bpmn import write_bpmn
from exporters.bpmn_import import read_bpmn
from models.errors import JourneymapError


def _by_id(items):
    return sorted(items, key=lambda item: item.id)


@pytest.mark.parametrize("name", SAMPLES)
def test_round_trip_keeps_nodes_edges_labels_conversions(name, request, tmp_path):
    doc = sample_map(name, request)
    write_bpmn(doc, tmp_path / "map.bpmn")
    result = read_bpmn(tmp_path / "map.bpmn")
    assert result.skipped == []
    back = result.doc
    assert _by_id(back.nodes) == _by_id(doc.nodes)
    assert _by_id(back.edges) == _by_id(doc.edges)  # those between processes too
    assert back.processes == doc.processes
    assert back.roles == doc.roles and back.teams == doc.teams and back.stages == doc.stages
    assert back.layout.nodes == doc.layout.nodes  # exactly, and none where the map had none
    assert back.layout.group == doc.layout.group


def test_hostile_labels_survive(tmp_path):
    doc = hostile_map()
    write_bpmn(doc, tmp_path / "h.bpmn")
    back = read_bpmn(tmp_path / "h.bpmn").doc
    assert [n.label for n in back.nodes] == [n.label for n in doc.nodes]
    assert {e.id: (e.label, e.conversion) for e in back.edges} == {
        e.id: (e.label, e.conversion) for e in doc.edges
    }


def test_foreign_bpmn_subset():
    result = read_bpmn(TOOLS / "fixtures" / "bpmn" / "valid.bpmn")
    doc = result.doc
    kinds = {n.label: n.kind for n in doc.nodes}
    assert kinds == {
        "Need identified": "entry",
        "Research options": "action",
        "Qualify lead": "action",
        "Qualified?": "decision",
        "Deal won": "won",
        "Deal lost": "lost",
    }
    assert len(doc.edges) == 5
    assert {t.name for t in doc.teams} == {"Buyer", "Sales"}
    assert doc.node("Task_Qualify").owner == "Sales"
    assert set(doc.layout.nodes) == {n.id for n in doc.nodes}


def test_percent_names_become_conversions(tmp_path):
    text = (TOOLS / "fixtures" / "bpmn" / "valid.bpmn").read_text(encoding="utf-8")
    text = text.replace('name="yes"', 'name="yes (30%)"').replace('name="no"', 'name="70%"')
    (tmp_path / "f.bpmn").write_text(text, encoding="utf-8")
    edges = {e.id: e for e in read_bpmn(tmp_path / "f.bpmn").doc.edges}
    assert (edges["Won"].label, edges["Won"].conversion) == ("yes", 0.3)
    assert (edges["Lost"].label, edges["Lost"].conversion) == ("", 0.7)


def test_unsupported_elements_are_reported(tmp_path):
    text = (TOOLS / "fixtures" / "bpmn" / "valid.bpmn").read_text(encoding="utf-8")
    text = text.replace("<bpmn:startEvent", '<bpmn:dataObject id="Data_1"/>\n<bpmn:startEvent', 1)
    (tmp_path / "f.bpmn").write_text(text, encoding="utf-8")
    assert read_bpmn(tmp_path / "f.bpmn").skipped == [
        "<dataObject> Data_1 in process 'Buyer journey'"
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>', "DTD"),
        ("<bpmn:definitions", "not well-formed"),
        ("<svg/>", "not BPMN"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path, content, message):
    (tmp_path / "bad.bpmn").write_text(content, encoding="utf-8")
    with pytest.raises(JourneymapError, match=message):
        read_bpmn(tmp_path / "bad.bpmn")
