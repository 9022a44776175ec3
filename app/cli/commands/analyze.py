"""journeymap analyze FILE [--format text|json] [--fail-on error|warning|never]"""

from __future__ import annotations

from app.cli.commands._common import add_format_argument, add_map_argument, print_json, read_map
from models.analysis import analyze, summary
from models.findings import SEVERITY_RANK

NAME = "analyze"
HELP = "find the missing links: dead ends, orphans, unowned steps, unqualified hand-offs..."
ORDER = 30


def register(parser) -> None:
    add_map_argument(parser)
    add_format_argument(parser)
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "never"),
        default="error",
        help="exit 1 when a finding at or above this severity exists (default error)",
    )


def run(args) -> int:
    doc = read_map(args.file)
    findings = analyze(doc)
    if args.format == "json":
        print_json({"findings": [f.to_dict() for f in findings], "summary": summary(findings)})
    else:
        _print_text(doc, findings)
    if args.fail_on == "never":
        return 0
    limit = SEVERITY_RANK[args.fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] <= limit for f in findings) else 0


def _print_text(doc, findings) -> None:
    if not findings:
        print(
            f"No findings: every step of '{doc.name}' leads somewhere, is owned and is qualified."
        )
        return
    names = {p.id: p.name for p in doc.processes}
    for severity in ("error", "warning", "info"):
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        print(f"{severity.upper()}S ({len(group)})")
        for f in group:
            where = f" [{names.get(f.process, f.process)}]" if f.process else ""
            ids = ", ".join(f.nodes[:5]) + (" ..." if len(f.nodes) > 5 else "")
            print(f"  {f.code}{where}: {f.message}")
            print(f"      fix: {f.hint}." + (f" nodes: {ids}" if ids else ""))
    counts = summary(findings)["by_severity"]
    print(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info.")
