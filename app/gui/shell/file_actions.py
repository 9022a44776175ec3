"""File: new (empty or from a template), open, recent files, save, close, quit, and files dropped on the window.

The file behind the window (saving, prompts, autosave, recovery) is the FileController's;
this module owns the actions and menus that reach it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from app.gui.shell.actions import make_action, with_usual
from app.gui.shell.files import FileController
from app.gui.shell.tabs import ProcessTabs
from exporters.registry import IMPORTS
from models.templates import DESCRIPTIONS, load_template, template_names


class FileActions(QObject):
    def __init__(self, window: QMainWindow, files: FileController, tabs: ProcessTabs) -> None:
        super().__init__(window)
        self.window, self.files, self.tabs = window, files, tabs
        self.import_path = None  # set by the window: opens another tool's file (the export menu's)
        act = partial(make_action, window)
        self.new = act("&New map", lambda: files.new_map(), QKeySequence.New, "actionNew")
        self.open = act("&Open…", lambda: files.open_dialog(), QKeySequence.Open, "actionOpen")
        self.save = act("&Save", lambda: files.save(), QKeySequence.Save, "actionSave")
        self.save_as = act(
            "Save &As…", lambda: files.save_as(), QKeySequence.SaveAs, "actionSaveAs"
        )
        self.close_tab = act(
            "&Close tab",
            tabs.close_current,
            with_usual(QKeySequence.Close, "Ctrl+W"),
            "actionCloseTab",
        )
        self.quit = act(
            "&Quit", window.close, with_usual(QKeySequence.Quit, "Ctrl+Q"), "actionQuit"
        )
        tabs.recent = files.recent
        start = tabs.start_page
        start.template_chosen.connect(self.new_from_template)
        start.open_requested.connect(lambda: files.open_dialog())
        start.recent_chosen.connect(self.open_recent)

    def fill_templates(self, menu: QMenu) -> None:
        for name in template_names():
            action = menu.addAction(name, partial(self.new_from_template, name))
            action.setStatusTip(DESCRIPTIONS.get(name, ""))

    def watch_recent(self, menu: QMenu) -> None:
        """Fill ``menu`` with the recent files each time it opens."""
        menu.aboutToShow.connect(partial(self._fill_recent, menu))

    def new_from_template(self, name: str) -> None:
        self.files.new_map(load_template(name))

    def _fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        for path in self.files.recent():
            menu.addAction(Path(path).name, partial(self.open_recent, path)).setToolTip(path)
        if not menu.actions():
            menu.addAction("(none yet)").setEnabled(False)

    def open_recent(self, path: str) -> None:
        if self.files.maybe_save():
            self.files.open_path(path)

    # --- files dropped on the window ---------------------------------------------------------------

    @staticmethod
    def dropped_file(mime: QMimeData) -> Path | None:
        """The one local file a drag carries, if Journeymap can open or import it."""
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        if len(files) != 1:
            return None
        path = Path(files[0])
        return path if path.suffix.lower() in {".json", *IMPORTS} else None

    def drop(self, mime: QMimeData) -> bool:
        """Open (or import) what was dropped, after the drop returns: the source application is
        not kept waiting by a prompt or a big map."""
        path = self.dropped_file(mime)
        if path is None:
            return False
        QTimer.singleShot(0, self, partial(self.open_dropped, path))
        return True

    def open_dropped(self, path: Path) -> bool:
        """A map file opens; another tool's file is imported as a new, unsaved map."""
        if path.suffix.lower() == ".json":
            return self.files.maybe_save() and self.files.open_path(path)
        return bool(self.import_path and self.import_path(path))
