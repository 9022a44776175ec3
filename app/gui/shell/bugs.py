"""What the editor does after a bug: a dialog that says so, and the user's work kept."""

from __future__ import annotations

import sys
import traceback
from typing import Protocol

from PySide6.QtWidgets import QWidget

from app.gui.common import dialogs


class Keeper(Protocol):
    """What keeps the user's work (the window's FileController)."""

    window: QWidget

    def keep_after_a_bug(self, error: BaseException) -> str: ...


def install_bug_handler(files: Keeper) -> None:
    """After an internal error anywhere in the editor (an exception no code caught): say so in
    a dialog and keep the user's work (a recovery copy written at once; the map stays open).
    The traceback still goes to standard error, for the bug report."""
    busy = False

    def hook(kind, error, trace) -> None:
        nonlocal busy
        traceback.print_exception(kind, error, trace)
        if busy or not issubclass(kind, Exception):
            return  # a bug while reporting a bug, or KeyboardInterrupt / SystemExit
        busy = True
        try:
            kept = files.keep_after_a_bug(error)
            dialogs.error(
                files.window,
                "Journeymap hit a bug",
                f"Something went wrong inside Journeymap ({kind.__name__}: {short(error)}). "
                f"{kept} Please report it.",
            )
        except Exception:  # noqa: BLE001 - the hook itself must never fail
            traceback.print_exc()
        finally:
            busy = False

    sys.excepthook = hook


def short(error: BaseException) -> str:
    text = str(error)
    return text if len(text) <= 200 else text[:197] + "..."
