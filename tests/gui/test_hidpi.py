"""Connections are painted at every device pixel ratio (a projector or a 4K screen at 200 %)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("hidpi_probe.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("scale", ["1", "1.5", "2"])
def test_every_connection_in_view_is_painted_at_scale(scale):
    """At QT_SCALE_FACTOR=2 the edges past the middle of the view were never painted."""
    env = {**os.environ, "QT_SCALE_FACTOR": scale, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(PROBE)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ratio"] == float(scale)
    assert report["unpainted"] == []
