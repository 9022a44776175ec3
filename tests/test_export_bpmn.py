"""BPMN export: valid against the OMG XSD, read by bpmn-moddle without warnings, model counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hostile import HOSTILE_STRINGS, hostile_map
from interop import all_samples, bpmn_moddle, bpmn_xsd, drawn_edges

from exporters.bpmn import generate_bpmn, write_bpmn
from exporters.bpmn_xml import BPMN, BPMNDI

FLOW_NODES = {"startEvent", "task", "userTask", "exclusiveGateway", "callActivity", "endEvent"}


def _counts(xml: str) -> tuple[int, int, int, int]:
    """(flow nodes, sequence flows + associations + message flows, shapes of flow nodes, DI
    edges)."""
    root = ET.fromstring(xml)
    nodes = [
        e
        for e in root.iter()
        if e.tag.startswith(f"{{{BPMN}}}") and e.tag.split("}")[1] in FLOW_NODES
    ]
    links = [
        e
        for e in root.iter()
        if e.tag in (f"{{{BPMN}}}sequenceFlow", f"{{{BPMN}}}association", f"{{{BPMN}}}messageFlow")
    ]
    ids = {e.get("id") for e in nodes}
    shapes = [s for s in root.iter(f"{{{BPMNDI}}}BPMNShape") if s.get("bpmnElement") in ids]
    edges = list(root.iter(f"{{{BPMNDI}}}BPMNEdge"))
    return len(nodes), len(links), len(shapes), len(edges)


def _expected(doc, process_id=None):
    chosen = [p for p in doc.processes if process_id in (None, p.id)]
    n = sum(len(doc.nodes_of(p.id)) for p in chosen)
    e = len(drawn_edges(doc, process_id))  # with every process, the links between them too
    return n, e, n, e


def test_every_sample_passes_xsd_and_bpmn_moddle(request, tmp_path):
    files = []
    for name, doc in all_samples(request):
        for process_id in [None, *(p.id for p in doc.processes)]:
            path = tmp_path / f"{name.replace(':', '-')}-{process_id}.bpmn"
            write_bpmn(doc, path, process_id)
            assert _counts(path.read_text(encoding="utf-8")) == _expected(doc, process_id)
            files.append(path)
    bad = [r for r in bpmn_xsd(files) if not r["valid"]]
    assert not bad, bad[:2]
    bad = [r for r in bpmn_moddle(files) if not r["ok"]]
    assert not bad, bad[:2]


def test_hostile_strings_one_by_one(small_map, tmp_path):
    files = []
    for i, text in enumerate(HOSTILE_STRINGS):
        small_map.nodes[1].label = text
        small_map.edges[1].label = text
        small_map.processes[0].name = text
        xml = generate_bpmn(small_map)
        assert _counts(xml) == (5, 4, 5, 4)
        path = tmp_path / f"h{i}.bpmn"
        path.write_text(xml, encoding="utf-8")
        files.append(path)
    assert all(r["valid"] for r in bpmn_xsd(files))


def test_kinds_lanes_and_conversions(small_map):
    root = ET.fromstring(generate_bpmn(small_map))
    tags = {
        e.get("id"): e.tag.split("}")[1]
        for e in root.iter()
        if e.get("id", "").startswith("Node_") and e.tag.startswith(f"{{{BPMN}}}")
    }
    assert tags == {
        "Node_web": "startEvent",
        "Node_call": "userTask",
        "Node_fit": "exclusiveGateway",
        "Node_won": "endEvent",
        "Node_lost": "endEvent",
    }
    lanes = [lane.get("name") for lane in root.iter(f"{{{BPMN}}}lane")]
    assert lanes == ["Unassigned", "SDR"] or lanes == ["SDR", "Unassigned"]
    names = sorted(f.get("name") for f in root.iter(f"{{{BPMN}}}sequenceFlow"))
    assert names == ["10%", "30%", "50%", "70%"]
    conditions = [c.text for c in root.iter(f"{{{BPMN}}}conditionExpression")]
    assert sorted(conditions) == ["share 30%", "share 70%"]


def test_positions_follow_the_layout(small_map):
    small_map.layout.nodes.update({"web": (0, 0), "call": (300, 0)})
    root = ET.fromstring(generate_bpmn(small_map))
    bounds = {s.get("bpmnElement"): s[0] for s in root.iter(f"{{{BPMNDI}}}BPMNShape")}
    web, call = bounds["Node_web"], bounds["Node_call"]
    web_cx = float(web.get("x")) + float(web.get("width")) / 2
    call_cx = float(call.get("x")) + float(call.get("width")) / 2
    assert call_cx - web_cx == pytest.approx(300)


def test_hostile_map_keeps_structure():
    doc = hostile_map()
    assert _counts(generate_bpmn(doc)) == _expected(doc)
