"""journeymap import IN -o MAP.json [--force]

What it reads, and this command's help, come from :mod:`exporters.registry`.
"""

from __future__ import annotations

from pathlib import Path

from app.cli import CommandError
from exporters.registry import (
    can_import,
    import_extensions,
    import_file,
    import_formats,
    in_words,
)
from models.errors import MapFileError
from models.storage import dumps_map, loads_map, save_map

NAME = "import"
ORDER = 65


def _summary() -> str:
    return f"make a map from another tool's file: {in_words(import_formats())}"


HELP = _summary()


def register(parser) -> None:
    parser.description = _summary()  # the registry as it is now (a test may add a format)
    extensions = import_extensions()
    parser.add_argument(
        "input",
        metavar="IN",
        help=f"the file to read: {', '.join(extensions[:-1])} or {extensions[-1]} "
        "(a .csv register finds its -edges.csv next to it)",
    )
    parser.add_argument(
        "-o", "--output", metavar="MAP.json", required=True, help="the map file to write"
    )
    parser.add_argument("--force", action="store_true", help="overwrite MAP.json if it exists")


def run(args) -> int:
    source, out = Path(args.input), Path(args.output)
    if out.exists() and not args.force:
        raise CommandError(
            f"{out} already exists; choose another name or add --force to overwrite it."
        )
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise CommandError(f"the folder {out.parent} does not exist; create it first.")
    if can_import(out) or (out.exists() and out.resolve() == source.resolve()):
        raise CommandError(f"{out} looks like an input file; write the map to a .json file.")
    result = import_file(source)  # the same reader as File ▸ Import
    try:  # what is saved must open again: the same checks as opening a file
        doc = loads_map(dumps_map(result.doc), source)
    except ValueError as error:  # a number JSON cannot hold: a bug of the reader, said plainly
        raise CommandError(
            f"{source} gave a map Journeymap cannot write ({error}); fix the file and import "
            "again, and please report it."
        ) from None
    except MapFileError as error:
        raise CommandError(
            f"{source} gave a map Journeymap cannot use ({error.message}); "
            "fix the file and import again."
        ) from None
    try:
        save_map(doc, out)
    except OSError as error:
        raise CommandError(f"cannot write {out} ({error.strerror or error}).") from None
    print(
        f"Imported {source} into {out}: {len(doc.processes)} processes, {len(doc.nodes)} "
        f"nodes, {len(doc.edges)} edges."
    )
    if result.skipped:
        print(f"Not imported ({len(result.skipped)}):")
        for item in result.skipped:
            print(f"  - {item}")
    return 0
