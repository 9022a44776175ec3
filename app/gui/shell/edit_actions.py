"""Edit and Insert: undo and redo, the clipboard, delete, select all, the next step, a step of each kind."""

from __future__ import annotations

from functools import partial

import shiboken6
from PySide6.QtCore import QObject, QPointF, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow

from app.gui.canvas import clipboard
from app.gui.canvas.view import DiagramView
from app.gui.common.style import NODE_KINDS
from app.gui.shell.actions import make_action
from app.gui.shell.tabs import ProcessTabs
from app.gui.workspace.workspace import Workspace
from models.document import Process


class EditActions(QObject):
    """The actions that change the map from the menus and the palette toolbar."""

    def __init__(self, window: QMainWindow, workspace: Workspace, tabs: ProcessTabs) -> None:
        super().__init__(window)
        self.workspace, self.tabs = workspace, tabs
        stack = workspace.editor.undo_stack
        self.undo = stack.createUndoAction(window, "&Undo")
        self.undo.setShortcuts(QKeySequence.Undo)
        self.undo.setObjectName("actionUndo")
        self.redo = stack.createRedoAction(window, "&Redo")
        self.redo.setShortcuts(QKeySequence.Redo)
        self.redo.setObjectName("actionRedo")
        window.addActions([self.undo, self.redo])
        for action, word in ((self.undo, "Undo"), (self.redo, "Redo")):
            action.setIconText(word)  # the toolbar button keeps its width; the tooltip says what
            action.changed.connect(partial(_tooltip_from_text, action))
        act = partial(make_action, window)
        self.delete = act(
            "&Delete",
            self._on_view(lambda v: v.diagram().delete_selection()),
            QKeySequence.Delete,
            "actionDelete",
        )
        self.delete.setShortcutContext(Qt.WidgetShortcut)  # the canvas handles Delete itself
        self.select_all = act(
            "Select &all", self._on_view(lambda v: v.diagram().select_all()), QKeySequence.SelectAll
        )
        self.cut = act(
            "Cu&t", self._on_scene(clipboard.cut_selection), QKeySequence.Cut, "actionCut"
        )
        self.copy = act(
            "&Copy", self._on_scene(clipboard.copy_selection), QKeySequence.Copy, "actionCopy"
        )
        self.paste = act(
            "&Paste", self._on_scene(clipboard.paste_into), QKeySequence.Paste, "actionPaste"
        )
        self.duplicate = act(
            "D&uplicate", self._on_scene(clipboard.duplicate_selection), "Ctrl+D", "actionDuplicate"
        )
        self.next_step = act(
            "Add &next step",
            self._on_view(lambda v: v.diagram().add_next_step()),
            "Ctrl+Return",
            "actionNextStep",
        )
        self.add_node = {}
        for kind, title in NODE_KINDS:
            add = act(
                f"Add {title.lower()}", partial(self.add_step, kind), None, f"actionAdd_{kind}"
            )
            add.setIconText(title)  # the palette toolbar's button
            self.add_node[kind] = add
        QGuiApplication.clipboard().dataChanged.connect(self._update_paste)
        self._update_paste()

    def close(self) -> None:
        QGuiApplication.clipboard().dataChanged.disconnect(self._update_paste)

    def _on_view(self, fn):
        def run(*_) -> None:
            view = self.tabs.current_view()
            if view is not None:
                fn(view)

        return run

    def _on_scene(self, fn):
        def run(*_) -> None:
            view = self.tabs.current_view()
            if view is not None:
                fn(view.diagram())
                view.setFocus()

        return run

    def _update_paste(self) -> None:
        """Paste is offered only when the clipboard holds copied steps."""
        if not shiboken6.isValid(self.paste):  # the application's clipboard outlives this window
            QGuiApplication.clipboard().dataChanged.disconnect(self._update_paste)
            return
        self.paste.setEnabled(clipboard.holds_steps())

    def add_step(self, kind: str) -> None:
        """A step of ``kind`` in the middle of the canvas, label ready to type.

        With no tab open it goes into the first process, or a new one on an empty map.
        """
        view = self.tabs.current_view() or self._first_process(kind)
        if view is None:
            return
        center = view.mapToScene(view.viewport().rect().center())
        scene = view.diagram()
        taken = [scene.item_for_node(n).pos() for n in scene.node_ids()]
        while any((pos - center).manhattanLength() < 30 for pos in taken):
            center += QPointF(30, 30)
        scene.add_node_at(center, kind)
        view.setFocus()

    def _first_process(self, kind: str) -> DiagramView | None:
        document = self.workspace.document
        processes = document.map.processes
        if not processes:
            process_kind = "buyer" if kind == "buyer_step" else "funnel"
            process = Process(
                id=document.new_id("processes"), name="New process", kind=process_kind
            )
            self.workspace.editor.add_item("processes", process)
            processes = [process]
        return self.tabs.open_process(processes[0].id)


def _tooltip_from_text(action: QAction) -> None:
    if not shiboken6.isValid(action):  # the stack outlives a closed window's actions
        return
    text = action.text().replace("&", "")
    if action.toolTip() != text:
        action.setToolTip(text)
