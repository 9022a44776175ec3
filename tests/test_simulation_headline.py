"""Capacity in the headline: the flow without limits and with the teams' capacity side by side,
the revenue at risk and the limits that cost it, in the results, the CLI and the report."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from exporters.report import generate_html
from models.simulation import expected_flow
from models.storage import save_map
from models.templates import load_template


def test_the_enterprise_headline_says_what_its_teams_can_deliver():
    doc = load_template("enterprise")
    flow = expected_flow(doc)
    limited = expected_flow(doc, capacity_limited=True)
    view = flow.capacity
    assert view is not None
    assert view.won == pytest.approx(limited.won) and view.revenue == pytest.approx(limited.revenue)
    assert view.won < flow.won  # the teams cannot work every lead
    assert view.revenue_at_risk == pytest.approx(flow.revenue - limited.revenue)
    assert sum(limit.revenue for limit in view.limits) == pytest.approx(view.revenue_at_risk)
    assert view.cause is not None and view.cause.revenue == max(x.revenue for x in view.limits)
    for limit in view.limits:  # each figure: what lifting it adds, given those before it
        assert limit.revenue >= 0


def test_a_funnel_within_capacity_has_nothing_at_risk_and_one_without_limits_no_view():
    flow = expected_flow(load_template("plugged-funnel"))
    assert flow.capacity is not None and flow.capacity.revenue_at_risk == pytest.approx(0, abs=1e-6)
    assert flow.capacity.cause is None
    doc = load_template("plugged-funnel")
    for team in doc.teams:
        team.capacity = None
    assert expected_flow(doc).capacity is None


def test_the_command_line_shows_both_columns_and_the_revenue_at_risk(tmp_path, capsys):
    path = tmp_path / "enterprise.json"
    save_map(load_template("enterprise"), path)
    flow = expected_flow(load_template("enterprise"))
    assert main(["simulate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Without limits" in out and "With capacity" in out
    risk = f"Revenue at risk from capacity: USD {flow.capacity.revenue_at_risk:,.0f} per month"
    assert risk in out and flow.capacity.cause.name in out
    assert main(["simulate", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)["expected"]["capacity"]
    assert set(data) == {
        "won",
        "revenue",
        "cost",
        "days_to_close",
        "won_at_risk",
        "revenue_at_risk",
        "cause",
        "limits",
    }
    assert data["revenue_at_risk"] == flow.capacity.revenue_at_risk
    assert data["cause"]["name"] == flow.capacity.cause.name
    assert data["limits"][0].keys() == {"kind", "id", "name", "won_recovered", "revenue_recovered"}


def test_the_report_shows_the_flow_with_capacity():
    page = generate_html(load_template("enterprise"), diagrams=False)
    assert "With the teams&#39; capacity" in page or "With the teams' capacity" in page
    assert "Revenue at risk from capacity" in page
    flow = expected_flow(load_template("enterprise"))
    assert flow.capacity.cause.name in page
