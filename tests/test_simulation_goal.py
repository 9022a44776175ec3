"""Goal seek (the reverse funnel), sensitivity levers, and calibration from actuals."""

from __future__ import annotations

import math

import pytest

from models.document import SLA, Edge, JourneyMap, Node, Process, Stage, Team
from models.errors import MapFileError
from models.simulation import (
    SimulationError,
    apply_scenario,
    calibrate,
    expected_flow,
    goal_seek,
    read_actuals,
)
from models.simulation.sensitivity import sensitivity
from models.templates import load_template

RATES = {"lead": 0.25, "mql": 0.4, "sql": 0.5, "opportunity": 0.2}  # to the next stage
DEAL = 40_000.0


def linear_funnel(volume: float = 2000.0, sdr_capacity: float | None = None) -> JourneyMap:
    """Leads -> MQL -> SQL -> Opportunity -> Customer, one step per stage, drop-off elsewhere."""
    order = ["lead", "mql", "sql", "opportunity"]
    nodes = [
        Node(id="leads", process="f", kind="entry", stage="lead", volume=volume, cost=10),
        Node(id="mql", process="f", kind="action", stage="mql", owner="marketing"),
        Node(id="sql", process="f", kind="action", stage="sql", owner="sdr"),
        Node(id="opportunity", process="f", kind="action", stage="opportunity", owner="sales"),
        Node(id="won", process="f", kind="won", stage="customer", deal_value=DEAL),
    ]
    targets = ["mql", "sql", "opportunity", "won"]
    sources = ["leads", "mql", "sql", "opportunity"]
    edges = [
        Edge(id=f"e-{t}", source=s, target=t, conversion=RATES[stage])
        for s, t, stage in zip(sources, targets, order, strict=True)
    ]
    return JourneyMap(
        name="Linear",
        period="month",
        teams=[
            Team(id="marketing", name="Marketing"),
            Team(id="sdr", name="SDR", headcount=2, capacity=sdr_capacity),
            Team(id="sales", name="Sales", headcount=3, capacity=40),
        ],
        stages=[Stage(id=s, name=s.upper()) for s in [*order, "customer"]],
        processes=[Process(id="f", name="Funnel")],
        nodes=nodes,
        edges=edges,
        slas=[
            SLA(
                id="mql-volume",
                name="300 MQLs per SDR",
                from_team="marketing",
                to_team="sdr",
                stage="mql",
                leads_per_rep=300,
            )
        ],
    )


# --- goal seek ------------------------------------------------------------------------------------


def test_reverse_funnel_formulas_of_the_domain_brief():
    quota = 1_000_000.0
    goal = goal_seek(linear_funnel(), quota)
    customers = quota / DEAL  # customers needed = quota / average revenue per customer
    opportunities = (
        customers / RATES["opportunity"]
    )  # opportunities = customers / opp-to-customer rate
    sqls = opportunities / RATES["sql"]
    mqls = sqls / RATES["mql"]
    leads = mqls / RATES["lead"]
    needed = {s.id: s.needed for s in goal.stages}
    assert goal.deals_needed == pytest.approx(customers)
    assert goal.deal_value == pytest.approx(DEAL)
    assert needed == pytest.approx(
        {
            "lead": leads,
            "mql": mqls,
            "sql": sqls,
            "opportunity": opportunities,
            "customer": customers,
        }
    )
    assert goal.entries[0].needed == pytest.approx(leads)
    # MQLs per rep: today's two SDRs would each get mqls / 2; at 300 per rep the SLA needs ceil(mqls / 300)
    (sla,) = goal.slas
    assert sla.per_rep_now == pytest.approx(mqls / 2)
    assert sla.headcount_needed == math.ceil(mqls / 300)
    teams = {t.id: t for t in goal.teams}
    assert teams["sdr"].headcount_needed == math.ceil(mqls / 300)
    # sales works opportunities at 40 per person
    assert teams["sales"].headcount_needed == math.ceil(opportunities / 40)


@pytest.mark.parametrize(
    ("template", "process"),
    [
        ("plugged-funnel", None),
        ("enterprise", None),
        ("channel", "partner-deals"),
        ("saas-trial", None),
    ],
)
def test_goal_seek_inverts_simulate(template, process):
    doc = load_template(template)
    current = expected_flow(doc, process).revenue
    target = current * 1.37 + 12_345
    goal = goal_seek(doc, target, process)
    assert goal.achieved_revenue == pytest.approx(target)
    fed_back = expected_flow(apply_scenario(doc, goal.as_scenario()), process)
    assert fed_back.revenue == pytest.approx(target)
    assert fed_back.won == pytest.approx(goal.deals_needed)


def test_goal_seek_under_a_scenario():
    doc = load_template("plugged-funnel")
    goal = goal_seek(doc, 1_515_516, scenario="fix")
    assert goal.scenario == "Fix: qualification, cadence, nurture"
    assert goal.entries[0].current == 100
    assert goal.entries[0].needed == pytest.approx(100, rel=1e-4)


def test_goal_seek_refuses_what_it_cannot_scale():
    with pytest.raises(SimulationError, match="above zero"):
        goal_seek(linear_funnel(), 0)
    with pytest.raises(SimulationError, match="above zero"):
        goal_seek(linear_funnel(), -5)
    with pytest.raises(SimulationError, match="no deal value"):
        goal_seek(load_template("plugged-funnel"), 1000, "buyer")


# --- sensitivity ---------------------------------------------------------------------------------


def test_each_lever_on_a_plain_funnel_adds_ten_percent():
    doc = linear_funnel()
    base = expected_flow(doc).revenue
    levers = sensitivity(doc)
    by_target = {lever.target: lever for lever in levers}
    for edge_id in ("e-mql", "e-sql", "e-opportunity", "e-won"):
        assert by_target[edge_id].revenue_delta == pytest.approx(0.1 * base)
        assert by_target[edge_id].after == pytest.approx(by_target[edge_id].before * 1.1)
    assert by_target["leads"].kind == "volume" and by_target[
        "leads"
    ].revenue_delta == pytest.approx(0.1 * base)
    assert by_target["sales"].kind == "headcount" and by_target[
        "sales"
    ].revenue_delta == pytest.approx(0)
    deltas = [lever.revenue_delta for lever in levers]
    assert all(a >= b - 1e-6 for a, b in zip(deltas, deltas[1:], strict=False))


def test_one_more_person_matters_where_capacity_binds():
    # 200 MQLs a month reach the SQL step; two SDRs can work 50 each, so half of them are worked
    doc = linear_funnel(sdr_capacity=50)
    levers = {lever.target: lever for lever in sensitivity(doc)}
    limited = expected_flow(doc, capacity_limited=True)
    assert limited.won == pytest.approx(200 * 0.5 * 0.5 * 0.2)
    assert levers["sdr"].won_delta == pytest.approx(50 * 0.5 * 0.2)  # a third SDR works 50 more
    assert levers["sdr"].revenue_delta == pytest.approx(50 * 0.5 * 0.2 * DEAL)
    assert sensitivity(doc)[0].target == "sdr"
    # past the SDRs a better rate pays in full; more MQLs for a team that cannot work them do not
    assert levers["e-opportunity"].revenue_delta == pytest.approx(0.1 * limited.revenue)
    assert levers["e-sql"].revenue_delta == pytest.approx(0, abs=1e-6)
    assert levers["leads"].revenue_delta == pytest.approx(0, abs=1e-6)


def test_raising_a_full_decision_takes_from_its_other_branch():
    doc = load_template("plugged-funnel")
    lever = next(v for v in sensitivity(doc, scenario="fix") if v.target == "funnel-e7")
    assert (lever.before, lever.after) == (pytest.approx(0.7), pytest.approx(0.77))
    assert lever.won_delta > 0
    assert all(v.target != "funnel-e1" for v in sensitivity(doc))  # 100 % cannot rise


# --- actuals and calibration ----------------------------------------------------------------------


def write(tmp_path, text: str, name: str = "actuals.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_actuals_averages_periods(tmp_path):
    actuals = read_actuals(
        write(
            tmp_path,
            "period,node,count\n2024-01,web,900\n2024-02,web,1100\n"
            '2024-01,call,150\n2024-02,call,"250"\n\n',
        )
    )
    assert actuals.by == "node" and actuals.periods == ("2024-01", "2024-02")
    assert actuals.counts == {"web": 1000.0, "call": 200.0}


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("node,count\nweb,lots\n", ":2:", "'lots' is not a number"),
        ("node,count\nweb,-4\n", ":2:", "not a count"),
        ("node,count\nweb,10\nweb,12\n", ":3:", "appears twice"),
        ("name,value\nweb,10\n", ":1:", "header"),
        ("", "actuals.csv", "is empty"),
        ("node,count\n", "actuals.csv", "no counts"),
        ("node,count\nweb\n", ":2:", "values where the header has"),
    ],
)
def test_bad_actuals_name_the_file_and_row(tmp_path, text, where, what):
    with pytest.raises(MapFileError) as caught:
        read_actuals(write(tmp_path, text))
    message = str(caught.value)
    assert "actuals.csv" in message and where in message and what in message


def test_missing_actuals_file(tmp_path):
    with pytest.raises(MapFileError, match="no such file"):
        read_actuals(tmp_path / "nope.csv")


def test_calibrate_by_node_recovers_the_observed_rates(small_map, tmp_path):
    actuals = read_actuals(write(tmp_path, "node,count\nweb,1200\ncall,240\nfit,96\nwon,24\n"))
    calibrated, rows = calibrate(small_map, actuals)
    assert calibrated.node("web").volume == 1200
    assert calibrated.edge("e1").conversion == pytest.approx(0.2)
    assert calibrated.edge("e2").conversion == pytest.approx(0.4)
    assert calibrated.edge("e3").conversion == pytest.approx(0.25)
    assert calibrated.edge("e4").conversion == 0.7  # lost was not observed: unchanged
    assert small_map.edge("e1").conversion == 0.1  # the original map is untouched
    plan = {r.key: r for r in rows}
    assert plan["call"].plan == pytest.approx(100) and plan["call"].actual == 240
    assert plan["call"].ratio == pytest.approx(2.4)
    for row in rows:
        assert row.calibrated == pytest.approx(row.actual)


def test_calibrate_by_stage_matches_the_observed_funnel(tmp_path):
    doc = linear_funnel()
    actuals = read_actuals(
        write(tmp_path, "stage,count\nlead,3000\nMQL,900\nsql,300\ncustomer,12\n")
    )
    calibrated, rows = calibrate(doc, actuals)
    assert [r.key for r in rows] == ["lead", "mql", "sql", "customer"]
    for row in rows:
        assert row.calibrated == pytest.approx(row.actual, rel=1e-5)
    assert calibrated.edge("e-mql").conversion == pytest.approx(0.3)
    assert expected_flow(calibrated).won == pytest.approx(12, rel=1e-5)


def test_calibrate_refuses_unknown_keys(small_map, tmp_path):
    with pytest.raises(
        MapFileError, match=r"actuals.csv:3: node: node 'ghost' is not a step of 'Funnel'"
    ):
        calibrate(small_map, read_actuals(write(tmp_path, "node,count\nweb,10\nghost,4\n")))
    with pytest.raises(MapFileError, match="stage 'sal' is not used"):
        calibrate(small_map, read_actuals(write(tmp_path, "stage,count\nsal,10\n")))
