"""File ▸ Export and File ▸ Import: the exporters of :mod:`exporters.registry`, from the menus.

Exports run in a worker thread on a copy of the map, so a slow `dot` render
never freezes a workshop; the status bar says where the file went, and a
failure (no `dot` installed, a folder that cannot be written) is one plain
message. The canvas can also be saved exactly as laid out (SVG, PNG, PDF).

The entries of *Current process as* and *Whole map as*, the Import item and its file filter
are made from the registry's format records: a new format shows up without a change here.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.gui.canvas.image_export import FORMATS as CANVAS_FORMATS
from app.gui.canvas.image_export import save_scene
from app.gui.common import dialogs, worker
from exporters.registry import (
    EXPORTS,
    export_to_file,
    exports_for,
    file_filter,
    import_file,
    import_formats,
    in_words,
)
from models.errors import JourneymapError


class ExportMenu(QObject):
    """Builds the Export and Import menus of a main window and runs what they ask for."""

    finished = Signal(list)  # the paths written by the last export

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.actions: dict[str, QAction] = {}  # "process:svg", "map:html", "canvas:png"...
        self.import_action: QAction | None = None

    def build(self, file_menu: QMenu) -> None:
        export = file_menu.addMenu("&Export")
        export.setObjectName("exportMenu")
        current = export.addMenu("Current &process as")
        for fmt in exports_for("process"):
            self.actions[f"process:{fmt.name}"] = current.addAction(
                f"{fmt.name.upper()} — {fmt.description}…", partial(self.export, fmt.name, True)
            )
        whole = export.addMenu("Whole &map as")
        for fmt in exports_for("map"):
            self.actions[f"map:{fmt.name}"] = whole.addAction(
                f"{fmt.name.upper()} — {fmt.description}…", partial(self.export, fmt.name, False)
            )
        canvas = export.addMenu("&Canvas as laid out")
        for name, description in CANVAS_FORMATS.items():
            self.actions[f"canvas:{name}"] = canvas.addAction(
                f"{name.upper()} — {description}…", partial(self.export_canvas, name)
            )
        self.actions["map:html"].setShortcut("Ctrl+Shift+E")
        self.import_action = file_menu.addAction(
            f"&Import {in_words(import_formats())}…", self.import_dialog
        )

    # --- export ------------------------------------------------------------------------------

    def _suggested(self, extension: str, process_id: str | None) -> str:
        files = self.window.files
        stem = files.path.stem if files.path else self.window.document.map.name or "map"
        if process_id:
            stem = f"{stem}-{process_id}"
        folder = files.path.parent if files.path else Path.home()
        return str(folder / f"{_safe(stem)}{extension}")

    def export(self, name: str, current_process: bool, path: str | None = None) -> bool:
        """Ask for a file (unless ``path`` is given) and export in the background."""
        fmt = EXPORTS[name]
        process_id = None
        if current_process:
            view = self.window.current_view()
            if view is None:
                dialogs.error(
                    self.window,
                    "Nothing to export",
                    "Open a process in a tab first, then export it.",
                )
                return False
            scene = view.diagram()
            process_id = None if scene.group_page else scene.process_id  # the group: every process
        if path is None:
            path = dialogs.save_file(
                self.window,
                f"Export as {name.upper()}",
                self._suggested(fmt.extension, process_id),
                file_filter([fmt]),
            )
            if not path:
                return False
        doc = self.window.document.snapshot()  # the worker never sees later edits
        self.window.statusBar().showMessage(f"Exporting {Path(path).name}…")
        worker.start(
            lambda progress, cancelled: export_to_file(doc, name, Path(path), process_id),
            self._on_done,
            self._on_failed,
        )
        return True

    def _on_failed(self, error: BaseException) -> None:
        self.window.statusBar().clearMessage()
        text = (
            str(error)
            if isinstance(error, (JourneymapError, OSError))
            else (f"The export failed unexpectedly ({type(error).__name__}: {error}).")
        )
        dialogs.error(self.window, "Export failed", text)
        self.finished.emit([])

    def _on_done(self, paths) -> None:
        names = ", ".join(str(p) for p in paths)
        self.window.statusBar().showMessage(f"Exported {names}", 8000)
        self.finished.emit(list(paths))

    def export_canvas(self, name: str, path: str | None = None) -> Path | None:
        view = self.window.current_view()
        if view is None:
            dialogs.error(
                self.window, "Nothing to export", "Open a process in a tab first, then export it."
            )
            return None
        scene = view.diagram()
        if path is None:
            path = dialogs.save_file(
                self.window,
                f"Save the canvas as {name.upper()}",
                self._suggested(
                    f".{name}", "buying-group" if scene.group_page else scene.process_id
                ),
                f"{CANVAS_FORMATS[name]} (*.{name});;All files (*)",
            )
            if not path:
                return None
        title = scene.title()
        try:
            written = save_scene(scene, path, name, title)
        except OSError as error:
            dialogs.error(
                self.window, "Export failed", f"Could not write {path}: {error.strerror or error}."
            )
            return None
        self.window.statusBar().showMessage(f"Saved the canvas to {written}", 8000)
        return written

    # --- import ------------------------------------------------------------------------------

    def import_dialog(self) -> bool:
        formats = import_formats()
        path = dialogs.open_file(
            self.window,
            "Import a diagram or an action register",
            "",
            file_filter(formats, in_words(formats)),
        )
        return bool(path) and self.import_path(path)

    def import_path(self, path: str | Path) -> bool:
        """Open another tool's file as a new, unsaved map, and say what could not come over."""
        if not self.window.files.maybe_save():
            return False
        try:
            result = import_file(Path(path))
        except JourneymapError as error:
            dialogs.error(self.window, "Cannot import", str(error))
            return False
        self.window.files.load(result.doc, None)
        self.window.editor.undo_stack.resetClean()  # an imported map is unsaved work
        if result.skipped:
            shown = "\n".join(f"• {line}" for line in result.skipped[:15])
            more = f"\n… and {len(result.skipped) - 15} more." if len(result.skipped) > 15 else ""
            dialogs.info(
                self.window,
                "Imported with omissions",
                f"{Path(path).name} was imported. Not brought over:\n{shown}{more}",
            )
        else:
            self.window.statusBar().showMessage(f"Imported {Path(path).name}", 8000)
        return True


def _safe(stem: str) -> str:
    """A file name from a map or process name: no folders, no odd characters."""
    cleaned = "".join(c if c.isalnum() or c in "-_ ." else "-" for c in stem).strip(" .")
    return cleaned or "map"
