"""Open, save, recent files, unsaved-changes prompts, on-disk change checks and autosave."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.gui.common import dialogs, worker
from app.gui.shell.bugs import short
from app.gui.shell.file_lock import MapLock
from app.gui.shell.recovery import RecoveryStore, Snapshot
from app.gui.workspace.commands import DocumentEditor
from models.document import JourneyMap
from models.errors import JourneymapError
from models.storage import dumps_map, loads_map, read_map, save_map, write_atomic

MAP_FILTER = "Journeymap maps (*.json);;All files (*)"
AUTOSAVE_MS = 30_000
MAX_RECENT = 8


def _fingerprint(path: Path, data: bytes | None = None) -> tuple[int, int, str] | None:
    """What the file on disk is now; ``data``, when given, is its content as just read or written."""
    try:
        data = path.read_bytes() if data is None else data
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, hashlib.sha256(data).hexdigest())


class FileController(QObject):
    """Everything about the file behind the window; the window only wires menus to it."""

    path_changed = Signal()
    message = Signal(str)

    def __init__(
        self, window: QWidget, editor: DocumentEditor, recovery: RecoveryStore | None = None
    ) -> None:
        super().__init__(window)
        self.window, self.editor = window, editor
        self.path: Path | None = None
        self._fingerprint = None
        self.recovery = recovery or RecoveryStore()
        self.lock = MapLock()  # says "open here" beside the map file, for other windows
        self._autosaved_index = 0
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.pool = QThreadPool.globalInstance()

    # --- opening -------------------------------------------------------------------------------

    def load(self, doc: JourneyMap, path: Path | None, data: bytes | None = None) -> None:
        """Show ``doc``, read from ``path`` (None: unsaved); ``data`` are the bytes it was read from."""
        self.editor.document.replace(doc)
        self.editor.undo_stack.clear()
        self.path = Path(path) if path else None
        if self.path is not None:
            self.lock.take(self.path)
        else:
            self.lock.release()
        self._fingerprint = _fingerprint(self.path, data) if self.path else None
        self.recovery.discard()
        self._autosaved_index = 0
        self.path_changed.emit()

    def open_path(self, path: str | Path) -> bool:
        """Open a map file; on any failure say why in a dialog and keep the open map as it is."""
        try:
            doc, data = read_map(path)
        except JourneymapError as error:
            dialogs.error(self.window, "Cannot open the map", str(error))
            return False
        except Exception as error:  # noqa: BLE001 - a bug: said plainly, the open map kept
            dialogs.error(
                self.window,
                "Cannot open the map",
                f"{path}: Journeymap could not read it because of an internal error "
                f"({type(error).__name__}: {short(error)}). The map that was open is unchanged. "
                "Please report it.",
            )
            return False
        holder = self.lock.holder(Path(path))
        if holder is not None:
            answer = dialogs.ask(
                self.window,
                "The map is open elsewhere",
                f"{Path(path).name} is open in another Journeymap window: {holder.describe()}. "
                "If you both save, the later save replaces the other's changes (Journeymap "
                "warns before overwriting a file changed on disk). Open it anyway?",
                ["Open anyway", "Cancel"],
                "Cancel",
            )
            if answer != "Open anyway":
                return False
        self.load(doc, Path(path), data)
        self.add_recent(Path(path))
        return True

    def open_dialog(self) -> bool:
        if not self.maybe_save():
            return False
        start = str(self.path.parent) if self.path else ""
        path = dialogs.open_file(self.window, "Open map", start, MAP_FILTER)
        return bool(path) and self.open_path(path)

    def new_map(self, doc: JourneyMap | None = None) -> bool:
        if not self.maybe_save():
            return False
        self.load(doc or JourneyMap(), None)
        return True

    # --- saving ----------------------------------------------------------------------------------

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        current = _fingerprint(self.path)
        if self._fingerprint is not None and current is not None and current != self._fingerprint:
            answer = dialogs.ask(
                self.window,
                "The file changed on disk",
                f"{self.path.name} was changed by another program since you opened it. "
                "Overwrite it with your version, or save yours under another name?",
                ["Save As…", "Overwrite", "Cancel"],
                "Save As…",
            )
            if answer == "Overwrite":
                return self._write(self.path)
            if answer == "Save As…":
                return self.save_as()
            return False
        return self._write(self.path)

    def save_as(self) -> bool:
        start = str(self.path) if self.path else f"{self.editor.document.map.name}.json"
        path = dialogs.save_file(self.window, "Save map as", start, MAP_FILTER)
        if not path:
            return False
        if not path.endswith(".json"):
            path += ".json"
        return self._write(Path(path))

    def _write(self, path: Path) -> bool:
        try:
            data = save_map(self.editor.document.map, path)
        except OSError as error:
            dialogs.error(
                self.window,
                "Could not save",
                f"{path}: {error.strerror or error}. Your map is still open; save it elsewhere.",
            )
            return False
        except Exception as error:  # noqa: BLE001 - a bug: said plainly, nothing lost
            dialogs.error(
                self.window,
                "Could not save",
                f"{path}: Journeymap could not write the map because of an internal error "
                f"({type(error).__name__}: {short(error)}); the file was left as it was. "
                "Your map is still open. Please report it.",
            )
            return False
        if path != self.path:
            self.lock.take(path)
        self.path = path
        self._fingerprint = _fingerprint(path, data)
        self.editor.undo_stack.setClean()
        self.recovery.discard()
        self.add_recent(path)
        self.path_changed.emit()
        self.message.emit(f"Saved {path.name}")
        return True

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False means the user cancelled."""
        if self.editor.undo_stack.isClean():
            return True
        name = self.path.name if self.path else "this map"
        answer = dialogs.ask(
            self.window,
            "Unsaved changes",
            f"Save the changes to {name} before closing it?",
            ["Save", "Discard", "Cancel"],
            "Save",
        )
        if answer == "Save":
            return self.save()
        return answer == "Discard"

    # --- recent files ----------------------------------------------------------------------------

    def recent(self) -> list[str]:
        value = QSettings().value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in (value or []) if Path(v).exists()]

    def add_recent(self, path: Path) -> None:
        items = [str(path.resolve())] + [p for p in self.recent() if p != str(path.resolve())]
        QSettings().setValue("recentFiles", items[:MAX_RECENT])

    # --- autosave and recovery -------------------------------------------------------------------

    def autosave(self) -> None:
        """Snapshot unsaved work: serialise here (fast), write in a worker (never blocks the UI)."""
        stack = self.editor.undo_stack
        if stack.isClean() or stack.index() == self._autosaved_index:
            return
        self._autosaved_index = stack.index()
        text = dumps_map(self.editor.document.map)
        name = self.path.name if self.path else self.editor.document.map.name
        original, store = (str(self.path) if self.path else None), self.recovery
        worker.start(
            lambda progress, cancelled: store.write(text, original, name, time.time()),
            lambda _: None,
            self._autosave_failed,
        )

    def _autosave_failed(self, error: BaseException) -> None:
        # the next autosave tries again; the user's own file is untouched either way
        self._autosaved_index = -1
        self.message.emit(
            f"Could not write the recovery copy ({error}); trying again at the next autosave."
        )

    def wait_for_autosave(self) -> None:
        self.pool.waitForDone()

    def close(self) -> None:
        self.autosave_timer.stop()
        self.pool.waitForDone()
        self.recovery.discard()
        self.lock.release()

    def offer_recovery(self) -> bool:
        """After an unclean exit: one prompt for every map left unsaved (newest first). Never
        raises: what cannot be read is skipped with a note in the status bar."""
        try:
            found = self.recovery.scan()
        except Exception as error:  # noqa: BLE001 - never a failed start
            self.message.emit(f"The recovery folder could not be looked at ({error}).")
            return False
        for note in found.notes:
            self.message.emit(note)
        snapshots = found.snapshots
        if not snapshots:
            return False
        if len(snapshots) == 1:
            return self._offer_one(snapshots[0])
        return self._offer_several(snapshots)

    def _offer_one(self, snapshot: Snapshot) -> bool:
        answer = dialogs.ask(
            self.window,
            "Recover unsaved work",
            "Journeymap did not close properly. Unsaved changes to "
            f"{_described(snapshot)}. Restore them, save them elsewhere, or discard them?",
            ["Restore", "Save elsewhere…", "Discard"],
            "Restore",
        )
        if answer == "Discard":
            self.recovery.remove(snapshot)
        elif answer == "Save elsewhere…":
            self._save_elsewhere(snapshot)
        elif answer == "Restore":
            return self._restore(snapshot)
        return False

    def _offer_several(self, snapshots: list[Snapshot]) -> bool:
        later, discard = "__later__", "__discard__"
        choices = [(str(i), f"Restore {_item(s)}") for i, s in enumerate(snapshots)]
        choices += [
            (later, "Keep them all for the next start"),
            (discard, "Discard them all"),
        ]
        answer = dialogs.choose(
            self.window,
            "Recover unsaved work",
            f"Journeymap did not close properly. {len(snapshots)} maps have unsaved changes "
            "(newest first). Restore one here; the others are kept and offered again at the "
            "next start.",
            choices,
        )
        if answer == discard:
            for snapshot in snapshots:
                self.recovery.remove(snapshot)
            return False
        if answer.isdigit():
            return self._restore(snapshots[int(answer)])
        return False

    def _save_elsewhere(self, snapshot: Snapshot) -> None:
        path = dialogs.save_file(self.window, "Save recovered map as", "", MAP_FILTER)
        if not path:
            return
        try:
            write_atomic(Path(path), snapshot.path.read_bytes())  # atomic like every save
        except OSError as error:
            dialogs.error(
                self.window,
                "Could not save",
                f"{path}: {error.strerror or error}. The recovered work is still kept.",
            )
            return
        self.recovery.remove(snapshot)

    def _restore(self, snapshot: Snapshot) -> bool:
        try:
            doc = loads_map(snapshot.path.read_bytes(), snapshot.path)
        except JourneymapError as error:
            dialogs.error(self.window, "Cannot restore", str(error))
            return False
        except Exception as error:  # noqa: BLE001 - never a failed start
            dialogs.error(
                self.window,
                "Cannot restore",
                f"{snapshot.path}: the recovery copy could not be read ({type(error).__name__}: "
                f"{short(error)}). It is kept in the recovery folder.",
            )
            return False
        self.load(doc, Path(snapshot.original) if snapshot.original else None)
        self._fingerprint = None  # the file on disk is older than what we restored
        self.editor.undo_stack.resetClean()
        self.recovery.remove(snapshot)
        self.path_changed.emit()
        return True

    def keep_after_a_bug(self, error: BaseException) -> str:
        """Write the open map to the recovery folder now, after an internal error, so the
        user's work survives whatever happens next; what to tell the user about it."""
        if self.editor.undo_stack.isClean():
            return "Your map has no unsaved changes."
        try:
            text = dumps_map(self.editor.document.map)
            name = self.path.name if self.path else self.editor.document.map.name
            self.recovery.write(text, str(self.path) if self.path else None, name, time.time())
        except Exception as failure:  # noqa: BLE001 - say it, keep the map open
            return (
                f"Your map is still open, but a recovery copy could not be written ({failure}): "
                "save it under another name now."
            )
        return (
            "Your map is still open, and a copy of your unsaved work was written to the "
            f"recovery folder ({self.recovery.snapshot_path}); save it now."
        )


def _described(snapshot: Snapshot) -> str:
    """``'Q3 plan' (plan.json), kept at 14:32 on 01 Dec``."""
    where = snapshot.original or "an unsaved map"
    when = (
        time.strftime("%H:%M on %d %b", time.localtime(snapshot.saved_at))
        if snapshot.saved_at
        else ""
    )
    kept = f" were kept at {when}" if when else " were kept"
    return f"{where} ('{snapshot.name}'){kept}"


def _item(snapshot: Snapshot) -> str:
    """``'Q3 plan' (plan.json), kept at 14:32 on 01 Dec``: one line of the list."""
    where = Path(snapshot.original).name if snapshot.original else "never saved"
    when = (
        time.strftime(", kept at %H:%M on %d %b", time.localtime(snapshot.saved_at))
        if snapshot.saved_at
        else ""
    )
    return f"'{snapshot.name}' ({where}){when}"
