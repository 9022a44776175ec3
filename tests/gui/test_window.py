"""What the window says about the map: its title and an empty map's findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import JourneyMap, Node, Process, save_map
from models.templates import load_template

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def test_the_title_names_the_map_and_its_file_once(window, tmp_path):
    assert window.windowTitle() == "Untitled map[*] — Journeymap"
    plan = tmp_path / "plan.json"
    save_map(load_template("enterprise"), plan)
    window.files.open_path(plan)
    assert window.windowTitle() == f"{window.document.map.name} — plan.json[*] — Journeymap"
    same = tmp_path / "Q3 plan.json"
    save_map(JourneyMap(name="Q3 plan"), same)
    window.files.open_path(same)
    assert window.windowTitle() == "Q3 plan.json[*] — Journeymap"


def test_an_empty_map_does_not_claim_every_step_leads_somewhere(window, qtbot):
    window.files.load(JourneyMap(processes=[Process(id="p", name="Journey")]), None)
    assert window.findings.summary.text() == (
        "No steps yet: draw a process and its findings appear here."
    )
    window.editor.add_node(Node(id="a", process="p", label="First step"))
    assert window.findings.summary.text() == "Checking the map…"  # not 'no steps' any more
    qtbot.waitUntil(lambda: window.workspace.analysis.settled)
    assert "No steps yet" not in window.findings.summary.text()


def test_opening_a_map_never_writes_the_previous_maps_fields_into_it(window, tmp_path, qtbot):
    """Opened from the start page, where the keyboard rests in Properties' map name, a second
    map used to be renamed after the first (the field committed its stale text when the
    start page came back and took the focus)."""
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    save_map(load_template("enterprise"), first)
    save_map(JourneyMap(name="Q3 plan"), second)
    window.files.open_path(first)
    window.files.open_path(second)
    assert window.document.map.name == "Q3 plan"
    assert window.editor.undo_stack.isClean()  # nothing was edited


def test_a_window_saved_on_a_bigger_screen_reopens_on_this_one(window, qtbot, tmp_path):
    """Used at 1920x1080 and reopened on a smaller screen, the window took its old size."""
    from app.gui.shell.recovery import RecoveryStore
    from app.gui.shell.window import MainWindow

    screen = window.screen().availableGeometry()
    window.resize(screen.width() + 900, screen.height() + 500)  # saved on a bigger monitor
    window.move(screen.right() - 100, screen.top())
    window.editor.undo_stack.setClean()
    assert window.close()
    again = MainWindow(RecoveryStore(tmp_path / "recovery-2"))
    qtbot.addWidget(again, before_close_func=lambda w: w.editor.undo_stack.setClean())
    again.show()
    qtbot.waitExposed(again)
    frame = again.frameGeometry()
    # most of this screen (the offscreen test screen is narrower than the window's minimum,
    # which a 1366-pixel laptop is not), from its top left corner at the latest
    assert frame.left() >= screen.left() - 16 and frame.top() >= screen.top() - 16
    wanted = max(int(screen.width() * 0.9), again.minimumSizeHint().width())
    assert abs(again.width() - wanted) <= 16


@pytest.mark.parametrize("size", [(1366, 768), (3840, 2160)])
def test_small_and_large_screens_keep_the_panels_usable(window, qtbot, size):
    """Properties was squeezed to about 70 px at 1366x768 and the simulation's Run button was cut."""
    window.files.load(load_template("enterprise"), None)
    window.resize(*size)
    window.simulation_dock.raise_()
    qtbot.waitUntil(lambda: window.simulation.isVisible())
    assert window.properties.width() >= 240
    assert window.outline.width() >= 170
    run = window.simulation.run_button
    scroll = run.parentWidget()
    while scroll is not None and not hasattr(scroll, "ensureWidgetVisible"):
        scroll = scroll.parentWidget()
    scroll.ensureWidgetVisible(run)  # the controls scroll; the button can be brought into view
    shown = run.visibleRegion().boundingRect()
    assert shown.width() == run.width() and shown.height() == run.height()
    SCREENSHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SCREENSHOTS / f"window-{size[0]}x{size[1]}.png"))


@pytest.mark.parametrize("name", ["saas-trial", "enterprise", "channel", "plugged-funnel"])
def test_a_template_opens_with_its_whole_funnel_in_view(window, qtbot, name):
    """Templates opened at a readable zoom from the left end, cutting the funnel off."""
    window.resize(1920, 1080)
    window.file_actions.new_from_template(name)
    view = window.current_view()
    view.open_fit()  # as the tab did when it got its size
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(view.diagram().content_rect())


def test_a_map_open_in_another_window_is_said_before_opening_it(window, tmp_path, monkeypatch):
    """Two instances opened the same file with no warning; a lock beside the map says who has
    it, and a lock left by a process that has ended is taken over in silence."""
    import json
    import os
    import socket
    import subprocess
    import sys

    from app.gui.common import dialogs
    from app.gui.shell.file_lock import lock_path

    plan = tmp_path / "plan.json"
    save_map(load_template("saas-trial"), plan)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        record = {"user": "dana", "host": socket.gethostname(), "pid": other.pid, "since": 0}
        lock_path(plan).write_text(json.dumps(record), encoding="utf-8")
        asked = []
        monkeypatch.setattr(dialogs, "ask", lambda *a, **k: asked.append(a[2]) or "Cancel")
        assert not window.files.open_path(plan)
        assert "dana on this computer" in asked[0] and window.files.path is None
    finally:
        other.kill()
        other.wait()
    # the other window crashed: its lock is stale, the map opens and the lock is now ours
    assert window.files.open_path(plan)
    assert json.loads(lock_path(plan).read_text("utf-8"))["pid"] == os.getpid()
    window.files.close()
    assert not lock_path(plan).exists()  # closing gives the map back
