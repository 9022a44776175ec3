"""Run every benchmark (benchmarks/bench_*.py) and print their figures.

Each module has ``main() -> list[tuple[str, float, str]]`` returning
(what, median value, unit) rows; ``make bench`` prints them as a table and
writes benchmarks/results/latest.json. Medians of repeated runs: the machines
are shared and noisy.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(argv: list[str]) -> int:
    only = set(argv)
    results = {}
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem[len("bench_") :]
        if only and name not in only:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        sys.path.insert(0, str(HERE.parent))
        sys.path.insert(
            0, str(HERE)
        )  # the benchmarks' own helpers (timing.py), as when run directly
        spec.loader.exec_module(module)
        print(f"== {name}", flush=True)
        rows = module.main()
        for what, value, unit in rows:
            print(f"  {what:60} {value:10.3f} {unit}", flush=True)
        results[name] = [{"what": w, "median": v, "unit": u} for w, v, u in rows]
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
