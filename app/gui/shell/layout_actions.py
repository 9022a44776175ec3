"""Arrange: auto-layout off the UI thread (one undo step), snap to grid, align and distribute."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow

from app.gui.common import worker
from app.gui.shell.actions import make_action
from app.gui.shell.tabs import ProcessTabs
from app.gui.workspace.workspace import Workspace
from models.arrange import ALIGN, arrange_positions
from models.document import JourneyMap

ARRANGEMENTS = [
    ("Align &left", "left"),
    ("Align &top", "top"),
    ("Align &centres vertically", "vcenter"),
    ("&Distribute horizontally", "hdist"),
    ("Distribute &vertically", "vdist"),
]


class LayoutActions(QObject):
    finished = Signal(str)  # the layout method used ("" when it failed)

    def __init__(self, window: QMainWindow, workspace: Workspace, tabs: ProcessTabs) -> None:
        super().__init__(window)
        self.window, self.workspace, self.tabs = window, workspace, tabs
        act = partial(make_action, window)
        self.layout = act("Auto-&layout", self.auto_layout, "Ctrl+L", "actionAutoLayout")
        self.snap = act("Snap to &grid", tabs.set_snap, None, "actionSnap", checkable=True)
        self.snap.setChecked(True)
        self.arrangements = [act(title, partial(self.arrange, how)) for title, how in ARRANGEMENTS]

    def _say(self, text: str, ms: int = 5000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def auto_layout(self, *_) -> None:
        """Lay out the current process off the UI thread; applied as one undoable step."""
        view = self.tabs.current_view()
        if view is None:
            return
        process_id = view.diagram().process_id
        snapshot = layout_snapshot(self.workspace.document.map, process_id)
        self._say("Laying out…", 0)
        worker.start(
            lambda progress, cancelled: _lay_out(snapshot, process_id),
            lambda result: self._on_done(process_id, *result),
            self._on_failed,
        )

    def _on_failed(self, error: BaseException) -> None:
        self._say(f"Auto-layout failed: {error}", 8000)
        self.finished.emit("")

    def _on_done(self, process_id: str, positions: dict, method: str) -> None:
        document, editor = self.workspace.document, self.workspace.editor
        positions = {k: v for k, v in positions.items() if document.has("nodes", k)}
        with editor.macro("Auto-layout"):
            editor.move_nodes(positions)
        view = self.tabs.view_for(process_id)
        if view is not None:
            view.fit()
        self._say(f"Laid out with {method}")
        self.finished.emit(method)

    def arrange(self, how: str) -> None:
        view = self.tabs.current_view()
        if view is None:
            return
        scene = view.diagram()
        items = [scene.item_for_node(n) for n in scene.selected_node_ids()]
        if len(items) < 2:
            self._say("Select two or more steps to align or distribute them.", 4000)
            return
        moves = arrange_positions({i.node_id: (i.pos().x(), i.pos().y()) for i in items}, how)
        with self.workspace.editor.macro("Align" if how in ALIGN else "Distribute"):
            self.workspace.editor.move_nodes(moves)


def _lay_out(snapshot: JourneyMap, process_id: str) -> tuple[dict, str]:
    """In the worker: networkx loads here the first time, not on the UI thread (a 0.2 s stall)."""
    from models.layout import auto_layout

    return auto_layout(snapshot, process_id)


def layout_snapshot(doc: JourneyMap, process_id: str) -> JourneyMap:
    """What the layout worker reads: new lists (the UI may edit meanwhile), no deep copy (fast on big maps)."""
    nodes = [n for n in doc.nodes if n.process == process_id]
    inside = {n.id for n in nodes}
    edges = [e for e in doc.edges if e.source in inside or e.target in inside]
    return doc.model_construct(
        **{**dict(doc), "nodes": nodes, "edges": edges, "processes": list(doc.processes)}
    )
