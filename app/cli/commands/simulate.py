"""journeymap simulate FILE [--process ID] [--scenario NAME] [--periods N] [--runs N] [--seed S]
[--format text|json] [--compare] [--sensitivity] [--actuals CSV]"""

from __future__ import annotations

from app.cli import CommandError
from app.cli.commands._common import add_format_argument, add_map_argument, print_json, read_map
from models.simulation import text  # light; the solvers load in run() (a fast --help)
from models.simulation.results import num

NAME = "simulate"
HELP = "simulate leads, deals and revenue through a process: expected flow, Monte Carlo, scenarios"
ORDER = 40


def register(parser) -> None:
    add_map_argument(parser)
    parser.add_argument(
        "--process", metavar="ID", help="the process to simulate (default: the company funnel)"
    )
    parser.add_argument(
        "--scenario", metavar="NAME", help="a scenario's name or id (default: the baseline)"
    )
    parser.add_argument(
        "--periods",
        type=int,
        default=6,
        metavar="N",
        help="periods the Monte Carlo covers (default 6)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=0,
        metavar="N",
        help="Monte Carlo runs; 0 for the expected flow only (default 0)",
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    add_format_argument(parser)
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also show the baseline and every scenario side by side",
    )
    parser.add_argument(
        "--sensitivity",
        action="store_true",
        help="also rank the single changes that move revenue most",
    )
    parser.add_argument(
        "--actuals",
        metavar="CSV",
        help="counts per node or stage (node,count or stage,count): calibrate the "
        "conversions from them and show plan against actual",
    )


def run(args) -> int:
    from models.simulation import (
        calibrate,
        expected_flow,
        monte_carlo,
        read_actuals,
    )
    from models.simulation.compare import compare
    from models.simulation.sensitivity import sensitivity

    if args.periods < 1:
        raise CommandError(f"--periods must be 1 or more, not {args.periods}")
    if args.runs < 0:
        raise CommandError(f"--runs must be 0 or more, not {args.runs}")
    if args.seed < 0:
        raise CommandError(f"--seed must be 0 or more, not {args.seed}")
    doc = read_map(args.file)
    calibration = None
    if args.actuals:
        actuals = read_actuals(args.actuals)
        original = doc
        doc, rows = calibrate(doc, actuals, args.process)
        calibration = (actuals, rows, original)
    flow = expected_flow(doc, args.process, args.scenario)
    process = flow.process
    mc = (
        monte_carlo(
            doc, process, args.scenario, periods=args.periods, runs=args.runs, seed=args.seed
        )
        if args.runs > 0
        else None
    )
    comparison = compare(doc, process) if args.compare else None
    levers = sensitivity(doc, process, args.scenario) if args.sensitivity else None
    if args.format == "json":
        out = {
            "map": doc.name,
            "process": process,
            "process_name": flow.process_name,
            "scenario": flow.scenario,
            "period": flow.period,
            "currency": flow.currency,
            "expected": flow.to_dict(),
        }
        if mc is not None:
            out["monte_carlo"] = mc.to_dict()
        if comparison is not None:
            out["comparison"] = comparison.to_dict()
        if levers is not None:
            out["sensitivity"] = [lever.to_dict() for lever in levers]
        if calibration is not None:
            out["calibration"] = _calibration_json(*calibration, doc)
        print_json(out)
        return 0
    labels = dict(zip(flow.nodes, (n.label for n in flow.nodes.values()), strict=True))
    scenario = f"scenario '{flow.scenario}'" if flow.scenario else "baseline"
    lines = [f"{doc.name}: '{flow.process_name}' ({process}), {scenario}, per {flow.period}", ""]
    if calibration is not None:
        lines += _calibration_text(calibration[1]) + [""]
    lines += text.flow_lines(flow, labels)
    if mc is not None:
        lines += [""] + text.monte_carlo_lines(mc)
    if comparison is not None:
        lines += [""] + text.comparison_lines(comparison)
    if levers is not None:
        lines += [""] + text.sensitivity_lines(levers, flow.currency, flow.period)
    print("\n".join(lines))
    return 0


def _calibration_json(actuals, rows, original, calibrated) -> dict:
    before = {e.id: e.conversion for e in original.edges}
    changed = {
        e.id: {"plan": num(before.get(e.id)), "calibrated": num(e.conversion)}
        for e in calibrated.edges
        if e.conversion != before.get(e.id)
    }
    return {
        "file": actuals.path,
        "by": actuals.by,
        "periods": len(actuals.periods),
        "plan_vs_actual": [r.to_dict() for r in rows],
        "conversions": changed,
    }


def _calibration_text(rows) -> list[str]:
    out = ["Plan against actual (per period)"]
    table = [["", "Plan", "Actual", "Actual/plan", "Calibrated"]]
    table += [
        [
            r.label,
            text.number(r.plan, 1),
            text.number(r.actual, 1),
            text.percent(r.ratio),
            text.number(r.calibrated, 1),
        ]
        for r in rows
    ]
    return out + text.table(table)
