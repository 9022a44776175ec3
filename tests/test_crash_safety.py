"""Kill a saving process at random moments: the map on disk is always whole.

A child process saves maps of different sizes in a loop and says so on a pipe
after each save; the test waits for one to three saves, then SIGKILLs it after a
random delay, 200 times (waiting for saves, not for time, so a loaded machine
that is slow to schedule the child still sees saves interrupted and completed). After each kill the file must load as exactly
one of the maps that were saved (never empty, partial or unreadable), and the
next load must leave no orphan temp file behind.
"""

from __future__ import annotations

import os
import random
import signal
import sys

import pytest

from models import load_map, save_map
from models.generate import generate_funnel
from models.storage import TEMP_SUFFIX

KILLS = 200

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")


def test_sigkill_during_save_never_leaves_a_broken_file(tmp_path):
    versions = [generate_funnel(n, n + n // 2, seed=n) for n in (8, 60, 300)]
    path = tmp_path / "map.json"
    save_map(versions[0], path)
    rng = random.Random(1234)
    seen_names = set()
    for _ in range(KILLS):
        saved, told = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: save forever, alternating sizes, a byte on the pipe after each
            try:
                os.close(saved)
                index = 0
                while True:
                    save_map(versions[index % len(versions)], path)
                    os.write(told, b".")
                    index += 1
            finally:
                os._exit(0)
        os.close(told)
        _wait_for_saves(saved, rng.randint(1, 3))
        # up to ~15 ms more: long enough to land in every phase of a save (write, fsync, rename)
        _spin(rng.random() * 0.015)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(saved)
        loaded = load_map(path)
        seen_names.add(loaded.name)
        assert loaded in versions
        leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(TEMP_SUFFIX)]
        assert leftovers == [], leftovers
    assert len(seen_names) >= 2, "the kills never interrupted a save: the test proved nothing"


def _wait_for_saves(pipe: int, count: int) -> None:
    while count > 0:
        got = os.read(pipe, count)
        assert got, "the saving process ended"
        count -= len(got)


def _spin(seconds: float) -> None:
    import time

    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
