"""journeymap diff OLD NEW [--format text|json] [--no-layout]"""

from __future__ import annotations

from app.cli.commands._common import add_format_argument, print_json
from models.gcpause import paused_gc
from models.versions import diff_maps, read_version
from models.versions.text import diff_text

NAME = "diff"
HELP = (
    "what changed between two versions of a map, item by item and field by field "
    "(exit 0 equal, 1 different, 2 a bad file)"
)
ORDER = 60


def register(parser) -> None:
    parser.add_argument("old", metavar="OLD", help="the earlier map: a file, or REV:PATH from git")
    parser.add_argument("new", metavar="NEW", help="the later map: a file, or REV:PATH from git")
    add_format_argument(parser)
    parser.add_argument(
        "--no-layout",
        action="store_true",
        help="leave out moves on the diagrams (positions only); equal if nothing else changed",
    )


def run(args) -> int:
    with paused_gc():  # thousands of models and no cycles: a collection would only walk them
        return _diff(args)


def _diff(args) -> int:
    old = read_version(args.old)
    new = read_version(args.new)
    diff = diff_maps(old, new)
    layout = not args.no_layout
    if args.format == "json":
        print_json({"old": args.old, "new": args.new, **diff.to_dict(layout)})
    else:
        print(diff_text(diff, args.old, args.new, layout), end="")
    return 0 if diff.equal(layout) else 1
