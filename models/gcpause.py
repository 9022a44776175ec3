"""Pause Python's cycle collector around bulk work, safely across threads.

Loading or analysing a big map creates hundreds of thousands of objects and no
reference cycles; each automatic collection would walk all of them (a third of
the analysis time at 100,000 nodes). The collector is process-wide, so pauses
are counted: it is switched off by the first pause and back on by the last one
to end, whichever threads they run in, and only if it was on to begin with.

>>> import gc
>>> with paused_gc():
...     with paused_gc():
...         gc.isenabled()
...     gc.isenabled()
False
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_restore = False


@contextmanager
def paused_gc() -> Iterator[None]:
    global _depth, _restore
    with _lock:
        if _depth == 0:
            _restore = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _restore:
                gc.enable()
