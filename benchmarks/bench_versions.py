"""`journeymap diff` and `journeymap merge` on 2,000-step maps, end to end as a user runs them:
each command a fresh Python process (start-up, reading and validating the maps, the diff or
merge, writing the merged file). Issue 19's goal: both under 0.5 s.

The map is a generated buying group (10 buyer roles' processes and a company funnel, 2,000
steps); ours and theirs are copies with the edits a workshop makes on each side: steps
relabelled, conversions and delays changed, steps added with their connections in different
processes, a connection and a step removed, steps moved. Medians of 7 runs, wall clock and
CPU time (user + system of the child).

The commands run as installed, from compiled bytecode (pip compiles it when it installs): the
children may write it, whatever PYTHONDONTWRITEBYTECODE says, else every run would compile the
project's modules from source first (0.08 s of CPU, more than the merge itself).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7


def _edited(base, side: str, seed: int):
    from models.document import Edge, Node

    doc = base.model_copy(deep=True)
    nodes, edges = doc.nodes, doc.edges
    step = 97 + seed
    for k in range(5):  # relabel steps
        i = (k * step + seed) % len(nodes)
        nodes[i] = nodes[i].model_copy(update={"label": f"{nodes[i].label} ({side})"})
    flows = [i for i, e in enumerate(edges) if e.kind == "flow"]
    for k in range(4):  # change conversions and delays
        i = flows[(k * step + 3 * seed) % len(flows)]
        edges[i] = edges[i].model_copy(update={"conversion": 0.25 + 0.1 * k, "delay_days": 2.0})
    for k in range(2):  # add a step and the connection to it, in a process of each side's own
        process = doc.processes[(2 * k + seed) % len(doc.processes)].id
        source = next(n for n in doc.nodes_of(process) if n.kind not in ("won", "lost"))
        new = Node(id=f"node-{side}{k}", process=process, label=f"{side} step {k}")
        nodes.append(new)
        edges.append(Edge(id=f"edge-{side}{k}", source=source.id, target=new.id))
        doc.layout.nodes[new.id] = (100.0 * k, 900.0 + seed)
    removed = edges.pop(flows[(7 * step + seed) % len(flows)] - 0)  # a connection removed
    assert removed.id
    gone = nodes[(11 * step + seed) % len(nodes)]  # a step removed, with its connections
    if gone.kind not in ("entry", "won", "lost"):
        nodes.remove(gone)
        doc.edges = [e for e in doc.edges if gone.id not in (e.source, e.target)]
        doc.layout.nodes.pop(gone.id, None)
    for k in range(10):  # steps moved
        node = doc.nodes[(13 * k * step + seed) % len(doc.nodes)]
        doc.layout.nodes[node.id] = (50.0 * k, 40.0 * seed)
    return doc


def _maps(folder: Path) -> tuple[Path, Path, Path]:
    from models.generate import generate_buying_group
    from models.storage import save_map

    base = generate_buying_group(10, 2000, seed=1)
    paths = folder / "base.json", folder / "ours.json", folder / "theirs.json"
    docs = (base, _edited(base, "ours", 1), _edited(base, "theirs", 2))
    for doc, path in zip(docs, paths, strict=True):
        save_map(doc, path)
    return paths


def _run(args: list[str]) -> tuple[float, float, int]:
    """(wall s, CPU s, exit code) of one `journeymap ...` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr.decode())
    return wall, cpu, done.returncode


def main() -> list[tuple[str, float, str]]:
    folder = Path(tempfile.mkdtemp())
    base, ours, theirs = _maps(folder)
    out = folder / "merged.json"
    commands = {
        "version": ["--version"],
        "diff": ["diff", str(base), str(ours)],
        "merge": ["merge", str(base), str(ours), str(theirs), "-o", str(out)],
    }
    times: dict[str, list[tuple[float, float, int]]] = {name: [] for name in commands}
    for args in commands.values():  # warm the file cache and write the bytecode
        _run(args)
    for _ in range(RUNS):  # alternate, so all see the same load on a shared machine
        for name, args in commands.items():
            times[name].append(_run(args))
    assert times["diff"][0][2] == 1 and times["merge"][0][2] == 0, "the edits should merge"
    load = os.getloadavg()[0]

    def med(name: str, k: int) -> float:
        return statistics.median(t[k] for t in times[name])

    size = base.stat().st_size // 1024
    return [
        (f"journeymap diff, 2,000-step maps ({size} KB), wall (goal < 0.5 s)", med("diff", 0), "s"),
        ("journeymap diff, CPU (user + sys)", med("diff", 1), "s"),
        ("journeymap merge, 3 such maps, clean, wall (goal < 0.5 s)", med("merge", 0), "s"),
        ("journeymap merge, CPU (user + sys)", med("merge", 1), "s"),
        ("journeymap --version (start-up alone), wall", med("version", 0), "s"),
        ("load average during the runs (1 min)", load, ""),
    ]


if __name__ == "__main__":
    for what, value, unit in main():
        print(f"{what}: {value:.3g} {unit}")
