"""The analysis: each finding code fires on a map that has the problem and not on its near twin."""

from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import (
    SLA,
    BuyerRole,
    Clearance,
    Criteria,
    Edge,
    JourneyMap,
    Node,
    Process,
    Stage,
    Team,
    save_map,
)
from models.analysis import analyze, summary
from models.findings import CATALOGUE
from models.templates import load_template


def base() -> JourneyMap:
    """A clean funnel: marketing hands qualified leads to sales under an SLA; nothing to find."""
    return JourneyMap(
        name="Clean",
        teams=[
            Team(id="mkt", name="Marketing", headcount=2, capacity=5000),
            Team(id="sales", name="Sales", headcount=3, capacity=200),
        ],
        stages=[Stage(id="mql", name="MQL")],
        criteria=[Criteria(id="bant", name="BANT")],
        roles=[BuyerRole(id="champ", name="Champion")],
        slas=[
            SLA(id="s1", name="MQL hand-off", from_team="mkt", to_team="sales", leads_per_rep=200)
        ],
        processes=[
            Process(id="f", name="Funnel", kind="funnel"),
            Process(id="b", name="Champion buys", kind="buyer", role="champ"),
        ],
        nodes=[
            Node(id="src", process="f", kind="entry", label="Web", volume=400),
            Node(
                id="score",
                process="f",
                kind="action",
                label="Score",
                owner="mkt",
                stage="mql",
                criteria="bant",
                call_to_action="Book a demo",
                motivations=["m"],
                concerns=["c"],
                technology=["MA"],
            ),
            Node(id="q", process="f", kind="decision", label="Qualified?"),
            Node(
                id="call",
                process="f",
                kind="action",
                label="Call",
                owner="sales",
                call_to_action="Sign",
                motivations=["m"],
                concerns=["c"],
                technology=["CRM"],
            ),
            Node(
                id="nurture",
                process="f",
                kind="action",
                label="Nurture",
                owner="mkt",
                call_to_action="Read",
                motivations=["m"],
                concerns=["c"],
                technology=["MA"],
            ),
            Node(id="won", process="f", kind="won", label="Won", deal_value=1000),
            Node(id="lost", process="f", kind="lost", label="Lost"),
            Node(id="b-start", process="b", kind="entry", label="Need", volume=10),
            Node(id="b-step", process="b", kind="buyer_step", label="Compares"),
            Node(
                id="b-act",
                process="b",
                kind="action",
                label="Guide",
                owner="mkt",
                call_to_action="Download",
                motivations=["m"],
                concerns=["c"],
                technology=["CMS"],
            ),
            Node(id="b-won", process="b", kind="won", label="Chooses us"),
        ],
        edges=[
            Edge(id="e1", source="src", target="score", conversion=1.0),
            Edge(id="e2", source="score", target="q", conversion=1.0),
            Edge(id="e3", source="q", target="call", conversion=0.4),
            Edge(id="e4", source="q", target="nurture", conversion=0.6),
            Edge(id="e5", source="nurture", target="score", kind="recycle", conversion=0.3),
            Edge(id="e6", source="call", target="won", conversion=0.2),
            Edge(id="e7", source="call", target="lost", conversion=0.8),
            Edge(id="b1", source="b-start", target="b-step", conversion=0.5),
            Edge(id="b2", source="b-step", target="b-won", conversion=0.5),
            Edge(id="b3", source="b-act", target="b-step", kind="addresses"),
        ],
    )


def codes(doc) -> set[str]:
    return {f.code for f in analyze(doc)}


def test_the_clean_map_has_no_findings():
    assert analyze(base()) == []


def test_a_committee_gate_that_works_has_no_findings():
    doc = base()
    _gate(doc, "call")  # the champion clears 'Chooses us' of his own process before the call
    assert analyze(doc) == []


def _node(doc, node_id):
    return doc.node(node_id)


def _drop_edge(doc, edge_id):
    doc.edges = [e for e in doc.edges if e.id != edge_id]


def _gate(doc, node_id, role="champ", step="b-won"):
    """A committee gate on ``node_id``: ``role`` must clear ``step`` of its own process."""
    doc.node(node_id).gate = [Clearance(role=role, step=step)]


# each case: (code, how to plant the problem, near-identical change that does not trigger it)
CASES = {
    "dead-end": (
        lambda d: (_drop_edge(d, "e6"), _drop_edge(d, "e7")),
        lambda d: _drop_edge(d, "e6"),
    ),
    "no-call-to-action": (
        lambda d: setattr(_node(d, "call"), "call_to_action", ""),
        lambda d: setattr(_node(d, "call"), "call_to_action", "Reply"),
    ),
    "orphan-activity": (
        lambda d: d.nodes.append(
            Node(
                id="event",
                process="f",
                label="Brand event",
                owner="mkt",
                call_to_action="Visit",
                motivations=["m"],
                concerns=["c"],
                technology=["x"],
            )
        ),
        lambda d: (
            d.nodes.append(
                Node(
                    id="event",
                    process="f",
                    label="Brand event",
                    owner="mkt",
                    call_to_action="Visit",
                    motivations=["m"],
                    concerns=["c"],
                    technology=["x"],
                )
            ),
            d.edges.append(Edge(id="ev", source="event", target="score", conversion=0.1)),
        ),
    ),
    "unreachable": (
        lambda d: (
            d.nodes.append(Node(id="x", process="f", kind="buyer_step", label="Stray")),
            d.edges.append(Edge(id="ex", source="x", target="won", conversion=1)),
            d.edges.append(Edge(id="ax", source="call", target="x", kind="addresses")),
        ),
        lambda d: (
            d.nodes.append(Node(id="x", process="f", kind="buyer_step", label="Stray")),
            d.edges.append(Edge(id="ex", source="x", target="won", conversion=1)),
            d.edges.append(Edge(id="ax", source="call", target="x", kind="addresses")),
            d.edges.append(Edge(id="ey", source="call", target="x", conversion=0)),
        ),
    ),
    "no-path-to-won": (lambda d: (_drop_edge(d, "e6"),), lambda d: None),
    "trap-loop": (
        lambda d: (
            _drop_edge(d, "e6"),
            _drop_edge(d, "e7"),
            d.edges.append(Edge(id="back", source="call", target="q", conversion=1.0)),
        ),
        lambda d: (
            _drop_edge(d, "e6"),
            d.edges.append(Edge(id="back", source="call", target="q", conversion=0.2)),
        ),
    ),
    "recycle-no-reentry": (
        lambda d: (
            _drop_edge(d, "e5"),
            d.edges.append(
                Edge(id="r", source="nurture", target="lost", kind="recycle", conversion=0.3)
            ),
        ),
        lambda d: None,
    ),
    "unaddressed-step": (lambda d: _drop_edge(d, "b3"), lambda d: None),
    "role-without-process": (
        lambda d: d.roles.append(BuyerRole(id="cfo", name="CFO")),
        lambda d: (
            d.roles.append(BuyerRole(id="cfo", name="CFO")),
            d.processes.append(Process(id="c", name="CFO", kind="buyer", role="cfo")),
        ),
    ),
    "unowned-action": (
        lambda d: setattr(_node(d, "call"), "owner", None),
        lambda d: setattr(_node(d, "call"), "owner", "sales"),
    ),
    "no-customer-view": (
        lambda d: setattr(_node(d, "call"), "concerns", []),
        lambda d: setattr(_node(d, "call"), "concerns", ["Price"]),
    ),
    "no-technology": (
        lambda d: setattr(_node(d, "call"), "technology", []),
        lambda d: setattr(_node(d, "call"), "technology", ["Phone"]),
    ),
    "handoff-without-criteria": (
        lambda d: setattr(_node(d, "score"), "criteria", None),
        lambda d: (
            setattr(_node(d, "score"), "criteria", None),
            setattr(_node(d, "q"), "criteria", "bant"),
        ),
    ),
    "handoff-without-sla": (lambda d: setattr(d, "slas", []), lambda d: None),
    "missing-conversion": (
        lambda d: setattr(d.edges[2], "conversion", None),
        lambda d: setattr(d.edges[2], "conversion", 0.0),
    ),
    "conversion-over-100": (
        lambda d: setattr(d.edges[2], "conversion", 0.5),
        lambda d: setattr(d.edges[2], "conversion", 0.4),
    ),
    "single-branch-decision": (lambda d: (_drop_edge(d, "e4"),), lambda d: None),
    "undefined-stage": (
        lambda d: setattr(_node(d, "call"), "stage", "sql"),
        lambda d: setattr(_node(d, "call"), "stage", "mql"),
    ),
    "missing-criteria": (
        lambda d: setattr(_node(d, "call"), "criteria", "meddic"),
        lambda d: setattr(_node(d, "call"), "criteria", "bant"),
    ),
    "broken-subprocess": (
        lambda d: d.nodes.append(
            Node(id="sp", process="b", kind="subprocess", label="Trial", subprocess="nope")
        ),
        lambda d: (
            d.processes.append(Process(id="t", name="Trial", kind="subprocess")),
            d.nodes.append(
                Node(id="sp", process="b", kind="subprocess", label="Trial", subprocess="t")
            ),
        ),
    ),
    "sla-over-capacity": (
        lambda d: setattr(d.teams[1], "headcount", 0),
        lambda d: setattr(d.teams[1], "headcount", 1),
    ),
    "no-entry": (
        lambda d: (
            d.processes.append(Process(id="e", name="Empty", kind="funnel")),
            d.nodes.append(Node(id="lonely", process="e", kind="won", label="Won")),
        ),
        lambda d: (
            d.processes.append(Process(id="e", name="Empty", kind="subprocess")),
            d.nodes.append(Node(id="lonely", process="e", kind="won", label="Won")),
        ),
    ),
    # committee gates: the twin is the gate on the funnel's call, the champion clearing 'b-won'
    "gate-role-without-process": (
        lambda d: (d.roles.append(BuyerRole(id="cfo", name="CFO")), _gate(d, "call", "cfo")),
        lambda d: (d.roles.append(BuyerRole(id="cfo", name="CFO")), _gate(d, "call")),
    ),
    "gate-step-outside-role": (
        lambda d: _gate(d, "call", step="won"),
        lambda d: _gate(d, "call", step="b-won"),
    ),
    "gate-step-unreachable": (
        lambda d: (_drop_edge(d, "b2"), _gate(d, "call", step="b-won")),
        lambda d: (_drop_edge(d, "b2"), _gate(d, "call", step="b-step")),
    ),
    "gate-never-clears": (
        lambda d: (setattr(d.edge("b2"), "conversion", 0.0), _gate(d, "call")),
        lambda d: (setattr(d.edge("b2"), "conversion", 0.1), _gate(d, "call")),
    ),
    "gate-outside-funnel": (lambda d: _gate(d, "b-step"), lambda d: _gate(d, "call")),
    "gate-on-entry-or-outcome": (lambda d: _gate(d, "won"), lambda d: _gate(d, "q")),
}


def test_every_catalogued_code_has_a_case():
    assert set(CASES) == set(CATALOGUE)


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_fires_on_the_problem_and_not_on_its_near_twin(code):
    plant, twin = CASES[code]
    broken, near = base(), base()
    plant(broken)
    twin(near)
    found = [f for f in analyze(broken) if f.code == code]
    assert found, f"{code} not found"
    assert code not in codes(near)
    finding = found[0]
    assert finding.severity == CATALOGUE[code].severity
    assert finding.message.endswith(".") and finding.hint
    if code not in ("role-without-process", "no-entry"):  # about the map, not a node
        assert finding.nodes, "located on the map"
        ids = {n.id for n in broken.nodes}
        assert set(finding.nodes) <= ids


def test_planted_defects_are_each_found_and_located_in_json(tmp_path):
    doc = base()
    doc.nodes.append(
        Node(id="show", process="f", kind="entry", label="Trade show", volume=300)
    )  # dead end
    doc.nodes.append(
        Node(
            id="brand",
            process="f",
            label="Brand event",
            owner="mkt",
            call_to_action="Visit",
            motivations=["m"],
            concerns=["c"],
            technology=["x"],
        )
    )  # orphan activity
    doc.nodes.append(
        Node(
            id="loop-a",
            process="f",
            label="Loop A",
            owner="sales",
            call_to_action="x",
            motivations=["m"],
            concerns=["c"],
            technology=["x"],
        )
    )
    doc.nodes.append(
        Node(
            id="loop-b",
            process="f",
            label="Loop B",
            owner="sales",
            call_to_action="x",
            motivations=["m"],
            concerns=["c"],
            technology=["x"],
        )
    )
    doc.edges += [
        Edge(id="la", source="call", target="loop-a", conversion=0.0),
        Edge(id="lb", source="loop-a", target="loop-b", conversion=1),
        Edge(id="lc", source="loop-b", target="loop-a", conversion=1),
    ]  # trap loop
    doc.node("nurture").owner = None  # unowned action
    doc.edges = [e for e in doc.edges if e.id != "b3"]  # unaddressed buyer step
    doc.node("score").criteria = None  # unqualified hand-off
    path = tmp_path / "planted.json"
    save_map(doc, path)
    result = subprocess.run(
        [sys.executable, "-m", "app", "analyze", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    located = {(f["code"], tuple(f["nodes"])) for f in data["findings"]}
    assert ("dead-end", ("show",)) in located
    assert ("orphan-activity", ("brand",)) in located
    assert ("trap-loop", ("loop-a", "loop-b")) in located
    assert ("unowned-action", ("nurture",)) in located
    assert ("unaddressed-step", ("b-step",)) in located
    assert ("handoff-without-criteria", ("score", "call")) in located
    for finding in data["findings"]:
        assert set(finding) == {"code", "severity", "message", "process", "nodes", "edges", "hint"}
    assert data["summary"]["total"] == len(data["findings"])


@pytest.mark.parametrize("fail_on,expected", [("error", 0), ("warning", 1), ("never", 0)])
def test_cli_exit_codes_follow_fail_on(tmp_path, fail_on, expected):
    doc = base()
    doc.node("call").technology = []  # info
    doc.node("call").call_to_action = ""  # warning
    path = tmp_path / "m.json"
    save_map(doc, path)
    result = subprocess.run(
        [sys.executable, "-m", "app", "analyze", str(path), "--fail-on", fail_on],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == expected, result.stdout + result.stderr
    assert "no-call-to-action" in result.stdout


def test_cli_unreadable_file_exits_2(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "journeymap", "schema_version": 1, "nodes": [')
    result = subprocess.run(
        [sys.executable, "-m", "app", "analyze", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (
        result.returncode == 2 and "truncated" in result.stderr and "Traceback" not in result.stderr
    )


EXPECTED_TEMPLATE_FINDINGS = {
    "enterprise": {
        "dead-end",
        "orphan-activity",
        "unaddressed-step",
        "no-customer-view",
        "no-technology",
    },
    "plugged-funnel": {"dead-end", "role-without-process"},
    "saas-trial": {"no-call-to-action"},
    "channel": {"handoff-without-criteria", "handoff-without-sla", "role-without-process"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED_TEMPLATE_FINDINGS))
def test_templates_show_the_checker_at_work(name):
    """Each template has deliberate, documented gaps; nothing else."""
    doc = load_template(name)
    assert codes(doc) == EXPECTED_TEMPLATE_FINDINGS[name]
    for finding in analyze(doc):
        if finding.code in ("dead-end", "orphan-activity", "no-call-to-action"):
            assert doc.node(finding.nodes[0]).description.startswith("Deliberate gap")


def test_summary_counts():
    doc = base()
    doc.node("call").technology = []
    doc.node("call").owner = None
    assert summary(analyze(doc))["by_severity"] == {"error": 0, "warning": 1, "info": 1}


# --- properties over generated graphs, against networkx reference computations ----------------------------


@st.composite
def graphs(draw):
    n = draw(st.integers(3, 14))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n, unique=True
        )
    )
    kinds = draw(
        st.lists(
            st.sampled_from(["entry", "action", "decision", "won", "lost"]), min_size=n, max_size=n
        )
    )
    doc = JourneyMap(processes=[Process(id="p", name="P")])
    doc.nodes = [Node(id=f"n{i}", process="p", kind=kinds[i], label=f"N{i}") for i in range(n)]
    # only legal maps: no self-loops, and no flow leaves an outcome
    legal = [(a, b) for a, b in pairs if a != b and kinds[a] not in ("won", "lost")]
    doc.edges = [
        Edge(id=f"e{k}", source=f"n{a}", target=f"n{b}", conversion=0.5)
        for k, (a, b) in enumerate(legal)
    ]
    return doc


def _reference(doc):
    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in doc.nodes)
    graph.add_edges_from((e.source, e.target) for e in doc.edges)
    return graph


@settings(max_examples=120, deadline=None)
@given(graphs())
def test_unreachable_matches_networkx_reachability(doc):
    graph = _reference(doc)
    entries = [n.id for n in doc.nodes if n.kind == "entry"]
    flagged = {f.nodes[0] for f in analyze(doc) if f.code in ("unreachable", "orphan-activity")}
    if not entries:
        assert not any(f.code == "unreachable" for f in analyze(doc))
        return
    reached = set(entries).union(*(nx.descendants(graph, e) for e in entries))
    assert flagged == {n.id for n in doc.nodes if n.id not in reached}


@settings(max_examples=120, deadline=None)
@given(graphs())
def test_trap_loops_match_networkx_attracting_components(doc):
    graph = _reference(doc)
    kinds = {n.id: n.kind for n in doc.nodes}
    expected = {
        tuple(sorted(c))
        for c in nx.attracting_components(graph)
        if (len(c) > 1 or graph.has_edge(next(iter(c)), next(iter(c))))
        and not any(kinds[n] in ("won", "lost") for n in c)
    }
    found = {f.nodes for f in analyze(doc) if f.code == "trap-loop"}
    assert found == expected


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_dead_ends_are_exactly_the_non_outcomes_with_no_way_out(doc):
    graph = _reference(doc)
    expected = {
        n.id
        for n in doc.nodes
        if n.kind not in ("won", "lost")
        and graph.out_degree(n.id) == 0
        and (n.kind == "entry" or graph.in_degree(n.id) > 0)
    }
    assert {f.nodes[0] for f in analyze(doc) if f.code == "dead-end"} == expected
