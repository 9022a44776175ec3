"""Follow-up cadence simulated (seeds 000, 001): an SLA's attempts are work for the receiving
team, and a lead given fewer attempts than the SLA converts at a lower, documented rate."""

from __future__ import annotations

import math

import pytest

from models.document import SLA, Edge, JourneyMap, Node, Process, Team
from models.simulation import expected_flow, goal_seek, monte_carlo
from models.simulation.network import working_hours


def cadence_map(reach=0.3, late=None, heads=1, minutes=30.0, attempts=6) -> JourneyMap:
    """1,000 MQLs a month handed from Marketing to one SDR owing 6 attempts of 30 minutes each."""
    return JourneyMap(
        teams=[Team(id="mkt", name="Marketing"), Team(id="sdr", name="SDR", headcount=heads)],
        slas=[
            SLA(
                id="s",
                name="6 attempts in 14 days",
                from_team="mkt",
                to_team="sdr",
                attempts=attempts,
                attempt_window_days=14,
                attempt_minutes=minutes,
                reach_per_attempt=reach,
                late_conversion_factor=late,
            )
        ],
        processes=[Process(id="f", name="F")],
        nodes=[
            Node(id="in", process="f", kind="entry", volume=1000),
            Node(id="score", process="f", owner="mkt"),
            Node(id="call", process="f", owner="sdr", label="Call"),
            Node(id="won", process="f", kind="won", deal_value=1.0),
        ],
        edges=[
            Edge(id="e1", source="in", target="score", conversion=1.0),
            Edge(id="e2", source="score", target="call", conversion=1.0),
            Edge(id="e3", source="call", target="won", conversion=0.5),
        ],
    )


def test_hours_needed_against_hours_the_team_has():
    """With N leads and X working hours a month, how many attempts can a rep make?"""
    flow = expected_flow(cadence_map())
    sdr = flow.teams["sdr"]
    assert sdr.attempt_hours == pytest.approx(1000 * 6 * 30 / 60)  # 3,000 hours asked
    assert sdr.hours == pytest.approx(working_hours(30.4))  # one person: about 174
    assert flow.won == pytest.approx(500)  # the flow without limits keeps every attempt
    assert "3,000 hours" in flow.bottleneck.message and "SDR" in flow.bottleneck.message


def test_fewer_attempts_convert_at_the_reach_rate():
    """Each lead gets g = 174 / 3,000 of its 6 attempts; with a 30 % chance that an attempt
    reaches the lead, it converts at (1 - 0.7^(6 g)) / (1 - 0.7^6) of its rates."""
    g = working_hours(30.4) / 3000
    factor = (1 - 0.7 ** (6 * g)) / (1 - 0.7**6)
    limited = expected_flow(cadence_map(), capacity_limited=True)
    assert limited.won == pytest.approx(500 * factor, rel=1e-9)


def test_without_a_reach_rate_the_late_factor_applies():
    """A share g of the leads gets every attempt; the others convert at the late factor."""
    g = working_hours(30.4) / 3000
    limited = expected_flow(cadence_map(reach=None, late=0.4), capacity_limited=True)
    assert limited.won == pytest.approx(500 * (g + (1 - g) * 0.4), rel=1e-9)


def test_enough_people_keep_the_full_cadence():
    assert expected_flow(cadence_map(heads=20), capacity_limited=True).won == pytest.approx(500)


@pytest.mark.parametrize("kwargs", [{}, {"reach": None, "late": 0.4}, {"heads": 12}])
def test_the_runs_give_the_cadence_what_the_expected_flow_gives(kwargs):
    doc = cadence_map(**kwargs)
    limited = expected_flow(doc, capacity_limited=True).won
    runs = monte_carlo(doc, runs=100, periods=3, seed=1)
    horizon = runs.days / 30.4
    assert abs(runs.won.mean - limited * horizon) <= 3 * runs.won.se + 0.02 * limited * horizon


def test_changing_the_cadence_changes_the_results():
    base = expected_flow(cadence_map(), capacity_limited=True).won
    assert expected_flow(cadence_map(minutes=15), capacity_limited=True).won > base
    assert expected_flow(cadence_map(attempts=3), capacity_limited=True).won > base
    runs = monte_carlo(cadence_map(minutes=15), runs=60, periods=2, seed=3)
    slow = monte_carlo(cadence_map(), runs=60, periods=2, seed=3)
    assert runs.won.mean > slow.won.mean


def test_goal_seek_counts_the_people_the_cadence_needs():
    """Twice the revenue: 6,000 hours of follow-up a month at about 174 per person."""
    goal = goal_seek(cadence_map(), 1000)
    sdr = next(t for t in goal.teams if t.id == "sdr")
    assert sdr.attempt_hours_needed == pytest.approx(6000)
    assert sdr.headcount_needed == math.ceil(6000 / working_hours(30.4))
    assert "hours of follow-up" in sdr.reason
