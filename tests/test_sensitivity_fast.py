"""Sensitivity from one factorisation (models.simulation.rankone) equals re-solving each changed
map in full: every lever's deals and revenue to 1e-9 relative, on the templates and their
scenarios and on generated maps with loops, teams at capacity, follow-up cadences and criteria."""

from __future__ import annotations

import numpy as np
import pytest
from test_simulation_criteria import qualified_funnel

import models.simulation.rankone as rankone
from models.document import SLA
from models.generate import generate_funnel
from models.simulation.expected import prepare
from models.simulation.rankone import Levers, full_totals
from models.simulation.sensitivity import sensitivity
from models.templates import load_template, template_names

RELATIVE = 1e-9


def assert_same_as_in_full(doc, scenario=None) -> int:
    """Every lever of the fast evaluation against a full re-solve; returns the levers' count."""
    net = prepare(doc, None, scenario).net
    capacities = np.array([r.capacity for r in net.resources], dtype=float)
    base_won, base_revenue = full_totals(net, net.conv, net.volume, capacities)
    fast = sensitivity(doc, scenario=scenario)
    full = {
        (v.kind, v.target, v.after): v for v in sensitivity(doc, scenario=scenario, in_full=True)
    }
    assert len(fast) == len(full)
    for lever in fast:
        truth = full[(lever.kind, lever.target, lever.after)]
        assert (lever.what, lever.before) == (truth.what, truth.before)
        for got, want, base in (
            (lever.won_delta, truth.won_delta, base_won),
            (lever.revenue_delta, truth.revenue_delta, base_revenue),
        ):
            figure = abs(base + want)  # the changed map's deals (or revenue) per period
            assert abs(got - want) <= RELATIVE * max(figure, abs(base)), (lever.what, got, want)
    return len(fast)


@pytest.mark.parametrize("name", template_names())
def test_templates_and_their_scenarios(name):
    doc = load_template(name)
    for scenario in [None, *(s.id for s in doc.scenarios)]:
        assert assert_same_as_in_full(doc, scenario) > 0


def generated(seed: int, recycle: float, capacity: float, cadence: bool):
    doc = generate_funnel(
        60 + 10 * seed, 120 + 20 * seed, seed=seed, recycle_share=recycle, thin_spine=True
    )
    for team in doc.teams:
        team.capacity = (team.capacity or 0.0) * capacity
    if cadence:
        doc.slas = [
            SLA(
                id="mql",
                name="MQLs called 5 times in 14 days",
                from_team="marketing",
                to_team="sdr",
                attempts=5,
                attempt_window_days=14,
                attempt_minutes=20,
                reach_per_attempt=0.3,
            ),
            SLA(
                id="sql",
                name="SQLs met 3 times",
                from_team="sdr",
                to_team="sales",
                attempts=3,
                attempt_window_days=10,
                attempt_minutes=45,
                late_conversion_factor=0.5,
            ),
        ]
    return doc


CASES = [
    (seed, recycle, capacity, cadence)
    for seed, (recycle, capacity, cadence) in enumerate(
        [
            (0.0, 0.1, False),  # teams over capacity
            (0.0, 1000.0, False),  # no limit binds: Sherman-Morrison alone
            (0.4, 1000.0, False),  # loops: a lead leaving a step may come back
            (0.2, 0.05, False),  # loops and two teams at capacity
            (0.3, 0.3, False),
            (0.0, 1000.0, True),  # follow-up cadences short of hours
            (0.1, 0.2, True),  # everything at once
        ]
    )
]


@pytest.mark.parametrize(("seed", "recycle", "capacity", "cadence"), CASES)
def test_generated_maps(seed, recycle, capacity, cadence):
    doc = generated(seed, recycle, capacity, cadence)
    assert assert_same_as_in_full(doc) > 50


def test_criteria_levers():
    assert assert_same_as_in_full(qualified_funnel()) >= 5


def test_the_fast_path_is_taken(monkeypatch):
    """Few levers fall back to a full solve (a limit that a lever makes bind, say), so the
    figures above test the fast evaluation, not the fallback."""
    calls = []
    real = rankone.evaluate_in_full
    monkeypatch.setattr(rankone, "evaluate_in_full", lambda *a: calls.append(1) or real(*a))
    for case in CASES:
        doc = generated(*case)
        levers = sensitivity(doc)
        assert len(calls) <= 0.1 * len(levers), case
        calls.clear()
    net = prepare(generated(*CASES[3])).net
    assert Levers(net).unknowns, "a case with limits binding"
    assert Levers(net).looped.any(), "and loops"
