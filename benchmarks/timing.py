"""The timing helpers of the benchmarks: medians (the machines are shared and noisy) and the
UI-stall heartbeat."""

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


class Heartbeat:
    """A 5 ms QTimer; the longest gap between its ticks is the longest UI stall (Qt is imported
    here, when a GUI benchmark asks for one)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def __enter__(self):
        self.last, self.worst = time.perf_counter(), 0.0
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._tick()
        self.timer.stop()
