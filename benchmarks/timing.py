"""The one timing helper of the benchmarks: medians, since the machines are shared and noisy."""

from __future__ import annotations

import statistics
import time


def median_time(fn, repeats: int) -> float:
    """The median wall time of ``repeats`` calls of ``fn``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
