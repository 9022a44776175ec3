"""BPMN files other tools wrote (tests/fixtures/interop/bpmn: the BPMN MIWG test suite's
reference models and vendor exports, CC BY 3.0) keep their meaning through an import and an
export: the same element types, gateways and events, no ids for names, events and gateways at
BPMN's sizes, references to other models accepted, lanes without flowNodeRef read from the
diagram, sequence flows across pools refused with their id. Every export passes the OMG XSD and
bpmn-moddle (and bpmn-js where Chromium is installed)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from interop import bpmn_moddle, bpmn_render, bpmn_xsd

from exporters.bpmn import generate_bpmn
from exporters.bpmn_import import read_bpmn
from exporters.bpmn_types import EVENTS, GATEWAYS
from exporters.bpmn_xml import BPMN, BPMNDI, DC
from exporters.drawio import GROUP_PAGE, generate_drawio
from exporters.mermaid import generate_mermaid
from models.document import Node
from models.integrity import structural_problems

FIXTURES = Path(__file__).parent / "fixtures" / "interop" / "bpmn"
ALL = sorted(p.name for p in FIXTURES.glob("*.bpmn"))
REFERENCE = [name for name in ALL if name.startswith("Reference--")]


def _types(root) -> dict[str, str]:
    """Every flow node of the processes (in embedded sub-processes too), by id: its tag, first
    event definition and name."""
    out = {}
    for process in root.iter(f"{{{BPMN}}}process"):
        for element in process.iter():
            tag = element.tag.rpartition("}")[2]
            if (
                tag in EVENTS
                or tag in GATEWAYS
                or tag.endswith(("Task", "task"))
                or tag
                in (
                    "callActivity",
                    "subProcess",
                )
            ):
                definitions = [
                    c.tag.rpartition("}")[2] for c in element if c.tag.endswith("EventDefinition")
                ]
                out[element.get("id")] = (tag, definitions[:1], element.get("name") or "")
    return out


def _round_trip(name: str):
    source = ET.parse(FIXTURES / name).getroot()
    doc = read_bpmn(FIXTURES / name).doc
    exported = ET.fromstring(generate_bpmn(doc))
    return source, doc, exported


@pytest.mark.parametrize("name", REFERENCE)
def test_reference_models_come_back_with_the_same_elements(name):
    source, doc, exported = _round_trip(name)
    before = _types(source)
    after = {k.removeprefix("Node_"): v for k, v in _types(exported).items()}
    assert before, name
    assert {k: v[:2] for k, v in after.items() if k in before} == {
        k: v[:2] for k, v in before.items()
    }
    ids = {n.id for n in doc.nodes}
    assert not [v[2] for v in after.values() if v[2] in ids], "an id written as a name"


def test_the_types_a_round_trip_used_to_flatten():
    """B.1.0 and C.1.0 hold what every export wrote as userTask, callActivity, exclusiveGateway
    or a plain event: plain and service tasks, embedded sub-processes, parallel and event-based
    gateways, intermediate events, events with timers, messages, a terminate end."""
    kinds = set()
    for name in ("Reference--B.1.0.bpmn", "Reference--C.1.0.bpmn"):
        _source, _doc, exported = _round_trip(name)
        kinds |= {(tag, *definition) for tag, definition, _name in _types(exported).values()}
    assert {
        ("task",),
        ("serviceTask",),
        ("parallelGateway",),
        ("eventBasedGateway",),
        ("intermediateCatchEvent", "timerEventDefinition"),
        ("intermediateCatchEvent", "messageEventDefinition"),
        ("startEvent", "messageEventDefinition"),
        ("startEvent", "timerEventDefinition"),
        ("endEvent", "terminateEventDefinition"),
        ("subProcess",),
        ("callActivity",),
    } <= kinds


@pytest.mark.parametrize("name", ["Reference--C.1.0.bpmn", "Trisotech-Visio--B.2.0-export.bpmn"])
def test_events_and_gateways_are_drawn_at_bpmn_sizes_and_unnamed_stay_unnamed(name):
    _source, doc, exported = _round_trip(name)
    types = {k: v for k, v in _types(exported).items()}
    sizes = {}
    for shape in exported.iter(f"{{{BPMNDI}}}BPMNShape"):
        box = shape.find(f"{{{DC}}}Bounds")
        sizes[shape.get("bpmnElement")] = (float(box.get("width")), float(box.get("height")))
    events = [k for k, (tag, _d, _n) in types.items() if tag in EVENTS]
    gateways = [k for k, (tag, _d, _n) in types.items() if tag in GATEWAYS]
    assert events and gateways
    assert {sizes[k] for k in events} == {(36.0, 36.0)}
    assert {sizes[k] for k in gateways} == {(50.0, 50.0)}
    unnamed = [n for n in doc.nodes if not n.label]
    assert unnamed  # unnamed gateways and end events
    assert all(types[f"Node_{n.id}"][2] == "" for n in unnamed)


@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("Aeneis--B.1.0-export.bpmn", "6729bd01-f475-48bb-a7b2-13cb5cf4b19b"),
        (
            "IBM-Process-Designer--A.3.0-export.bpmn",
            "Process:bpmnid-39863212-029e-4da1-9b79-7085f0e99c3e",
        ),
    ],
)
def test_a_called_element_outside_the_file_is_listed_not_refused(name, reference):
    """Both files were refused whole ('a Journeymap attribute holds a value the map refuses')."""
    result = read_bpmn(FIXTURES / name)
    assert any(reference in line and "no process of this file" in line for line in result.skipped)
    called = [n for n in result.doc.nodes if n.bpmn_type == "callActivity"]
    assert any(n.subprocess is None for n in called)


def test_a_called_element_as_qname_opens_the_process_it_names(tmp_path):
    path = tmp_path / "q.bpmn"
    path.write_text(
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:tns="urn:x" id="d" targetNamespace="urn:x">'
        '<bpmn:process id="Main"><bpmn:callActivity id="C" name="Check" '
        'calledElement="tns:Sub"/></bpmn:process>'
        '<bpmn:process id="Sub"><bpmn:task id="T" name="Do"/></bpmn:process>'
        "</bpmn:definitions>",
        encoding="utf-8",
    )
    result = read_bpmn(path)
    (call,) = [n for n in result.doc.nodes if n.id == "C"]
    assert call.subprocess == "Sub" and result.skipped == []


def test_sequence_flows_across_pools_are_refused_by_id_and_every_export_agrees():
    """Trisotech's Visio add-in wrote two sequence flows from one pool into another (invalid
    BPMN): each is listed with its id and the two processes; the map passes the structural
    checks a map file gets, and BPMN, draw.io and Mermaid draw all its 84 edges (61 flows of the
    pools, 4 exits to boundary events and 19 flows inside embedded sub-processes)."""
    result = read_bpmn(FIXTURES / "Trisotech-Visio--B.2.0-export.bpmn")
    doc = result.doc
    for flow in ("_863b4049-faf7-485d-b9ef-5b91a6a69d93", "_589b8c5e-1871-4043-9c9c-ac55fceca2a9"):
        assert any(
            line.startswith(f"<sequenceFlow> {flow} was not imported: a flow edge cannot join")
            for line in result.skipped
        )
    assert structural_problems(doc) == []
    process_of = {n.id: n.process for n in doc.nodes}
    assert all(process_of[e.source] == process_of[e.target] for e in doc.edges)
    exported = ET.fromstring(generate_bpmn(doc))
    written = sum(
        1
        for tag in ("sequenceFlow", "messageFlow", "association", "boundaryEvent")
        for _ in exported.iter(f"{{{BPMN}}}{tag}")
    )
    assert written == len(doc.edges) == 84
    drawio = ET.fromstring(generate_drawio(doc))
    pages = [d for d in drawio.iter("diagram") if d.get("jm_page") != GROUP_PAGE]
    assert sum(1 for d in pages for c in d.iter("mxCell") if c.get("edge") == "1") == 84
    assert generate_mermaid(doc).count("-->") + generate_mermaid(doc).count("-.->") >= 84


def test_lanes_without_flow_node_refs_assign_teams_by_geometry():
    """OMNITRACKER lists no flowNodeRef in its lanes: each step goes to the lane whose bounds
    hold it (these three lanes held no step before)."""
    doc = read_bpmn(FIXTURES / "OMNITRACKER--A.4.1-export.bpmn").doc
    team_names = {t.id: t.name for t in doc.teams}
    assert len(team_names) == 3
    pools = {p.id for p in doc.processes if p.kind != "subprocess"}  # not embedded content
    laned = [n for n in doc.nodes if n.process in pools]
    assert all(n.owner in team_names for n in laned)
    assert len({n.owner for n in laned}) == 3


def test_an_element_changed_in_the_modeller_wins_over_the_journeymap_data(small_map, tmp_path):
    text = generate_bpmn(small_map)
    action = next(n for n in small_map.nodes if n.kind == "action")
    element = f'<bpmn:userTask id="Node_{action.id}"'
    assert element in text
    edited = text.replace(element, f'<bpmn:serviceTask id="Node_{action.id}"', 1)
    at = edited.index(f'<bpmn:serviceTask id="Node_{action.id}"')
    end = edited.index("</bpmn:userTask>", at)
    edited = edited[:end] + "</bpmn:serviceTask>" + edited[end + len("</bpmn:userTask>") :]
    (tmp_path / "edited.bpmn").write_text(edited, encoding="utf-8")
    back = read_bpmn(tmp_path / "edited.bpmn").doc
    assert next(n for n in back.nodes if n.id == action.id).bpmn_type == "serviceTask"
    assert f'<bpmn:serviceTask id="Node_{action.id}"' in generate_bpmn(back)
    assert [n for n in back.nodes if n.id != action.id] == [
        n for n in small_map.nodes if n.id != action.id
    ]


def test_a_step_without_a_bpmn_type_writes_none_in_the_map_file():
    """Maps made in Journeymap keep their exact bytes: the field is left out at its default."""
    assert "bpmn_type" not in Node(id="a", process="p").model_dump(exclude_defaults=True)
    changed_kind = Node(id="a", process="p", kind="decision", bpmn_type="serviceTask")
    assert '<bpmn:exclusiveGateway id="Node_a"' in generate_bpmn(
        _one_node_map(changed_kind)
    )  # a type that no longer fits the step's kind gives way to the kind's own


def _one_node_map(node: Node):
    from models.document import JourneyMap, Process

    return JourneyMap(processes=[Process(id="p", name="P")], nodes=[node])


def test_every_export_of_a_foreign_file_passes_the_checkers(tmp_path):
    files = []
    for name in ALL:
        target = tmp_path / name
        target.write_text(generate_bpmn(read_bpmn(FIXTURES / name).doc), encoding="utf-8")
        files.append(target)
    assert [r for r in bpmn_xsd(files) if not r["valid"]] == []
    assert [r for r in bpmn_moddle(files) if not r["ok"] or r.get("warnings")] == []


def test_every_export_of_a_foreign_file_renders_in_bpmn_js(tmp_path):
    files = []
    for name in ALL:
        target = tmp_path / name
        target.write_text(generate_bpmn(read_bpmn(FIXTURES / name).doc), encoding="utf-8")
        files.append(target)
    bad = [
        r for r in bpmn_render(files) if not r["ok"] or r.get("warnings") or r.get("notRendered")
    ]
    assert bad == []


def test_mwig_c_9_2_keeps_its_20_nodes():
    """C.9.2 lost 13 of its 20 nodes (three event sub-processes' content and a boundary
    event): each sub-process is now a process of the map its step opens, and the boundary
    timer an exit of the step it sits on."""
    result = read_bpmn(FIXTURES / "Reference--C.9.2.bpmn")
    doc = result.doc
    assert len(doc.nodes) == 20
    inner = [p for p in doc.processes if p.kind == "subprocess"]
    assert len(inner) == 3
    openers = {n.subprocess for n in doc.nodes if n.bpmn_type == "subProcess"}
    assert openers == {p.id for p in inner}
    assert all(any(n.process == p.id for n in doc.nodes) for p in inner)
    (timer,) = [n for n in doc.nodes if n.bpmn_type.startswith("boundaryEvent")]
    assert timer.bpmn_type == "boundaryEvent:timer" and timer.label == "Timeout (7 days)"
    host = [e.source for e in doc.edges if e.target == timer.id]
    assert host and next(n for n in doc.nodes if n.id == host[0]).bpmn_type == "userTask"
    assert not [line for line in result.skipped if "boundaryEvent" in line]
    exported = ET.fromstring(generate_bpmn(doc))
    (boundary,) = exported.iter(f"{{{BPMN}}}boundaryEvent")
    assert boundary.get("attachedToRef") == f"Node_{host[0]}"


def test_a_boundary_event_comes_back_exactly(tmp_path):
    from models.document import Edge, JourneyMap, Process

    doc = JourneyMap(
        processes=[Process(id="p", name="P")],
        nodes=[
            Node(id="call", process="p", label="Call"),
            Node(id="late", process="p", label="No answer", bpmn_type="boundaryEvent:timer"),
            Node(id="mail", process="p", label="Send a mail"),
        ],
        edges=[
            Edge(id="e1", source="call", target="late", conversion=0.2),
            Edge(id="e2", source="late", target="mail"),
        ],
    )
    text = generate_bpmn(doc)
    assert 'attachedToRef="Node_call"' in text and 'id="Flow_e1"' not in text
    (tmp_path / "b.bpmn").write_text(text, encoding="utf-8")
    back = read_bpmn(tmp_path / "b.bpmn").doc
    assert back.nodes == doc.nodes and back.edges == doc.edges
    doc.edges = doc.edges[1:]  # a boundary event on no step: drawn as a catch event
    assert "<bpmn:intermediateCatchEvent" in generate_bpmn(doc)


def test_default_flows_survive_a_round_trip(tmp_path):
    """C.9.2's gateway 'Fraud detected?' takes SequenceFlow_No by default: the export marks
    it so again (no condition on it), and Journeymap's own files keep the mark exactly."""
    _source, doc, exported = _round_trip("Reference--C.9.2.bpmn")
    (gateway,) = [e for e in exported.iter(f"{{{BPMN}}}exclusiveGateway")]
    assert gateway.get("default") == "Flow_SequenceFlow_No"
    (flow,) = [
        e for e in exported.iter(f"{{{BPMN}}}sequenceFlow") if e.get("id") == "Flow_SequenceFlow_No"
    ]
    assert flow.find(f"{{{BPMN}}}conditionExpression") is None
    (tmp_path / "again.bpmn").write_text(generate_bpmn(doc), encoding="utf-8")
    back = read_bpmn(tmp_path / "again.bpmn").doc
    assert [e for e in back.edges if e.bpmn_default] == [e for e in doc.edges if e.bpmn_default]
    assert len([e for e in doc.edges if e.bpmn_default]) == 1


def test_unnamed_imported_steps_show_no_id_in_any_drawing(tmp_path):
    """Trisotech's file has 11 unnamed gateways, events and sub-processes: draw.io, Mermaid and
    DOT draw them unnamed, as BPMN does (never 'sid-...' or '_3f2a...'), and draw.io brings
    them back unnamed."""
    from interop import mermaid_check, mermaid_counts

    from exporters.dot import generate_dot
    from exporters.drawio import write_drawio
    from exporters.drawio_import import read_drawio
    from exporters.mermaid import write_mermaid

    doc = read_bpmn(FIXTURES / "Trisotech-Visio--B.2.0-export.bpmn").doc
    unnamed = {n.id for n in doc.nodes if not n.label}
    assert len(unnamed) == 11
    write_drawio(doc, tmp_path / "x.drawio")
    cells = ET.parse(tmp_path / "x.drawio").getroot().iter("object")
    assert {c.get("label") for c in cells if c.get("jm_id") in unnamed} == {""}
    back = read_drawio(tmp_path / "x.drawio").doc
    assert {n.id for n in back.nodes if not n.label} == unnamed
    write_mermaid(doc, tmp_path / "x.mmd")
    assert [c["ok"] for c in mermaid_check([tmp_path / "x.mmd"])] == [True]
    (counted,) = mermaid_counts([tmp_path / "x.mmd"])
    assert counted["vertices"] == len(doc.nodes) and not set(counted["labels"]) & unnamed
    dot = generate_dot(doc)
    assert not [node_id for node_id in unnamed if f'label="{node_id}"' in dot]


@pytest.mark.parametrize(
    "name", [n for n in ALL if (FIXTURES / n).read_text("utf-8").count("messageFlow ") > 0]
)
def test_message_flows_between_tasks_come_back_as_message_flows(name):
    """Message flows between two tasks of two pools (both read as company actions) used to be
    skipped: each is a message edge now, and the export writes as many message flows, between
    the same two elements."""
    source, doc, exported = _round_trip(name)

    def ends(root):
        return sorted(
            (
                f.get("sourceRef", "").removeprefix("Node_"),
                f.get("targetRef", "").removeprefix("Node_"),
            )
            for f in root.iter(f"{{{BPMN}}}messageFlow")
        )

    assert ends(source)  # the file has message flows
    messages = sorted((e.source, e.target) for e in doc.edges if e.kind == "message")
    assert len(messages) == len(ends(source))  # ids over 70 characters are shortened
    assert ends(exported) == messages
