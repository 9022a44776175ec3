"""journeymap analyze FILE [--format text|json] [--fail-on error|warning|never]
journeymap analyze --explain CODE"""

from __future__ import annotations

import difflib

from app.cli import CommandError
from app.cli.commands._common import add_format_argument, print_json, read_map
from models.document import SINGULAR
from models.findings import CATALOGUE, SEVERITY_RANK
from models.units import some_of

NAME = "analyze"
HELP = "find the missing links: dead ends, orphans, unowned steps, unqualified hand-offs..."
ORDER = 30


def register(parser) -> None:
    parser.add_argument("file", metavar="FILE", nargs="?", help="a map file (.json)")
    add_format_argument(parser)
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "never"),
        default="error",
        help="exit 1 when a finding at or above this severity exists (default error)",
    )
    parser.add_argument(
        "--explain",
        metavar="CODE",
        help="say why a finding code matters, with a small map that has it and its fix (no FILE needed)",
    )


def run(args) -> int:
    from models.analysis import analyze, summary  # networkx and scipy: only when analysing

    if args.explain is not None:
        print(_explain(args.explain), end="")
        return 0
    if args.file is None:
        raise CommandError("give the map to analyze (journeymap analyze FILE), or --explain CODE.")
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


def _explain(code: str) -> str:
    from models.analysis.examples import explain

    if code not in CATALOGUE:
        close = difflib.get_close_matches(code, list(CATALOGUE), n=1)
        hint = f"did you mean {close[0]}?" if close else "the codes are listed in docs/analysis.md."
        raise CommandError(f"there is no finding code '{code}'; {hint}")
    return explain(code)


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
            ids = some_of(list(f.nodes))
            about = ", ".join(f"{SINGULAR.get(c, c)} {i}" for c, i in f.items)
            located = "".join(
                (f" nodes: {ids}" if ids else "", f" about: {about}" if about else "")
            )
            print(f"  {f.code}{where}: {f.message}")
            print(f"      fix: {f.hint}.{located}")
    from models.analysis import summary

    counts = summary(findings)["by_severity"]
    print(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info.")
