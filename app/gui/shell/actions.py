"""Making the window's actions: one helper, so every action gets its keys, name and owner the same way."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

Keys = str | QKeySequence | QKeySequence.StandardKey | list | None


def make_action(
    window: QWidget,
    text: str,
    slot: Callable,
    keys: Keys = None,
    name: str | None = None,
    checkable: bool = False,
) -> QAction:
    """A window-wide action (its shortcut works wherever the focus is in the window)."""
    action = QAction(text, window)
    if keys is not None:
        action.setShortcuts(keys if isinstance(keys, list) else [QKeySequence(keys)])
    if name:
        action.setObjectName(name)
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def with_usual(standard: QKeySequence.StandardKey, usual: str) -> list[QKeySequence]:
    """The platform's keys for a standard action, and the one most people press for it everywhere
    (some platforms, and Qt's offscreen one, bind nothing to Quit)."""
    keys = QKeySequence.keyBindings(standard)
    if QKeySequence(usual) not in keys:
        keys.append(QKeySequence(usual))
    return keys
