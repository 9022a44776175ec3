"""journeymap goal FILE --revenue AMOUNT [--process ID] [--scenario NAME] [--format text|json]"""

from __future__ import annotations

import math

from app.cli import CommandError
from app.cli.commands._common import add_format_argument, add_map_argument, print_json, read_map
from models.simulation import text  # light; the solver loads in run() (a fast --help)

NAME = "goal"
HELP = "the reverse funnel: leads, stage counts and people a revenue target per period needs"
ORDER = 45


def register(parser) -> None:
    add_map_argument(parser)
    parser.add_argument(
        "--revenue",
        required=True,
        metavar="AMOUNT",
        help="revenue target per period of the map, in its currency (e.g. 1000000)",
    )
    parser.add_argument("--process", metavar="ID", help="the process (default: the company funnel)")
    parser.add_argument(
        "--scenario", metavar="NAME", help="a scenario's name or id (default: the baseline)"
    )
    add_format_argument(parser)


def parse_amount(raw: str) -> float:
    """'1,000,000', '1e6', '250000.50' -> a positive amount, or a one-sentence CommandError."""
    cleaned = raw.strip().replace(",", "").replace("_", "").replace(" ", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise CommandError(f"--revenue must be an amount like 1000000, not '{raw}'") from None
    if not math.isfinite(value) or value <= 0:
        raise CommandError(f"--revenue must be an amount above zero, not '{raw}'")
    if value > MAX_REVENUE:
        raise CommandError(f"--revenue must be at most {MAX_REVENUE:,.0f}, not '{raw}'")
    return value


MAX_REVENUE = 1e15
"""The largest revenue target per period (a thousand times the largest deal a map holds)."""


def run(args) -> int:
    from models.simulation import goal_seek

    revenue = parse_amount(args.revenue)
    doc = read_map(args.file)
    goal = goal_seek(doc, revenue, args.process, args.scenario)
    if args.format == "json":
        print_json({"map": doc.name, **goal.to_dict()})
        return 0
    c, per = goal.currency, f"per {goal.period}"
    scenario = f", scenario '{goal.scenario}'" if goal.scenario else ""
    lines = [
        f"{doc.name}: '{goal.process_name}' ({goal.process}){scenario}",
        f"Goal: {text.money(goal.target_revenue, c)} {per}; today {text.money(goal.current_revenue, c)} "
        f"(x{goal.scale:,.2f})",
        "",
    ]
    lines += text.table(
        [
            [
                "Deals needed",
                f"{goal.deals_needed:,.2f}",
                f"at {text.money(goal.deal_value, c)} a deal (today {goal.current_deals:,.2f})",
            ]
        ]
    )
    lines += ["", f"Leads needed {per}, by entry"]
    lines += text.table(
        [["", "Today", "Needed"]]
        + [[e.label, text.number(e.current), text.number(e.needed)] for e in goal.entries]
    )
    if goal.stages:
        lines += ["", f"Leads reaching each stage {per}"]
        lines += text.table(
            [["", "Today", "Needed"]]
            + [[s.name, text.number(s.current, 1), text.number(s.needed, 1)] for s in goal.stages]
        )
    if goal.gates:
        lines += ["", f"Committee gates (the share passing does not change with volume), {per}"]
        lines += text.table(
            [["", "Pass", "Today", "Needed"]]
            + [
                [
                    g.label,
                    text.percent(g.pass_rate),
                    text.number(g.current, 1),
                    text.number(g.needed, 1),
                ]
                for g in goal.gates
            ]
        )
    if goal.slas:
        lines += ["", "SLAs"]
        for s in goal.slas:
            heads = next((t.headcount for t in goal.teams if t.id == s.team), None)
            now = (
                f"{s.per_rep_now:,.0f} per person with today's {heads}"
                if s.per_rep_now is not None
                else "nobody in the team today"
            )
            lines.append(
                f"  {s.name}: {s.leads_needed:,.0f} leads {per} at the goal, {now}; "
                f"{s.headcount_needed} people at {s.leads_per_rep:,.0f} each"
            )
    if goal.teams:
        lines += ["", "People needed"]
        lines += text.table(
            [["", "Today", "Needed", "Because"]]
            + [[t.name, str(t.headcount), str(t.headcount_needed), t.reason] for t in goal.teams]
        )
    print("\n".join(lines))
    return 0
