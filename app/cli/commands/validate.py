"""journeymap validate FILE"""

from __future__ import annotations

from app.cli.commands._common import add_map_argument, read_map

NAME = "validate"
HELP = "check that a file is a readable map (exit 0), or say where and why not (exit 2)"
ORDER = 20


def register(parser) -> None:
    add_map_argument(parser)


def run(args) -> int:
    doc = read_map(args.file)
    print(
        f"{args.file}: a valid map ({len(doc.processes)} processes, {len(doc.nodes)} nodes, "
        f"{len(doc.edges)} edges)."
    )
    return 0
