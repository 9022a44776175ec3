"""The connection rules (models.connect), asked the same way by the editor, loading and every import.

Each refused connection has a near-twin that is legal, so a rule that refused too much would fail
here as well as one that refused too little. A company action serving a buyer step of another
role's process (an ``addresses`` edge across processes) is legal everywhere.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import Workbook

from app.cli import main
from exporters.bpmn_import import read_bpmn
from exporters.csv_import import read_csv
from exporters.drawio_import import read_drawio
from exporters.tables import write_csv
from exporters.xlsx_import import read_xlsx
from models import Edge, EditError, JourneyMap, MapDocument, MapFileError, Node, Process
from models.connect import Connections, can_connect, check_connect, connection_kind
from models.connect_errors import (
    ConnectError,
    CrossProcessError,
    DuplicateEdgeError,
    MessageEndError,
    MessageWithinProcessError,
    MissingNodeError,
    OutcomeExitError,
    SelfLoopError,
)
from models.storage import dumps_map, load_map, loads_map


def _map() -> JourneyMap:
    """A funnel and the CFO's purchase process; the funnel's call serves the CFO's review."""
    return JourneyMap(
        name="Two processes",
        processes=[
            Process(id="funnel", name="Funnel", kind="funnel"),
            Process(id="cfo", name="CFO journey", kind="buyer"),
        ],
        nodes=[
            Node(id="web", process="funnel", kind="entry", label="Website", volume=100),
            Node(id="call", process="funnel", kind="action", label="Discovery call"),
            Node(id="fit", process="funnel", kind="decision", label="Good fit?"),
            Node(id="won", process="funnel", kind="won", label="Customer"),
            Node(id="lost", process="funnel", kind="lost", label="Disqualified"),
            Node(id="review", process="cfo", kind="buyer_step", label="Reviews the cost"),
            Node(id="sign", process="cfo", kind="buyer_step", label="Signs"),
        ],
        edges=[
            Edge(id="e1", source="web", target="call", conversion=0.5),
            Edge(id="e2", source="call", target="fit", conversion=0.5),
            Edge(id="e3", source="fit", target="won", conversion=0.3),
            Edge(id="e4", source="fit", target="lost", conversion=0.7),
            Edge(id="serves", source="call", target="review", kind="addresses"),
            Edge(id="e5", source="review", target="sign", conversion=0.8),
            Edge(id="asks", source="review", target="call", kind="message"),
        ],  # in file order: edges grouped by their source's process
    )


# (name, refused (source, target, kind), its code, a legal near-twin (source, target, kind))
CASES = [
    ("missing-node", ("call", "ghost", "flow"), "missing-node", ("call", "lost", "flow")),
    ("self-loop", ("call", "call", "flow"), "self-loop", ("call", "web", "recycle")),
    ("self-loop-addresses", ("call", "call", "addresses"), "self-loop", ("call", "sign", "addresses")),
    ("duplicate", ("web", "call", "flow"), "duplicate-edge", ("web", "call", "recycle")),
    ("duplicate-addresses", ("call", "review", "addresses"), "duplicate-edge", ("review", "call", "addresses")),
    ("flow-across", ("call", "review", "flow"), "crosses-processes", ("call", "sign", "addresses")),
    ("recycle-across", ("sign", "call", "recycle"), "crosses-processes", ("sign", "review", "recycle")),
    ("flow-out-of-won", ("won", "call", "flow"), "leaves-outcome", ("fit", "call", "flow")),
    ("recycle-out-of-lost", ("lost", "web", "recycle"), "leaves-outcome", ("lost", "call", "addresses")),
    ("message-within", ("call", "fit", "message"), "message-within", ("call", "sign", "message")),
    ("message-to-decision", ("review", "fit", "message"), "message-end", ("sign", "call", "message")),
    ("message-from-entry", ("web", "sign", "message"), "message-end", ("sign", "web", "message")),
    ("message-to-outcome", ("sign", "won", "message"), "message-end", ("won", "sign", "message")),
    ("message-self", ("sign", "sign", "message"), "self-loop", ("sign", "call", "message")),
    ("duplicate-message", ("review", "call", "message"), "duplicate-edge", ("call", "review", "message")),
]  # fmt: skip
IDS = [c[0] for c in CASES]
ERRORS = {
    "missing-node": MissingNodeError,
    "self-loop": SelfLoopError,
    "duplicate-edge": DuplicateEdgeError,
    "crosses-processes": CrossProcessError,
    "leaves-outcome": OutcomeExitError,
    "message-within": MessageWithinProcessError,
    "message-end": MessageEndError,
}


def _with_edge(doc: JourneyMap, ends: tuple[str, str, str], edge_id: str = "new") -> JourneyMap:
    source, target, kind = ends
    doc.edges.append(Edge(id=edge_id, source=source, target=target, kind=kind))
    return doc


# --- the function itself -------------------------------------------------------------------------


@pytest.mark.parametrize("name, refused, code, legal", CASES, ids=IDS)
def test_check_connect_names_the_rule_and_accepts_the_near_twin(name, refused, code, legal):
    doc = _map()
    for where in (doc, MapDocument(doc), Connections.of(doc)):
        with pytest.raises(ConnectError) as caught:
            check_connect(where, *refused)
        assert caught.value.code == code and isinstance(caught.value, ERRORS[code])
        assert isinstance(caught.value, EditError)
        assert not can_connect(where, *refused)
        check_connect(where, *legal)
        assert can_connect(where, *legal)


def test_an_edge_being_changed_is_not_its_own_duplicate():
    doc = _map()
    with pytest.raises(DuplicateEdgeError) as caught:
        check_connect(doc, "web", "call", "flow")
    assert caught.value.existing == "e1"
    check_connect(doc, "web", "call", "flow", ignore_edge="e1")
    check_connect(MapDocument(doc), "web", "call", "flow", ignore_edge="e1")


@pytest.mark.parametrize(
    "refused, message",
    [
        (
            ("call", "ghost", "flow"),
            "there is no node with id 'ghost'; connect two nodes of the map",
        ),
        (
            ("call", "call", "addresses"),
            'an addresses edge cannot join node "call" to itself; connect it to another node, '
            "or remove it",
        ),
        (
            ("web", "call", "flow"),
            'a flow edge from "web" to "call" already exists ("e1"); keep one of the two',
        ),
        (
            ("call", "review", "flow"),
            'a flow edge cannot join "call" in process "funnel" to "review" in process "cfo"; '
            "only addresses and message edges may cross processes: connect two steps of one "
            "process, or make it an addresses or a message edge",
        ),
        (
            ("call", "won", "message"),
            'a message edge cannot join "call" to "won" in the same process "funnel"; a message '
            "goes from one process to another: connect them with a flow edge, or send the "
            "message to a step of another process",
        ),
        (
            ("review", "fit", "message"),
            'a message edge cannot reach "fit", a decision; a message leaves or reaches an '
            "action, a buyer step or a sub-process (an entry only receives one, an outcome only "
            "sends one): connect another step",
        ),
        (
            ("won", "call", "recycle"),
            'a recycle edge cannot leave "won", a won outcome; leads that reach an outcome stay '
            'there: remove the edge, or make "won" a step of another kind',
        ),
    ],
)
def test_messages_say_what_and_what_to_do(refused, message):
    with pytest.raises(ConnectError) as caught:
        check_connect(_map(), *refused)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "source, target, kind",
    [
        ("call", "review", "addresses"),  # an action serving a buyer step
        ("call", "fit", "flow"),
        ("review", "sign", "flow"),
        ("fit", "web", "flow"),
        ("review", "call", "message"),  # a buyer step toward an action of another process
        ("sign", "fit", "flow"),  # a decision receives no message: a flow (refused across)
        ("web", "review", "flow"),  # nor does an entry send one
    ],
)
def test_connection_kind_is_what_the_canvas_draws(source, target, kind):
    doc = _map()
    assert connection_kind(doc.node(source), doc.node(target)) == kind


# --- the editor's document ----------------------------------------------------------------------


@pytest.mark.parametrize("name, refused, code, legal", CASES, ids=IDS)
def test_the_document_refuses_each_rule_and_changes_nothing(name, refused, code, legal):
    document = MapDocument(_map())
    events = []
    document.changed.connect(lambda: events.append("changed"))
    before = document.map.model_copy(deep=True)
    source, target, kind = refused
    with pytest.raises(ConnectError) as caught:
        document.add("edges", Edge(id="new", source=source, target=target, kind=kind))
    assert caught.value.code == code
    assert document.map == before and events == []
    source, target, kind = legal
    document.add("edges", Edge(id="new", source=source, target=target, kind=kind))
    assert document.get("edges", "new").kind == kind


@pytest.mark.parametrize(
    "edge, changes, code",
    [
        ("e1", {"target": "web"}, "self-loop"),
        ("e2", {"source": "web", "target": "call"}, "duplicate-edge"),
        ("e2", {"target": "review"}, "crosses-processes"),
        ("e3", {"source": "won", "target": "lost"}, "leaves-outcome"),
        ("serves", {"kind": "flow"}, "crosses-processes"),
        ("e1", {"target": "nowhere"}, "missing-node"),
    ],
)
def test_changing_an_edge_is_checked_the_same_way(edge, changes, code):
    document = MapDocument(_map())
    before = document.map.model_copy(deep=True)
    with pytest.raises(ConnectError) as caught:
        document.update("edges", edge, **changes)
    assert caught.value.code == code
    assert document.map == before


def test_legal_changes_to_edges_pass():
    document = MapDocument(_map())
    assert document.update("edges", "e1", conversion=0.25, label="Books") == {
        "conversion": 0.5,
        "label": "",
    }
    document.update("edges", "e2", kind="recycle")  # call -> fit: no recycle there yet
    document.update("edges", "serves", target="sign")  # still an addresses edge across
    document.update("edges", "e4", source="call")  # call -> lost, in the funnel


@pytest.mark.parametrize(
    "node, changes, code",
    [
        ("fit", {"kind": "won"}, "leaves-outcome"),  # its flows would leave an outcome
        ("call", {"kind": "lost"}, "leaves-outcome"),
        ("call", {"process": "cfo"}, "crosses-processes"),  # its flows would cross
    ],
)
def test_a_node_with_edges_cannot_change_into_breaking_a_rule(node, changes, code):
    document = MapDocument(_map())
    before = document.map.model_copy(deep=True)
    with pytest.raises(ConnectError) as caught:
        document.update("nodes", node, **changes)
    assert caught.value.code == code
    assert document.map == before


def test_legal_changes_to_nodes_pass():
    document = MapDocument(_map())
    document.update("nodes", "fit", kind="action")
    document.update("nodes", "lost", kind="won")  # an outcome with flows only in
    document.update("nodes", "sign", kind="won")
    document.add("nodes", Node(id="loose", process="funnel"))
    document.update("nodes", "loose", process="cfo")  # no edges: free to move


def test_missing_items_are_named_in_the_singular():
    document = MapDocument(_map())
    with pytest.raises(EditError, match="^there is no process with id 'ghost'$"):
        document.get("processes", "ghost")
    with pytest.raises(EditError, match="^there is no criteria with id 'bant'$"):
        document.get("criteria", "bant")
    with pytest.raises(EditError, match="^there is no SLA with id 'x'$"):
        document.get("slas", "x")
    with pytest.raises(EditError, match="already used by another process$"):
        document.add("processes", Process(id="cfo", name="Again"))
    assert document.new_id("processes").startswith("process-")
    assert document.new_id("criteria").startswith("criteria-")
    assert document.new_id("slas").startswith("sla-")


# --- loading -------------------------------------------------------------------------------------


def _file_index(text: str, edge_id: str) -> int:
    """Where an edge is in the file: the file groups edges by their source's process."""
    return [e["id"] for e in json.loads(text)["edges"]].index(edge_id)


def _line_of(text: str, needle: str, after: str) -> int:
    start = text.index(after)
    return text[: text.index(needle, start)].count("\n") + 1


@pytest.mark.parametrize("name, refused, code, legal", CASES, ids=IDS)
def test_loading_refuses_each_rule_with_a_located_message(tmp_path, name, refused, code, legal):
    path = tmp_path / "plan.json"
    path.write_text(dumps_map(_with_edge(_map(), refused)), encoding="utf-8")
    with pytest.raises(MapFileError) as caught:
        load_map(path)
    error = caught.value
    message = str(error)
    text = path.read_text(encoding="utf-8")
    index = _file_index(text, "new")  # the last of its source's process
    end = {"leaves-outcome": "source", "duplicate-edge": None}.get(code, "target")
    if name == "message-from-entry":  # the entry it leaves is at fault
        end = "source"
    field = f"edges[{index}]" + (f".{end}" if end else "")
    assert error.field == field, message
    assert message.startswith(f"{path}:{error.line}:{error.column}: {field}: "), message
    if end:  # the line of that field of the new edge; a whole edge is located at its "{"
        assert error.line == _line_of(text, f'"{end}"', '"id": "new"'), message
    else:
        assert error.line == _line_of(text, '"id": "new"', '"edges"') - 1, message
    assert "\n" not in message and message.endswith(".")
    # the near-twin loads, and saves back byte for byte
    twin = dumps_map(_with_edge(_map(), legal))
    if code != "missing-node":
        assert dumps_map(loads_map(twin)) == twin


def test_a_duplicate_edge_points_at_the_second_edge(tmp_path):
    doc = _with_edge(_map(), ("web", "call", "flow"))
    text = dumps_map(doc)
    with pytest.raises(MapFileError) as caught:
        loads_map(text, "plan.json")
    error = caught.value
    assert error.field == "edges[5]" and _file_index(text, "new") == 5
    assert (error.line, error.column) == (text[: text.index('"id": "new"')].count("\n"), 5)
    assert str(error) == (
        f'plan.json:{error.line}:5: edges[5]: a flow edge from "web" to "call" already exists '
        '("e1"). Keep one of the two.'
    )


def test_validate_says_where_and_why(tmp_path, capsys):
    path = tmp_path / "plan.json"
    path.write_text(dumps_map(_with_edge(_map(), ("won", "call", "flow"))), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"journeymap: {path}:") and ": edges[5].source: " in err
    assert 'a flow edge cannot leave "won", a won outcome. Leads that reach an outcome' in err
    assert len(err.strip().splitlines()) == 1
    path.write_text(dumps_map(_map()), encoding="utf-8")
    assert main(["validate", str(path)]) == 0


def test_a_cross_process_addresses_edge_saves_and_loads(tmp_path):
    doc = _map()
    text = dumps_map(doc)
    assert loads_map(text) == doc and dumps_map(loads_map(text)) == text
    document = MapDocument(JourneyMap(processes=doc.processes, nodes=doc.nodes))
    document.add("edges", Edge(id="serves", source="call", target="review", kind="addresses"))


# --- imports -------------------------------------------------------------------------------------

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Defs"
    targetNamespace="https://example.com/bpmn">
  <bpmn:process id="Funnel" name="Funnel">
    <bpmn:startEvent id="Start" name="Website"/>
    <bpmn:task id="Call" name="Discovery call"/>
    <bpmn:exclusiveGateway id="Fit" name="Good fit?"/>
    <bpmn:endEvent id="Won" name="Customer"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Call"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Call" targetRef="Fit"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Fit" targetRef="Won"/>
    <bpmn:sequenceFlow id="Retry" sourceRef="Fit" targetRef="Call"/>
    <bpmn:sequenceFlow id="Loop" sourceRef="Call" targetRef="Call"/>
    <bpmn:sequenceFlow id="Again" sourceRef="Call" targetRef="Fit" name="20%"/>
    <bpmn:sequenceFlow id="AfterWin" sourceRef="Won" targetRef="Call"/>
    <bpmn:sequenceFlow id="Across" sourceRef="Call" targetRef="Review"/>
    <bpmn:association id="Serves" sourceRef="Call" targetRef="Review"/>
  </bpmn:process>
  <bpmn:process id="Cfo" name="CFO journey">
    <bpmn:task id="Review" name="Reviews the cost"/>
    <bpmn:task id="Sign" name="Signs"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Review" targetRef="Sign"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_bpmn_import_leaves_out_and_names_each_refused_flow(tmp_path):
    path = tmp_path / "foreign.bpmn"
    path.write_text(BPMN, encoding="utf-8")
    result = read_bpmn(path)
    kept = {(e.source, e.target, e.kind) for e in result.doc.edges}
    assert kept == {
        ("Start", "Call", "flow"),
        ("Call", "Fit", "flow"),
        ("Fit", "Won", "flow"),
        ("Fit", "Call", "flow"),  # the near-twin of the self-loop and the exit from an outcome
        ("Call", "Review", "addresses"),  # the legal way across processes
        ("Review", "Sign", "flow"),
    }
    assert result.skipped == [
        '<sequenceFlow> Loop was not imported: a flow edge cannot join node "Call" to itself',
        '<sequenceFlow> Again was not imported: a flow edge from "Call" to "Fit" already exists '
        '("F2")',
        '<sequenceFlow> AfterWin was not imported: a flow edge cannot leave "Won", a won outcome',
        '<sequenceFlow> Across was not imported: a flow edge cannot join "Call" in process '
        '"Funnel" to "Review" in process "Cfo"',
    ]
    assert loads_map(dumps_map(result.doc)) == result.doc


def _drawio(edges: str) -> str:
    return f"""<mxfile><diagram name="Funnel"><mxGraphModel><root>
<mxCell id="0"/><mxCell id="1" parent="0"/>
<mxCell id="start" value="Website" style="ellipse;" vertex="1" parent="1">
  <mxGeometry x="0" y="0" width="40" height="40" as="geometry"/></mxCell>
<mxCell id="call" value="Discovery call" style="rounded=1;" vertex="1" parent="1">
  <mxGeometry x="100" y="0" width="120" height="60" as="geometry"/></mxCell>
<mxCell id="won" value="Customer" style="shape=doubleEllipse;" vertex="1" parent="1">
  <mxGeometry x="300" y="0" width="40" height="40" as="geometry"/></mxCell>
{edges}
</root></mxGraphModel></diagram></mxfile>"""


def _cell(cid: str, source: str, target: str, style: str = "endArrow=block;") -> str:
    return (
        f'<mxCell id="{cid}" style="{style}" edge="1" parent="1" source="{source}" '
        f'target="{target}"><mxGeometry relative="1" as="geometry"/></mxCell>'
    )


def test_drawio_import_leaves_out_and_names_each_refused_edge(tmp_path):
    path = tmp_path / "foreign.drawio"
    edges = [
        _cell("a", "start", "call"),
        _cell("b", "call", "won"),
        _cell("loop", "call", "call"),
        _cell("again", "start", "call"),
        _cell("after", "won", "call"),
        _cell("nurture", "call", "start", "dashed=1;endArrow=block;"),  # legal: recycle back
        _cell("back", "won", "call", "endArrow=none;dashed=1;"),  # legal: addresses carry no leads
    ]
    path.write_text(_drawio("\n".join(edges)), encoding="utf-8")
    result = read_drawio(path)
    assert {(e.id, e.kind) for e in result.doc.edges} == {
        ("a", "flow"),
        ("b", "flow"),
        ("nurture", "recycle"),
        ("back", "addresses"),
    }
    assert result.skipped == [
        "page 'Funnel': edge 'loop' was not imported: a flow edge cannot join node \"call\" to "
        "itself",
        "page 'Funnel': edge 'again' was not imported: a flow edge from \"start\" to \"call\" "
        'already exists ("a")',
        "page 'Funnel': edge 'after' was not imported: a flow edge cannot leave \"won\", a won "
        "outcome",
    ]
    assert loads_map(dumps_map(result.doc)) == result.doc


EDGE_ROWS = [
    ("e1", "web", "call", "flow"),
    ("e2", "call", "won", "flow"),
    ("serves", "call", "review", "addresses"),  # row 4: legal across processes
    ("loop", "call", "call", "flow"),  # row 5
    ("again", "web", "call", "flow"),  # row 6
    ("across", "call", "review", "flow"),  # row 7
    ("after", "won", "call", "recycle"),  # row 8
    ("nurture", "call", "web", "recycle"),  # row 9: legal
]
EXPECTED_KEPT = ["e1", "e2", "serves", "nurture"]


def _skipped_rows(where: str) -> list[str]:
    return [
        f'{where} row 5: the edge was not imported: a flow edge cannot join node "call" to itself',
        f'{where} row 6: the edge was not imported: a flow edge from "web" to "call" already '
        'exists ("e1")',
        f'{where} row 7: the edge was not imported: a flow edge cannot join "call" in process '
        '"funnel" to "review" in process "cfo"',
        f'{where} row 8: the edge was not imported: a recycle edge cannot leave "won", a won '
        "outcome",
    ]


NODE_ROWS = [
    ("web", "funnel", "entry"),
    ("call", "funnel", "action"),
    ("won", "funnel", "won"),
    ("review", "cfo", "buyer_step"),
]


def test_csv_import_leaves_out_and_names_each_refused_row(tmp_path):
    def write(name, header, rows):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        (tmp_path / name).write_text(out.getvalue(), encoding="utf-8")

    write("plan.csv", ["id", "process", "kind"], NODE_ROWS)
    write("plan-edges.csv", ["id", "source", "target", "kind"], EDGE_ROWS)
    result = read_csv(tmp_path / "plan.csv")
    assert [e.id for e in result.doc.edges] == EXPECTED_KEPT
    assert [s for s in result.skipped if "the edge was not imported" in s] == _skipped_rows(
        "plan-edges.csv"
    )
    assert loads_map(dumps_map(result.doc)) == result.doc


def test_xlsx_import_leaves_out_and_names_each_refused_row(tmp_path):
    book = Workbook()
    register = book.active
    register.title = "Register"
    register.append(["id", "process", "kind"])
    for row in NODE_ROWS:
        register.append(list(row))
    edges = book.create_sheet("Edges")
    edges.append(["id", "source", "target", "kind"])
    for row in EDGE_ROWS:
        edges.append(list(row))
    book.save(tmp_path / "plan.xlsx")
    result = read_xlsx(tmp_path / "plan.xlsx")
    assert [e.id for e in result.doc.edges] == EXPECTED_KEPT
    assert [s for s in result.skipped if "the edge was not imported" in s] == _skipped_rows(
        'plan.xlsx, sheet "Edges"'
    )


def test_our_own_register_brings_a_cross_process_addresses_edge_back(tmp_path):
    doc = _map()
    write_csv(doc, tmp_path / "plan.csv")
    back = read_csv(tmp_path / "plan.csv")
    assert {(e.source, e.target, e.kind) for e in back.doc.edges} == {
        (e.source, e.target, e.kind) for e in doc.edges
    }
    assert not [s for s in back.skipped if "not imported" in s]


@pytest.mark.parametrize(
    "node, changes, code",
    [
        ("call", {"kind": "decision"}, "message-end"),  # the CFO's message would reach a decision
        ("note", {"process": "funnel"}, "message-within"),  # both ends in the funnel
    ],
)
def test_a_node_with_a_message_cannot_change_into_breaking_a_rule(node, changes, code):
    doc = _map()
    doc.nodes.append(Node(id="note", process="cfo", kind="buyer_step", label="Writes a memo"))
    doc.edges.append(Edge(id="memo", source="note", target="call", kind="message"))
    document = MapDocument(doc)
    before = document.map.model_copy(deep=True)
    with pytest.raises(ConnectError) as caught:
        document.update("nodes", node, **changes)
    assert caught.value.code == code
    assert document.map == before
