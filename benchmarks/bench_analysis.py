"""Analysis speed: a 2,000-node map on every edit; a 100,000-node map off the UI thread.

The 2,000-node figure is given twice: wall time, and processor time over the same runs (on a
shared machine, waiting for a core stretches the wall time; the processor time shows the work).
"""

from __future__ import annotations

import statistics
import time

from timing import median_time  # benchmarks/timing.py

from models.analysis import analyze
from models.generate import generate_funnel

REPEATS = 15


def main() -> list[tuple[str, float, str]]:
    small = generate_funnel(2000, 3000, seed=1, recycle_share=0.05)
    big = generate_funnel(100_000, 200_000, seed=2, recycle_share=0.02)
    analyze(small)  # the first run loads scipy and remembers the criteria pass rates
    walls, cpus = [], []
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), time.process_time()
        analyze(small)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return [
        (
            f"analyze 2,000 nodes / 3,000 edges (median of {REPEATS})",
            statistics.median(walls) * 1000,
            "ms",
        ),
        (
            f"the same, processor time (median of {REPEATS})",
            statistics.median(cpus) * 1000,
            "ms",
        ),
        (
            "analyze 100,000 nodes / 200,000 edges (median of 3)",
            median_time(lambda: analyze(big), 3),
            "s",
        ),
    ]
