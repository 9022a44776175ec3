"""`journeymap simulate` and `journeymap goal`: JSON keys, text, exit codes, byte-identical reruns."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from models.document import Edge
from models.storage import save_map
from models.templates import load_template

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def plugged(tmp_path) -> Path:
    path = tmp_path / "plugged.json"
    save_map(load_template("plugged-funnel"), path)
    return path


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_simulate_json_has_the_expected_flow(capsys, plugged):
    code, out, err = run_cli(capsys, "simulate", plugged, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    expected = data["expected"]
    for key in (
        "won",
        "lost",
        "revenue",
        "cost",
        "cost_per_won",
        "days_to_close",
        "nodes",
        "edges",
        "stages",
        "teams",
        "bottleneck",
    ):
        assert key in expected
    assert expected["won"] == pytest.approx(2.0)
    assert expected["nodes"]["follow-up"].keys() >= {"arrivals", "dropoff"}
    assert expected["edges"]["funnel-e3"] == pytest.approx(
        expected["nodes"]["is-mql"]["arrivals"] * 0.5
    )
    assert [s["id"] for s in expected["stages"]] == [
        "inquiry",
        "mql",
        "sal",
        "opportunity",
        "customer",
    ]
    assert expected["bottleneck"]["team"] == "sales"
    assert "monte_carlo" not in data


def test_simulate_json_with_runs_has_the_monte_carlo(capsys, plugged):
    code, out, _ = run_cli(
        capsys,
        "simulate",
        plugged,
        "--format",
        "json",
        "--runs",
        "20",
        "--periods",
        "2",
        "--scenario",
        "fix",
    )
    assert code == 0
    data = json.loads(out)
    mc = data["monte_carlo"]
    assert data["scenario"] == "Fix: qualification, cadence, nurture"
    for key in ("won", "revenue"):
        assert set(mc[key]) >= {"p10", "p50", "p90", "mean"}
    assert len(mc["per_period"]) == 2
    assert {"teams", "sla_breach_rate", "bottleneck"} <= set(mc)
    assert mc["teams"]["sales"].keys() >= {"backlog", "utilisation"}


def test_simulate_text_reads_like_a_report(capsys, plugged):
    code, out, _ = run_cli(
        capsys, "simulate", plugged, "--compare", "--sensitivity", "--runs", "10", "--periods", "1"
    )
    assert code == 0
    for text in (
        "Deals won",
        "USD 500,000",
        "Bottleneck: No team is over capacity; most leads leave the funnel at 'Could not reach'",
        "Funnel by stage",
        "Opportunity",
        "Monte Carlo: 10 runs",
        "Fix: qualification, cadence, nurture",
        "-90%",
        "What moves revenue most",
        "Sales: 4 -> 5 people",
    ):
        assert text in out, text


def test_simulate_with_actuals(capsys, plugged, tmp_path):
    csv = tmp_path / "q1.csv"
    csv.write_text("stage,count\ninquiry,1200\nopportunity,90\ncustomer,3\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "simulate", plugged, "--actuals", csv, "--format", "json")
    assert code == 0
    calibration = json.loads(out)["calibration"]
    assert [r["key"] for r in calibration["plan_vs_actual"]] == [
        "inquiry",
        "opportunity",
        "customer",
    ]
    assert calibration["plan_vs_actual"][2]["calibrated"] == pytest.approx(3, rel=1e-4)
    assert json.loads(out)["expected"]["won"] == pytest.approx(3, rel=1e-4)
    code, out, _ = run_cli(capsys, "simulate", plugged, "--actuals", csv)
    assert code == 0 and "Plan against actual" in out


def test_refused_map_exits_2_with_the_blocking_findings(capsys, tmp_path):
    doc = load_template("plugged-funnel")
    doc.edges = [
        e.model_copy(update={"conversion": None}) if e.id == "funnel-e3" else e for e in doc.edges
    ]
    doc.edges.append(Edge(id="extra", source="proposal", target="no-fit", conversion=0.5))
    path = tmp_path / "broken.json"
    save_map(doc, path)
    code, out, err = run_cli(capsys, "simulate", path)
    assert (code, out) == (2, "")
    assert err.startswith("journeymap: Cannot simulate 'Inquiry to deal':")
    assert "[proposal]" in err and "[is-mql, follow-up]" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["simulate", "{map}", "--periods", "0"],
        ["simulate", "{map}", "--runs", "-1"],
        ["simulate", "{map}", "--seed", "-2"],
        ["simulate", "{map}", "--process", "nope"],
        ["simulate", "{map}", "--scenario", "nope"],
        ["simulate", "{map}", "--actuals", "{missing}"],
        ["goal", "{map}", "--revenue", "0"],
        ["goal", "{map}", "--revenue", "-5"],
        ["goal", "{map}", "--revenue", "lots"],
        ["goal", "{map}", "--revenue", "1000", "--process", "buyer"],
    ],
)
def test_bad_input_exits_2_in_one_sentence(capsys, plugged, tmp_path, argv):
    args = [a.format(map=plugged, missing=tmp_path / "none.csv") for a in argv]
    code, out, err = run_cli(capsys, *args)
    assert code == 2
    assert out == "" and len(err.strip().splitlines()) == 1 and err.startswith("journeymap: ")


def test_goal_json_and_text(capsys, plugged):
    code, out, _ = run_cli(capsys, "goal", plugged, "--revenue", "1,000,000", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["deals_needed"] == pytest.approx(4.0)
    assert data["achieved_revenue"] == pytest.approx(1_000_000)
    entry = data["entries"][0]
    assert (entry["id"], entry["label"], entry["current"]) == (
        "inquiries",
        "Net new inquiries",
        1000.0,
    )
    assert entry["needed"] == pytest.approx(2000.0, rel=1e-12)
    assert {t["id"]: t["headcount_needed"] for t in data["teams"]}[
        "sales"
    ] == 8  # 2x the leads: 2,400 a quarter at 300 per person
    code, out, _ = run_cli(capsys, "goal", plugged, "--revenue", "1e6")
    assert code == 0
    for text in ("Deals needed", "4.00", "Net new inquiries", "2,000", "People needed", "Sales"):
        assert text in out, text


def test_json_keeps_full_precision_and_text_rounds(capsys, plugged):
    """JSON numbers are the computed floats themselves (shortest round-trip text), never
    rounded to 6 decimals; the text output rounds for people."""
    from models.simulation import expected_flow
    from models.storage import load_map

    flow = expected_flow(load_map(plugged))
    code, out, _ = run_cli(capsys, "simulate", str(plugged), "--format", "json")
    assert code == 0
    data = json.loads(out)
    sal = next(s for s in data["expected"]["stages"] if s["id"] == "sal")
    exact = next(s.leads for s in flow.stages if s.id == "sal")
    assert sal["leads"] == exact  # the same float, bit for bit
    assert round(exact, 6) != exact  # 588.2352941176471: 6 decimals would have cut it
    assert data["expected"]["nodes"]["is-mql"]["arrivals"] == flow.nodes["is-mql"].arrivals
    code, out, _ = run_cli(capsys, "simulate", str(plugged))
    assert "588.2" in out and "588.235" not in out


def test_same_seed_gives_byte_identical_output_across_processes(plugged):
    command = [
        sys.executable,
        "-m",
        "app.cli",
        "simulate",
        str(plugged),
        "--format",
        "json",
        "--runs",
        "30",
        "--periods",
        "2",
        "--seed",
        "5",
    ]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120, check=True)
    second = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120, check=True)
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["monte_carlo"]["seed"] == 5
