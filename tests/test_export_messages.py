"""Message edges (BPMN's message flows: a message one process sends another) in every format:
BPMN writes them as message flows with DI and reads them back; draw.io, Mermaid, DOT and the
HTML report draw them as BPMN does (dashed, a circle at the start, an open arrow); draw.io,
CSV and XLSX bring them back as message edges. Each export passes the vendored checkers."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from group_map import buying_group_map
from interop import bpmn_moddle, bpmn_render, bpmn_xsd, dot_json, drawio_check, mermaid_check

from exporters._register import node_rows
from exporters.bpmn import generate_bpmn, write_bpmn
from exporters.bpmn_import import read_bpmn
from exporters.bpmn_xml import BPMN, BPMNDI
from exporters.dot import generate_dot
from exporters.drawio import EDGE_STYLE, GROUP_PAGE, generate_drawio, write_drawio
from exporters.drawio_import import read_drawio
from exporters.mermaid import generate_mermaid
from exporters.registry import import_file
from exporters.report import generate_html
from exporters.tables import generate_xlsx, write_csv, write_xlsx
from models.document import Edge, JourneyMap

MESSAGES = [  # (id, source, target, label): buyer step -> action, outcome -> step, to an entry
    ("m1", "c-pick", "demo", "Asks for a quote"),
    ("m2", "f-won", "roi-call", "Budget released"),
    ("m3", "demo", "t-signup", ""),
]


@pytest.fixture
def doc() -> JourneyMap:
    out = buying_group_map()
    for edge_id, source, target, label in MESSAGES:
        out.edges.append(
            Edge(id=edge_id, source=source, target=target, kind="message", label=label)
        )
    return out


def _messages(doc: JourneyMap) -> list[tuple[str, str, str]]:
    return sorted((e.source, e.target, e.label) for e in doc.edges if e.kind == "message")


WANTED = sorted((s, t, label) for _id, s, t, label in MESSAGES)


def _q(tag: str) -> str:
    return f"{{{BPMN}}}{tag}"


def test_bpmn_writes_message_flows_with_di_and_reads_them_back(doc, tmp_path):
    path = tmp_path / "messages.bpmn"
    write_bpmn(doc, path)
    root = ET.parse(path).getroot()
    flows = {f.get("id"): f for f in root.iter(_q("messageFlow"))}
    for edge_id, source, target, label in MESSAGES:
        flow = flows[f"MessageFlow_{edge_id}"]
        assert (flow.get("sourceRef"), flow.get("targetRef")) == (
            f"Node_{source}",
            f"Node_{target}",
        )
        assert (flow.get("name") or "") == label
    drawn = {e.get("bpmnElement") for e in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
    assert set(flows) <= drawn
    assert [r for r in bpmn_xsd([path]) if not r["valid"]] == []
    assert [r for r in bpmn_moddle([path]) if not r["ok"] or r.get("warnings")] == []
    result = read_bpmn(path)
    assert result.skipped == []
    assert _messages(result.doc) == WANTED


def test_bpmn_js_draws_every_message_flow(doc, tmp_path):
    path = tmp_path / "messages.bpmn"
    write_bpmn(doc, path)
    (result,) = bpmn_render([path])
    assert result["ok"] and not result.get("warnings") and not result.get("notRendered"), result
    flows = len(list(ET.parse(path).getroot().iter(_q("messageFlow"))))
    assert result["rendered"]["bpmn:MessageFlow"] == flows == 4 + len(MESSAGES)


def test_bpmn_message_flows_of_another_tool_come_back_after_a_round_trip(doc, tmp_path):
    """A file without Journeymap's data (another tool's): each message flow between two steps
    is a message edge (the buyer steps, plain tasks there, read as actions: the links serving
    them too), and exported again a message flow."""
    root = ET.fromstring(generate_bpmn(doc))
    for element in root.iter():
        for name in [k for k in element.attrib if k.startswith("{https://journeymap.app")]:
            del element.attrib[name]
    path = tmp_path / "foreign.bpmn"
    path.write_text(ET.tostring(root, encoding="unicode"), encoding="utf-8")
    first = read_bpmn(path).doc
    assert set(WANTED) <= set(_messages(first))
    again = ET.fromstring(generate_bpmn(first))
    assert len(list(again.iter(_q("messageFlow")))) == len(list(root.iter(_q("messageFlow"))))


def test_drawio_draws_messages_as_bpmn_does_and_reads_them_back(doc, tmp_path):
    path = tmp_path / "messages.drawio"
    write_drawio(doc, path)
    (checked,) = drawio_check([path])
    assert checked["ok"], checked["errors"]
    root = ET.parse(path).getroot()
    group = next(d for d in root.iter("diagram") if d.get("jm_page") == GROUP_PAGE)
    styles = [c.get("style", "") for c in group.iter("mxCell") if c.get("edge") == "1"]
    style = EDGE_STYLE["message"]
    assert sum(s.startswith(style) for s in styles) == len(MESSAGES)
    for part in ("dashed=1", "startArrow=oval", "startFill=0", "endFill=0"):
        assert part in style
    assert _messages(read_drawio(path).doc) == WANTED


def test_a_message_drawn_in_drawio_comes_back_from_its_style(doc, tmp_path):
    """Without Journeymap's data (the cell's attributes dropped by another tool), the edge's
    style still says it is a message."""
    root = ET.fromstring(generate_drawio(doc))
    group = next(d for d in root.iter("diagram") if d.get("jm_page") == GROUP_PAGE)
    for holder in group.iter("object"):
        if holder.get("jm_edge") and '"message"' in holder.get("jm_edge"):
            del holder.attrib["jm_edge"]
    path = tmp_path / "edited.drawio"
    path.write_text(ET.tostring(root, encoding="unicode"), encoding="utf-8")
    assert [(s, t) for s, t, _label in _messages(read_drawio(path).doc)] == [
        (s, t) for s, t, _label in WANTED
    ]


def test_mermaid_draws_messages_dashed_with_a_circle_at_the_start(doc, tmp_path):
    text = generate_mermaid(doc)
    assert text.count(" o-.->") == len(MESSAGES)
    assert "stroke-dasharray:8 4" in text
    path = tmp_path / "messages.mmd"
    path.write_text(text, encoding="utf-8")
    assert [c["ok"] for c in mermaid_check([path])] == [True]


def test_dot_draws_messages_with_an_open_arrow_and_a_circle(doc):
    graph = dot_json(generate_dot(doc))  # Graphviz's own reading of the text
    messages = [e for e in graph["edges"] if e.get("arrowtail") == "odot"]
    assert len(messages) == len(MESSAGES)
    assert {(e["style"], e["arrowhead"], e["dir"]) for e in messages} == {
        ("dashed", "empty", "both")
    }


def test_csv_and_xlsx_name_the_kind_and_bring_it_back(doc, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(generate_xlsx(doc)))
    rows = list(book["Edges"].iter_rows(values_only=True))
    kind = rows[0].index("kind")
    assert sum(row[kind] == "message" for row in rows[1:]) == len(MESSAGES)
    write_csv(doc, tmp_path / "register.csv")
    assert _messages(import_file(tmp_path / "register.csv").doc) == WANTED
    write_xlsx(doc, tmp_path / "register.xlsx")
    assert _messages(import_file(tmp_path / "register.xlsx").doc) == WANTED


def test_the_report_draws_messages_and_no_message_is_a_next_step(doc):
    page = generate_html(doc, diagrams=False)
    assert page.count('class="link cross message"') == len(MESSAGES)
    assert page.count('stroke-dasharray="8 4"') == len(MESSAGES)
    assert "Asks for a quote" in page
    steps = {r["id"]: r["next steps"] for r in node_rows(doc)}
    assert steps == {r["id"]: r["next steps"] for r in node_rows(buying_group_map())}


def test_a_bpmn_library_message_flow_inside_one_drawio_page_is_listed(tmp_path):
    """draw.io's BPMN library draws a message flow dashed with a circle at the start; on a page
    of its own (one process) it joins two steps of one process, which no message does: listed
    with the reason, and the page's flow kept."""
    style = "startArrow=oval;startFill=0;startSize=7;endArrow=block;endFill=0;dashed=1;html=1;"
    page = f"""<mxfile><diagram name="Orders" id="d"><mxGraphModel><root>
<mxCell id="0"/><mxCell id="1" parent="0"/>
<mxCell id="a" value="Send order" vertex="1" parent="1"><mxGeometry x="0" y="0" width="80" height="40" as="geometry"/></mxCell>
<mxCell id="b" value="Confirm" vertex="1" parent="1"><mxGeometry x="200" y="0" width="80" height="40" as="geometry"/></mxCell>
<mxCell id="f" edge="1" source="a" target="b" parent="1" style="endArrow=block;"><mxGeometry relative="1" as="geometry"/></mxCell>
<mxCell id="m" edge="1" source="b" target="a" parent="1" style="{style}"><mxGeometry relative="1" as="geometry"/></mxCell>
</root></mxGraphModel></diagram></mxfile>"""
    path = tmp_path / "orders.drawio"
    path.write_text(page, encoding="utf-8")
    result = read_drawio(path)
    assert [(e.source, e.target, e.kind) for e in result.doc.edges] == [("a", "b", "flow")]
    assert any(
        "'m' was not imported: a message edge cannot join" in note for note in result.skipped
    ), result.skipped
