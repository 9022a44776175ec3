"""Helpers shared by the headless commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from models.document import JourneyMap
from models.storage import load_map


def add_map_argument(parser, help_text: str = "a map file (.json)") -> None:
    parser.add_argument("file", metavar="FILE", help=help_text)


def add_format_argument(parser, choices=("text", "json"), default="text") -> None:
    parser.add_argument(
        "--format", choices=choices, default=default, help=f"output format (default {default})"
    )


def read_map(path: str) -> JourneyMap:
    """Load a map or raise MapFileError (the CLI turns it into one line and exit 2)."""
    return load_map(Path(path))


def print_json(data) -> None:
    """Stable JSON on stdout: sorted keys are NOT used, so field order stays meaningful."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
