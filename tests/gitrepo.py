"""A real git repository in a temporary folder, for the tests of versions (diff, merge).

Each command runs git itself, with a fixed author and date and no user or system config,
so the tests see what a team's git does, the same on every machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Ann",
    "GIT_AUTHOR_EMAIL": "ann@example.com",
    "GIT_COMMITTER_NAME": "Ann",
    "GIT_COMMITTER_EMAIL": "ann@example.com",
    "GIT_AUTHOR_DATE": "2026-01-01T12:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T12:00:00Z",
}


class Repo:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        home = self.folder.parent / f"{self.folder.name}-home"
        home.mkdir(exist_ok=True)
        self.env = {**os.environ, **_ENV, "HOME": str(home), "XDG_CONFIG_HOME": str(home)}
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["git", *args], cwd=self.folder, env=self.env, capture_output=True, text=True
        )
        if check and result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {result.stdout}{result.stderr}")
        return result

    def commit(self, name: str, text: str, message: str) -> None:
        (self.folder / name).write_text(text, encoding="utf-8")
        self.git("add", name)
        self.git("commit", "-q", "-m", message)

    def merge(self, branch: str) -> subprocess.CompletedProcess[str]:
        return self.git("merge", "-q", "--no-edit", branch, check=False)
