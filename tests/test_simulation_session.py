"""The editor's Run, headless: models.simulation.session, as the panel's worker calls it."""

from __future__ import annotations

import pytest

from models.document import Edge, JourneyMap, Node, Process
from models.simulation import SimulationCancelled, expected_flow
from models.simulation.session import Request, flow_overlay, run_simulation
from models.templates import load_template


def _with_subprocess() -> JourneyMap:
    """A trial sub-process entered twice, from two steps of the main process."""
    return JourneyMap(
        processes=[
            Process(id="main", name="Main"),
            Process(id="trial", name="Trial", kind="subprocess"),
        ],
        nodes=[
            Node(id="in", process="main", kind="entry", volume=100),
            Node(id="sp1", process="main", kind="subprocess", subprocess="trial"),
            Node(id="sp2", process="main", kind="subprocess", subprocess="trial"),
            Node(id="won", process="main", kind="won", deal_value=10),
            Node(id="lost", process="main", kind="lost"),
            Node(id="t-in", process="trial", kind="entry"),
            Node(id="setup", process="trial", kind="action"),
            Node(id="t-ok", process="trial", kind="won"),
        ],
        edges=[
            Edge(id="m1", source="in", target="sp1", conversion=0.5),
            Edge(id="m0", source="in", target="sp2", conversion=0.5),
            Edge(id="m2", source="sp1", target="won", conversion=0.4),
            Edge(id="m3", source="sp2", target="lost", conversion=1.0),
            Edge(id="t1", source="t-in", target="setup", conversion=1.0),
            Edge(id="t2", source="setup", target="t-ok", conversion=0.5),
        ],
    )


def test_the_overlay_gives_each_process_its_own_ids_and_sums_repeated_visits():
    doc = _with_subprocess()
    overlay = flow_overlay(doc, expected_flow(doc, "main"))
    assert set(overlay.processes) == {"main", "trial"}
    main, trial = overlay.for_process("main"), overlay.for_process("trial")
    # a sub-process step shows what enters it and what does not come out: 50 in, 10 on to won
    sp1 = main.nodes["sp1"]
    assert (sp1.arrivals, sp1.dropoff) == pytest.approx((50, 40))
    # the trial runs once from sp1 and once from sp2: 50 + 50 leads reach its set-up step
    assert trial.nodes["setup"].arrivals == pytest.approx(100)
    assert trial.edges["t2"] == pytest.approx(50)
    assert main.edges["m2"] == pytest.approx(10)


def test_run_solves_every_scenario_and_marks_the_bottleneck():
    doc = load_template("plugged-funnel")
    outcome = run_simulation(doc, Request(process=None, scenario=None, periods=2, runs=0, seed=1))
    assert [c.scenario for c in outcome.comparison.columns] == [None] + [
        s.id for s in doc.scenarios
    ]
    assert outcome.monte_carlo is None  # runs = 0: the expected flow only
    funnel = next(p.id for p in doc.processes if p.kind == "funnel")
    assert outcome.overlay.for_process(funnel).bottleneck == expected_flow(doc).bottleneck.node
    assert outcome.overlay.title == "Baseline"
    assert outcome.levers, "the sensitivity levers come with every run"


def test_run_stops_when_cancelled():
    with pytest.raises(SimulationCancelled):
        run_simulation(
            load_template("plugged-funnel"), Request(None, None, 2, 50, 1), cancelled=lambda: True
        )
