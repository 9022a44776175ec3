"""The Monte Carlo's days cost the leads' steps, not the map's (issue 16: 20 runs of a
100,000-step map took 177 processor seconds). Work is counted, not timed: random numbers
drawn, and the calls and lines a simulated day runs (tests/work_count.py)."""

from __future__ import annotations

import numpy as np
from work_count import work

from models.document import Edge, JourneyMap, Node, Process, Team
from models.simulation import monte_carlo, montecarlo


def fan(steps: int, idle: int = 0) -> JourneyMap:
    """``steps`` entries hand 300 leads a month in all to ``steps`` steps of a team that works
    half of them, whose leads close at 40 %; and a chain of ``idle`` steps after an entry with
    no volume, which no lead ever reaches."""
    nodes = [
        Node(id="won", process="p", kind="won", deal_value=100),
        Node(id="cold", process="p", kind="entry", volume=0.0, owner="mkt"),
    ]
    edges = []
    for k in range(steps):
        nodes.append(Node(id=f"in{k}", process="p", kind="entry", volume=300.0 / steps))
        nodes.append(Node(id=f"s{k}", process="p", kind="action", owner="sales"))
        edges.append(Edge(id=f"a{k}", source=f"in{k}", target=f"s{k}", conversion=1.0))
        edges.append(Edge(id=f"b{k}", source=f"s{k}", target="won", conversion=0.4))
    previous = "cold"
    for k in range(idle):
        nodes.append(Node(id=f"i{k}", process="p", kind="decision"))
        edges.append(Edge(id=f"c{k}", source=previous, target=f"i{k}", conversion=0.9))
        previous = f"i{k}"
    edges.append(Edge(id="last", source=previous, target="won", conversion=0.5))
    return JourneyMap(
        name="Fan",
        period="month",
        teams=[
            Team(id="mkt", name="Marketing"),
            Team(id="sales", name="Sales", headcount=1, capacity=150.0),
        ],
        processes=[Process(id="p", name="P")],
        nodes=nodes,
        edges=edges,
    )


class Counting:
    """A random generator that counts the numbers it draws."""

    def __init__(self, rng: np.random.Generator, tally: list[int]) -> None:
        self.rng, self.tally = rng, tally

    def __getattr__(self, name):
        method = getattr(self.rng, name)

        def draw(*args, **kwargs):
            out = method(*args, **kwargs)
            self.tally[0] += int(np.size(out))
            return out

        return draw


def drawn(monkeypatch, doc: JourneyMap) -> int:
    """Random numbers drawn by 20 runs of 2 months of ``doc``."""
    tally = [0]
    real = montecarlo.generator
    monkeypatch.setattr(montecarlo, "generator", lambda seed, b: Counting(real(seed, b), tally))
    result = monte_carlo(doc, periods=2, runs=20, seed=3)
    assert result.won.mean > 0
    return tally[0]


def test_steps_no_lead_reaches_draw_no_random_numbers(monkeypatch):
    """A day draws random numbers for the steps holding leads: 3,000 more steps that no lead
    reaches (as most of a huge map behind a team at capacity) draw nothing more."""
    few, many = drawn(monkeypatch, fan(20)), drawn(monkeypatch, fan(20, idle=3000))
    assert many == few, (few, many)


def daily(doc: JourneyMap) -> int:
    """The work of one month of 5 runs of ``doc`` (2 months less 1: the map's reading and
    setup cancel out)."""
    one = work(lambda: monte_carlo(doc, periods=1, runs=5, seed=1))
    two = work(lambda: monte_carlo(doc, periods=2, runs=5, seed=1))
    return two - one


def test_a_busy_team_shares_its_day_in_a_few_draws_however_many_steps_it_has():
    """A team working half of what waits at its 400 steps does a day's sharing in about as
    many calls as with 100 steps (draws down a tree of its steps, not one step at a time)."""
    small, large = daily(fan(100)), daily(fan(400))
    assert large < 1.5 * small, (small, large)


def test_levels_no_lead_reaches_cost_a_day_nothing():
    """Zero-day hops are worked level by level each day; a chain of 1,200 zero-day steps that
    no lead reaches (1,200 levels) costs a simulated day no more than one of 300 (within a few
    calls: whatever else the interpreter runs meanwhile, such as a garbage collection)."""
    short, long = daily(fan(20, idle=300)), daily(fan(20, idle=1200))
    assert long < 1.05 * short, (short, long)


def test_a_huge_map_runs_in_smaller_batches_with_the_same_guarantees(monkeypatch):
    """A map whose leads on their way would pass the batch's memory budget runs fewer runs at
    a time: progress comes after each of those batches, and more runs still only add runs
    (whole batches of them, as with batches of 100)."""
    doc = fan(5)
    monkeypatch.setattr(montecarlo, "BATCH_CELLS", 250)
    seen: list[tuple[int, int]] = []
    long = monte_carlo(doc, periods=1, runs=30, seed=4, progress=lambda d, t: seen.append((d, t)))
    step = seen[0][0]
    assert 1 < step < 15 and seen == [(min(k, 30), 30) for k in range(step, 30 + step, step)]
    short = monte_carlo(doc, periods=1, runs=2 * step, seed=4)  # whole batches: the same runs
    assert long.won_runs[: 2 * step] == short.won_runs
