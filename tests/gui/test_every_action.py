"""Every menu and toolbar action runs on a real map without raising (pytest-qt fails a test on any
exception inside a Qt slot). Ctrl+A raised AttributeError for a while and no test noticed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtGui import QAction

from app.gui.common import dialogs
from models.templates import load_template

LEAVES_THE_WINDOW = ("Quit", "Presentation")  # tested on their own: quitting, full screen


def test_every_action_runs_with_a_step_selected(window, monkeypatch, qtbot):
    for name in ("error", "info"):
        monkeypatch.setattr(dialogs, name, lambda *args, **kwargs: None)
    monkeypatch.setattr(
        dialogs, "ask", lambda *args, **kwargs: "Cancel"
    )  # any prompt: the user cancels
    monkeypatch.setattr(dialogs, "save_file", lambda *args, **kwargs: "")  # file dialogs: cancelled
    monkeypatch.setattr(dialogs, "open_file", lambda *args, **kwargs: "")
    monkeypatch.setattr(dialogs, "print_preview", lambda *args, **kwargs: False)  # closed
    monkeypatch.setattr(dialogs, "page_setup", lambda *args, **kwargs: None)  # cancelled
    ran = []
    for action in window.findChildren(QAction):
        text = action.text()
        if not text or any(word in text for word in LEAVES_THE_WINDOW) or action.menu() is not None:
            continue
        if not window.document.map.nodes:  # New map emptied it: back to the template
            window.files.load(load_template("enterprise"), None)
        if window.current_view() is None:  # Close tab closed it
            window.open_process(window.document.map.processes[0].id)
        window.current_view().diagram().select_nodes([window.document.map.nodes[1].id])
        action.trigger()
        ran.append(text)
    QThreadPool.globalInstance().waitForDone(
        60_000
    )  # simulation, exports and layout ran in workers
    QCoreApplication.processEvents()  # and their results reach the window
    assert len(ran) > 50 and "Select &all" in ran and "&Run simulation" in ran


def test_quit_and_close_tab_have_their_usual_keys_and_no_key_is_taken_twice(window):
    owners: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            owners.setdefault(key.toString(), []).append(action.text())
    assert "&Quit" in owners["Ctrl+Q"] and "&Close tab" in owners["Ctrl+W"]
    assert {key: texts for key, texts in owners.items() if len(texts) > 1} == {}
