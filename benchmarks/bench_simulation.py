"""Simulation speed: the exact flow against a bare sparse solve; 1,000 Monte Carlo runs with capacity and SLA.

Goals (issue 5): the exact flow on a 10,000-node chain within 2x a bare
``scipy.sparse.linalg.spsolve`` of the same size measured in the same run;
1,000 Monte Carlo runs of a 50-node map over about 180 days, with capacity and
an SLA, under 10 s. Issue 15: ``expected_flow`` end to end from a parsed map under 2x the
bare solve plus the time to read the map's lists once; the sensitivity of a generated
2,000-step, 3,000-edge funnel (every conversion, team and entry) under 0.2 s. Medians of
repeated runs (the machines are shared).
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from scipy.sparse import csc_matrix, identity
from scipy.sparse.linalg import spsolve
from timing import median_time  # benchmarks/timing.py

from models.document import SLA
from models.generate import generate_chain, generate_funnel
from models.simulation import expected_flow, monte_carlo
from models.simulation.linear import solve
from models.simulation.network import compile_network
from models.simulation.sensitivity import sensitivity

CHAIN = 10_000
STEPS, EDGES = 2_000, 3_000


def bare_system(n: int, conversion: float = 0.9):
    """The chain's matrix I - P^T and its source vector, built straight from numpy."""
    rows, cols = np.arange(1, n), np.arange(n - 1)
    matrix = identity(n, format="csc") - csc_matrix(
        (np.full(n - 1, conversion), (rows, cols)), shape=(n, n)
    )
    source = np.zeros(n)
    source[0] = 1000.0
    return matrix.tocsc(), source


def capacity_map():
    """generate_funnel's 50 nodes (3 teams with capacities) plus two SLAs with response windows."""
    doc = generate_funnel(50, 80, seed=1)
    doc.slas = [
        SLA(
            id="mql",
            name="MQLs touched within 8 working hours",
            from_team="marketing",
            to_team="sdr",
            response_hours=8,
            late_conversion_factor=0.6,
        ),
        SLA(
            id="sql",
            name="SQLs accepted within 2 working days",
            from_team="sdr",
            to_team="sales",
            response_hours=16,
            late_conversion_factor=0.8,
        ),
    ]
    return doc


def read_lists(doc) -> None:
    """What any simulation must do with a parsed map: read its lists once into arrays."""
    index = {node.id: i for i, node in enumerate(doc.nodes)}
    np.array([index[e.source] for e in doc.edges])
    np.array([index[e.target] for e in doc.edges])
    np.array([e.conversion or 0.0 for e in doc.edges])
    np.array([node.volume or 0.0 for node in doc.nodes])


def interleaved_cpu(fns: dict, rounds: int) -> dict:
    """The median CPU time of each of ``fns``, called in turn ``rounds`` times: each sees the
    same machine (load, caches) as the others, which a block of repeats of one does not."""
    times: dict = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.process_time()
            fn()
            times[name].append(time.process_time() - start)
    return {name: statistics.median(found) for name, found in times.items()}


def median_cpu(fn, repeats: int) -> float:
    """The median CPU time of ``repeats`` calls (a busy shared machine stretches wall time)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def sensitivity_maps():
    """The 2,000-step funnel with every step on a path to an outcome (Marketing at capacity), and
    the same with 5 % recycle edges (one loop of about 1,000 steps)."""
    return (
        generate_funnel(STEPS, EDGES, seed=1, thin_spine=True),
        generate_funnel(STEPS, EDGES, seed=1, recycle_share=0.05, thin_spine=True),
    )


def main() -> list[tuple[str, float, str]]:
    chain = generate_chain(CHAIN)
    net = compile_network(chain, "chain")
    matrix, source = bare_system(CHAIN)
    assert np.isclose(spsolve(matrix, source)[-1], solve(net).arrivals[-1])
    bare = median_time(lambda: spsolve(matrix, source), 21)
    kernel = median_time(lambda: solve(net), 21)
    full = median_time(lambda: expected_flow(chain), 21)
    read = median_time(lambda: read_lists(chain), 21)
    cpu = interleaved_cpu(
        {
            "bare": lambda: spsolve(matrix, source),
            "read": lambda: read_lists(chain),
            "full": lambda: expected_flow(chain),
        },
        41,
    )
    acyclic, looped = sensitivity_maps()
    levers = len(sensitivity(acyclic))
    fast = median_time(lambda: sensitivity(acyclic), 7)
    fast_cpu = median_cpu(lambda: sensitivity(acyclic), 7)
    loops = median_time(lambda: sensitivity(looped), 7)
    loops_cpu = median_cpu(lambda: sensitivity(looped), 7)
    doc = capacity_map()
    runs = median_time(lambda: monte_carlo(doc, periods=6, runs=1000, seed=0), 3)
    days = monte_carlo(doc, periods=6, runs=1, seed=0).days
    return [
        (f"bare spsolve, {CHAIN:,}-node chain (median of 21)", bare * 1000, "ms"),
        (f"exact flow solve, {CHAIN:,}-node chain (median of 21)", kernel * 1000, "ms"),
        ("  ratio exact flow solve / bare spsolve", kernel / bare, "x"),
        (
            f"expected_flow end to end from the map, {CHAIN:,} nodes (median of 21)",
            full * 1000,
            "ms",
        ),
        (f"reading the map's lists once, {CHAIN:,} nodes (median of 21)", read * 1000, "ms"),
        (
            "  ratio end to end / (2 x bare spsolve + reading the lists)",
            full / (2 * bare + read),
            "x",
        ),
        (
            "  CPU, taken in turn (median of 41): bare spsolve",
            cpu["bare"] * 1000,
            "ms",
        ),
        ("  CPU: reading the lists once", cpu["read"] * 1000, "ms"),
        ("  CPU: expected_flow end to end", cpu["full"] * 1000, "ms"),
        (
            "  CPU ratio end to end / (2 x bare spsolve + reading the lists)",
            cpu["full"] / (2 * cpu["bare"] + cpu["read"]),
            "x",
        ),
        (
            f"sensitivity, {STEPS:,}-step {EDGES:,}-edge funnel, {levers:,} levers (median of 7)",
            fast * 1000,
            "ms",
        ),
        ("  its CPU time (median of 7)", fast_cpu * 1000, "ms"),
        ("sensitivity, the same with 5 % recycle loops (median of 7)", loops * 1000, "ms"),
        ("  its CPU time (median of 7)", loops_cpu * 1000, "ms"),
        (f"Monte Carlo 1,000 runs, 50 nodes, {days} days, capacity + SLA (median of 3)", runs, "s"),
    ]


if __name__ == "__main__":
    for what, value, unit in main():
        print(f"{what:75} {value:10.3f} {unit}")
