"""Autosave snapshots in a recovery folder, and finding them again after a crash.

Each running window writes ``<session>.json`` (the map) and ``<session>.meta.json``
(which file it was, which process wrote it) while it has unsaved changes, and
removes both when it closes cleanly or saves. Snapshots whose writer is no
longer running are what an unclean exit left behind. The session's name carries its
writer's process id (``session-<pid>-<random>``), so a snapshot whose meta file is missing
(the writer died between its two writes) or damaged is still found, and still offered when
it holds a map. What a dead writer left half-written (temporary files, a meta file without
its snapshot) is removed; a snapshot that is not a map is set aside (renamed ``damaged-...``)
with a note, never a failed start.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from models.storage import TEMP_SUFFIX, process_alive, write_atomic


def recovery_dir() -> Path:
    override = os.environ.get("JOURNEYMAP_RECOVERY_DIR")
    if override:
        return Path(override)
    from PySide6.QtCore import QStandardPaths

    return Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)) / "recovery"


_SESSION = re.compile(r"^(session-(-?\d+)-[0-9a-f]+)(\.meta)?\.json$")
_TEMP = re.compile(r"^\.(.+)\.(\d+)\.[0-9a-f]+" + re.escape(TEMP_SUFFIX) + "$")


@dataclass
class Snapshot:
    path: Path
    meta_path: Path
    original: str | None
    name: str
    saved_at: float


@dataclass
class Found:
    """What :meth:`RecoveryStore.scan` found: snapshots to offer (newest first), and notes
    about what it skipped or set aside."""

    snapshots: list[Snapshot] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class RecoveryStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder else recovery_dir()
        self.session = f"session-{os.getpid()}-{secrets.token_hex(3)}"

    @property
    def snapshot_path(self) -> Path:
        return self.folder / f"{self.session}.json"

    @property
    def meta_path(self) -> Path:
        return self.folder / f"{self.session}.meta.json"

    def write(self, text: str, original: str | None, name: str, saved_at: float) -> None:
        """Write a snapshot (called from a worker thread: plain file work only)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.snapshot_path, text.encode("utf-8"))
        meta = {"pid": os.getpid(), "original": original, "name": name, "saved_at": saved_at}
        write_atomic(self.meta_path, json.dumps(meta).encode("utf-8"))

    def discard(self) -> None:
        for path in (self.snapshot_path, self.meta_path):
            path.unlink(missing_ok=True)

    def orphans(self) -> list[Snapshot]:
        """Snapshots left by sessions that are no longer running, newest first."""
        return self.scan().snapshots

    def scan(self) -> Found:
        """Snapshots left by sessions no longer running (newest first), after removing what
        those sessions left half-written. Never raises: what cannot be read becomes a note."""
        found = Found()
        try:
            if not self.folder.is_dir():
                return found
            entries = sorted(self.folder.iterdir())
        except OSError as error:
            found.notes.append(
                f"The recovery folder {self.folder} cannot be read ({error.strerror or error}); "
                "no unsaved work could be looked for."
            )
            return found
        sessions: dict[str, dict[str, Path]] = {}
        for entry in entries:
            temp = _TEMP.match(entry.name)
            if temp:
                if not _running(int(temp.group(2))):  # a write killed half-way: nothing to keep
                    _remove(entry)
                continue
            match = _SESSION.match(entry.name)
            if match is None or match.group(1) == self.session:
                continue
            if _running(int(match.group(2))):
                continue  # another window of Journeymap, still open
            sessions.setdefault(match.group(1), {})["meta" if match.group(3) else "map"] = entry
        for session, files in sessions.items():
            snapshot = self._snapshot(session, files, found.notes)
            if snapshot is not None:
                found.snapshots.append(snapshot)
        found.snapshots.sort(key=lambda s: s.saved_at, reverse=True)
        return found

    def _snapshot(self, session: str, files: dict[str, Path], notes: list[str]) -> Snapshot | None:
        path = files.get("map")
        meta_path = files.get("meta", self.folder / f"{session}.meta.json")
        if path is None:  # a meta file whose snapshot was never written, or already removed
            _remove(meta_path)
            return None
        meta = _meta(meta_path) if "meta" in files else None
        if meta is None:  # no meta file (killed between the two writes), or a damaged one
            name = _map_name(path)
            if name is None:
                aside = _set_aside(path, meta_path if "meta" in files else None)
                notes.append(
                    f"A recovery copy that is not a readable map was set aside as {aside}."
                    if aside
                    else f"A recovery copy that is not a readable map was skipped: {path}."
                )
                return None
            try:
                saved_at = path.stat().st_mtime
            except OSError:
                saved_at = 0.0
            return Snapshot(path, meta_path, None, name, saved_at)
        original, name, saved_at = meta
        return Snapshot(path, meta_path, original, name, saved_at)

    @staticmethod
    def remove(snapshot: Snapshot) -> None:
        _remove(snapshot.path)
        _remove(snapshot.meta_path)


def _running(pid: int) -> bool:
    return pid == os.getpid() or process_alive(pid)


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _meta(path: Path) -> tuple[str | None, str, float] | None:
    """(original file, map name, time saved) from a meta file; None if it is damaged."""
    try:
        meta = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict):
        return None
    original, name, saved_at = meta.get("original"), meta.get("name", ""), meta.get("saved_at", 0)
    if (
        not (original is None or isinstance(original, str))
        or not isinstance(name, str)
        or not isinstance(saved_at, (int, float))
        or isinstance(saved_at, bool)
    ):
        return None
    return original, name, float(saved_at)


def _map_name(path: Path) -> str | None:
    """The name of the map a snapshot holds, or None if it holds no map (read only to name it:
    restoring it checks it fully)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != "journeymap":
        return None
    name = data.get("name", "Untitled map")
    return name if isinstance(name, str) else "Untitled map"


def _set_aside(path: Path, meta_path: Path | None) -> Path | None:
    """Rename a damaged snapshot (and its meta file) so the next start does not look at it
    again; the bytes stay for whoever wants to salvage them."""
    aside = path.with_name(f"damaged-{path.name}")
    try:
        os.replace(path, aside)
        if meta_path is not None:
            os.replace(meta_path, meta_path.with_name(f"damaged-{meta_path.name}"))
    except OSError:
        return None
    return aside
