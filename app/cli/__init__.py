"""The `journeymap` command line.

``journeymap [FILE]`` opens the desktop app; ``journeymap COMMAND ...`` runs a
headless command. Commands are modules in :mod:`app.cli.commands` (one per
command, discovered at start-up), so analysis, simulation and exporters drop
in without touching this file. Headless commands never import Qt, and a command
imports only its own module (``diff`` never loads the exporters): ``--help``
alone discovers them all.

Exit codes: 0 success, 1 a check failed (``analyze --fail-on``), the maps differ
(``diff``) or the merge has conflicts (``merge``), 2 bad input or usage, 3 an internal error (a bug: please report it), 130 interrupted. Library warnings
(numpy, scipy, openpyxl) never reach standard error: the models guard the numbers they
warn about, and ``JOURNEYMAP_DEBUG=1`` shows them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import traceback
import warnings
from pathlib import Path

from app import __version__
from models.errors import JourneymapError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class CommandError(JourneymapError):
    """A usage problem a command reports in one sentence (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse prints usage + message, exit 2: keep, but shorter
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message}\n")


def _commands() -> list:
    import app.cli.commands as package

    modules = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"app.cli.commands.{info.name}")
        if hasattr(module, "register"):
            modules.append(module)
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 50), m.NAME))


def _command(name: str):
    """The module of command ``name`` alone (``import`` lives in ``import_.py``), or None."""
    import app.cli.commands as package

    for module_name in (name, f"{name}_"):
        if not module_name.isidentifier() or module_name.startswith("_"):
            continue
        if not any((Path(folder) / f"{module_name}.py").is_file() for folder in package.__path__):
            continue
        module = importlib.import_module(f"app.cli.commands.{module_name}")
        if getattr(module, "NAME", None) == name and hasattr(module, "register"):
            return module
    return None


def build_parser(modules: list | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``modules`` only (a command's run needs no other)."""
    parser = _Parser(
        prog="journeymap",
        description="Map how each kind of buyer buys, find the missing links, simulate the funnel.",
        epilog="Run `journeymap [FILE]` with no command to open the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"journeymap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    gui = sub.add_parser("open", help="open the desktop app (the default when no command is given)")
    gui.add_argument("file", nargs="?", metavar="FILE", help="a map to open")
    gui.set_defaults(run=_run_gui)
    for module in _commands() if modules is None else modules:
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.register(command)
        command.set_defaults(run=module.run)
    return parser


GUI_ENTRY = "app.gui.main"
"""The desktop app, started by name: the command line never imports the GUI or Qt itself
(an import-linter contract checks it), so headless commands start fast and run without a display."""


def _run_gui(args: argparse.Namespace) -> int:
    return importlib.import_module(GUI_ENTRY).run_app(args.file)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    first = argv[0] if argv else ""
    module = _command(first) if first and not first.startswith("-") else None
    if module is not None:  # one command: import it alone (start-up is most of a diff's time)
        parser = build_parser([module])
    elif first == "--version":
        parser = build_parser([])
    elif first.startswith("-") or first == "open":  # --help, --version, or `open` itself
        parser = build_parser()
    else:  # no command, or a file: the desktop app
        parser = build_parser([])
        argv = ["open", *argv]
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():  # one line on stderr, nothing more
            if not os.environ.get("JOURNEYMAP_DEBUG"):
                warnings.simplefilter("ignore")
            return int(args.run(args) or 0)
    except JourneymapError as error:
        print(f"journeymap: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("journeymap: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - a bug: one line for the user, the traceback on request
        if os.environ.get("JOURNEYMAP_DEBUG"):
            traceback.print_exc()
        print(
            f"journeymap: internal error ({type(error).__name__}: {error}). "
            "Please report it; set JOURNEYMAP_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
