"""Every command on a 100,000-step, 150,000-edge map: seconds and peak memory (issue 16).

Goals: each command within 60 s and 2 GB; the Mermaid export of 10,000 steps under 2 s. Each
command runs as the user runs it, ``journeymap ...`` in a process of its own (start-up
included), once: the map is large, the machine shared, and the figure that matters is the
order of magnitude against the goal. Besides the wall-clock seconds each command reports the
processor seconds it used (user and system, Graphviz's included): on a shared machine a
command waits for a processor, and its wall-clock time says more about the other jobs than
about the command. The imports read what the exports wrote; a BPMN or draw.io
file of this map is over the 50 MB import limit, so those imports are a quick refusal.

``python benchmarks/bench_scale.py [CODE]`` runs the commands of another checkout (``CODE``,
a folder holding ``app/`` and ``models/``: the figures before a change), with this checkout's
map and harness.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS, EDGES = 100_000, 150_000
TIMEOUT = 600.0


_CHILD = """
import resource, sys
from app.cli import main
try:
    status = main(sys.argv[1:])
finally:
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    peak = max(u.ru_maxrss for u in usage)
    cpu = sum(u.ru_utime + u.ru_stime for u in usage)
    sys.stderr.write(f"\\nPEAK-KB {peak} CPU-S {cpu:.2f}\\n")
sys.exit(status)
"""
"""``journeymap`` as a child process that says, last, its peak memory and processor seconds
(Graphviz's included)."""


def _command(code: Path, argv: list[str]) -> tuple[float, float, float, int, str]:
    """(seconds, processor seconds, peak MB, exit status, what it said on stderr) of
    ``journeymap argv``."""
    env = {**os.environ, "PYTHONPATH": str(code), "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, *argv],
            cwd=code,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return TIMEOUT, -1.0, -1.0, -1, f"over {TIMEOUT:g} s"
    seconds = time.perf_counter() - start
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    peak = cpu = -1.0
    if lines and lines[-1].startswith("PEAK-KB "):
        _, kb, _, used = lines.pop().split()
        peak, cpu = int(kb) / 1024, float(used)
    return seconds, cpu, peak, done.returncode, " ".join(lines).strip()[:160]


def scale_map(path: Path) -> None:
    """Write the map, in a process of its own: a child forked from a big process would report
    the parent's memory as its own peak."""
    subprocess.run(
        [sys.executable, "-c", _GENERATE, str(path)],
        cwd=HERE.parent,
        env={**os.environ, "PYTHONPATH": str(HERE.parent)},
        check=True,
    )


_GENERATE = """
import sys
from benchmarks.bench_scale import write_map
write_map(sys.argv[1])
"""


def write_map(path: str) -> None:
    from models.generate import generate_funnel
    from models.storage import save_map

    # the map of issue 16's report: 316 layers, so few leads reach the end that goal seek says
    # there is no revenue to scale (a refusal, exit 2); every other command computes in full
    save_map(generate_funnel(STEPS, EDGES, seed=1), path)


def commands(folder: Path, big: Path) -> list[tuple[str, list[str]]]:
    out = [
        ("validate", ["validate", str(big)]),
        ("analyze", ["analyze", str(big), "--fail-on", "never"]),
        ("simulate", ["simulate", str(big)]),
        ("simulate --runs 20", ["simulate", str(big), "--runs", "20"]),
        ("goal", ["goal", str(big), "--revenue", "10000000"]),
    ]
    for fmt, ext in [
        ("json", "out.json"),
        ("csv", "csv"),
        ("xlsx", "xlsx"),
        ("bpmn", "bpmn"),
        ("drawio", "drawio"),
        ("mermaid", "mmd"),
        ("dot", "dot"),
        ("html", "html"),
        ("svg", "svg"),
        ("png", "png"),
        ("pdf", "pdf"),
    ]:
        out.append(
            (f"export {fmt}", ["export", str(big), "--format", fmt, "-o", f"{folder}/big.{ext}"])
        )
    for ext in ("csv", "xlsx", "bpmn", "drawio"):
        target = f"{folder}/back-{ext}.json"
        out.append((f"import {ext}", ["import", f"{folder}/big.{ext}", "-o", target, "--force"]))
    return out


def run(code: Path = HERE.parent) -> list[tuple[str, float, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = folder / "big.json"
        scale_map(big)
        for what, argv in commands(folder, big):
            seconds, cpu, peak, status, said = _command(code, argv)
            note = "" if status == 0 else f" (exit {status}: {said})"
            print(f"  {what:20} {seconds:7.1f} s {cpu:7.1f} s CPU {peak:7.0f} MB{note}", flush=True)
            rows.append((f"{what}: seconds (100,000 steps)", seconds, "s"))
            rows.append((f"{what}: processor seconds", cpu, "s"))
            rows.append((f"{what}: peak memory", peak, "MB"))
        rows.append(("export mermaid, 10,000 steps", _mermaid_10k(code), "s"))
    return rows


_MERMAID = """
import statistics, time
from exporters.mermaid import generate_mermaid
from models.generate import generate_funnel
doc = generate_funnel(10_000, 15_000, seed=1)
times = []
for _ in range(3):
    start = time.perf_counter()
    generate_mermaid(doc)
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""


def _mermaid_10k(code: Path) -> float:
    """The median of 3 Mermaid exports of a 10,000-step map, in the code under test."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    try:
        done = subprocess.run(
            [sys.executable, "-c", _MERMAID],
            cwd=code,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return TIMEOUT
    return float(done.stdout.strip() or "nan")


def main() -> list[tuple[str, float, str]]:
    return run()


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    code = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE.parent
    for what, value, unit in run(code):
        print(f"{what:50} {value:10.2f} {unit}")
