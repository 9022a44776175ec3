"""Monte Carlo over days: agreement with the exact flow, reproducibility, capacity, SLA, cancel."""

from __future__ import annotations

import math

import numpy as np
import pytest

from models.document import SLA, Edge, JourneyMap, Node, Process, Team
from models.generate import generate_funnel
from models.simulation import (
    SimulationCancelled,
    SimulationError,
    expected_flow,
    monte_carlo,
)
from models.simulation.mc_plan import conditional
from models.templates import load_template


def uncapacitated(doc: JourneyMap) -> JourneyMap:
    doc.teams = [t.model_copy(update={"capacity": None}) for t in doc.teams]
    return doc


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_mean_agrees_with_the_exact_flow_within_three_standard_errors(seed):
    """Generated funnels with recycle loops, delays and durations; capacity unconstrained."""
    doc = uncapacitated(generate_funnel(30, 70, seed=seed, recycle_share=0.3))
    assert any(e.kind == "recycle" for e in doc.edges)
    exact = expected_flow(doc)
    mc = monte_carlo(doc, periods=2, runs=150, seed=seed)
    horizon = mc.days / 30.4  # periods, as the simulation rounds them to whole days
    for summary, value in ((mc.won, exact.won), (mc.revenue, exact.revenue)):
        assert abs(summary.mean - value * horizon) <= 3 * summary.se + 1e-9, (
            summary,
            value * horizon,
        )
    # from the first period on: runs start in the steady state, not empty
    first = mc.per_period[0]
    assert abs(first.won.mean - exact.won * first.days / 30.4) <= 4 * first.won.se


def test_plugged_funnel_fix_agrees_with_the_exact_flow():
    doc = load_template("plugged-funnel")
    exact = expected_flow(doc, scenario="fix")
    mc = monte_carlo(doc, scenario="fix", periods=4, runs=200, seed=7)
    assert abs(mc.won.mean - exact.won * mc.days / 91.3) <= 3 * mc.won.se
    assert mc.bottleneck.kind == "loss"
    assert mc.won.p10 <= mc.won.p50 <= mc.won.p90


def test_same_seed_same_numbers_different_seed_different_numbers():
    doc = load_template("enterprise")
    first = monte_carlo(doc, periods=2, runs=30, seed=11).to_dict()
    again = monte_carlo(doc, periods=2, runs=30, seed=11).to_dict()
    other = monte_carlo(doc, periods=2, runs=30, seed=12).to_dict()
    assert first == again
    assert first != other


def test_more_runs_only_add_runs():
    doc = load_template("plugged-funnel")
    short = monte_carlo(doc, periods=1, runs=100, seed=3)
    long = monte_carlo(doc, periods=1, runs=200, seed=3)
    assert short.runs == 100 and long.runs == 200
    assert long.won_runs[:100] == short.won_runs
    assert long.revenue_runs[:100] == short.revenue_runs


def one_step(
    volume: float, capacity: float | None, *, sla_hours: float | None = None, late: float = 0.5
):
    """Marketing's entry hands leads to one sales step (optionally with a capacity and an SLA)."""
    doc = JourneyMap(
        name="Queue",
        period="month",
        teams=[
            Team(id="mkt", name="Marketing"),
            Team(id="sales", name="Sales", headcount=1, capacity=capacity),
        ],
        processes=[Process(id="p", name="P")],
        nodes=[
            Node(id="in", process="p", kind="entry", volume=volume, owner="mkt"),
            Node(id="call", process="p", kind="action", owner="sales", label="Call"),
            Node(id="won", process="p", kind="won", deal_value=100),
        ],
        edges=[
            Edge(id="e1", source="in", target="call", conversion=1.0),
            Edge(id="e2", source="call", target="won", conversion=0.4),
        ],
    )
    if sla_hours is not None:
        doc.slas = [
            SLA(
                id="sla",
                name="Touch in a day",
                from_team="mkt",
                to_team="sales",
                response_hours=sla_hours,
                late_conversion_factor=late,
            )
        ]
    return doc


def test_capacity_builds_a_queue_and_is_the_bottleneck():
    # 10 leads a day arrive, the team works 5 a day: the backlog grows by about 5 a day
    doc = one_step(304.0, 152.0)
    mc = monte_carlo(doc, periods=2, runs=40, seed=1)
    sales = mc.teams["sales"]
    assert sales.utilisation == pytest.approx(1.0, abs=0.02)
    assert sales.load == pytest.approx(2.0, rel=0.05)
    assert sales.backlog_end.p50 == pytest.approx(5 * mc.days, rel=0.1)
    assert list(sales.backlog) == sorted(sales.backlog)
    assert (mc.bottleneck.kind, mc.bottleneck.team, mc.bottleneck.node) == (
        "capacity",
        "sales",
        "call",
    )
    # the team works 5 leads a day at 40%: about 2 deals a day
    assert mc.won.mean / mc.days == pytest.approx(2.0, rel=0.05)


def test_late_touches_convert_worse_under_the_sla():
    ample = monte_carlo(one_step(304.0, 10_000.0, sla_hours=8), periods=1, runs=40, seed=2)
    assert ample.sla_breach_rate == 0.0  # nobody waits when the team has room
    swamped = monte_carlo(one_step(304.0, 152.0, sla_hours=8, late=0.5), periods=2, runs=40, seed=2)
    assert swamped.sla_breach_rate > 0.9
    # almost every lead is worked late: 5 a day at 40% x 0.5
    assert swamped.won.mean / swamped.days == pytest.approx(1.0, rel=0.1)
    assert swamped.sla == {"sla": swamped.sla_breach_rate}


def test_no_sla_means_no_breach_rate():
    assert monte_carlo(one_step(100.0, None), periods=1, runs=5).sla_breach_rate is None


def test_near_trap_loop_is_bounded_in_time():
    doc = JourneyMap(
        processes=[Process(id="p", name="P")],
        nodes=[
            Node(id="in", process="p", kind="entry", volume=100),
            Node(id="a", process="p"),
            Node(id="b", process="p"),
            Node(id="won", process="p", kind="won", deal_value=1),
        ],
        edges=[
            Edge(id="e0", source="in", target="a", conversion=1.0),
            Edge(id="e1", source="a", target="b", conversion=1.0),
            Edge(id="e2", source="b", target="a", conversion=1 - 1e-9),
            Edge(id="e3", source="b", target="won", conversion=1e-9),
        ],
    )
    mc = monte_carlo(doc, periods=1, runs=3, seed=0)
    assert math.isfinite(mc.won.mean)


def test_progress_and_cancel():
    doc = load_template("plugged-funnel")
    seen = []
    monte_carlo(doc, periods=1, runs=250, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(100, 250), (200, 250), (250, 250)]
    calls = []

    def after_first_batch() -> bool:
        calls.append(1)
        return len(calls) > 1

    partial = monte_carlo(doc, periods=1, runs=250, cancel=after_first_batch)
    assert partial.cancelled and partial.runs == 100
    with pytest.raises(SimulationCancelled):
        monte_carlo(doc, periods=1, runs=250, cancel=lambda: True)


@pytest.mark.parametrize(
    ("field", "value"), [("runs", 0), ("periods", 0), ("runs", -3), ("seed", -1), ("periods", 1.5)]
)
def test_bad_parameters_are_refused_in_one_sentence(field, value):
    with pytest.raises(SimulationError, match="must be a whole number"):
        monte_carlo(load_template("plugged-funnel"), **{field: value})


def test_result_dict_has_the_documented_keys():
    data = monte_carlo(load_template("enterprise"), periods=2, runs=20).to_dict()
    for key in ("p10", "p50", "p90", "mean"):
        assert key in data["won"] and key in data["revenue"]
    assert len(data["per_period"]) == 2 and {"won", "revenue"} <= set(data["per_period"][0])
    assert set(data["teams"]) == {"marketing", "sdr", "sales", "customer_success"} & set(
        data["teams"]
    )
    assert {"backlog", "utilisation", "load"} <= set(data["teams"]["sdr"])
    assert len(data["teams"]["sdr"]["backlog"]) == data["days"]
    assert 0 <= data["sla_breach_rate"] <= 1
    assert data["bottleneck"]["kind"] == "capacity" and data["bottleneck"]["team"] == "sdr"


def test_the_binomial_chain_is_a_multinomial():
    rows = np.array([[0.2, 0.3, 0.5], [0.6, 0.0, 0.1]])
    cond = conditional(rows)
    # the product of what is left times each conditional gives back the probabilities
    left = np.cumprod(np.hstack([np.ones((2, 1)), 1 - cond[:, :-1]]), axis=1)
    assert np.allclose(left * cond, rows)
