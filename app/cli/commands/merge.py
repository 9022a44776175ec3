"""journeymap merge BASE OURS THEIRS -o OUT [--format text|json] [--name NAME]
journeymap merge --install [PATTERN ...]"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from app.cli import CommandError
from app.cli.commands._common import add_format_argument, print_json
from models.gcpause import paused_gc
from models.storage import read_input, write_atomic
from models.versions import merge_maps, read_version
from models.versions.source import is_revision
from models.versions.text import merge_text

NAME = "merge"
HELP = (
    "three-way merge of a map at the model level, also as git's merge driver "
    "(exit 0 merged, 1 conflicts written to OUT, 2 a bad file)"
)
ORDER = 61
DRIVER = "journeymap"
"""The driver's name in git config and .gitattributes (``merge=journeymap``)."""


def register(parser) -> None:
    parser.add_argument(
        "files",
        metavar="BASE OURS THEIRS",
        nargs="*",
        help="the common version (an empty file: none), ours and theirs; with --install, "
        "patterns of the maps to add to .gitattributes",
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="where to write the merged map")
    add_format_argument(parser)
    parser.add_argument(
        "--name", metavar="NAME", help="the map's name in messages (git passes the path, %%P)"
    )
    parser.add_argument(
        "--install",
        action="store_true",
        help="make this command git's merge driver for the repository you are in",
    )


def run(args) -> int:
    if args.install:
        return _install(args.files)
    if len(args.files) != 3 or not args.output:
        raise CommandError(
            "give the three versions and where to write the merge: "
            "journeymap merge BASE OURS THEIRS -o OUT (or --install)."
        )
    with paused_gc():  # thousands of models and no cycles: a collection would only walk them
        return _merge(args)


def _merge(args) -> int:
    base_spec, ours_spec, theirs_spec = args.files
    base = None if _empty_file(base_spec) else read_version(base_spec)
    ours, theirs = read_version(ours_spec), read_version(theirs_spec)
    out = Path(args.output)
    if out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name with -o.")
    if not out.parent.exists():
        raise CommandError(f"the folder {out.parent} does not exist; create it first.")
    result = merge_maps(base, ours, theirs)
    write_atomic(out, result.text().encode("utf-8"))
    name = args.name or str(out)
    if args.format == "json":
        print_json(
            {
                "out": str(out),
                "clean": result.clean,
                "conflicts": [c.to_dict() for c in result.conflicts],
            }
        )
    else:
        print(merge_text(result, name), end="")
    return 0 if result.clean else 1


def _empty_file(spec: str) -> bool:
    """git gives the driver an empty file for BASE when the two sides share no version."""
    if is_revision(spec):
        return False
    return not read_input(Path(spec), "map file").strip()


def _install(patterns: list[str]) -> int:
    top = _git("rev-parse", "--show-toplevel")
    command = f"{_self()} merge %O %A %B -o %A --name %P"
    _git("config", f"merge.{DRIVER}.name", "Journeymap: merge maps item by item")
    _git("config", f"merge.{DRIVER}.driver", command)
    print(f"git in {top} now merges with: {command}")
    if not patterns:
        print(
            f"Say which files are maps in .gitattributes (and commit it), e.g.:  *.json merge={DRIVER}"
        )
        return 0
    attributes = Path(top) / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    lines = text.splitlines()
    added = [f"{p} merge={DRIVER}" for p in patterns if f"{p} merge={DRIVER}" not in lines]
    if added:
        body = text + ("" if not text or text.endswith("\n") else "\n") + "\n".join(added) + "\n"
        attributes.write_text(body, encoding="utf-8")
    print(
        f"{attributes}: maps are {', '.join(patterns)}; commit it so the team merges the same way."
    )
    return 0


def _self() -> str:
    """How git should run this Journeymap: its command, else this Python with -m app.cli."""
    found = shutil.which("journeymap")
    if found and Path(found).absolute().parent == Path(sys.executable).absolute().parent:
        return shlex.quote(found)
    return f"{shlex.quote(sys.executable)} -m app.cli"


def _git(*args: str) -> str:
    git = shutil.which("git")
    if git is None:
        raise CommandError("--install sets up git, but git is not installed.")
    result = subprocess.run([git, *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        said = (result.stderr.strip().splitlines() or ["no reason given"])[0]
        raise CommandError(
            f"git {args[0]} failed ({said.removeprefix('fatal: ')}); run --install inside the "
            "repository that holds the maps."
        )
    return result.stdout.strip()
