"""The editor's files under hostile input: File ▸ Open and start-up never fail, a bug shows a
dialog and keeps the work, and recovery offers every map left unsaved in one prompt."""

from __future__ import annotations

import json
import os
import sys
import time

import pytest

from app.gui.common import dialogs
from app.gui.shell import bugs
from app.gui.shell import files as files_module
from app.gui.shell.recovery import RecoveryStore
from models.errors import EditError
from models.storage import TEMP_SUFFIX, dumps_map, save_map

DEAD = 2**22 + 12345  # above Linux's pid_max default (4194304 is the hard limit): never running


def _errors(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda parent, title, text: shown.append(text))
    return shown


@pytest.mark.parametrize(
    "content",
    [
        "[" * 200_000 + "]" * 200_000,
        '{"a":' * 200_000 + "1" + "}" * 200_000,
        '{"format": "journeymap", "schema_version": 1, "name": "'
        + "9" * 5000
        + '", "x": '
        + "9" * 5000
        + "}",
        '{"format": "journeymap", "schema_version": 1, "name": "A\\ud800B"}',
    ],
    ids=["deep-list", "deep-object", "huge-number", "lone-surrogate"],
)
def test_open_of_a_hostile_file_says_why_and_keeps_the_open_map(
    window, tmp_path, small_map, monkeypatch, content
):
    window.files.load(small_map, None)
    path = tmp_path / "hostile.json"
    path.write_text(content, encoding="utf-8")
    shown = _errors(monkeypatch)
    assert window.files.open_path(path) is False
    assert len(shown) == 1 and str(path) in shown[0] and "\n" not in shown[0]
    assert window.document.map == small_map


def test_a_bug_while_opening_says_so_and_keeps_the_open_map(
    window, tmp_path, small_map, monkeypatch
):
    window.files.load(small_map, None)
    save_map(small_map, tmp_path / "fine.json")

    def broken(path):
        raise RuntimeError("a bug in the reader")

    monkeypatch.setattr(files_module, "read_map", broken)
    shown = _errors(monkeypatch)
    assert window.files.open_path(tmp_path / "fine.json") is False
    assert "internal error" in shown[0] and "a bug in the reader" in shown[0]
    assert window.document.map == small_map


def test_unencodable_text_is_refused_at_edit_time_with_its_field(window, small_map):
    window.files.load(small_map, None)
    with pytest.raises(EditError, match=r"^label: contains U\+D800"):
        window.document.update("nodes", "call", label="A\ud800B")
    with pytest.raises(EditError, match=r"^name: contains U\+DFFF"):
        window.document.set_map_fields(name="\udfff")
    assert window.document.map == small_map


def test_a_save_that_fails_says_so_and_keeps_the_map_unsaved(
    window, tmp_path, small_map, monkeypatch
):
    window.files.load(small_map, None)
    window.editor.update("nodes", "call", label="Edited")
    window.files.path = tmp_path / "plan.json"

    def broken(doc, path):
        raise ValueError("Out of range float values are not JSON compliant")

    monkeypatch.setattr(files_module, "save_map", broken)
    shown = _errors(monkeypatch)
    assert window.files.save() is False
    assert "internal error" in shown[0] and "still open" in shown[0]
    assert not window.editor.undo_stack.isClean()
    assert window.document.get("nodes", "call").label == "Edited"


def test_a_bug_anywhere_shows_a_dialog_and_writes_a_recovery_copy(
    window, small_map, monkeypatch, capsys
):
    window.files.load(small_map, None)
    window.editor.update("nodes", "call", label="Work that must not be lost")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    bugs.install_bug_handler(window.files)
    shown = _errors(monkeypatch)
    try:
        raise KeyError("boom")
    except KeyError:
        sys.excepthook(*sys.exc_info())
    assert "went wrong" in shown[0] and "KeyError" in shown[0] and "recovery" in shown[0]
    assert "Traceback" in capsys.readouterr().err  # for the bug report
    kept = json.loads(window.files.recovery.snapshot_path.read_text("utf-8"))
    assert any(n["label"] == "Work that must not be lost" for n in kept["nodes"])


# --- recovery ------------------------------------------------------------------------------------


def _snapshot(folder, doc, *, pid=DEAD, name=None, saved_at=None, meta=True, original=None):
    session = f"session-{pid}-{os.urandom(3).hex()}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{session}.json").write_text(dumps_map(doc), "utf-8")
    if meta is True:
        meta = {"pid": pid, "original": original, "name": name or doc.name, "saved_at": saved_at}
    if meta is not None:
        (folder / f"{session}.meta.json").write_text(
            meta if isinstance(meta, str) else json.dumps(meta), "utf-8"
        )
    return session


def test_every_recoverable_map_in_one_prompt_newest_first(window, tmp_path, small_map, monkeypatch):
    folder = tmp_path / "many"
    now = time.time()
    for i in range(31):
        _snapshot(folder, small_map, name=f"Map {i}", saved_at=now - 3600 * i)
    asked = []

    def choose(parent, title, text, choices):
        asked.append((text, choices))
        return choices[0][0]

    monkeypatch.setattr(dialogs, "choose", choose)
    window.files.recovery = RecoveryStore(folder)
    assert window.files.offer_recovery() is True
    assert len(asked) == 1  # one prompt, not 31
    text, choices = asked[0]
    assert "31 maps" in text
    maps = [label for key, label in choices if key.isdigit()]
    assert len(maps) == 31
    assert maps[0].startswith("Restore 'Map 0'") and maps[-1].startswith("Restore 'Map 30'")
    assert time.strftime("%d %b", time.localtime(now)) in maps[0]  # when, and which map
    assert window.document.map.name == small_map.name
    assert len(RecoveryStore(folder).orphans()) == 30  # the others wait for the next start


def test_discard_them_all(window, tmp_path, small_map, monkeypatch):
    folder = tmp_path / "discard"
    for i in range(3):
        _snapshot(folder, small_map, saved_at=100.0 + i)
    monkeypatch.setattr(dialogs, "choose", lambda *a: "__discard__")
    window.files.recovery = RecoveryStore(folder)
    assert window.files.offer_recovery() is False
    assert list(folder.iterdir()) == []


def test_half_written_sessions_of_dead_instances_are_cleaned_or_offered(
    window, tmp_path, small_map, monkeypatch
):
    folder = tmp_path / "half"
    metaless = _snapshot(folder, small_map, meta=None)  # killed between its two writes
    (folder / f"session-{DEAD}-abcdef.meta.json").write_text("{}", "utf-8")  # no snapshot
    dead_temp = folder / f".session-{DEAD}-abcdef.json.{DEAD}.0a1b2c3d{TEMP_SUFFIX}"
    dead_temp.write_text("half a map", "utf-8")
    live_temp = folder / f".session-1-abcdef.json.{os.getpid()}.0a1b2c3d{TEMP_SUFFIX}"
    live_temp.write_text("being written", "utf-8")  # an instance still running: left alone
    live = _snapshot(folder, small_map, pid=os.getppid())
    asked = []
    monkeypatch.setattr(dialogs, "ask", lambda *a, **k: asked.append(a[2]) or "Restore")
    window.files.recovery = RecoveryStore(folder)
    assert window.files.offer_recovery() is True
    assert len(asked) == 1 and f"('{small_map.name}')" in asked[0]
    assert not (folder / f"{metaless}.json").exists()  # restored, so removed
    assert not dead_temp.exists() and live_temp.exists()
    assert not (folder / f"session-{DEAD}-abcdef.meta.json").exists()
    assert (folder / f"{live}.json").exists()  # its writer is still running


@pytest.mark.parametrize(
    "meta", ["[]", '{"pid": "abc", "name": 3}', "{", '"just a string"'], ids=str
)
def test_a_damaged_meta_file_never_fails_a_start(window, tmp_path, small_map, monkeypatch, meta):
    folder = tmp_path / "damaged-meta"
    _snapshot(folder, small_map, meta=meta)
    asked = []
    monkeypatch.setattr(dialogs, "ask", lambda *a, **k: asked.append(a[2]) or "Discard")
    window.files.recovery = RecoveryStore(folder)
    assert window.files.offer_recovery() is False
    assert len(asked) == 1  # the map it holds is still offered, named from the map itself
    assert f"('{small_map.name}')" in asked[0]


def test_a_snapshot_that_is_no_map_is_set_aside_with_a_note(window, tmp_path, monkeypatch):
    folder = tmp_path / "damaged-map"
    folder.mkdir()
    (folder / f"session-{DEAD}-abcdef.json").write_text('{"not": "a map"', "utf-8")
    (folder / f"session-{DEAD}-abcdef.meta.json").write_text("[]", "utf-8")
    notes = []
    window.files.message.connect(notes.append)
    window.files.recovery = RecoveryStore(folder)
    assert window.files.offer_recovery() is False  # no dialog: nothing to offer
    assert any("set aside" in note for note in notes)
    assert (folder / f"damaged-session-{DEAD}-abcdef.json").exists()
    assert window.files.offer_recovery() is False  # and the next start does not look again


def test_an_unreadable_recovery_folder_is_a_note(window, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be", "utf-8")
    window.files.recovery = RecoveryStore(blocked / "recovery")
    assert window.files.offer_recovery() is False

    def broken():
        raise PermissionError(13, "Permission denied")

    store = RecoveryStore(tmp_path / "r")
    (tmp_path / "r").mkdir()
    monkeypatch.setattr(type(store.folder), "iterdir", lambda self: broken())
    notes = []
    window.files.message.connect(notes.append)
    window.files.recovery = store
    assert window.files.offer_recovery() is False
    assert any("cannot be read" in note for note in notes)
