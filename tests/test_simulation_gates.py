"""Committee gates: exact pass rates and waits computed by hand, the Monte Carlo's journeys
within three standard errors of them, levers, scenarios, goal seek, refusals, the CLI, and the
enterprise and channel templates' buying groups."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from app.cli import main
from models.analysis import analyze
from models.company_view import company_actions
from models.document import BuyerRole, Clearance, Edge, JourneyMap, Node, Process, Scenario
from models.simulation import (
    SimulationError,
    apply_scenario,
    expected_flow,
    goal_seek,
    monte_carlo,
)
from models.simulation.gates import compile_process
from models.simulation.network import compile_network
from models.simulation.sensitivity import sensitivity
from models.storage import save_map
from models.templates import load_template

# The hand computation behind every figure below:
#   IT clears 'IT approves' with 0.5 (review, then half approve), in 1 + 4 + 2 = 7 days.
#   The CFO clears 'Payback accepted' fast (0.5, in 5 days) or after a second look
#   (0.5 x 0.6 = 0.3, in 10 + 20 = 30 days): 0.8, in (0.5 x 5 + 0.3 x 30) / 0.8 = 14.375 days.
IT, CFO = 0.5, 0.8
PASS = IT * CFO  # 0.4: the roles clear independently
IT_DAYS, CFO_DAYS = 7.0, (0.5 * 5 + 0.3 * 30) / 0.8
ARRIVALS = 100 * 0.5  # leads reaching the proposal
WON = ARRIVALS * PASS * 0.6  # 12 deals: the proposal's own 60% applies after the gate


def committee_map() -> JourneyMap:
    return JourneyMap(
        name="Committee",
        roles=[BuyerRole(id="it", name="IT"), BuyerRole(id="cfo", name="CFO")],
        processes=[
            Process(id="f", name="Funnel"),
            Process(id="itp", name="IT review", kind="buyer", role="it"),
            Process(id="cfop", name="CFO sign-off", kind="buyer", role="cfo"),
        ],
        nodes=[
            Node(id="in", process="f", kind="entry", label="Inbound", volume=100),
            Node(
                id="proposal",
                process="f",
                label="Proposal",
                duration_days=5,
                gate=[Clearance(role="it", step="it-ok"), Clearance(role="cfo", step="cfo-ok")],
            ),
            Node(id="won", process="f", kind="won", label="Won", deal_value=1000),
            Node(id="lost", process="f", kind="lost", label="Lost"),
            Node(id="it-in", process="itp", kind="entry", label="Request", volume=10),
            Node(id="it-review", process="itp", kind="buyer_step", label="Review", duration_days=4),
            Node(id="it-ok", process="itp", kind="won", label="IT approves"),
            Node(id="it-no", process="itp", kind="lost", label="IT blocks"),
            Node(id="cfo-in", process="cfop", kind="entry", label="On the desk", volume=5),
            Node(id="cfo-fast", process="cfop", kind="buyer_step", label="Quick look"),
            Node(id="cfo-slow", process="cfop", kind="buyer_step", label="Second look"),
            Node(id="cfo-ok", process="cfop", kind="won", label="Payback accepted"),
            Node(id="cfo-no", process="cfop", kind="lost", label="Sends it back"),
        ],
        edges=[
            Edge(id="e1", source="in", target="proposal", conversion=0.5, delay_days=2),
            Edge(id="e2", source="proposal", target="won", conversion=0.6, delay_days=10),
            Edge(id="e3", source="proposal", target="lost", conversion=0.4),
            Edge(id="i1", source="it-in", target="it-review", conversion=1.0, delay_days=1),
            Edge(id="i2", source="it-review", target="it-ok", conversion=0.5, delay_days=2),
            Edge(id="i3", source="it-review", target="it-no", conversion=0.5),
            Edge(id="c1", source="cfo-in", target="cfo-fast", conversion=0.5),
            Edge(id="c2", source="cfo-in", target="cfo-slow", conversion=0.5, delay_days=10),
            Edge(id="c3", source="cfo-fast", target="cfo-ok", conversion=1.0, delay_days=5),
            Edge(id="c4", source="cfo-slow", target="cfo-ok", conversion=0.6, delay_days=20),
            Edge(id="c5", source="cfo-slow", target="cfo-no", conversion=0.4),
        ],
    )


# --- the exact flow --------------------------------------------------------------------------


def test_the_gate_passes_the_product_of_the_roles_chances():
    flow = expected_flow(committee_map())
    (gate,) = flow.gates
    assert [r.probability for r in gate.roles] == pytest.approx([IT, CFO])
    assert gate.pass_rate == pytest.approx(PASS)
    assert (gate.arrivals, gate.passed, gate.lost) == (
        pytest.approx(ARRIVALS),
        pytest.approx(ARRIVALS * PASS),
        pytest.approx(ARRIVALS * (1 - PASS)),
    )
    assert flow.won == pytest.approx(WON)
    assert flow.revenue == pytest.approx(WON * 1000)
    # the step shows every lead reaching it, and those leaving at the gate among its drop-off
    assert flow.nodes["proposal"].arrivals == pytest.approx(ARRIVALS)
    assert flow.nodes["proposal"].dropoff == pytest.approx(ARRIVALS * (1 - PASS))
    assert flow.won + flow.lost == pytest.approx(flow.leads)
    assert "proposal#gate" not in flow.nodes and "proposal#gate" not in flow.edges
    assert flow.edges["e1"] == pytest.approx(ARRIVALS)


def test_days_to_clear_are_conditional_on_clearing_and_the_slowest_role_sets_the_wait():
    flow = expected_flow(committee_map())
    (gate,) = flow.gates
    assert [r.days for r in gate.roles] == pytest.approx([IT_DAYS, CFO_DAYS])
    assert gate.wait_days == pytest.approx(max(IT_DAYS, CFO_DAYS))
    # entry delay 2, the committee's wait, the proposal's 5 days, then 10 days to the deal
    assert flow.days_to_close == pytest.approx(2 + CFO_DAYS + 5 + 10)


def test_the_deals_a_gate_costs_in_all_and_per_role():
    (gate,) = expected_flow(committee_map()).gates
    assert gate.deals_lost == pytest.approx(ARRIVALS * 0.6 - WON)  # every role clearing: 30
    it, cfo = gate.roles
    assert it.deals_lost == pytest.approx(ARRIVALS * CFO * 0.6 - WON)  # IT always clears: 24
    assert cfo.deals_lost == pytest.approx(ARRIVALS * IT * 0.6 - WON)  # the CFO always: 15
    assert gate.costliest is it


def test_a_role_process_with_a_rework_loop_is_solved_exactly():
    doc = committee_map()
    doc.nodes.append(Node(id="it-rework", process="itp", kind="buyer_step", label="Rework"))
    doc.edge("i3").conversion = 0.2
    doc.edges += [
        Edge(id="i4", source="it-review", target="it-rework", conversion=0.3, delay_days=3),
        Edge(id="i5", source="it-rework", target="it-review", kind="recycle", conversion=1.0),
    ]
    it = 0.5 / (1 - 0.3)  # a geometric series of rework rounds
    (gate,) = expected_flow(doc).gates
    assert gate.roles[0].probability == pytest.approx(it)
    # each round takes 4 + 3 days; rounds before approval ~ geometric: E[rounds] = 0.3 / 0.7
    assert gate.roles[0].days == pytest.approx(1 + 4 + 2 + (0.3 / 0.7) * (4 + 3))
    assert gate.pass_rate == pytest.approx(it * CFO)


def test_several_entries_start_by_volume_else_equally():
    doc = committee_map()
    doc.nodes.append(Node(id="it-urgent", process="itp", kind="entry", label="Urgent", volume=30))
    doc.edges.append(Edge(id="i9", source="it-urgent", target="it-ok", conversion=1.0))
    doc.node("it-in").volume = 10
    # by volume: 30 of 40 start at the urgent entry (always cleared), 10 at the review (half)
    assert expected_flow(doc).gates[0].roles[0].probability == pytest.approx(0.75 + 0.25 * 0.5)
    doc.node("it-in").volume = None  # an entry without a volume: every entry counts the same
    assert expected_flow(doc).gates[0].roles[0].probability == pytest.approx(0.5 + 0.5 * 0.5)


def test_a_gate_outside_a_funnel_or_on_an_outcome_is_ignored():
    doc = committee_map()
    doc.node("cfo-fast").gate = [Clearance(role="it", step="it-ok")]  # a buyer's own step
    doc.node("won").gate = [Clearance(role="it", step="it-ok")]  # an outcome
    assert expected_flow(doc).won == pytest.approx(WON)
    assert expected_flow(doc, "cfop").won == pytest.approx(
        expected_flow(committee_map(), "cfop").won
    )
    found = {f.code for f in analyze(doc)}
    assert {"gate-outside-funnel", "gate-on-entry-or-outcome"} <= found


def test_maps_without_gates_compile_as_before():
    doc = committee_map()
    for node in doc.nodes:
        node.gate = []
    plain, gated = compile_network(doc, "f"), compile_process(doc, "f")
    assert plain.ids == gated.ids and not gated.gates
    assert np.array_equal(plain.conv, gated.conv) and np.array_equal(plain.dst, gated.dst)
    data = expected_flow(doc).to_dict()
    assert data["gates"] == [] and data["clearing"] is None


def test_a_role_that_never_clears_closes_the_gate():
    doc = committee_map()
    doc.edge("i2").conversion = 0.0
    doc.edge("i3").conversion = 1.0
    flow = expected_flow(doc)
    assert flow.won == 0 and flow.gates[0].pass_rate == 0
    assert "gate-never-clears" in {f.code for f in analyze(doc)}


@pytest.mark.parametrize(
    "change,code",
    [
        (
            lambda d: setattr(d.node("proposal"), "gate", [Clearance(role="ceo", step="it-ok")]),
            "gate-role-without-process",
        ),
        (
            lambda d: setattr(d.node("proposal"), "gate", [Clearance(role="it", step="cfo-ok")]),
            "gate-step-outside-role",
        ),
    ],
)
def test_a_gate_that_cannot_be_read_is_refused(change, code):
    doc = committee_map()
    change(doc)
    with pytest.raises(SimulationError) as refused:
        expected_flow(doc)
    assert [f.code for f in refused.value.findings] == [code]
    assert "committee gate on 'Proposal'" in str(refused.value)


def test_a_trap_in_a_role_process_blocks_the_funnel_run():
    doc = committee_map()
    doc.nodes.append(Node(id="cfo-loop", process="cfop", kind="buyer_step", label="Loop"))
    doc.edge("c4").conversion, doc.edge("c5").conversion = 0.0, 1.0
    doc.edge("c5").target = "cfo-loop"
    doc.edges.append(Edge(id="c7", source="cfo-loop", target="cfo-slow", conversion=1.0))
    with pytest.raises(SimulationError) as refused:  # second look <-> loop, for ever
        expected_flow(doc)
    assert any(f.code == "trap-loop" and f.process == "cfop" for f in refused.value.findings)


# --- scenarios, levers, goal seek, calibration -------------------------------------------------


def test_a_scenario_overrides_a_role_process_conversion():
    doc = committee_map()
    doc.scenarios = [Scenario(id="it", name="Security pack", conversion={"i2": 0.75, "i3": 0.25})]
    flow = expected_flow(doc, scenario="it")
    assert flow.gates[0].pass_rate == pytest.approx(0.75 * CFO)
    assert flow.won == pytest.approx(ARRIVALS * 0.75 * CFO * 0.6)


def test_sensitivity_lists_the_role_steps_conversions():
    levers = {lever.target: lever for lever in sensitivity(committee_map())}
    it = levers["i2"]  # IT approves 50% -> 55%: the pass rate 0.44
    assert it.what.startswith("IT: 'Review' to 'IT approves'")
    assert it.won_delta == pytest.approx(ARRIVALS * 0.55 * CFO * 0.6 - WON)
    cfo = levers["c1"]  # the quick look 50% -> 55%, the second look down to 45%
    raised_cfo = 0.55 + 0.45 * 0.6
    assert cfo.revenue_delta == pytest.approx((ARRIVALS * IT * raised_cfo * 0.6 - WON) * 1000)
    assert not any("#gate" in target for target in levers)  # the gate itself is not a lever
    assert "c5" not in levers  # an edge to a lost outcome is not a lever, as in the funnel


def test_goal_seek_accounts_for_the_gate():
    goal = goal_seek(committee_map(), 24_000)
    assert goal.deals_needed == pytest.approx(24)
    assert goal.entries[0].needed == pytest.approx(200)  # the gate's rate does not move
    (gate,) = goal.gates
    assert (gate.pass_rate, gate.current, gate.needed) == (
        pytest.approx(PASS),
        pytest.approx(ARRIVALS),
        pytest.approx(2 * ARRIVALS),
    )
    fed = expected_flow(apply_scenario(committee_map(), goal.as_scenario()))
    assert fed.revenue == pytest.approx(24_000)
    closed = committee_map()
    closed.edge("c1").conversion = closed.edge("c4").conversion = 0.0
    with pytest.raises(SimulationError, match="CFO never clears 'Payback accepted'"):
        goal_seek(closed, 24_000)


def test_calibration_counts_at_a_gated_step_are_the_leads_reaching_it(tmp_path):
    from models.simulation import calibrate, read_actuals

    path = tmp_path / "actuals.csv"
    path.write_text("node,count\nin,100\nproposal,40\nwon,9.6\n", encoding="utf-8")
    calibrated, rows = calibrate(committee_map(), read_actuals(path))
    # 40 reach the proposal (0.4 of the inbound), 16 pass the gate, 9.6 of them close (0.6)
    assert calibrated.edge("e1").conversion == pytest.approx(0.4)
    assert calibrated.edge("e2").conversion == pytest.approx(0.6)
    assert {r.key: r.actual for r in rows}["proposal"] == 40
    assert expected_flow(calibrated).won == pytest.approx(9.6)


# --- Monte Carlo -------------------------------------------------------------------------------


def test_monte_carlo_pass_rate_agrees_with_the_exact_one_within_three_standard_errors():
    doc = committee_map()
    mc = monte_carlo(doc, periods=6, runs=300, seed=5)
    gate = mc.gates["proposal"]
    assert gate.arrived > 250  # enough leads for the comparison to mean something
    assert abs(gate.pass_rate - PASS) <= 3 * gate.pass_rate_se
    for role, exact in zip(gate.roles, (IT, CFO), strict=True):
        assert abs(role.clear_rate - exact) <= 3 * role.clear_rate_se
    # each role's journey takes its whole days: IT always 7; the CFO 5 or 30
    assert gate.roles[0].days == pytest.approx(IT_DAYS)
    assert abs(gate.roles[1].days - CFO_DAYS) < 1.0
    # the slowest of random times, on average, is longer than the slowest average (E[max] >= max E):
    # max(7, 5) w.p. 0.5/0.8, else 30
    e_max = (0.5 * 7 + 0.3 * 30) / 0.8
    assert gate.wait_days > CFO_DAYS and abs(gate.wait_days - e_max) < 1.0
    horizon = mc.days / 30.4
    assert abs(mc.won.mean - WON * horizon) <= 3 * mc.won.se
    # the committee's work in progress is there from day 0: the first month already closes deals
    first = mc.per_period[0]
    assert abs(first.won.mean - WON * first.days / 30.4) <= 4 * first.won.se


def test_monte_carlo_with_a_gate_is_reproducible_and_in_json():
    doc = committee_map()
    first = monte_carlo(doc, periods=2, runs=40, seed=3).to_dict()
    assert first == monte_carlo(doc, periods=2, runs=40, seed=3).to_dict()
    gate = first["gates"]["proposal"]
    assert set(gate) == {
        "label",
        "arrived",
        "passed",
        "pass_rate",
        "pass_rate_se",
        "wait_days",
        "roles",
    }
    assert set(gate["roles"][0]) == {
        "role",
        "role_name",
        "step",
        "step_label",
        "clear_rate",
        "clear_rate_se",
        "days",
    }


def test_monte_carlo_pass_rate_with_a_rework_loop():
    doc = committee_map()
    doc.nodes.append(Node(id="it-rework", process="itp", kind="buyer_step", label="Rework"))
    doc.edge("i3").conversion = 0.2
    doc.edges += [
        Edge(id="i4", source="it-review", target="it-rework", conversion=0.3, delay_days=3),
        Edge(id="i5", source="it-rework", target="it-review", kind="recycle", conversion=1.0),
    ]
    exact = expected_flow(doc).gates[0].pass_rate
    gate = monte_carlo(doc, periods=6, runs=200, seed=9).gates["proposal"]
    assert abs(gate.pass_rate - exact) <= 3 * gate.pass_rate_se


# --- the command line --------------------------------------------------------------------------


@pytest.fixture
def committee_file(tmp_path):
    path = tmp_path / "committee.json"
    save_map(committee_map(), path)
    return path


def _cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return out


def test_cli_text_names_the_gate_its_roles_and_what_each_costs(capsys, committee_file):
    out = _cli(capsys, "simulate", committee_file)
    assert "Committee gates (per month)" in out
    assert (
        "'Proposal': 50.0 reach it, 40% pass, 30.0 leave at the gate; the gate costs 18.00 deals"
        in out
    )
    assert "IT: 'IT approves'" in out and "CFO: 'Payback accepted'" in out
    assert "IT's 'IT approves' loses most: 12.00 deals per month." in out
    assert "slowest role's 14 days" in out


def test_cli_json_has_the_gates(capsys, committee_file):
    data = json.loads(_cli(capsys, "simulate", committee_file, "--format", "json"))
    (gate,) = data["expected"]["gates"]
    assert set(gate) == {
        "node",
        "label",
        "arrivals",
        "pass_rate",
        "passed",
        "lost",
        "wait_days",
        "deals_lost",
        "roles",
    }
    assert gate["pass_rate"] == pytest.approx(PASS) and gate["deals_lost"] == pytest.approx(18)
    assert [r["role"] for r in gate["roles"]] == ["it", "cfo"]
    assert set(gate["roles"][1]) == {
        "role",
        "role_name",
        "process",
        "step",
        "step_label",
        "probability",
        "days",
        "deals_lost",
    }
    assert gate["roles"][1]["days"] == pytest.approx(CFO_DAYS)
    assert data["expected"]["clearing"] is None


def test_cli_a_role_process_alone_says_what_it_clears_not_deals(capsys, committee_file):
    out = _cli(capsys, "simulate", committee_file, "--process", "cfop")
    assert "Deals won" not in out and "Revenue" not in out
    assert "Clears 'Payback accepted'" in out and "80%" in out
    assert (
        "Required by the committee gate on 'Proposal' ('Funnel'): 50.0 leads per month reach it, "
        "CFO clears 40.0 of them, 40% pass every role; CFO's 'Payback accepted' costs 3.00 deals "
        "per month." in out
    )
    assert "makes no deals or revenue of its own" in out
    data = json.loads(
        _cli(capsys, "simulate", committee_file, "--process", "cfop", "--format", "json")
    )
    clearing = data["expected"]["clearing"]
    assert clearing["role"] == "cfo"
    (gate,) = clearing["gates"]
    assert gate["probability"] == pytest.approx(CFO) and gate["days"] == pytest.approx(CFO_DAYS)
    assert gate["gate_arrivals"] == pytest.approx(ARRIVALS)
    assert gate["gate_cleared"] == pytest.approx(ARRIVALS * CFO)
    assert gate["reached"] == pytest.approx(5 * CFO)  # its own entry's 5 a month, alone
    assert gate["deals_lost"] == pytest.approx(3)


def test_cli_goal_lists_the_gate(capsys, committee_file):
    out = _cli(capsys, "goal", committee_file, "--revenue", "24000")
    assert "Committee gates" in out and "Proposal" in out and "100.0" in out
    data = json.loads(
        _cli(capsys, "goal", committee_file, "--revenue", "24000", "--format", "json")
    )
    assert data["gates"][0]["needed"] == pytest.approx(100)


# --- the templates' buying groups ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name,gated,roles",
    [
        ("enterprise", "contract", {"champion", "business-buyer", "it-approver", "cfo"}),
        ("channel", "d-order", {"partner-owner", "end-customer"}),
    ],
)
def test_the_templates_gate_their_funnel_on_the_buying_group(name, gated, roles):
    doc = load_template(name)
    node = doc.node(gated)
    assert doc.process(node.process).kind == "funnel"
    assert {c.role for c in node.gate} == roles
    for clearance in node.gate:  # each role clears the won outcome of its own process
        step = doc.node(clearance.step)
        process = doc.process(step.process)
        assert (process.kind, process.role, step.kind) == ("buyer", clearance.role, "won")
    gate = next(g for g in expected_flow(doc).gates if g.node == gated)
    assert 0.2 < gate.pass_rate < 0.6 and gate.deals_lost > 0
    assert not {f.code for f in analyze(doc)} & {c for c in _gate_codes()}


def _gate_codes():
    from models.findings import CATALOGUE

    return {code for code in CATALOGUE if code.startswith("gate-")}


@pytest.mark.parametrize("name", ["enterprise", "channel"])
def test_the_funnel_actions_address_the_roles_steps_in_stage_order(name):
    doc = load_template(name)
    funnel = next(p.id for p in doc.processes if p.kind == "funnel")
    kinds = {p.id: p.kind for p in doc.processes}
    crossing = [
        e
        for e in doc.edges
        if e.kind == "addresses"
        and doc.node(e.source).process == funnel
        and kinds[doc.node(e.target).process] == "buyer"
    ]
    assert len(crossing) >= 4
    gated_roles = {doc.process(doc.node(c.step).process).id for n in doc.nodes for c in n.gate}
    served = {doc.node(e.target).process for e in crossing}
    assert gated_roles <= served  # every role of the committee is served from the funnel
    rows = [r for r in company_actions(doc) if r.process == funnel and r.addresses]
    assert rows and all(r.stage for r in rows)


def test_the_enterprise_cfo_payback_check_loses_most_and_its_scenario_helps():
    doc = load_template("enterprise")
    flow = expected_flow(doc)
    (gate,) = flow.gates
    assert gate.costliest.role == "cfo"
    better = expected_flow(doc, scenario="payback-model")
    assert better.gates[0].pass_rate == pytest.approx(gate.pass_rate * 0.8 / 0.65)
    assert better.won > flow.won
    mc = monte_carlo(doc, periods=2, runs=60, seed=2).gates["contract"]
    assert abs(mc.pass_rate - gate.pass_rate) <= 3 * mc.pass_rate_se


def test_simulating_a_role_process_of_the_enterprise_template(capsys, tmp_path):
    path = tmp_path / "enterprise.json"
    save_map(load_template("enterprise"), path)
    out = _cli(capsys, "simulate", path, "--process", "cfo-journey")
    assert "Deals won" not in out and "USD" in out  # the cost, never revenue it does not make
    assert "Clears 'Payback accepted'" in out and "65%" in out
    assert "counts in 'Company funnel', through the gate" in out
    assert not math.isnan(expected_flow(load_template("enterprise"), "cfo-journey").won)
