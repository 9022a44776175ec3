"""Every export carries the buying group: the processes side by side and the links between them
(a company action serving a buyer step of another role's process), read back by each format's
own reader, and brought back by the imports.

The map is tests/group_map.py: four processes, 19 steps, 15 edges inside processes and 6
between them (action -> buyer step, action -> entry, decision -> buyer step, action -> outcome).
"""

from __future__ import annotations

import csv
import html as html_text
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import openpyxl
import pytest
from group_map import NASTY, buying_group_map, cross_edges
from interop import (
    bpmn_moddle,
    bpmn_render,
    bpmn_xsd,
    dot_json,
    drawio_check,
    mermaid_check,
    mermaid_counts,
)
from lxml import etree

from exporters.bpmn import generate_bpmn, write_bpmn
from exporters.bpmn_import import read_bpmn
from exporters.bpmn_xml import BPMN, BPMNDI, DC, DI, JM
from exporters.dot import generate_dot
from exporters.drawio import CROSS_STYLE, generate_drawio, write_drawio
from exporters.drawio_import import read_drawio
from exporters.mermaid import write_mermaid
from exporters.registry import import_file
from exporters.report import generate_html
from exporters.tables import generate_csv_files, generate_xlsx, write_csv
from models.buying_group import group_layout, lane_order
from models.company_view import company_actions
from models.document import Edge, JourneyMap, Node, Process
from models.errors import MapFileError
from models.storage import dumps_map, loads_map
from models.vocabulary import NODE_KINDS


@pytest.fixture
def doc() -> JourneyMap:
    return buying_group_map()


def _by_id(items):
    return sorted(items, key=lambda item: item.id)


def _ends(edges) -> list[tuple[str, str, str]]:
    return sorted((e.source, e.target, e.kind) for e in edges)


def test_the_map_is_what_the_tests_say(doc):
    assert loads_map(dumps_map(doc)) == doc  # a map that opens
    assert (len(doc.processes), len(doc.nodes), len(doc.edges)) == (4, 19, 21)
    assert [e.id for e in cross_edges(doc)] == ["x1", "x2", "x3", "x4", "x5", "x6"]


# --- DOT -----------------------------------------------------------------------------------------


@pytest.mark.needs_dot
def test_dot_has_a_cluster_per_process_and_the_links_between_them(doc):
    graph = dot_json(generate_dot(doc))  # Graphviz's own reading of the text
    clusters = [o for o in graph["objects"] if o.get("name", "").startswith("cluster")]
    nodes = {o["_gvid"]: o for o in graph["objects"] if "nodes" not in o}
    assert len(nodes) == len(doc.nodes) and len(graph["edges"]) == len(doc.edges)
    assert [c["label"] for c in clusters] == [p.name for p in lane_order(doc)]
    process_of = {gvid: c["label"] for c in clusters for gvid in c["nodes"]}
    assert sorted(process_of) == sorted(nodes)  # every node in one cluster
    across = [e for e in graph["edges"] if process_of[e["tail"]] != process_of[e["head"]]]
    node_id = {gvid: o["tooltip"] for gvid, o in nodes.items()}
    assert sorted((node_id[e["tail"]], node_id[e["head"]]) for e in across) == sorted(
        (e.source, e.target) for e in cross_edges(doc)
    )
    assert {e.get("style") for e in across} == {"dotted"}


# --- Mermaid -------------------------------------------------------------------------------------


def test_mermaid_has_a_subgraph_per_process_and_the_links_between_them(doc, tmp_path):
    path = tmp_path / "group.mmd"
    write_mermaid(doc, path)
    assert [c["ok"] for c in mermaid_check([path])] == [True]
    (parsed,) = mermaid_counts([path])  # what mermaid's flowchart parser built
    assert (parsed["vertices"], parsed["edges"]) == (len(doc.nodes), len(doc.edges))
    subgraphs = parsed["subgraphs"]
    assert sorted(g["title"] for g in subgraphs) == sorted(p.name for p in doc.processes)
    process_of = {node: g["title"] for g in subgraphs for node in g["nodes"]}
    assert sorted(process_of) == sorted(parsed["ids"])
    label = dict(zip(parsed["ids"], parsed["labels"], strict=True))
    across = [(s, t) for s, t in parsed["links"] if process_of[s] != process_of[t]]
    text = {n.id: n.label for n in doc.nodes}
    assert sorted((label[s], label[t]) for s, t in across) == sorted(
        (text[e.source], text[e.target]) for e in cross_edges(doc)
    )


# --- BPMN ----------------------------------------------------------------------------------------


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def test_bpmn_is_a_collaboration_with_message_flows_and_di_for_everything(doc, tmp_path):
    path = tmp_path / "group.bpmn"
    write_bpmn(doc, path)
    root = etree.parse(str(path)).getroot()  # lxml, as the XSD check reads it
    (collaboration,) = root.findall(_q(BPMN, "collaboration"))
    pools = collaboration.findall(_q(BPMN, "participant"))
    assert [p.get("processRef") for p in pools] == [f"Process_{p.id}" for p in doc.processes]
    process_of = {
        element.get("id"): proc.get("id")
        for proc in root.findall(_q(BPMN, "process"))
        for element in proc
        if element.get(_q(JM, "kind"))
    }
    assert len(process_of) == len(doc.nodes)
    flows = collaboration.findall(_q(BPMN, "messageFlow"))
    notes = collaboration.findall(_q(BPMN, "association"))
    # tasks, call activities and events exchange messages; a gateway or an end event as a
    # target cannot, so those links are associations of the collaboration
    assert [f.get("id") for f in flows] == [f"MessageFlow_x{i}" for i in (1, 2, 3, 4)]
    assert [a.get("id") for a in notes] == ["Association_x5", "Association_x6"]
    for link in flows + notes:
        assert process_of[link.get("sourceRef")] != process_of[link.get("targetRef")]
    assert flows[0].get("name") == NASTY  # the label, escaped by the writer, read back exactly

    semantic = {p.get("id") for p in pools} | {f.get("id") for f in flows + notes}
    semantic |= set(process_of) | {
        e.get("id")
        for tag in ("lane", "sequenceFlow", "association")
        for e in root.iter(_q(BPMN, tag))
    }
    shapes = {s.get("bpmnElement"): s for s in root.iter(_q(BPMNDI, "BPMNShape"))}
    lines = {e.get("bpmnElement"): e for e in root.iter(_q(BPMNDI, "BPMNEdge"))}
    assert semantic == set(shapes) | set(lines)  # DI for every element, nothing else
    top = {p.get("processRef"): float(shapes[p.get("id")][0].get("y")) for p in pools}
    stacked = sorted(top, key=top.__getitem__)  # the pools stacked as the buying-group lanes
    assert stacked == [f"Process_{p.id}" for p in lane_order(doc)]
    for link in flows + notes:  # a link starts on its source's shape and ends on its target's
        points = [(float(p.get("x")), float(p.get("y"))) for p in lines[link.get("id")]]
        assert len(points) >= 2
        for point, end in ((points[0], "sourceRef"), (points[-1], "targetRef")):
            box = shapes[link.get(end)].find(_q(DC, "Bounds"))
            x, y, w, h = (float(box.get(k)) for k in ("x", "y", "width", "height"))
            assert x <= point[0] <= x + w and y - 0.1 <= point[1] <= y + h + 0.1, (link, end)
        assert all(p.tag == _q(DI, "waypoint") for p in lines[link.get("id")])

    assert [r["valid"] for r in bpmn_xsd([path])] == [True]
    (checked,) = bpmn_moddle([path])
    assert checked["ok"] and checked["warnings"] == [], checked
    assert checked["stats"]["elementsByType"]["bpmn:MessageFlow"] == 4


def test_bpmn_js_draws_every_pool_and_link(doc, tmp_path):
    path = tmp_path / "group.bpmn"
    write_bpmn(doc, path)
    (result,) = bpmn_render([path])
    assert result["ok"], result  # imported without warnings, nothing left undrawn
    drawn = result["rendered"]
    assert (drawn["bpmn:Participant"], drawn["bpmn:MessageFlow"]) == (4, 4)
    assert drawn["bpmn:Association"] == 2 and drawn["bpmn:SequenceFlow"] == 15


def test_bpmn_round_trip_brings_the_links_back(doc, tmp_path):
    write_bpmn(doc, tmp_path / "group.bpmn")
    result = read_bpmn(tmp_path / "group.bpmn")
    assert result.skipped == []
    assert _by_id(result.doc.edges) == _by_id(doc.edges)
    assert _by_id(result.doc.nodes) == _by_id(doc.nodes)
    assert result.doc.layout.group == doc.layout.group


def _edited_bpmn(doc, tmp_path, *flows: tuple[str, str, str]):
    """The export with message flows (id, source, target) added, as a modelling tool would."""
    root = ET.fromstring(generate_bpmn(doc))
    collaboration = root.find(_q(BPMN, "collaboration"))
    first_artifact = list(collaboration).index(collaboration.find(_q(BPMN, "association")))
    plane = root.find(f"{_q(BPMNDI, 'BPMNDiagram')}/{_q(BPMNDI, 'BPMNPlane')}")
    for offset, (flow_id, source, target) in enumerate(flows):
        element = ET.Element(_q(BPMN, "messageFlow"), id=flow_id, sourceRef=source)
        element.set("targetRef", target)
        collaboration.insert(first_artifact + offset, element)
        edge = ET.SubElement(plane, _q(BPMNDI, "BPMNEdge"), id=f"{flow_id}_di")
        edge.set("bpmnElement", flow_id)
        for y in ("0", "10"):
            ET.SubElement(edge, _q(DI, "waypoint"), x="0", y=y)
    path = tmp_path / "edited.bpmn"
    path.write_text(ET.tostring(root, encoding="unicode"), encoding="utf-8")
    return path


def test_message_flows_drawn_in_another_tool_become_links_or_messages(doc, tmp_path):
    path = _edited_bpmn(
        doc,
        tmp_path,
        ("Fits", "Node_roi-call", "Node_c-research"),  # an action serving a buyer step
        ("Backwards", "Node_c-pick", "Node_demo"),  # a buyer step writing to an action
        ("ToGate", "Node_c-pick", "Node_fit"),  # BPMN sends no message to a gateway
        ("ToPool", "Node_demo", "Participant_cfo"),  # to a whole pool
    )
    assert [r["valid"] for r in bpmn_xsd([path])] == [True]  # the edit is legal BPMN
    result = read_bpmn(path)
    added = [e for e in result.doc.edges if e.id not in {d.id for d in doc.edges}]
    assert [(e.id, e.source, e.target, e.kind) for e in added] == [
        ("Fits", "roi-call", "c-research", "addresses"),
        ("Backwards", "c-pick", "demo", "message"),
    ]
    assert result.skipped == [
        '<messageFlow> ToGate was not imported: a message edge cannot reach "fit", a decision',
        "<messageFlow> ToPool: it joins a whole pool, and a map edge joins two steps",
    ]
    again = loads_map(dumps_map(result.doc))  # the file groups edges by their source's process
    assert _by_id(again.edges) == _by_id(result.doc.edges)


def test_a_foreign_collaboration_keeps_its_message_flows(tmp_path):
    bpmn = f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="{BPMN}" id="d" targetNamespace="x">
  <collaboration id="c">
    <participant id="pc" name="Customer" processRef="customer"/>
    <participant id="pv" name="Vendor" processRef="vendor"/>
    <messageFlow id="m1" name="Quote" sourceRef="quote" targetRef="read"/>
  </collaboration>
  <process id="customer"><task id="read" name="Reads the quote"/></process>
  <process id="vendor"><userTask id="quote" name="Sends a quote"/></process>
</definitions>"""
    (tmp_path / "foreign.bpmn").write_text(bpmn, encoding="utf-8")
    result = read_bpmn(tmp_path / "foreign.bpmn")
    assert [p.name for p in result.doc.processes] == ["Customer", "Vendor"]
    # both tasks read as company actions: no buyer step served, a message between the two
    assert [(e.source, e.target, e.kind, e.label) for e in result.doc.edges] == [
        ("quote", "read", "message", "Quote")
    ]
    assert result.skipped == []
    again = ET.fromstring(generate_bpmn(result.doc))
    (flow,) = again.iter(_q(BPMN, "messageFlow"))
    assert (flow.get("sourceRef"), flow.get("targetRef"), flow.get("name")) == (
        "Node_quote",
        "Node_read",
        "Quote",
    )


# --- draw.io -------------------------------------------------------------------------------------


def _objects(page: ET.Element) -> list[ET.Element]:
    return [o for o in page.iter("object")]


def test_drawio_buying_group_page_has_a_lane_per_process_and_every_link(doc, tmp_path):
    path = tmp_path / "group.drawio"
    write_drawio(doc, path)
    (checked,) = drawio_check([path])  # draw.io's loader rules
    assert checked["ok"], checked["errors"]
    root = ET.parse(path).getroot()
    group, *pages = root.findall("diagram")
    assert group.get("jm_page") == "buying-group" and group.get("name") == "Buying group"
    assert [p.get("name") for p in pages] == [p.name for p in doc.processes]

    objects = _objects(group)
    lanes = {o.get("id"): o.get("jm_lane") for o in objects if o.get("jm_lane")}
    assert list(lanes.values()) == [p.id for p in lane_order(doc)]
    assert all("swimlane" in o.find("mxCell").get("style") for o in objects if o.get("jm_lane"))
    steps = [o for o in objects if o.get("jm_kind") in NODE_KINDS]
    assert sorted(o.get("jm_id") for o in steps) == sorted(n.id for n in doc.nodes)  # once each
    process = {n.id: n.process for n in doc.nodes}
    assert all(lanes[o.find("mxCell").get("parent")] == process[o.get("jm_id")] for o in steps)
    node_of = {o.get("id"): o.get("jm_id") for o in steps}
    links = [o for o in objects if o.find("mxCell").get("edge") == "1"]
    drawn = sorted(
        (node_of[c.get("source")], node_of[c.get("target")], o.get("jm_kind"))
        for o in links
        for c in [o.find("mxCell")]
    )
    assert drawn == _ends(doc.edges)
    thick = [o.get("jm_id") for o in links if CROSS_STYLE in o.find("mxCell").get("style")]
    assert thick == [e.id for e in cross_edges(doc)]
    stages = [o.get("label") for o in objects if o.get("jm_stage")]
    assert stages == [c.title for c in group_layout(doc).columns if c.stage]
    counts = checked["pages"][0]
    assert (counts["vertices"], counts["edges"]) == (19 + 4 + 3, 21)


def test_drawio_round_trip_reads_each_step_once_and_brings_the_links_back(doc, tmp_path):
    write_drawio(doc, tmp_path / "group.drawio")
    result = read_drawio(tmp_path / "group.drawio")
    assert result.skipped == []
    assert _by_id(result.doc.nodes) == _by_id(doc.nodes)
    assert _by_id(result.doc.edges) == _by_id(doc.edges)
    assert [p.id for p in result.doc.processes] == [p.id for p in doc.processes]


def _group_page(root: ET.Element) -> ET.Element:
    return next(d for d in root.findall("diagram") if d.get("jm_page"))


def test_drawio_edits_on_the_buying_group_page(doc, tmp_path):
    root = ET.fromstring(generate_drawio(doc))
    page = _group_page(root)
    del page.attrib["jm_page"]  # a tool that drops the page's attributes: the lanes still say it
    cells = page.find("mxGraphModel/root")
    cell_of = {o.get("jm_id"): o.get("id") for o in cells.iter("object") if o.get("jm_kind")}

    def link(cell_id: str, source: str, target: str, style: str = "endArrow=block;") -> None:
        cell = ET.SubElement(cells, "mxCell", id=cell_id, edge="1", parent="1", style=style)
        cell.set("source", cell_of[source])
        cell.set("target", cell_of[target])
        ET.SubElement(cell, "mxGeometry", relative="1", **{"as": "geometry"})

    link("new1", "roi-call", "c-research")  # an arrow from an action to a step in another lane
    link("new2", "c-research", "f-review")  # between two buyer steps of two processes
    link("new3", "c-research", "f-ok")  # to a decision: no message goes there
    renamed = next(o for o in cells.iter("object") if o.get("jm_id") == "demo")
    renamed.set("label", "Demo (renamed here)")
    extra = ET.SubElement(cells, "mxCell", id="extra", value="Webinar", vertex="1", parent="1")
    ET.SubElement(extra, "mxGeometry", x="0", y="0", width="80", height="40", **{"as": "geometry"})
    (tmp_path / "edited.drawio").write_text(ET.tostring(root, encoding="unicode"), "utf-8")

    result = read_drawio(tmp_path / "edited.drawio")
    back = result.doc
    assert _by_id(back.nodes) == _by_id(doc.nodes)  # no step twice, labels from process pages
    added = [e for e in back.edges if e.id not in {d.id for d in doc.edges}]
    assert [(e.source, e.target, e.kind) for e in added] == [
        ("roi-call", "c-research", "addresses"),
        ("c-research", "f-review", "message"),
    ]
    assert len(back.edges) == len(doc.edges) + 2
    assert result.skipped == [
        "page 'Buying group': shape 'demo' reads 'Demo (renamed here)' here but 'Demo' on its "
        "process page; kept the process page's label",
        "page 'Buying group': shape 'Webinar' is on no process page; draw it on its process's "
        "page to import it",
        "page 'Buying group': edge 'new3' was not imported: a message edge cannot reach "
        '"f-ok", a decision',
    ]


# --- CSV and XLSX --------------------------------------------------------------------------------


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_csv_edges_name_both_ends_processes_and_come_back(doc, tmp_path):
    files = generate_csv_files(doc)
    rows = _csv_rows(files["register-edges.csv"])
    name = {p.id: p.name for p in doc.processes}
    process = {n.id: n.process for n in doc.nodes}
    assert [r["id"] for r in rows] == [e.id for e in doc.edges]
    assert [(r["source process"], r["target process"]) for r in rows] == [
        (name[process[e.source]], name[process[e.target]]) for e in doc.edges
    ]
    across = [r["id"] for r in rows if r["source process"] != r["target process"]]
    assert across == [e.id for e in cross_edges(doc)]

    write_csv(doc, tmp_path / "register.csv")
    result = import_file(tmp_path / "register.csv")
    assert result.doc.edges == doc.edges and result.doc.nodes == doc.nodes
    assert not any("column" in note for note in result.skipped)


def test_csv_files_without_the_process_columns_still_import(doc, tmp_path):
    nodes_path, edges_path = write_csv(doc, tmp_path / "old.csv")
    rows = _csv_rows(edges_path.read_text("utf-8-sig"))
    kept = [h for h in rows[0] if h not in ("source process", "target process")]
    out = io.StringIO()
    writer = csv.DictWriter(out, kept, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    edges_path.write_text(out.getvalue(), "utf-8-sig")
    result = import_file(nodes_path)
    assert result.doc.edges == doc.edges


def test_a_label_used_in_two_processes_is_found_through_its_process(tmp_path):
    (tmp_path / "r.csv").write_text(
        "process,id,kind,label\n"
        "Funnel,call,action,Send the ROI sheet\n"
        "CFO,roi,buyer_step,Review\n"
        "IT,sec,buyer_step,Review\n",
        encoding="utf-8",
    )
    (tmp_path / "r-edges.csv").write_text(
        "source,target,kind,target process\nSend the ROI sheet,Review,addresses,CFO\n",
        encoding="utf-8",
    )
    back = import_file(tmp_path / "r.csv").doc
    assert [(e.source, e.target, e.kind) for e in back.edges] == [("call", "roi", "addresses")]
    (tmp_path / "r-edges.csv").write_text(
        "source,target,kind\nSend the ROI sheet,Review,addresses\n", encoding="utf-8"
    )
    with pytest.raises(MapFileError, match='"Review": several nodes have that label'):
        import_file(tmp_path / "r.csv")


def _sheet(book, title: str) -> list[dict]:
    rows = list(book[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_xlsx_edges_name_both_processes_and_a_company_actions_sheet(doc, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(generate_xlsx(doc)))
    edges = _sheet(book, "Edges")
    across = [r["id"] for r in edges if r["source process"] != r["target process"]]
    assert across == [e.id for e in cross_edges(doc)] and len(edges) == len(doc.edges)
    actions = _sheet(book, "Company actions")
    expected = company_actions(doc)
    assert (
        [r["id"] for r in actions]
        == [row.node for row in expected]
        == ["nurture", "demo", "roi-call"]
    )
    assert [r["buyer steps addressed"] for r in actions] == [
        "Researches (Champion's purchase); Needs a tool (Champion's purchase)",
        "Picks us (Champion's purchase); Trial works (Free trial)",
        "Checks the ROI (CFO's purchase)",
    ]
    assert [r["stage"] for r in actions] == ["MQL", "SQL", "SQL"]

    (tmp_path / "book.xlsx").write_bytes(generate_xlsx(doc))
    result = import_file(tmp_path / "book.xlsx")
    assert result.doc.edges == doc.edges and result.doc.nodes == doc.nodes
    notes = [n for n in result.skipped if "Company actions" in n]
    assert notes == [
        'book.xlsx: sheet "Company actions" was not read: it shows the Register and Edges '
        "sheets another way, so nothing in it is lost (edit actions in Register)"
    ]
    assert not any("not a Journeymap sheet" in n or "column" in n for n in result.skipped)


def test_an_older_workbook_without_the_new_columns_and_sheet_imports(doc, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(generate_xlsx(doc)))
    del book["Company actions"]
    book["Edges"].delete_cols(11, 2)  # source process, target process
    book.save(tmp_path / "old.xlsx")
    result = import_file(tmp_path / "old.xlsx")
    assert result.doc.edges == doc.edges
    assert not any("Company actions" in n or "column" in n for n in result.skipped)


# --- the HTML report -----------------------------------------------------------------------------


class Report(HTMLParser):
    """The report's sections in order, the buying-group picture's lanes, steps and links, and
    the Company actions table."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[str] = []
        self.groups: dict[str, list[str]] = {"lane": [], "step": [], "link": [], "cross": []}
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._group: str | None = None
        self._title = self._cell = self._in_actions = self._in_head = False
        self._text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "section":
            self.sections.append(a.get("id") or "")
        elif tag == "g" and classes:
            self._group = classes[0]
            if "cross" in classes:
                self.groups["cross"].append("")
        elif tag == "title" and self._group:
            self._title, self._text = True, ""
        elif tag == "table":
            self._in_actions = "actions" in classes
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._in_actions and not self._in_head:
            self.rows.append([])
        elif tag in ("td", "th") and self._in_actions:
            self._cell, self._text = True, ""

    def handle_endtag(self, tag):
        if tag == "title" and self._title:
            self.groups[self._group or ""].append(self._text)
            self._title = False
        elif tag == "g":
            self._group = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "table":
            self._in_actions = False
        elif tag in ("td", "th") and self._cell:
            (self.headers if self._in_head else self.rows[-1]).append(" ".join(self._text.split()))
            self._cell = False

    def handle_startendtag(self, tag, attrs):
        if tag == "polyline" and self._group == "link":
            self.groups["link"].append("")

    def handle_data(self, data):
        self._text += " " + data if self._cell else data


def test_the_report_opens_with_the_buying_group_and_lists_the_company_actions(doc):
    html = generate_html(doc, diagrams=False)
    assert "url(" not in html and "<script" not in html
    page = Report(html)
    assert page.sections[:2] == ["buying-group", "process-1"]
    assert page.groups["lane"] == [p.name for p in lane_order(doc)]
    assert sorted(page.groups["step"]) == sorted(n.label for n in doc.nodes)
    assert len(page.groups["link"]) == len(doc.edges)
    assert len(page.groups["cross"]) == len(cross_edges(doc))
    assert NASTY in html_text.unescape(html)  # the link's label, as text

    assert page.sections.index("company-actions") < page.sections.index("glossary")
    assert page.headers[-2:] == ["Leads in / month", "Moving on"]  # the simulation ran
    actions = company_actions(doc)
    assert [row[1] for row in page.rows] == [f"{a.label} {a.process_name}" for a in actions]
    assert page.rows[2][5] == "Checks the ROI CFO's purchase, CFO"
    from models.simulation import expected_flow

    flow = expected_flow(doc).to_dict()["nodes"]
    for row, action in zip(page.rows, actions, strict=True):
        arrivals = flow[action.node]["arrivals"]
        assert float(row[6].replace(",", "")) == pytest.approx(arrivals, rel=0.01)
        moving_on = 1 - flow[action.node]["dropoff"] / arrivals
        assert float(row[7].rstrip("%")) == pytest.approx(moving_on * 100, rel=0.01)


def test_the_report_without_simulation_or_of_one_process(doc):
    page = Report(generate_html(doc, diagrams=False, simulation=False))
    assert "Leads in / month" not in page.headers and len(page.rows) == 3
    one = Report(generate_html(doc, "funnel", diagrams=False, simulation=False))
    assert "buying-group" not in one.sections and one.groups["step"] == []
    assert len(one.rows) == 3  # the funnel's actions, serving steps of other processes


def test_exports_of_one_process_keep_to_it(doc):
    """A single process's export is that process's page: no buying group, no dangling link."""
    xml = generate_drawio(doc, "funnel")
    assert 'jm_page="buying-group"' not in xml
    assert not re.search(r"messageFlow", generate_bpmn(doc, "funnel"))
    edges = _csv_rows(generate_csv_files(doc, "funnel")["register-edges.csv"])
    assert {r["target process"] for r in edges} == {"Funnel"}


def test_a_map_with_one_process_has_no_buying_group_page(small_map):
    assert 'jm_page="buying-group"' not in generate_drawio(small_map)
    doc = JourneyMap(
        processes=[Process(id="p", name="P")],
        nodes=[Node(id="a", process="p"), Node(id="b", process="p", kind="won")],
        edges=[Edge(id="e", source="a", target="b")],
    )
    assert Report(generate_html(doc, diagrams=False, simulation=False)).groups["lane"] == []
