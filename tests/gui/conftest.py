"""GUI fixtures: a real main window offscreen, isolated settings, and no modal dialog ever blocking."""

from __future__ import annotations

import pytest

from app.gui.common import dialogs
from app.gui.shell.recovery import RecoveryStore


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(monkeypatch):
    """A modal dialog would hang an offscreen test: fail instead. Tests that expect one patch it."""

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in (
        "ask", "error", "info", "save_file", "open_file", "choose", "print_preview", "page_setup",
    ):  # fmt: skip
        monkeypatch.setattr(dialogs, name, unexpected)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    QSettings.setDefaultFormat(QSettings.IniFormat)
    monkeypatch.setenv("JOURNEYMAP_RECOVERY_DIR", str(tmp_path / "recovery"))


def discard_changes(win) -> None:
    win.editor.undo_stack.setClean()  # no unsaved-changes prompt when the test closes the window


@pytest.fixture
def window(qtbot, tmp_path):
    from app.gui.main import make_app
    from app.gui.shell.window import MainWindow

    make_app()
    win = MainWindow(RecoveryStore(tmp_path / "recovery"))
    qtbot.addWidget(win, before_close_func=discard_changes)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    return win
