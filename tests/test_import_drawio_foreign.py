"""draw.io files other people drew (tests/fixtures/interop/drawio, jgraph/drawio-diagrams,
Apache-2.0): a ``.xml`` draw.io file is read as draw.io, labels come in as plain text, and edge
labels kept in child cells reach their edges."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exporters.drawio_import import read_drawio
from exporters.drawio_labels import html_to_text, plain_label
from exporters.registry import import_file, import_for, sniffed
from models.errors import JourneymapError

DRAWIO = Path(__file__).parent / "fixtures" / "interop" / "drawio"
HTML_LEFT = re.compile(r"</?(div|br|span|b|i|u|font|p)\b|&(nbsp|amp|lt|gt|quot|#\d+);", re.I)


@pytest.mark.parametrize(
    "name", ["translation-task-flowchart.xml", "coffee-example.xml", "flowchart_2.xml"]
)
def test_xml_draw_io_files_are_read_as_draw_io(name):
    """These three were refused as 'not BPMN 2.0 XML (the root element is <mxfile>)'."""
    path = DRAWIO / name
    assert import_for(path).name == "bpmn" and sniffed(path, import_for(path)).name == "drawio"
    result = import_file(path)
    assert result.doc.nodes and result.doc.edges


def test_html_labels_become_plain_text():
    doc = import_file(DRAWIO / "translation-task-flowchart.xml").doc
    labels = {n.label for n in doc.nodes}
    assert "Receive translation task in Jira" in labels  # 'Receive translation task <br>in Jira'
    assert "Translate captions & alt text" in labels  # '&amp;amp;' in the file
    assert "Copy URL and insert it into post/page" in labels  # 'Copy &amp;nbsp;URL ...'
    assert not [label for label in labels if HTML_LEFT.search(label)]
    flowchart = import_file(DRAWIO / "flowchart_2.xml").doc  # line feeds inside html labels
    assert "late project changes?" in {n.label for n in flowchart.nodes}


def test_edge_label_cells_attach_to_their_edges():
    """The file keeps each 'Yes'/'No' as a text cell whose parent is the edge: 8 of them, on 8
    of its 21 edges; none becomes a step."""
    doc = import_file(DRAWIO / "translation-task-flowchart.xml").doc
    assert sorted(e.label for e in doc.edges if e.label) == ["No"] * 4 + ["Yes"] * 4
    assert len(doc.edges) == 21
    assert not {"Yes", "No"} & {n.label for n in doc.nodes}


def test_edge_label_cell_with_a_share_gives_the_conversion(tmp_path):
    page = (
        '<mxfile><diagram name="P"><mxGraphModel><root><mxCell id="0"/>'
        '<mxCell id="1" parent="0"/>'
        '<mxCell id="a" value="A" vertex="1" parent="1"><mxGeometry width="80" height="40" '
        'as="geometry"/></mxCell>'
        '<mxCell id="b" value="B" vertex="1" parent="1"><mxGeometry x="200" width="80" '
        'height="40" as="geometry"/></mxCell>'
        '<mxCell id="e" value="" style="edgeStyle=orthogonalEdgeStyle;html=1;" edge="1" '
        'parent="1" source="a" target="b"><mxGeometry relative="1" as="geometry"/></mxCell>'
        '<mxCell id="l" value="Yes&lt;br&gt;(30%)" style="edgeLabel;html=1;" vertex="1" '
        'connectable="0" parent="e"><mxGeometry x="-0.2" relative="1" as="geometry"/></mxCell>'
        "</root></mxGraphModel></diagram></mxfile>"
    )
    (tmp_path / "x.drawio").write_text(page, encoding="utf-8")
    result = read_drawio(tmp_path / "x.drawio")
    (edge,) = result.doc.edges
    assert (edge.label, edge.conversion) == ("Yes", 0.3)
    assert [n.label for n in result.doc.nodes] == ["A", "B"]
    assert result.skipped == []


def test_labels_without_html_are_kept_as_written():
    assert plain_label("a < b &amp; c", "rounded=1;") == "a < b &amp; c"
    assert plain_label("Fish &amp; chips", "html=1") == "Fish & chips"
    assert html_to_text("<ul><li>one</li><li>two</li></ul>") == "one\ntwo"


def test_bpmn_xml_is_still_bpmn_and_other_xml_is_refused_as_before(tmp_path):
    bpmn = tmp_path / "p.xml"
    bpmn.write_text(
        '<?xml version="1.0"?>\n<!-- a comment first -->\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
        '<bpmn:process id="P"><bpmn:task id="T" name="Call"/></bpmn:process>'
        "</bpmn:definitions>",
        encoding="utf-8",
    )
    assert [n.label for n in import_file(bpmn).doc.nodes] == ["Call"]
    other = tmp_path / "o.xml"
    other.write_text("<svg/>", encoding="utf-8")
    with pytest.raises(JourneymapError, match="not BPMN 2.0 XML"):
        import_file(other)
    dtd = tmp_path / "d.xml"
    dtd.write_text('<!DOCTYPE mxfile [<!ENTITY x "y">]><mxfile>&x;</mxfile>', encoding="utf-8")
    with pytest.raises(JourneymapError, match="DTD"):
        import_file(dtd)


def test_a_draw_io_file_named_bpmn_is_read_as_draw_io(tmp_path):
    target = tmp_path / "flow.bpmn"
    target.write_bytes((DRAWIO / "coffee-example.xml").read_bytes())
    assert import_file(target).doc.nodes


def test_flowchart_shapes_become_decisions_entries_and_outcomes():
    """Every flowchart decision was an action, and so were the terminators."""
    doc = import_file(DRAWIO / "flowchart_2.xml").doc
    kinds = {n.label: n.kind for n in doc.nodes}
    decisions = [label for label, kind in kinds.items() if kind == "decision"]
    assert sorted(decisions) == [
        "agreement?",
        "investor disapproves investment?",
        "late project changes?",
        "obscurities?",
        "project complete?",
    ]
    assert (kinds["start"], kinds["end"]) == ("entry", "won")
    assert kinds["material balance"] == "subprocess"  # a predefined process
    translation = import_file(DRAWIO / "translation-task-flowchart.xml").doc
    kinds = {n.label: n.kind for n in translation.nodes}
    assert kinds["Images?"] == kinds["Links?"] == "decision"
    assert kinds["Receive translation task in Jira"] == "entry"  # an ellipse, no edge in
    assert kinds["Assign Jira issue to proofreader"] == "won"  # an ellipse, no edge out


def test_bpmn_library_shapes_keep_their_bpmn_elements():
    """jgraph's BPMN example drawn with draw.io's BPMN shapes: gateways, events and typed tasks
    come in as decisions, entries, outcomes and actions that export as the elements drawn."""
    import xml.etree.ElementTree as ET

    from exporters.bpmn import generate_bpmn
    from exporters.bpmn_xml import BPMN

    doc = import_file(DRAWIO / "bpmn-2-example.drawio").doc
    types = {n.bpmn_type for n in doc.nodes if n.bpmn_type}
    assert {
        "parallelGateway",
        "exclusiveGateway",
        "sendTask",
        "manualTask",
        "scriptTask",
        "startEvent",
        "endEvent",
    } <= {t.partition(":")[0] for t in types}
    assert any(t.startswith("intermediateCatchEvent") for t in types)
    kinds = {n.bpmn_type.partition(":")[0]: n.kind for n in doc.nodes if n.bpmn_type}
    assert kinds["parallelGateway"] == "decision" and kinds["startEvent"] == "entry"
    assert kinds["endEvent"] in ("won", "lost") and kinds["sendTask"] == "action"
    exported = ET.fromstring(generate_bpmn(doc))
    written = {e.tag.rpartition("}")[2] for p in exported.iter(f"{{{BPMN}}}process") for e in p}
    assert {"parallelGateway", "sendTask", "manualTask", "intermediateCatchEvent"} <= written


def test_bpmn_exports_of_the_draw_io_files_pass_the_checkers(tmp_path):
    from interop import bpmn_moddle, bpmn_xsd

    from exporters.bpmn import generate_bpmn

    files = []
    for source in sorted(DRAWIO.glob("*.*")):
        if source.suffix in (".xml", ".drawio"):
            target = tmp_path / f"{source.stem}.bpmn"
            target.write_text(generate_bpmn(import_file(source).doc), encoding="utf-8")
            files.append(target)
    assert len(files) == 4
    assert [r for r in bpmn_xsd(files) if not r["valid"]] == []
    assert [r for r in bpmn_moddle(files) if not r["ok"] or r.get("warnings")] == []
