"""A map open in this window is marked, so a second window or a colleague's opening it hears so.

A small lock file beside the map (``.plan.json.jmlock``) names who has it open: user, machine,
process and since when. Opening a map someone else has open asks first; a lock left by a
process that is no longer running on this machine (a crash) is stale and taken over without a
question. The lock goes when the map is closed, another is opened, or the window quits.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from models.storage import process_alive, write_atomic


@dataclass(frozen=True)
class Holder:
    user: str
    host: str
    pid: int
    since: float

    def describe(self) -> str:
        when = time.strftime("%H:%M on %d %b", time.localtime(self.since))
        where = "this computer" if self.host == socket.gethostname() else self.host
        return f"{self.user} on {where} (since {when})"


def lock_path(map_path: Path) -> Path:
    return map_path.with_name(f".{map_path.name}.jmlock")


class MapLock:
    """The lock this window holds, if any."""

    def __init__(self) -> None:
        self.path: Path | None = None  # the lock file we wrote

    def holder(self, map_path: Path) -> Holder | None:
        """Who else has ``map_path`` open now (None: nobody, or a stale lock)."""
        try:
            raw = json.loads(lock_path(map_path).read_text("utf-8"))
            holder = Holder(
                str(raw["user"]), str(raw["host"]), int(raw["pid"]), float(raw["since"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # no lock, or one nobody can read: nothing to warn about
        if holder.host == socket.gethostname():
            if holder.pid == os.getpid() or not process_alive(holder.pid):
                return None  # ours, or left by a process that has ended
        return holder

    def take(self, map_path: Path) -> None:
        """Mark ``map_path`` as open here (best effort: a read-only folder just has no lock)."""
        self.release()
        record = {
            "user": getpass.getuser(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": time.time(),
        }
        target = lock_path(map_path)
        try:
            write_atomic(target, (json.dumps(record) + "\n").encode("utf-8"))
        except OSError:
            return
        self.path = target

    def release(self) -> None:
        if self.path is not None:
            try:
                raw = json.loads(self.path.read_text("utf-8"))
                if int(raw.get("pid", -1)) == os.getpid():  # never remove another's lock
                    self.path.unlink()
            except (OSError, ValueError, TypeError):
                pass
            self.path = None
