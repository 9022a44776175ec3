"""Expected arrivals (entry volumes pushed along conversions) and the SLA capacity check built on them."""

from __future__ import annotations

import pytest

from models import SLA, BuyerRole, Clearance, Edge, JourneyMap, Node, Process, Team
from models.analysis import analyze
from models.analysis.capacity import expected_arrivals, team_loads
from models.analysis.context import Context
from models.simulation import expected_flow
from models.templates import load_template, template_names


def funnel(headcount: int, leads_per_rep: float, recycle: float = 0.0) -> JourneyMap:
    """1,000 leads -> marketing scores -> 30% to sales; optionally sales recycles some back to scoring."""
    edges = [
        Edge(id="e1", source="src", target="score", conversion=1.0),
        Edge(id="e2", source="score", target="call", conversion=0.3),
        Edge(id="e3", source="score", target="lost", conversion=0.7),
        Edge(id="e4", source="call", target="won", conversion=0.2),
    ]
    if recycle:
        edges.append(
            Edge(id="r", source="call", target="score", kind="recycle", conversion=recycle)
        )
    return JourneyMap(
        name="Capacity",
        teams=[
            Team(id="mkt", name="Marketing"),
            Team(id="sales", name="Sales", headcount=headcount),
        ],
        slas=[
            SLA(
                id="s",
                name="MQLs to sales",
                from_team="mkt",
                to_team="sales",
                leads_per_rep=leads_per_rep,
            )
        ],
        processes=[Process(id="f", name="Funnel", kind="funnel")],
        nodes=[
            Node(id="src", process="f", kind="entry", label="Web", volume=1000),
            Node(id="score", process="f", kind="action", label="Score", owner="mkt"),
            Node(id="call", process="f", kind="action", label="Call", owner="sales"),
            Node(id="won", process="f", kind="won", label="Won"),
            Node(id="lost", process="f", kind="lost", label="Lost"),
        ],
        edges=edges,
    )


def test_arrivals_follow_the_conversions():
    arrivals = expected_arrivals(Context(funnel(1, 300)))
    assert arrivals["score"] == pytest.approx(1000)
    assert arrivals["call"] == pytest.approx(300)
    assert arrivals["won"] == pytest.approx(60)


def test_recycled_leads_come_round_again_as_a_geometric_series():
    # score = 1000 + 0.5 * call, call = 0.3 * score  ->  score = 1000 / 0.85
    arrivals = expected_arrivals(Context(funnel(1, 300, recycle=0.5)))
    assert arrivals["score"] == pytest.approx(1000 / 0.85)
    assert arrivals["call"] == pytest.approx(300 / 0.85)


@pytest.mark.parametrize(
    "headcount,per_rep,over", [(1, 300, False), (1, 299, True), (2, 150, False)]
)
def test_sla_over_capacity_compares_delivered_volume_with_headcount_times_leads_per_rep(
    headcount, per_rep, over
):
    found = [f for f in analyze(funnel(headcount, per_rep)) if f.code == "sla-over-capacity"]
    assert bool(found) == over
    if over:
        assert found[0].nodes == ("call",) and "300" in found[0].message


def test_the_enterprise_sdr_overload_is_reported_as_simulate_reports_it():
    """simulate says 'SDR / inside sales is at 164% of capacity: 984 leads per month for 600';
    analyze says the same, on the team, naming the busiest step."""
    found = [f for f in analyze(load_template("enterprise")) if f.code == "team-over-capacity"]
    sdr = next(f for f in found if f.items == (("teams", "sdr"),))
    assert "984" in sdr.message and "600" in sdr.message and "164%" in sdr.message
    assert sdr.nodes == ("sdr-review",) and sdr.process == "funnel"


@pytest.mark.parametrize("name", template_names())
def test_team_loads_equal_the_simulated_loads_of_the_default_process(name):
    """The analysis pushes volumes as the expected simulation does: sub-processes expanded,
    committee gates letting through the share every role clears, outcomes absorbing."""
    doc = load_template(name)
    loads = team_loads(Context(doc))
    flow = expected_flow(doc)
    for team_id, simulated in flow.teams.items():
        assert loads.get(team_id, (0.0, None))[0] == pytest.approx(simulated.load, abs=1e-6)


def test_a_gate_lets_through_the_share_its_role_clears():
    """A funnel step whose gate the champion clears half the time receives half the leads."""
    doc = funnel(1, 1000)
    doc.roles = [BuyerRole(id="champ", name="Champion")]
    doc.processes.append(Process(id="b", name="Champion buys", kind="buyer", role="champ"))
    doc.nodes += [
        Node(id="b-in", process="b", kind="entry", label="Need", volume=10),
        Node(id="b-yes", process="b", kind="won", label="Yes"),
        Node(id="b-no", process="b", kind="lost", label="No"),
    ]
    doc.edges += [
        Edge(id="b1", source="b-in", target="b-yes", conversion=0.5),
        Edge(id="b2", source="b-in", target="b-no", conversion=0.5),
    ]
    doc.node("call").gate = [Clearance(role="champ", step="b-yes")]
    assert expected_arrivals(Context(doc))["call"] == pytest.approx(150)
    assert team_loads(Context(doc))["sales"][0] == pytest.approx(150)
    assert expected_flow(doc, "f").teams["sales"].load == pytest.approx(150)


def test_a_subprocess_step_sends_its_leads_through_the_process_it_opens():
    doc = funnel(1, 1000)
    doc.processes.append(Process(id="t", name="Trial", kind="subprocess"))
    doc.nodes += [
        Node(id="t-in", process="t", kind="entry", label="Starts"),
        Node(id="t-setup", process="t", kind="action", label="Set up", owner="sales"),
        Node(id="t-ok", process="t", kind="won", label="Works"),
        Node(id="trial", process="f", kind="subprocess", label="Trial", subprocess="t"),
    ]
    doc.edges = [e for e in doc.edges if e.id != "e4"] + [
        Edge(id="t1", source="t-in", target="t-setup", conversion=1.0),
        Edge(id="t2", source="t-setup", target="t-ok", conversion=0.5),
        Edge(id="e5", source="call", target="trial", conversion=0.2),
        Edge(id="e6", source="trial", target="won", conversion=1.0),
    ]
    arrivals = expected_arrivals(Context(doc))
    assert arrivals["t-setup"] == pytest.approx(60)  # 300 calls, 20 % start the trial
    assert arrivals["won"] == pytest.approx(30)
    assert team_loads(Context(doc))["sales"][0] == pytest.approx(360)
    assert expected_flow(doc, "f").teams["sales"].load == pytest.approx(360)
