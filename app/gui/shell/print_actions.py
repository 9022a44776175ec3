"""Printing: File ▸ Print… (Ctrl+P) with Qt's preview, and File ▸ Export ▸ PDF for printing….

Both put every process of the map on paper, one per page (the buying group first when the
map has several processes), as the workshop laid them out; the PDF asks for the paper (A4,
Letter, A3), the orientation and whether to fit each canvas to a page or tile it across pages
at a readable size.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject
from PySide6.QtGui import QKeySequence, QPdfWriter
from PySide6.QtWidgets import QMainWindow

from app.gui.canvas.group_scene import GroupScene
from app.gui.canvas.paper import PAPERS, PageSetup, paint_pages
from app.gui.canvas.scene import MapScene
from app.gui.common import dialogs
from app.gui.shell.actions import make_action
from app.gui.shell.tabs import ProcessTabs
from app.gui.workspace.workspace import Workspace
from models.buying_group import lane_order
from models.errors import JourneymapError
from models.storage import write_atomic


class PrintActions(QObject):
    def __init__(self, window: QMainWindow, workspace: Workspace, tabs: ProcessTabs) -> None:
        super().__init__(window)
        self.window, self.workspace, self.tabs = window, workspace, tabs
        self.print = make_action(
            window, "&Print…", self.print_dialog, QKeySequence.Print, "actionPrint"
        )
        self.pdf = make_action(
            window,
            "PDF for &printing (paper size, fit or tile)…",
            self.pdf_dialog,
            None,
            "actionPdfPaper",
        )

    @contextmanager
    def canvases(self):
        """(title, scene) of every process, the buying group first when there are several;
        open tabs lend their scenes, the others are drawn for the occasion."""
        made: list[MapScene] = []
        out: list[tuple[str, MapScene]] = []
        processes = lane_order(self.workspace.document.map)
        try:
            if len(processes) > 1:
                group = GroupScene(self.workspace, progressive=False)
                made.append(group)
                out.append((group.title(), group))
            for process in processes:
                view = self.tabs.view_for(process.id)
                scene = view.diagram() if view is not None else None
                if scene is None:
                    scene = MapScene(self.workspace, process.id, progressive=False)
                    made.append(scene)
                out.append((process.name, scene))
            yield out
        finally:
            for scene in made:
                scene.detach()
                scene.deleteLater()

    def print_dialog(self, *_) -> bool:
        """Qt's print preview of every process; the printer's own settings apply."""
        if not self.workspace.document.map.processes:
            dialogs.error(self.window, "Nothing to print", "Draw a process first, then print it.")
            return False

        def paint(printer) -> None:
            with self.canvases() as canvases:
                paint_pages(printer, canvases)

        return dialogs.print_preview(self.window, paint)

    def pdf_dialog(self, *_) -> bool:
        setup = ask_page_setup(self.window)
        if setup is None:
            return False
        stem = self.window.files.path.stem if self.window.files.path else "map"
        path = dialogs.save_file(
            self.window, "Save the PDF for printing", f"{stem}-{setup.paper}.pdf", "PDF (*.pdf)"
        )
        return bool(path) and self.write_pdf(path, setup) is not None

    def write_pdf(self, path: str | Path, setup: PageSetup) -> Path | None:
        """Every process on ``setup``'s paper, written atomically; the number of pages is said."""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setTitle(self.workspace.document.map.name)
        writer.setCreator("Journeymap")
        writer.setResolution(144)
        with self.canvases() as canvases:
            pages = paint_pages(writer, canvases, setup)
        buffer.close()
        try:
            write_atomic(Path(path), bytes(data.data()))
        except (OSError, JourneymapError) as error:
            dialogs.error(self.window, "Could not save the PDF", f"{path}: {error}")
            return None
        self.window.statusBar().showMessage(f"Saved {pages} pages to {path}", 8000)
        return Path(path)


def ask_page_setup(parent) -> PageSetup | None:
    """Paper, orientation, fit or tile (None when cancelled)."""
    answer = dialogs.page_setup(parent, list(PAPERS))
    return None if answer is None else PageSetup(*answer)
