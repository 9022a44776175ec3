"""Work counted, not timed: the same count on every run, so a loaded machine passes a growth
test exactly as an idle one does (shared by the tests that check work grows with the input)."""

from __future__ import annotations

import sys
from collections.abc import Callable


def work(run: Callable[[], object]) -> int:
    """The work ``run`` does (after a first call: modules it imports, caches): every Python
    call and line it runs and every C function it calls."""
    run()
    count = 0

    def trace(frame, event, arg):  # a call, then each line of that frame
        nonlocal count
        count += 1
        return trace

    def profile(frame, event, arg):
        nonlocal count
        count += event == "c_call"

    sys.settrace(trace)
    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
        sys.settrace(None)
    return count
