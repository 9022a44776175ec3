"""Analysis speed: a 2,000-node map on every edit; a 100,000-node map off the UI thread."""

from __future__ import annotations

from timing import median_time  # benchmarks/timing.py

from models.analysis import analyze
from models.generate import generate_funnel


def main() -> list[tuple[str, float, str]]:
    small = generate_funnel(2000, 3000, seed=1, recycle_share=0.05)
    big = generate_funnel(100_000, 200_000, seed=2, recycle_share=0.02)
    return [
        (
            "analyze 2,000 nodes / 3,000 edges (median of 15)",
            median_time(lambda: analyze(small), 15) * 1000,
            "ms",
        ),
        (
            "analyze 100,000 nodes / 200,000 edges (median of 3)",
            median_time(lambda: analyze(big), 3),
            "s",
        ),
    ]
