"""Qualification criteria simulated (method step 6): question shares, the exact pass rate by
convolution, used as the conversion of the step that applies them unless set by hand."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.document import Criteria, Edge, JourneyMap, Node, Process, Question, Scenario
from models.qualification import criteria_rates, pass_rate
from models.simulation import SimulationError, expected_flow, monte_carlo
from models.simulation.sensitivity import sensitivity


def brute_force(criteria: Criteria) -> float:
    """Every combination of answers, weighed: the definition the convolution must equal."""
    total = 0.0
    for answers in itertools.product((0, 1), repeat=len(criteria.questions)):
        chance, score, count = 1.0, 0.0, 0
        for yes, q in zip(answers, criteria.questions, strict=True):
            chance *= q.share if yes else 1 - q.share
            score += q.points * yes
            count += yes
        ok = criteria.threshold_score is None or score >= criteria.threshold_score - 1e-9
        ok = ok and (criteria.threshold_answers is None or count >= criteria.threshold_answers)
        total += chance * ok
    return total


POINTS = st.one_of(
    st.integers(-10, 60).map(float),
    st.floats(-5, 20, allow_nan=False).map(lambda x: round(x, 3)),
    st.floats(0, 1, allow_nan=False),
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(st.tuples(POINTS, st.floats(0, 1)), min_size=1, max_size=9),
    st.one_of(st.none(), st.floats(-10, 100)),
    st.one_of(st.none(), st.integers(0, 10)),
)
def test_the_pass_rate_is_the_exact_distribution_of_the_score(questions, score, answers):
    if score is None and answers is None:
        answers = 1
    criteria = Criteria(
        id="c",
        name="C",
        questions=[
            Question(id=f"q{i}", text="?", points=p, share=s) for i, (p, s) in enumerate(questions)
        ],
        threshold_score=max(score, 0.0) if score is not None else None,
        threshold_answers=answers,
    )
    assert pass_rate(criteria) == pytest.approx(brute_force(criteria), abs=1e-12)


def test_no_rate_without_every_share_or_a_threshold():
    q = [Question(id="a", text="?", points=1, share=0.5), Question(id="b", text="?", points=1)]
    assert pass_rate(Criteria(id="c", name="C", questions=q, threshold_score=1)) is None
    q[1].share = 0.5
    assert pass_rate(Criteria(id="c", name="C", questions=q)) is None
    assert pass_rate(Criteria(id="c", name="C", questions=q, threshold_score=1)) == 0.75


def qualified_funnel(mql_conversion: float | None = None) -> JourneyMap:
    """An SDR call applying BANT: the MQL branch and the nurture branch take the criteria's
    rates unless set by hand."""
    bant = Criteria(
        id="bant",
        name="BANT",
        threshold_score=70,
        questions=[
            Question(
                id="authority", text="Decision maker?", category="authority", points=40, share=0.6
            ),
            Question(id="budget", text="Budget?", category="budget", points=30, share=0.5),
            Question(id="need", text="Need?", category="need", points=30, share=0.8),
        ],
    )
    return JourneyMap(
        criteria=[bant],
        processes=[Process(id="f", name="Funnel")],
        nodes=[
            Node(id="in", process="f", kind="entry", volume=1000),
            Node(id="call", process="f", kind="decision", label="Qualified?", criteria="bant"),
            Node(id="demo", process="f", label="Demo"),
            Node(id="nurture", process="f", label="Nurture"),
            Node(id="won", process="f", kind="won", deal_value=100.0),
            Node(id="lost", process="f", kind="lost"),
        ],
        edges=[
            Edge(id="e1", source="in", target="call", conversion=1.0),
            Edge(id="mql", source="call", target="demo", conversion=mql_conversion),
            Edge(id="not-yet", source="call", target="nurture", kind="recycle"),
            Edge(id="e4", source="demo", target="won", conversion=0.5),
            Edge(id="e5", source="demo", target="lost", conversion=0.5),
            Edge(id="e6", source="nurture", target="lost", conversion=1.0),
        ],
    )


def test_the_step_applying_the_criteria_converts_at_their_pass_rate():
    doc = qualified_funnel()
    rate = pass_rate(doc.criteria[0])
    assert rate == pytest.approx(brute_force(doc.criteria[0]))
    assert criteria_rates(doc) == {"mql": rate, "not-yet": pytest.approx(1 - rate)}
    flow = expected_flow(doc)
    assert flow.edges["mql"] == pytest.approx(1000 * rate)
    assert flow.won == pytest.approx(1000 * rate * 0.5)
    runs = monte_carlo(doc, runs=100, periods=3, seed=2)
    horizon = runs.days / 30.4
    assert abs(runs.won.mean - flow.won * horizon) < 3 * runs.won.se + 1e-9


def test_a_conversion_set_by_hand_wins():
    doc = qualified_funnel(mql_conversion=0.3)
    assert "mql" not in criteria_rates(doc)
    assert expected_flow(doc).edges["mql"] == pytest.approx(300)


def test_one_empty_edge_takes_the_pass_rate_and_the_rest_drops_off():
    doc = qualified_funnel()
    doc.edges = [e for e in doc.edges if e.id != "not-yet"]
    rate = pass_rate(doc.criteria[0])
    flow = expected_flow(doc)
    assert flow.edges["mql"] == pytest.approx(1000 * rate)
    assert flow.nodes["call"].dropoff == pytest.approx(1000 * (1 - rate))


def test_a_scenario_changes_the_threshold_and_the_question_shares():
    doc = qualified_funnel()
    doc.scenarios = [
        Scenario(id="strict", name="Strict", threshold_score={"bant": 100}),
        Scenario(id="budgets", name="Budgets", question_share={"bant.budget": 0.9}),
        Scenario(id="short", name="Short key", question_share={"need": 0.2}),
        Scenario(
            id="by-count",
            name="Two yeses",
            threshold_answers={"bant": 2},
            threshold_score={"bant": 0},
        ),
        Scenario(id="both", name="70 points and two yeses", threshold_answers={"bant": 2}),
    ]
    base = expected_flow(doc).won
    strict = expected_flow(doc, scenario="strict").won
    assert strict == pytest.approx(1000 * 0.6 * 0.5 * 0.8 * 0.5)  # all three answers
    assert expected_flow(doc, scenario="budgets").won > base
    assert expected_flow(doc, scenario="short").won < base
    two = 0.6 * 0.5 + 0.6 * 0.8 + 0.5 * 0.8 - 2 * 0.6 * 0.5 * 0.8
    assert expected_flow(doc, scenario="by-count").won == pytest.approx(1000 * two * 0.5)
    # both rules: authority with budget or need (b + c = 60 points is two yeses, not 70 points)
    both = 0.6 * 0.5 + 0.6 * 0.8 - 0.6 * 0.5 * 0.8
    assert expected_flow(doc, scenario="both").won == pytest.approx(1000 * both * 0.5)
    assert doc.criteria[0].questions[1].share == 0.5  # the map itself is not changed
    doc.scenarios.append(Scenario(id="typo", name="Typo", question_share={"bant.nope": 0.5}))
    with pytest.raises(SimulationError, match="share of question 'bant.nope'"):
        expected_flow(doc, scenario="typo")


def test_sensitivity_lists_the_threshold_and_each_question_share():
    doc = qualified_funnel()
    levers = {lever.target: lever for lever in sensitivity(doc)}
    assert {"bant.authority", "bant.budget", "bant.need"} <= set(levers)
    assert levers["bant.budget"].kind == "question"
    assert levers["bant.budget"].after == pytest.approx(0.55)
    lower = [lever for lever in levers.values() if lever.kind == "threshold"]
    assert lower, "a threshold lever"
    for lever in lower:
        scenario = Scenario(id="t", name="T", threshold_score={"bant": lever.after})
        changed = expected_flow(doc, scenario=scenario)
        assert lever.won_delta == pytest.approx(changed.won - expected_flow(doc).won, abs=1e-9)
    raised = [lever for lever in lower if lever.after > lever.before]
    assert raised and "raise the threshold" in raised[0].what


def test_random_maps_with_criteria_agree_with_a_by_hand_copy():
    """Writing the pass rate into the edges by hand gives the same flow, for random criteria."""
    rng = random.Random(5)
    for _ in range(20):
        doc = qualified_funnel()
        for q in doc.criteria[0].questions:
            q.share = rng.random()
            q.points = rng.choice([10, 20, 25, 40, 7.5])
        doc.criteria[0].threshold_score = rng.uniform(0, 100)
        rate = pass_rate(doc.criteria[0])
        by_hand = doc.model_copy(deep=True)
        by_hand.edge("mql").conversion = rate
        by_hand.edge("not-yet").conversion = 1 - rate
        assert expected_flow(doc).won == pytest.approx(expected_flow(by_hand).won, rel=1e-12)


def _thirds(count: int, threshold: float) -> Criteria:
    """Questions worth thirds of a point (1/3, 2/3, 1...): points no power of ten makes whole."""
    rng = random.Random(count)
    return Criteria(
        id="c",
        name="C",
        threshold_score=threshold,
        questions=[
            Question(id=f"q{i}", text="?", points=rng.randint(1, 12) / 3, share=rng.random())
            for i in range(count)
        ],
    )


def _exact_in_thirds(criteria: Criteria) -> float:
    """The same distribution counted in thirds of a point, where every score is whole."""
    dist = {0: 1.0}
    for q in criteria.questions:
        step = round(q.points * 3)
        grown: dict[int, float] = {}
        for score, chance in dist.items():
            grown[score] = grown.get(score, 0.0) + chance * (1 - q.share)
            grown[score + step] = grown.get(score + step, 0.0) + chance * q.share
        dist = grown
    return sum(c for s, c in dist.items() if s >= criteria.threshold_score * 3 - 1e-9)


@pytest.mark.parametrize("count", [12, 30, 60])
def test_many_questions_with_points_that_fit_no_grid_are_computed_at_once(count):
    """Thirty questions worth thirds of a point took minutes (every distinct score kept one by
    one); past 16 such questions the points are rounded onto a fine grid, which moves no
    score across a threshold half-way between two possible scores."""
    criteria = _thirds(count, threshold=count * 0.6 + 1 / 6)
    assert pass_rate(criteria) == pytest.approx(_exact_in_thirds(criteria), abs=1e-9)
