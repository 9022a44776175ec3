"""Expected arrivals (entry volumes pushed along conversions) and the SLA capacity check built on them."""

from __future__ import annotations

import pytest

from models import SLA, Edge, JourneyMap, Node, Process, Team
from models.analysis import analyze
from models.analysis.capacity import expected_arrivals
from models.analysis.context import Context


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
