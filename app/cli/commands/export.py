"""journeymap export FILE [--format FORMAT] -o OUT [--process ID]

The formats, their extensions and this command's help all come from :mod:`exporters.registry`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.cli import CommandError
from app.cli.commands._common import add_map_argument, read_map
from exporters.registry import EXPORTS, export_for, export_to_file, in_words

NAME = "export"
ORDER = 60


def _summary() -> str:
    return f"write the map as {in_words(EXPORTS.values())}"


HELP = _summary()


def register(parser) -> None:
    parser.description = _summary()  # the registry as it is now (a test may add a format)
    add_map_argument(parser)
    parser.add_argument(
        "--format",
        "-f",
        choices=sorted(EXPORTS),
        metavar="FORMAT",
        help="one of: " + ", ".join(EXPORTS) + " (default: from OUT's extension)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        required=True,
        help="the file to write; - writes a text format to standard output. "
        "CSV also writes OUT's name + -edges.csv next to it",
    )
    parser.add_argument(
        "--process", "-p", metavar="ID", help="export this process only (default: every process)"
    )
    parser.add_argument(
        "--changes-since",
        metavar="REV",
        help="html: add a section listing what changed since REV, a git revision of FILE "
        "(HEAD~1, a tag), REV:PATH or another map file",
    )


def _format(args) -> str:
    if args.format:
        return args.format
    if args.output == "-":
        raise CommandError(
            "say which format to write to standard output with --format, "
            "for example --format mermaid."
        )
    fmt = export_for(args.output)
    if fmt is None:
        raise CommandError(
            f"cannot tell the format from the name {args.output!r}; add --format "
            f"with one of: {', '.join(EXPORTS)}."
        )
    return fmt.name


def run(args) -> int:
    fmt = EXPORTS[_format(args)]
    doc = read_map(args.file)
    if args.process is not None and args.process not in {p.id for p in doc.processes}:
        known = ", ".join(p.id for p in doc.processes) or "none"
        raise CommandError(
            f"{args.file} has no process {args.process!r}; its processes are: {known}."
        )
    if args.changes_since is not None:
        return _report_with_changes(args, doc)
    if args.output == "-":
        if fmt.binary:
            raise CommandError(f"{fmt.name} is a binary format; write it to a file with -o OUT.")
        data = fmt.load()(doc, args.process)
        if fmt.name == "csv":
            print(
                "journeymap: standard output gets the register only; write to a file "
                "with -o OUT.csv to get the edges table too",
                file=sys.stderr,
            )
        sys.stdout.write(data)
        sys.stdout.flush()
        return 0
    out = Path(args.output)
    _check_target(out, Path(args.file))
    if fmt.name == "csv":
        from exporters.tables import csv_paths

        _check_target(csv_paths(out)[1], Path(args.file))  # the edges file sits next to OUT
    try:
        written = export_to_file(
            doc, fmt.name, out, args.process
        )  # the same writer as File > Export
    except OSError as error:
        raise CommandError(
            f"cannot write {error.filename or out} ({error.strerror or error})."
        ) from None
    if fmt.name == "csv":
        print(f"Wrote the action register to {written[0]} and its edges to {written[1]}.")
        return 0
    what = f"process {args.process!r}" if args.process else "every process"
    print(f"Wrote {out} ({fmt.description}, {what}).")
    return 0


def _check_target(out: Path, source: Path) -> None:
    if out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name with -o.")
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise CommandError(f"the folder {out.parent} does not exist; create it first.")
    try:
        same = out.exists() and out.resolve() == source.resolve()
    except OSError:
        same = False
    if same:
        raise CommandError(f"{out} is the map being exported; choose another output name.")


def _report_with_changes(args, doc) -> int:
    """The HTML report with its "Changes since REV" section."""
    from exporters.report import generate_html, write_html
    from models.versions import diff_maps, read_version

    if _format(args) != "html":
        raise CommandError("--changes-since adds a section to the HTML report; use --format html.")
    since, source = args.changes_since, Path(args.file)
    if Path(since).exists() or ":" in since:
        other = read_version(since)
    else:  # a revision of the map being exported
        other = read_version(f"{since}:./{source.name}", source.parent)
    changes = (since, diff_maps(other, doc))
    if args.output == "-":
        sys.stdout.write(generate_html(doc, args.process, changes=changes))
        return 0
    out = Path(args.output)
    _check_target(out, source)
    write_html(doc, out, args.process, changes=changes)
    print(f"Wrote {out} (the HTML report, with the changes since {since}).")
    return 0
