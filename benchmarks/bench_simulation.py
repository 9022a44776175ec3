"""Simulation speed: the exact flow against a bare sparse solve; 1,000 Monte Carlo runs with capacity and SLA.

Goals (issue 5): the exact flow on a 10,000-node chain within 2x a bare
``scipy.sparse.linalg.spsolve`` of the same size measured in the same run;
1,000 Monte Carlo runs of a 50-node map over about 180 days, with capacity and
an SLA, under 10 s. Medians of repeated runs (the machines are shared).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csc_matrix, identity
from scipy.sparse.linalg import spsolve
from timing import median_time  # benchmarks/timing.py

from models.document import SLA
from models.generate import generate_chain, generate_funnel
from models.simulation import expected_flow, monte_carlo
from models.simulation.linear import solve
from models.simulation.network import compile_network

CHAIN = 10_000


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


def main() -> list[tuple[str, float, str]]:
    chain = generate_chain(CHAIN)
    net = compile_network(chain, "chain")
    matrix, source = bare_system(CHAIN)
    assert np.isclose(spsolve(matrix, source)[-1], solve(net).arrivals[-1])
    bare = median_time(lambda: spsolve(matrix, source), 21)
    kernel = median_time(lambda: solve(net), 21)
    full = median_time(lambda: expected_flow(chain), 5)
    doc = capacity_map()
    runs = median_time(lambda: monte_carlo(doc, periods=6, runs=1000, seed=0), 3)
    days = monte_carlo(doc, periods=6, runs=1, seed=0).days
    return [
        (f"bare spsolve, {CHAIN:,}-node chain (median of 21)", bare * 1000, "ms"),
        (f"exact flow solve, {CHAIN:,}-node chain (median of 21)", kernel * 1000, "ms"),
        ("  ratio exact flow solve / bare spsolve", kernel / bare, "x"),
        (
            f"expected_flow end to end from the map, {CHAIN:,} nodes (median of 5)",
            full * 1000,
            "ms",
        ),
        (f"Monte Carlo 1,000 runs, 50 nodes, {days} days, capacity + SLA (median of 3)", runs, "s"),
    ]


if __name__ == "__main__":
    for what, value, unit in main():
        print(f"{what:75} {value:10.3f} {unit}")
