"""The process tabs: one canvas per open process, the start page when none is open.

Tabs follow the workspace: a process renamed renames its tab, a process removed closes it,
a new map closes them all and opens its funnel. The current scene's selection is the
workspace's selection, and a selection asked to be revealed (a finding clicked, a step
found) opens its process and centres it.
"""

from __future__ import annotations

from functools import partial

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QStackedWidget, QTabWidget, QWidget

from app.gui.canvas.group_scene import GROUP, GroupScene
from app.gui.canvas.scene import MapScene
from app.gui.canvas.view import DiagramView
from app.gui.common.follow import follow
from app.gui.shell.start_page import StartPage
from app.gui.workspace.workspace import Workspace


class ProcessTabs(QObject):
    """Opens, closes and names the canvases of a window (a stack: the tabs or the start page)."""

    view_opened = Signal(object)  # a DiagramView just made
    status_message = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.document = workspace.document
        self.snap = True
        self.context_actions: list = []  # the window's Cut, Copy... for each canvas's right-click menu
        self.tabs = QTabWidget(parent)
        self.tabs.setObjectName("processTabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.start_page = StartPage(parent)
        self.stack = QStackedWidget(parent)
        self.stack.addWidget(self.start_page)
        self.stack.addWidget(self.tabs)
        self._resetting = False  # a new map is replacing the tabs (no start page in between)
        self.recent: callable = lambda: []  # the window's recent files, for the start page
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.tabs.currentChanged.connect(self.sync_start)
        workspace.selection.focus_requested.connect(self.reveal_selection)
        follow(
            self,
            [
                (self.document.reset, self.on_document_reset),
                (self.document.item_removed, self._on_item_removed),
                (self.document.item_changed, self._on_item_changed),
            ],
        )

    # --- finding tabs ----------------------------------------------------------------------------

    def views(self) -> list[DiagramView]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def view_for(self, process_id: str) -> DiagramView | None:
        return next((v for v in self.views() if v.diagram().process_id == process_id), None)

    def current_view(self) -> DiagramView | None:
        if not shiboken6.isValid(
            self.tabs
        ):  # the window is being torn down (the display went away)
            return None
        return self.tabs.currentWidget()

    # --- opening and closing ---------------------------------------------------------------------

    def open_process(self, process_id: str) -> DiagramView | None:
        if not self.document.has("processes", process_id):
            return None
        view = self.view_for(process_id) or self._add_view(MapScene(self.workspace, process_id))
        self.tabs.setCurrentWidget(view)
        view.setFocus()
        return view

    def open_group(self) -> DiagramView:
        """The buying group: every process as a lane on one page (View ▸ Buying group)."""
        view = self.view_for(GROUP) or self._add_view(GroupScene(self.workspace))
        self.tabs.setCurrentWidget(view)
        view.setFocus()
        return view

    def _add_view(self, scene: MapScene) -> DiagramView:
        scene.snap = self.snap
        scene.selectionChanged.connect(partial(self._on_scene_selection, scene))
        scene.subprocess_requested.connect(self.open_process)
        scene.reveal_requested.connect(self._reveal)
        scene.status_message.connect(self.status_message)
        scene.built.connect(self.workspace.analysis.canvas_drawn)
        if not scene.building:  # a small process is built at once, before that connection
            self.workspace.analysis.canvas_drawn()
        view = DiagramView(scene)
        view.context_actions = self.context_actions
        scene.setParent(view)  # the scene lives and dies with its tab
        self.tabs.addTab(view, scene.title())
        view.open_fit()
        QTimer.singleShot(0, view, view.open_fit)  # again once the tab has its size
        if scene.building:  # a large process arrives in slices: fit again once it is all there
            scene.built.connect(view.open_fit)
        self.view_opened.emit(view)
        return view

    def _reveal(self, process_id: str, node_id: str) -> None:
        self.workspace.selection.set(process_id, [node_id], focus=True)

    def close_tab(self, index: int) -> None:
        view = self.tabs.widget(index)
        self.tabs.removeTab(index)
        view.diagram().blockSignals(True)  # items going away must not report selection changes
        view.diagram().detach()
        view.deleteLater()

    def close_current(self) -> None:
        if self.tabs.count():
            self.close_tab(self.tabs.currentIndex())

    def close_all(self) -> None:
        while self.tabs.count():
            self.close_tab(0)

    def on_document_reset(self) -> None:
        """A new map: every tab closes and its funnel (or first process) opens."""
        self._resetting = True
        try:
            self.close_all()
            processes = self.document.map.processes
            funnel = next((p for p in processes if p.kind == "funnel"), None)
            funnel = funnel or (processes[0] if processes else None)
            if funnel is not None:
                self.open_process(funnel.id)
        finally:
            self._resetting = False
        self.sync_start()

    def sync_start(self, *_) -> None:
        """The start page where the diagrams go whenever no process is open."""
        if self._resetting:
            return
        if self.tabs.count():
            self.stack.setCurrentWidget(self.tabs)
        else:
            self.start_page.show_recent(self.recent())
            self.stack.setCurrentWidget(self.start_page)

    def set_snap(self, on: bool) -> None:
        self.snap = on
        for view in self.views():
            view.diagram().snap = on

    # --- following the document ------------------------------------------------------------------

    def _on_item_removed(self, collection: str, item, index: int) -> None:
        if collection == "processes":
            view = self.view_for(item.id)
            if view is not None:
                self.close_tab(self.tabs.indexOf(view))

    def _on_item_changed(self, collection: str, item, old: dict) -> None:
        if collection == "processes" and "name" in old:
            view = self.view_for(item.id)
            if view is not None:
                self.tabs.setTabText(self.tabs.indexOf(view), item.name)

    # --- selection ---------------------------------------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        view = self.tabs.widget(index)
        if view is not None:
            self._on_scene_selection(view.diagram())

    def _on_scene_selection(self, scene: MapScene) -> None:
        current = self.current_view()
        if current is not None and current.diagram() is scene:
            nodes, edges = scene.selected_node_ids(), scene.selected_edge_ids()
            self.workspace.selection.set(scene.process_id, nodes, edges)

    def reveal_selection(self) -> None:
        """Open the selection's process, select what it names there and centre it."""
        selection = self.workspace.selection
        process, nodes, edges = selection.process, list(selection.nodes), list(selection.edges)
        current = self.current_view()
        if current is not None and current.diagram().group_page:
            view = current  # the buying group shows every step: stay on it
        else:
            view = self.open_process(process) if process else current
        if view is None:
            return
        view.diagram().select_nodes(nodes, edges)  # the scene then writes the selection back
        if not nodes:  # a connection alone: centre on its two ends
            doc = self.document
            nodes = [n for e in edges if doc.has("edges", e) for n in _ends(doc.get("edges", e))]
        view.center_on_nodes(nodes)


def _ends(edge) -> tuple[str, str]:
    return edge.source, edge.target
