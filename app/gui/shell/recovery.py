"""Autosave snapshots in a recovery folder, and finding them again after a crash.

Each running window writes ``<session>.json`` (the map) and ``<session>.meta.json``
(which file it was, which process wrote it) while it has unsaved changes, and
removes both when it closes cleanly or saves. Snapshots whose writer is no
longer running are what an unclean exit left behind.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from models.storage import process_alive, write_atomic


def recovery_dir() -> Path:
    override = os.environ.get("JOURNEYMAP_RECOVERY_DIR")
    if override:
        return Path(override)
    from PySide6.QtCore import QStandardPaths

    return Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)) / "recovery"


@dataclass
class Snapshot:
    path: Path
    meta_path: Path
    original: str | None
    name: str
    saved_at: float


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
        found = []
        if not self.folder.is_dir():
            return found
        for meta_path in self.folder.glob("session-*.meta.json"):
            try:
                meta = json.loads(meta_path.read_text("utf-8"))
            except (OSError, ValueError):
                continue
            snapshot = meta_path.with_name(meta_path.name.replace(".meta.json", ".json"))
            if not snapshot.exists() or snapshot == self.snapshot_path:
                continue
            if meta.get("pid") != os.getpid() and process_alive(int(meta.get("pid", -1))):
                continue
            found.append(
                Snapshot(
                    snapshot,
                    meta_path,
                    meta.get("original"),
                    meta.get("name", ""),
                    float(meta.get("saved_at", 0)),
                )
            )
        return sorted(found, key=lambda s: s.saved_at, reverse=True)

    @staticmethod
    def remove(snapshot: Snapshot) -> None:
        snapshot.path.unlink(missing_ok=True)
        snapshot.meta_path.unlink(missing_ok=True)
