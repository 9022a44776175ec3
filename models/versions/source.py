"""Reading a version of a map: a file, or ``REV:PATH`` read through git.

``HEAD~1:plan.json`` is the map as the commit before ``HEAD`` holds it (the path from the
repository's top; ``HEAD:./plan.json`` is relative to the current folder, as in ``git show``).
A name that is an existing file is always the file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ..document import JourneyMap
from ..errors import MapFileError
from ..gcpause import paused_gc
from ..storage import load_map, loads_map

_REVISION = re.compile(r"^(?P<rev>[^:]{2,}|):(?P<path>.+)$")


def is_revision(spec: str) -> bool:
    """Whether ``spec`` names a version in git rather than a file (a Windows ``C:\\`` is a file)."""
    return not Path(spec).exists() and _REVISION.match(spec) is not None


def read_version(spec: str, cwd: str | Path | None = None) -> JourneyMap:
    """The map ``spec`` names, or a :class:`MapFileError` saying what and where."""
    if not is_revision(spec):
        return load_map(spec)
    return loads_map(git_show(spec, cwd), spec)


def git_show(spec: str, cwd: str | Path | None = None) -> bytes:
    """The bytes git holds for ``REV:PATH``; one plain sentence when git cannot give them."""
    git = shutil.which("git")
    if git is None:
        raise MapFileError(
            spec,
            "names a git revision, but git is not installed",
            hint="Install git, or give a file",
        )
    try:
        result = subprocess.run(
            [git, "show", spec], cwd=cwd, capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise MapFileError(spec, f"git could not be run ({error})") from None
    if result.returncode != 0:
        said = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = said[0].removeprefix("fatal: ").rstrip(".") if said else "no reason given"
        raise MapFileError(
            spec,
            f"git cannot show this version ({reason})",
            hint="Check the revision and the path (from the repository's top, or ./ for this folder)",
        )
    with paused_gc():
        return result.stdout
