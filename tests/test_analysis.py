"""The analysis: each finding code fires on a map that has the problem and not on its near twin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
    Question,
    Scenario,
    Stage,
    Team,
    save_map,
)
from models.analysis import analyze, summary
from models.analysis.examples import EXAMPLES
from models.document import COLLECTIONS
from models.findings import CATALOGUE
from models.templates import load_template


def base() -> JourneyMap:
    """A clean funnel: marketing hands qualified leads to sales under an SLA; nothing to find.

    Leads from the web (Lead) are scored (MQL) and the qualified ones called (SQL); the stages
    are defined and owned, the BANT criteria have questions and a threshold a lead can reach.
    """
    return JourneyMap(
        name="Clean",
        teams=[
            Team(id="mkt", name="Marketing", headcount=2, capacity=5000),
            Team(id="sales", name="Sales", headcount=3, capacity=200),
        ],
        stages=[
            Stage(id="lead", name="Lead", definition="Gave us contact details", owner="mkt"),
            Stage(id="mql", name="MQL", definition="Scores 40 or more", owner="mkt"),
            Stage(id="sql", name="SQL", definition="Budget confirmed on a call", owner="sales"),
        ],
        criteria=[
            Criteria(
                id="bant",
                name="BANT",
                questions=[
                    Question(id="budget", text="Budget set aside?", category="budget", points=30),
                    Question(id="need", text="Has the problem?", category="need", points=30),
                ],
                threshold_score=40,
            )
        ],
        roles=[BuyerRole(id="champ", name="Champion")],
        slas=[
            SLA(id="s1", name="MQL hand-off", from_team="mkt", to_team="sales", leads_per_rep=200)
        ],
        processes=[
            Process(id="f", name="Funnel", kind="funnel"),
            Process(id="b", name="Champion buys", kind="buyer", role="champ"),
        ],
        nodes=[
            Node(id="src", process="f", kind="entry", label="Web", volume=400, stage="lead"),
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
                stage="sql",
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
        lambda d: setattr(_node(d, "call"), "stage", "opportunity"),
        lambda d: setattr(_node(d, "call"), "stage", "sql"),
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
    # the shared vocabulary: Lead -> MQL -> SQL, each defined and owned
    "stage-without-owner": (
        lambda d: setattr(d.stages[1], "owner", None),
        lambda d: setattr(d.stages[1], "owner", "sales"),
    ),
    "stage-without-definition": (
        lambda d: setattr(d.stages[1], "definition", "  "),
        lambda d: setattr(d.stages[1], "definition", "Scores 60 or more"),
    ),
    "stage-skipped": (  # Lead straight to SQL, past the scoring (MQL)
        lambda d: d.edges.append(Edge(id="fast", source="src", target="call", conversion=0.0)),
        lambda d: d.edges.append(Edge(id="fast", source="score", target="call", conversion=0.0)),
    ),
    "stage-backwards": (  # SQL back to MQL as plain flow, then as a recycle connection
        lambda d: d.edges.append(Edge(id="back", source="call", target="score", conversion=0.0)),
        lambda d: d.edges.append(
            Edge(id="back", source="call", target="score", kind="recycle", conversion=0.0)
        ),
    ),
    # SLAs
    "broken-sla": (
        lambda d: setattr(d.slas[0], "to_team", "growth"),
        lambda d: setattr(d.slas[0], "to_team", "sales"),
    ),
    "sla-unmatched": (  # no step of customer success receives leads from sales
        lambda d: (
            d.teams.append(Team(id="cs", name="Customer success")),
            d.slas.append(SLA(id="s2", name="Onboarding", from_team="sales", to_team="cs")),
        ),
        lambda d: (
            d.teams.append(Team(id="cs", name="Customer success")),
            d.slas.append(SLA(id="s2", name="Speed", from_team="mkt", to_team="sales")),
        ),
    ),
    "sla-attempts-without-window": (
        lambda d: setattr(d.slas[0], "attempts", 5),
        lambda d: (
            setattr(d.slas[0], "attempts", 5),
            setattr(d.slas[0], "attempt_window_days", 14),
        ),
    ),
    "sla-cadence-over-hours": (  # 195 leads x 5 attempts: 40 minutes each is 650 hours, 30 is 488
        lambda d: _cadence(d, 40.0),
        lambda d: _cadence(d, 30.0),
    ),
    # teams: marketing sends sales about 195 leads a month
    "team-over-capacity": (
        lambda d: setattr(d.teams[1], "capacity", 60),  # 3 x 60 = 180
        lambda d: setattr(d.teams[1], "capacity", 70),  # 3 x 70 = 210
    ),
    "team-without-people": (
        lambda d: setattr(d.teams[0], "headcount", 0),
        lambda d: setattr(d.teams[0], "headcount", 1),
    ),
    # criteria: two questions of 30 points, 40 needed
    "unused-criteria": (
        lambda d: d.criteria.append(_meddic()),
        lambda d: (d.criteria.append(_meddic()), setattr(d.node("call"), "criteria", "meddic")),
    ),
    "criteria-threshold-unreachable": (
        lambda d: setattr(d.criteria[0], "threshold_score", 61),
        lambda d: setattr(d.criteria[0], "threshold_score", 60),
    ),
    "incomplete-criteria": (
        lambda d: setattr(d.criteria[0], "threshold_score", None),
        lambda d: (
            setattr(d.criteria[0], "threshold_score", None),
            setattr(d.criteria[0], "threshold_answers", 1),
        ),
    ),
    # roles and processes
    "buyer-process-without-role": (
        lambda d: setattr(d.process("b"), "role", None),
        lambda d: setattr(d.process("b"), "role", "champ"),
    ),
    "buyer-step-wrong-role": (
        lambda d: (d.roles.append(BuyerRole(id="cfo", name="CFO")), _role(d, "b-step", "cfo")),
        lambda d: (d.roles.append(BuyerRole(id="cfo", name="CFO")), _role(d, "b-step", "champ")),
    ),
    "misdirected-addresses": (  # the buyer step 'addresses' the action: the wrong way round
        lambda d: (
            _drop_edge(d, "b3"),
            d.edges.append(Edge(id="b3", source="b-step", target="b-act", kind="addresses")),
        ),
        lambda d: (
            _drop_edge(d, "b3"),
            d.edges.append(Edge(id="b3", source="b-act", target="b-step", kind="addresses")),
        ),
    ),
    # simulation inputs
    "won-without-deal-value": (
        lambda d: _second_won(d, None),
        lambda d: _second_won(d, 500.0),
    ),
    "entry-without-volume": (
        lambda d: setattr(d.node("src"), "volume", None),
        lambda d: setattr(d.node("src"), "volume", 0.0),
    ),
    "scenario-unknown-target": (
        lambda d: d.scenarios.append(Scenario(id="x", name="Hire", headcount={"growth": 4})),
        lambda d: d.scenarios.append(Scenario(id="x", name="Hire", headcount={"sales": 4})),
    ),
    "edge-from-outcome": (  # a map built in code: loading and the editor refuse it
        lambda d: d.edges.append(Edge(id="out", source="won", target="lost", conversion=1.0)),
        lambda d: d.edges.append(Edge(id="out", source="call", target="won", kind="recycle")),
    ),
}


def test_a_stage_with_no_owner_and_one_owned_by_a_missing_team_are_told_apart():
    doc = base()
    doc.stages[0].owner = None
    doc.stages[1].owner = "growth"
    found = {f.items: f.message for f in analyze(doc) if f.code == "stage-without-owner"}
    assert found == {
        (("stages", "lead"),): "Nobody owns the stage 'Lead', so no team answers for its leads.",
        (
            ("stages", "mql"),
        ): "The stage 'MQL' is owned by 'growth', which is not a team of this map.",
    }


def test_an_sla_applies_in_its_direction_only():
    """Marketing hands leads to sales; an SLA from sales to marketing matches no hand-off."""
    doc = base()
    doc.slas.append(SLA(id="s2", name="Returns", from_team="sales", to_team="mkt"))
    found = [f for f in analyze(doc) if f.code == "sla-unmatched"]
    assert [f.items for f in found] == [(("slas", "s2"),)]
    assert found[0].message == (
        "No step of Marketing receives leads from a step of Sales on any diagram, so the SLA "
        "'Returns' never applies."
    )


def _cadence(doc, minutes):
    """The SLA asks 5 attempts within 14 days of ``minutes`` each (3 people: 521 hours a month)."""
    sla = doc.slas[0]
    sla.attempts, sla.attempt_window_days, sla.attempt_minutes = 5, 14.0, minutes


def test_a_threshold_of_score_and_answers_together_no_lead_can_meet():
    """Both thresholds bind a lead at once: 3 positive answers score at most 50 here, so 60 points
    with 3 answers is out of reach though each threshold alone is not."""
    doc = base()
    bant = doc.criteria[0]
    bant.questions.append(Question(id="student", text="A student?", points=-10))
    bant.threshold_score, bant.threshold_answers = 60, 3
    found = [f for f in analyze(doc) if f.code == "criteria-threshold-unreachable"]
    assert [f.message for f in found] == [
        "The criteria 'BANT' need 60 points, but a lead with 3 positive answers scores at most 50 "
        "(some questions count against the score): no lead qualifies."
    ]
    bant.threshold_answers = 2
    assert "criteria-threshold-unreachable" not in codes(doc)


def test_a_scenario_naming_a_question_the_criteria_do_not_ask():
    doc = base()
    doc.scenarios.append(
        Scenario(id="x", name="Better lists", question_share={"bant.budgett": 0.5})
    )
    found = [f for f in analyze(doc) if f.code == "scenario-unknown-target"]
    assert [f.items for f in found] == [(("scenarios", "x"),)]
    assert "question 'budgett' of 'BANT'" in found[0].message
    doc.scenarios[0].question_share = {"bant.budget": 0.5}
    assert "scenario-unknown-target" not in codes(doc)


def test_criteria_with_every_share_give_the_empty_edges_their_rate_as_the_simulation_does():
    """An edge left empty out of the step applying BANT takes the criteria's pass rate: no
    missing conversion is reported, and the volumes follow that rate."""
    from models.analysis.capacity import team_loads
    from models.analysis.context import Context

    doc = base()
    doc.node("q").criteria = "bant"  # the decision applies the criteria
    for question in doc.criteria[0].questions:
        question.share = 0.5  # 40 points need both answers: a quarter pass
    doc.edge("e3").conversion = None
    doc.edge("e4").conversion = None
    assert "missing-conversion" not in codes(doc)
    assert Context(doc).conversion(doc.edge("e3")) == pytest.approx(0.25)
    doc.criteria[0].questions[0].share = None  # not every share: nothing to compute from
    found = [f for f in analyze(doc) if f.code == "missing-conversion"]
    assert len(found) == 2 and "share of leads answering yes" in found[0].hint
    doc.criteria[0].questions[0].share = 0.5
    score = 400 / (1 - 0.75 * 0.3)  # the nurture loop brings 30 % of the failing quarter back
    assert team_loads(Context(doc))["sales"][0] == pytest.approx(0.25 * score)


def test_follow_up_hours_are_the_ones_the_simulation_counts():
    """Two SLAs with cadences reach Sales: from Marketing (5 x 40 minutes) and from Events
    (3 x 20). The call, reached under both, follows the first SLA of the map; the demo,
    reached only from Events, follows the second. The hours add up for Sales, as in the
    simulation's Teams table."""
    from models.analysis.capacity import cadence_loads
    from models.analysis.context import Context
    from models.simulation import expected_flow

    doc = _two_cadences()
    leads, hours, parts = cadence_loads(Context(doc))["sales"]
    assert [(sla.id, steps) for sla, steps in parts] == [("s1", ["call"]), ("s2", ["demo"])]
    assert hours == pytest.approx(expected_flow(doc).teams["sales"].attempt_hours, rel=1e-9)
    scored = 400 * 0.4 / (1 - 0.6 * 0.3)  # what marketing qualifies, the nurture loop included
    assert leads == pytest.approx(scored + 50 + 50)  # the call gets 50 from events, the demo 50
    assert hours == pytest.approx((scored + 50) * 5 * 40 / 60 + 50 * 3 * 20 / 60)


def test_two_cadences_over_one_teams_hours_are_one_finding_naming_both():
    doc = _two_cadences()
    found = [f for f in analyze(doc) if f.code == "sla-cadence-over-hours"]
    assert [(f.nodes, f.items) for f in found] == [
        (("call", "demo"), (("slas", "s1"), ("slas", "s2"), ("teams", "sales")))
    ]
    assert found[0].message == (
        "The follow-up cadences of 'MQL hand-off', 'Event leads' ask Sales for their attempts on "
        "about 295 leads per month: about 867 hours, but 3 people have about 521 working hours."
    )
    assert found[0].hint.startswith("Plan for 5 people in Sales, fewer or shorter attempts")
    doc.teams[1].headcount = 5  # 869 hours
    assert "sla-cadence-over-hours" not in codes(doc)


def test_a_cadence_on_a_team_with_no_people_is_told_once():
    doc = base()
    _cadence(doc, 40.0)
    doc.teams[1].headcount = 0
    assert "team-without-people" in codes(doc)
    assert "sla-cadence-over-hours" not in codes(doc)


def _two_cadences() -> JourneyMap:
    doc = base()
    _cadence(doc, 40.0)
    doc.teams.append(Team(id="ev", name="Events", headcount=1))
    doc.nodes += [
        Node(id="show", process="f", kind="entry", volume=100, label="Show", stage="lead"),
        Node(
            id="scan",
            process="f",
            label="Scan badges",
            owner="ev",
            stage="mql",
            criteria="bant",
            call_to_action="Meet us",
            motivations=["m"],
            concerns=["c"],
            technology=["App"],
        ),
        Node(
            id="demo",
            process="f",
            label="Demo",
            owner="sales",
            stage="sql",
            call_to_action="Sign",
            motivations=["m"],
            concerns=["c"],
            technology=["CRM"],
        ),
    ]
    doc.edges += [
        Edge(id="s-1", source="show", target="scan", conversion=1.0),
        Edge(id="s-2", source="scan", target="call", conversion=0.5),
        Edge(id="s-3", source="scan", target="demo", conversion=0.5),
        Edge(id="s-4", source="demo", target="won", conversion=0.3),
        Edge(id="s-5", source="demo", target="lost", conversion=0.7),
    ]
    doc.slas.append(
        SLA(
            id="s2",
            name="Event leads",
            from_team="ev",
            to_team="sales",
            leads_per_rep=200,
            attempts=3,
            attempt_window_days=7,
            attempt_minutes=20,
        )
    )
    return doc


def test_a_scenario_may_name_a_question_by_its_id_when_one_criteria_set_asks_it():
    """As the simulation reads it: 'budget' alone is BANT's; once MEDDIC asks 'budget' too, it
    could be either."""
    doc = base()
    doc.scenarios.append(Scenario(id="x", name="Richer lists", question_share={"budget": 0.6}))
    assert "scenario-unknown-target" not in codes(doc)
    meddic = _meddic()
    meddic.questions.append(Question(id="budget", text="Budget?", points=10))
    doc.criteria.append(meddic)
    doc.node("call").criteria = "meddic"
    found = [f for f in analyze(doc) if f.code == "scenario-unknown-target"]
    assert [f.message for f in found] == [
        "The scenario 'Richer lists' changes the share of question 'budget', which more than one "
        "criteria set asks, so it cannot be simulated."
    ]
    doc.scenarios[0].question_share = {"bant.budget": 0.6}
    assert "scenario-unknown-target" not in codes(doc)


def test_a_pass_rate_is_computed_once_across_edits_that_leave_the_criteria_alone(monkeypatch):
    """The analysis runs on every edit; criteria with many questions take long to compute."""
    from models.analysis import context

    calls = []
    monkeypatch.setattr(context, "pass_rate", lambda c: calls.append(c.id) or 0.25)
    monkeypatch.setattr(context, "_PASS_RATES", {})
    doc = base()
    doc.node("q").criteria = "bant"
    for question in doc.criteria[0].questions:
        question.share = 0.5
    doc.edge("e3").conversion = None
    analyze(doc)
    doc.node("call").label = "Call them"  # an edit elsewhere
    analyze(doc)
    assert calls == ["bant"]
    doc.criteria[0].questions[0].share = 0.6  # an edit of the criteria
    analyze(doc)
    assert calls == ["bant", "bant"]


def test_an_analysis_leaves_no_reference_cycles_behind():
    """It runs with the cycle collector paused (models.gcpause): what it builds must go with
    reference counting alone, criteria rates and committee gates included."""
    import gc

    doc = _two_cadences()
    doc.node("q").criteria = "bant"
    for question in doc.criteria[0].questions:
        question.share = 0.5
    doc.edge("e3").conversion = None
    _gate(doc, "call")
    for twice in (doc, load_template("enterprise")):
        analyze(twice)
        gc.collect()
        gc.disable()
        try:
            analyze(twice)
            assert gc.collect() == 0
        finally:
            gc.enable()


def _meddic() -> Criteria:
    return Criteria(
        id="meddic",
        name="MEDDIC",
        questions=[Question(id="metrics", text="Metrics agreed?", points=1)],
        threshold_answers=1,
    )


def _role(doc, node_id, role):
    doc.node(node_id).role = role


def _second_won(doc, value):
    """A second won outcome of the funnel ('Upsell'), reached from the call at 0 %."""
    doc.nodes.append(Node(id="won2", process="f", kind="won", label="Upsell", deal_value=value))
    doc.edges.append(Edge(id="e8", source="call", target="won2", conversion=0.0))


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
    assert "None" not in finding.message + finding.hint, "a missing value named as 'None'"
    assert finding.nodes or finding.items or finding.process, "located on the map"
    assert set(finding.nodes) <= {n.id for n in broken.nodes}
    assert set(finding.edges) <= {e.id for e in broken.edges}
    for collection, item_id in finding.items:
        assert item_id in {item.id for item in getattr(broken, collection)}


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
    doc.stages[1].owner = None  # an MQL nobody owns
    doc.slas[0].from_team = "growth"  # an SLA from a team that does not exist
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
    about = {
        (f["code"], tuple((i["collection"], i["id"]) for i in f["items"])) for f in data["findings"]
    }
    assert ("stage-without-owner", (("stages", "mql"),)) in about
    assert ("broken-sla", (("slas", "s1"),)) in about
    for finding in data["findings"]:
        assert set(finding) == {
            "code",
            "severity",
            "message",
            "process",
            "nodes",
            "edges",
            "hint",
            "items",
        }
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


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_an_example_with_the_problem_and_its_fix(code):
    """What `analyze --explain CODE` shows: a small map that has it, and the map fixed."""
    broken, fixed = EXAMPLES[code].maps()
    assert code in codes(broken)
    assert code not in codes(fixed)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", "analyze", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_explain_says_why_a_code_matters_with_an_example_and_its_fix():
    result = _cli("--explain", "team-over-capacity")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("team-over-capacity (warning)\n")
    assert "go cold at its steps" in out  # why it matters, from the catalogue
    assert '"teams": [' in out and '"capacity": 15.0' in out  # the example map, as in a file
    assert "analyze says:\n  team-over-capacity: Sales has about 40 leads per month" in out
    assert "Fixed (what changes):\n  change the team 'sales'" in out and '"headcount": 3' in out


def test_explain_an_unknown_code_is_one_sentence_and_exit_2():
    result = _cli("--explain", "dead-ends")
    assert result.returncode == 2 and result.stdout == ""
    assert (
        result.stderr
        == "journeymap: there is no finding code 'dead-ends'; did you mean dead-end?\n"
    )
    assert _cli("--explain", "zzz").stderr.count("\n") == 1


def test_analyze_without_a_file_or_a_code_exits_2():
    result = _cli()
    assert result.returncode == 2 and "give the map to analyze" in result.stderr


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


EXPECTED_TEMPLATE_FINDINGS = {  # written down in docs/templates.md
    "enterprise": {
        "dead-end",
        "orphan-activity",
        "unaddressed-step",
        "no-customer-view",
        "no-technology",
        "stage-backwards",  # the 'Score 60 or more?' decision (MQL) sends its 'no' back to nurture
        "team-over-capacity",  # SDRs at 164 %, account executives at 142 % (as simulate says)
    },
    "plugged-funnel": {
        "dead-end",
        "role-without-process",
        "stage-backwards",  # the qualification model's 'no' goes back to nurture as plain flow
    },
    "saas-trial": {"no-call-to-action"},
    "channel": {
        "handoff-without-criteria",
        "handoff-without-sla",
        "role-without-process",
        "buyer-step-wrong-role",  # the salespeople's and engineers' steps in the owner's process
        "team-over-capacity",  # the channel managers at 133 %
    },
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
    doc.node("call").call_to_action = ""
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


# --- every finding names only what the map has --------------------------------------------------

TEAMS, STAGES, ROLES = ["t1", "t2", "t3"], ["lead", "mql", "sql"], ["r1", "r2"]
GHOST = "ghost"  # an id no item of the map has


@st.composite
def messy_maps(draw):
    """Maps with every kind of item, many half-filled and referring to things that do not exist."""
    maybe = lambda ids: st.sampled_from([None, GHOST, *ids])  # noqa: E731
    teams = [
        Team(
            id=t,
            name=t.upper(),
            headcount=draw(st.integers(0, 3)),
            capacity=draw(st.sampled_from([None, 0.0, 5.0, 50.0])),
        )
        for t in draw(st.lists(st.sampled_from(TEAMS), unique=True))
    ]
    stages = [
        Stage(
            id=s,
            name=s.upper(),
            owner=draw(maybe([t.id for t in teams])),
            definition=draw(st.sampled_from(["", "defined"])),
        )
        for s in draw(st.lists(st.sampled_from(STAGES), unique=True))
    ]
    roles = [BuyerRole(id=r, name=r) for r in draw(st.lists(st.sampled_from(ROLES), unique=True))]
    criteria = [
        Criteria(
            id=c,
            name=c,
            questions=[
                Question(
                    id=f"q{k}",
                    text="?",
                    points=draw(st.sampled_from([-5.0, 10.0, 30.0])),
                    share=draw(st.sampled_from([None, 0.0, 0.5, 1.0])),
                )
                for k in range(draw(st.integers(0, 3)))
            ],
            threshold_score=draw(st.sampled_from([None, 0.0, 40.0, 200.0])),
            threshold_answers=draw(st.sampled_from([None, 1, 5])),
        )
        for c in draw(st.lists(st.sampled_from(["c1", "c2"]), unique=True))
    ]
    processes = [
        Process(
            id=f"p{k}",
            name=f"P{k}",
            kind=draw(st.sampled_from(["funnel", "buyer", "subprocess"])),
            role=draw(maybe([r.id for r in roles])),
        )
        for k in range(draw(st.integers(1, 3)))
    ]
    n = draw(st.integers(2, 12))
    nodes = []
    for i in range(n):
        kind = draw(st.sampled_from(["entry", "buyer_step", "action", "decision", "won", "lost"]))
        nodes.append(
            Node(
                id=f"n{i}",
                process=draw(st.sampled_from([p.id for p in processes])),
                kind=kind,
                label=draw(st.sampled_from(["", f"Step {i}"])),
                owner=draw(maybe([t.id for t in teams])),
                role=draw(maybe([r.id for r in roles])),
                stage=draw(maybe([s.id for s in stages])),
                criteria=draw(maybe([c.id for c in criteria])),
                volume=draw(st.sampled_from([None, 0.0, 100.0])),
                deal_value=draw(st.sampled_from([None, 1000.0])),
                gate=draw(
                    st.lists(
                        st.builds(
                            Clearance,
                            role=st.sampled_from([GHOST, *ROLES]),
                            step=st.sampled_from([GHOST, *(f"n{k}" for k in range(n))]),
                        ),
                        max_size=1,
                    )
                ),
            )
        )
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n))
    edges, seen = [], set()
    for a, b in pairs:
        kind = draw(st.sampled_from(["flow", "flow", "recycle", "addresses"]))
        if a == b or (a, b, kind) in seen:
            continue
        seen.add((a, b, kind))
        edges.append(
            Edge(
                id=f"e{len(edges)}",
                source=f"n{a}",
                target=f"n{b}",
                kind=kind,
                conversion=draw(st.sampled_from([None, 0.0, 0.3, 0.6, 1.0])),
            )
        )
    slas = [
        SLA(
            id=f"s{k}",
            name=f"SLA {k}",
            from_team=draw(st.sampled_from([GHOST, *TEAMS])),
            to_team=draw(st.sampled_from([GHOST, *TEAMS])),
            stage=draw(maybe(STAGES)),
            criteria=draw(maybe(["c1", "c2"])),
            leads_per_rep=draw(st.sampled_from([None, 10.0])),
            attempts=draw(st.sampled_from([None, 0, 5])),
            attempt_window_days=draw(st.sampled_from([None, 14.0])),
            attempt_minutes=draw(st.sampled_from([None, 30.0, 6000.0])),
        )
        for k in range(draw(st.integers(0, 3)))
    ]
    targets = [GHOST, "n0", "e0", *TEAMS]
    scenarios = [
        Scenario(
            id=f"x{k}",
            name=f"X{k}",
            headcount={draw(st.sampled_from(targets)): 2},
            conversion={draw(st.sampled_from(targets)): 0.5},
            entry_volume={draw(st.sampled_from(targets)): 10.0},
            threshold_score={draw(st.sampled_from([GHOST, "c1", "c2"])): 10.0},
            question_share={
                draw(st.sampled_from(["c1.q0", "c2.q1", "ghost.q0", "c1.zz", "q0", "q2"])): 0.5
            },
        )
        for k in range(draw(st.integers(0, 2)))
    ]
    return JourneyMap(
        teams=teams,
        stages=stages,
        roles=roles,
        criteria=criteria,
        processes=processes,
        nodes=nodes,
        edges=edges,
        slas=slas,
        scenarios=scenarios,
    )


@settings(max_examples=300, deadline=None)
@given(messy_maps())
def test_no_finding_names_an_id_that_does_not_exist(doc):
    ids = {name: {item.id for item in getattr(doc, name)} for name in COLLECTIONS}
    for finding in analyze(doc):
        assert finding.process is None or finding.process in ids["processes"], finding
        assert set(finding.nodes) <= ids["nodes"], finding
        assert set(finding.edges) <= ids["edges"], finding
        for collection, item_id in finding.items:
            assert item_id in ids[collection], finding
        assert finding.code in CATALOGUE and finding.message.endswith("."), finding


@settings(max_examples=200, deadline=None)
@given(messy_maps())
def test_scenarios_found_unknown_are_exactly_those_the_simulation_refuses(doc):
    from models.simulation import SimulationError
    from models.simulation.prepare import apply_scenario

    named = {f.items[0][1] for f in analyze(doc) if f.code == "scenario-unknown-target"}
    for scenario in doc.scenarios:
        try:
            apply_scenario(doc, scenario)
            refused = False
        except SimulationError:
            refused = True
        assert refused == (scenario.id in named), scenario


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([-20.0, -5.0, 0.0, 10.0, 30.0]), max_size=5),
    st.sampled_from([None, 0.0, 10.0, 25.0, 40.0, 60.0, 75.0]),
    st.sampled_from([None, 0, 1, 2, 3, 4, 6]),
)
def test_a_threshold_is_unreachable_exactly_when_no_answers_pass(points, score, answers):
    """With every question answered positively by half the leads, every set of answers happens:
    the criteria pass nobody (pass rate 0, as the simulation computes it) exactly when the
    analysis says the threshold is out of reach."""
    from models.qualification import pass_rate

    doc = base()
    bant = doc.criteria[0]
    bant.questions = [
        Question(id=f"q{k}", text="?", points=p, share=0.5) for k, p in enumerate(points)
    ]
    bant.threshold_score, bant.threshold_answers = score, answers
    rate = pass_rate(bant)
    unreachable = "criteria-threshold-unreachable" in codes(doc)
    if rate is None:  # no questions or no threshold: incomplete, not unreachable
        assert not unreachable
    else:
        assert unreachable == (rate == 0.0), (rate, points, score, answers)


@settings(max_examples=200, deadline=None)
@given(messy_maps())
def test_the_rates_criteria_give_are_the_simulations(doc):
    from models.analysis.context import Context
    from models.qualification import criteria_rates

    assert Context(doc).rated == criteria_rates(doc)


@settings(max_examples=200, deadline=None)
@given(messy_maps())
def test_stage_order_findings_match_a_plain_walk(doc):
    """Each staged step's next staged steps (through steps with no stage, along flow
    connections), compared with the glossary's order: exactly the pairs reported."""
    rank = {s.id: i for i, s in enumerate(doc.stages)}
    kinds = {n.id: n for n in doc.nodes}
    staged = {n.id for n in doc.nodes if n.kind != "lost" and n.stage in rank}
    through = {n.id for n in doc.nodes if n.id not in staged and n.kind not in ("won", "lost")}
    flows: dict[str, list[str]] = {}
    for e in doc.edges:
        if e.kind == "flow":
            flows.setdefault(e.source, []).append(e.target)
    skipped, backwards = set(), set()
    for start in staged:
        seen, stack, firsts = {start}, [start], set()
        while stack:
            for target in flows.get(stack.pop(), []):
                if target in seen:
                    continue
                seen.add(target)
                if target in staged:
                    firsts.add(target)
                elif target in through:
                    stack.append(target)
        used = {rank[kinds[n].stage] for n in staged if kinds[n].process == kinds[start].process}
        here = rank[kinds[start].stage]
        for target in firsts:
            there = rank[kinds[target].stage]
            if there < here:
                backwards.add((start, target))
            elif any(k in used for k in range(here + 1, there)):
                skipped.add((start, target))
    found = analyze(doc)
    assert {f.nodes for f in found if f.code == "stage-skipped"} == skipped
    assert {f.nodes for f in found if f.code == "stage-backwards"} == backwards


def test_a_staged_step_flowing_back_to_itself_does_not_stop_the_stage_walk():
    """A flow from a staged step to itself beside a way on through a decision: the walk through
    steps with no stage still ends (it looped for ever, the editor's analysis with it) and finds
    the stage the way skips."""
    stages = [Stage(id=s, name=s.upper()) for s in ("lead", "mql", "sql")]
    doc = JourneyMap(
        processes=[Process(id="p", name="P")],
        stages=stages,
        nodes=[
            Node(id="a", process="p", kind="action", stage="lead"),
            Node(id="d", process="p", kind="decision"),
            Node(id="m", process="p", kind="action", stage="mql"),
            Node(id="c", process="p", kind="action", stage="sql"),
        ],
        edges=[
            Edge(id="self", source="a", target="a", conversion=0.1),
            Edge(id="e1", source="a", target="d", conversion=0.5),
            Edge(id="e2", source="d", target="c", conversion=0.5),
        ],
    )
    skipped = [f for f in analyze(doc) if f.code.startswith("stage-")]
    assert [(f.code, f.nodes, f.edges) for f in skipped if f.nodes] == [
        ("stage-skipped", ("a", "c"), ("e1", "e2"))
    ]


def test_the_analysis_and_the_simulations_step_kinds_load_no_networkx():
    """The editor imports models.graph (for its PASS kind, through the simulation) and runs the
    analysis on every edit: neither needs networkx (a third of a second to import), which only
    process_graph's callers load."""
    probe = (
        "import sys\n"
        "import models.graph\n"
        "from models.analysis import analyze\n"
        "from models.templates import load_template\n"
        "found = analyze(load_template('enterprise'))\n"
        "print(bool(found), 'networkx' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "True False", result.stdout + result.stderr
