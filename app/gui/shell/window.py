"""The main window: composes the document, the canvas tabs and the panels, and wires menus.

It holds no map data and no business logic: edits go through the
DocumentEditor, files through the FileController, and each panel lives in its
own module.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import shiboken6
from PySide6.QtCore import QPointF, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from app.gui.canvas import clipboard
from app.gui.canvas.scene import MapScene, percent
from app.gui.canvas.view import DiagramView
from app.gui.common import worker
from app.gui.common.style import NODE_KINDS
from app.gui.panels.findings import FindingsPanel
from app.gui.panels.legend import LegendPanel
from app.gui.panels.outline import OutlinePanel
from app.gui.panels.properties import PropertiesPanel
from app.gui.panels.simulation import SimulationPanel
from app.gui.shell.arrange import ALIGN, arrange_positions
from app.gui.shell.autolayout import layout_snapshot
from app.gui.shell.export_menu import ExportMenu
from app.gui.shell.files import FileController
from app.gui.shell.find_bar import FindBar
from app.gui.shell.presentation import PresentationMode
from app.gui.shell.recovery import RecoveryStore
from app.gui.shell.start_page import StartPage
from app.gui.workspace.commands import DocumentEditor
from app.gui.workspace.selection import Selection
from models.document import Process
from models.editing import MapDocument
from models.layout import auto_layout
from models.templates import DESCRIPTIONS, load_template, template_names


class MainWindow(QMainWindow):
    layout_finished = Signal(str)

    def __init__(self, recovery: RecoveryStore | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.document = MapDocument()
        self.editor = DocumentEditor(self.document, self)
        self.selection = Selection(self)
        self.files = FileController(self, self.editor, recovery)
        self._resetting = False  # a new map is replacing the tabs (see on_document_reset)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("processTabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.find_bar = FindBar(self.document, self)
        centre = QWidget(self)
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.find_bar)
        self.start_page = StartPage(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.start_page)
        self.stack.addWidget(self.tabs)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(centre)
        self.setAcceptDrops(True)  # a map or another tool's file dropped anywhere on the window
        self.presentation = PresentationMode(self)
        self._build_panels()
        self._build_actions()
        self._build_menus()
        self._wire()
        self._restore_state()
        self.on_document_reset()  # also shows the start page when nothing opens

    # --- composition -------------------------------------------------------------------------

    def _dock(self, title: str, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_panels(self) -> None:
        self.outline = OutlinePanel(self.editor, self.selection, self)
        self.properties = PropertiesPanel(self.editor, self.selection, self)
        self.legend = LegendPanel(self.document, self)
        self.outline_dock = self._dock(
            "Outline", "outlineDock", self.outline, Qt.LeftDockWidgetArea
        )
        self.legend_dock = self._dock("Legend", "legendDock", self.legend, Qt.LeftDockWidgetArea)
        self.properties_dock = self._dock(
            "Properties", "propertiesDock", self.properties, Qt.RightDockWidgetArea
        )
        self.history = QUndoView(self.editor.undo_stack, self)
        self.history.setObjectName("history")
        self.history.setEmptyLabel("The map as opened")  # click a row to go back to that point
        self.history_dock = self._dock(
            "History", "historyDock", self.history, Qt.LeftDockWidgetArea
        )
        self.tabifyDockWidget(self.legend_dock, self.history_dock)
        self.legend_dock.raise_()
        self.findings = FindingsPanel(self.document, self)
        self.findings_dock = self._dock(
            "Findings", "findingsDock", self.findings, Qt.BottomDockWidgetArea
        )
        self.simulation = SimulationPanel(self.document, self)
        self.simulation_dock = self._dock(
            "Simulation", "simulationDock", self.simulation, Qt.BottomDockWidgetArea
        )
        self.tabifyDockWidget(self.findings_dock, self.simulation_dock)
        self.findings_dock.raise_()
        self.status = QLabel("")
        self.statusBar().addPermanentWidget(self.status)

    def _action(
        self, text: str, slot, shortcut=None, name: str | None = None, checkable=False
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(
                shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)]
            )
        if name:
            action.setObjectName(name)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        f = self.files
        self.action_new = self._action(
            "&New map", lambda: f.new_map(), QKeySequence.New, "actionNew"
        )
        self.action_open = self._action(
            "&Open…", lambda: f.open_dialog(), QKeySequence.Open, "actionOpen"
        )
        self.action_save = self._action("&Save", lambda: f.save(), QKeySequence.Save, "actionSave")
        self.action_save_as = self._action(
            "Save &As…", lambda: f.save_as(), QKeySequence.SaveAs, "actionSaveAs"
        )
        self.action_close_tab = self._action(
            "&Close tab",
            self.close_current_tab,
            _with(QKeySequence.Close, "Ctrl+W"),
            "actionCloseTab",
        )
        self.action_quit = self._action(
            "&Quit", self.close, _with(QKeySequence.Quit, "Ctrl+Q"), "actionQuit"
        )
        self.action_undo = self.editor.undo_stack.createUndoAction(self, "&Undo")
        self.action_undo.setShortcuts(QKeySequence.Undo)
        self.action_undo.setObjectName("actionUndo")
        self.action_redo = self.editor.undo_stack.createRedoAction(self, "&Redo")
        self.action_redo.setShortcuts(QKeySequence.Redo)
        self.action_redo.setObjectName("actionRedo")
        self.addActions([self.action_undo, self.action_redo])
        for action, word in ((self.action_undo, "Undo"), (self.action_redo, "Redo")):
            action.setIconText(
                word
            )  # the toolbar button keeps its width; the menu and tooltip say what
            action.changed.connect(partial(self._tooltip_from_text, action))
        self.action_delete = self._action(
            "&Delete", self._delete, QKeySequence.Delete, "actionDelete"
        )
        self.action_delete.setShortcutContext(Qt.WidgetShortcut)  # the canvas handles Delete itself
        self.action_select_all = self._action(
            "Select &all", self._select_all, QKeySequence.SelectAll
        )
        self.action_find = self._action(
            "&Find step…", self.find_bar.open, QKeySequence.Find, "actionFind"
        )
        on_scene = self._scene_do
        self.action_cut = self._action(
            "Cu&t", lambda: on_scene(clipboard.cut_selection), QKeySequence.Cut, "actionCut"
        )
        self.action_copy = self._action(
            "&Copy", lambda: on_scene(clipboard.copy_selection), QKeySequence.Copy, "actionCopy"
        )
        self.action_paste = self._action(
            "&Paste", lambda: on_scene(clipboard.paste_into), QKeySequence.Paste, "actionPaste"
        )
        QGuiApplication.clipboard().dataChanged.connect(self._update_paste)
        self._update_paste()
        self.action_duplicate = self._action(
            "D&uplicate",
            lambda: on_scene(clipboard.duplicate_selection),
            "Ctrl+D",
            "actionDuplicate",
        )
        self.action_next_step = self._action(
            "Add &next step", self._next_step, "Ctrl+Return", "actionNextStep"
        )
        self.action_zoom_in = self._action(
            "Zoom &in",
            lambda: self._view_do(lambda v: v.zoom(1.25)),
            [QKeySequence.ZoomIn, QKeySequence("Ctrl+=")],
        )
        self.action_zoom_out = self._action(
            "Zoom &out", lambda: self._view_do(lambda v: v.zoom(0.8)), QKeySequence.ZoomOut
        )
        self.action_fit = self._action(
            "&Fit to window", lambda: self._view_do(lambda v: v.fit()), "Ctrl+0", "actionFit"
        )
        self.action_layout = self._action(
            "Auto-&layout", self.auto_layout, "Ctrl+L", "actionAutoLayout"
        )
        self.action_present = self._action(
            "&Presentation mode",
            self.toggle_presentation,
            [QKeySequence("F11"), QKeySequence("Ctrl+Shift+P")],
            "actionPresentation",
            checkable=True,
        )
        self.action_snap = self._action(
            "Snap to &grid", self._toggle_snap, None, "actionSnap", checkable=True
        )
        self.action_snap.setChecked(True)
        self.action_simulate = self._action(
            "&Run simulation", self.run_simulation, "F5", "actionSimulate"
        )
        self.action_overlay = self._action(
            "Show &flow on the diagram",
            self._toggle_overlay,
            "Ctrl+Shift+F",
            "actionOverlay",
            checkable=True,
        )
        self.simulation.overlay.toggled.connect(self.action_overlay.setChecked)
        self.action_goal = self._action(
            "Work back from a revenue &target…", self.goal_seek, None, "actionGoal"
        )
        self.add_actions = {}
        for kind, title in NODE_KINDS:
            self.add_actions[kind] = self._action(
                f"Add {title.lower()}", partial(self.add_node, kind), None, f"actionAdd_{kind}"
            )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.action_new)
        templates = file_menu.addMenu("New from &template")
        for name in template_names():
            action = templates.addAction(name, partial(self.new_from_template, name))
            action.setStatusTip(DESCRIPTIONS.get(name, ""))
        file_menu.addAction(self.action_open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        file_menu.addActions([self.action_save, self.action_save_as])
        file_menu.addSeparator()
        self.exports = ExportMenu(self)
        self.exports.build(file_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.action_close_tab, self.action_quit])
        edit = bar.addMenu("&Edit")
        edit.addActions([self.action_undo, self.action_redo])
        edit.addSeparator()
        edit.addActions(
            [self.action_cut, self.action_copy, self.action_paste, self.action_duplicate]
        )
        edit.addSeparator()
        edit.addActions([self.action_delete, self.action_select_all])
        edit.addSeparator()
        edit.addAction(self.action_find)
        insert = bar.addMenu("&Insert")
        insert.addAction(self.action_next_step)
        insert.addSeparator()
        insert.addActions(list(self.add_actions.values()))
        arrange = bar.addMenu("&Arrange")
        arrange.addAction(self.action_layout)
        arrange.addAction(self.action_snap)
        for title, how in [
            ("Align &left", "left"),
            ("Align &top", "top"),
            ("Align &centres vertically", "vcenter"),
            ("&Distribute horizontally", "hdist"),
            ("Distribute &vertically", "vdist"),
        ]:
            arrange.addAction(title, partial(self.arrange, how))
        view = bar.addMenu("&View")
        view.addActions([self.action_zoom_in, self.action_zoom_out, self.action_fit])
        view.addSeparator()
        view.addAction(self.action_present)
        view.addSeparator()
        for dock in self.findChildren(QDockWidget):
            view.addAction(dock.toggleViewAction())
        simulate = bar.addMenu("&Simulate")
        simulate.addAction(self.action_simulate)
        simulate.addAction(self.action_overlay)
        simulate.addAction(self.action_goal)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction("Keyboard shortcuts", self._show_shortcuts)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.addActions([self.action_new, self.action_open, self.action_save])
        toolbar.addSeparator()
        toolbar.addActions([self.action_undo, self.action_redo])
        toolbar.addSeparator()
        self.action_simulate.setIconText("Simulate")
        self.action_overlay.setIconText("Show flow")
        toolbar.addActions([self.action_simulate, self.action_overlay])
        toolbar.addSeparator()
        palette = self.addToolBar("Palette")
        palette.setObjectName("paletteToolbar")
        for kind, title in NODE_KINDS:
            action = self.add_actions[kind]
            action.setIconText(title)
            palette.addAction(action)
        palette.addSeparator()
        palette.addActions([self.action_layout, self.action_fit, self.action_present])

    def _wire(self) -> None:
        stack = self.editor.undo_stack
        stack.cleanChanged.connect(self._update_title)
        self.files.path_changed.connect(self._update_title)
        self.files.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.tabs.currentChanged.connect(self._sync_start)
        self.start_page.template_chosen.connect(self.new_from_template)
        self.start_page.open_requested.connect(lambda: self.files.open_dialog())
        self.start_page.recent_chosen.connect(self._open_recent)
        self.start_page.new_process_requested.connect(self.new_process)
        self.outline.process_activated.connect(self.open_process)
        self.outline.process_added.connect(self.open_process)
        self.document.reset.connect(self.on_document_reset)
        self.document.item_removed.connect(self._on_item_removed)
        self.document.map_changed.connect(lambda old: self._update_title())
        self.find_bar.found.connect(
            lambda process_id, node_id: self.show_finding(process_id, [node_id], [])
        )
        self.find_bar.closed.connect(
            lambda: self._view_do(lambda view: view.setFocus())
        )  # keys back to the canvas
        self.findings.finding_activated.connect(self.show_finding)
        self.findings.findings_updated.connect(self._on_findings)
        self.simulation.overlay_ready.connect(self._on_overlay)
        self.simulation.scenario_proposed.connect(
            lambda scenario: self.editor.add_item("scenarios", scenario)
        )

    # --- tabs ----------------------------------------------------------------------------------

    def view_for(self, process_id: str) -> DiagramView | None:
        for index in range(self.tabs.count()):
            view = self.tabs.widget(index)
            if view.diagram().process_id == process_id:
                return view
        return None

    def current_view(self) -> DiagramView | None:
        if not shiboken6.isValid(
            self.tabs
        ):  # the window is being torn down (e.g. the display went away)
            return None
        return self.tabs.currentWidget()

    def new_process(self) -> DiagramView | None:
        """A new, empty buyer's process in its own tab (one undo step); its canvas says how to start."""
        process = Process(id=self.document.new_id("processes"), name="New process", kind="buyer")
        self.editor.add_item("processes", process)
        return self.open_process(process.id)

    def _sync_start(self, *_) -> None:
        """The start page where the diagrams go whenever no process is open."""
        if self._resetting:
            return
        if self.tabs.count():
            self.stack.setCurrentWidget(self.tabs)
        else:
            self.start_page.show_recent(self.files.recent())
            self.stack.setCurrentWidget(self.start_page)

    def open_process(self, process_id: str) -> DiagramView | None:
        if not self.document.has("processes", process_id):
            return None
        view = self.view_for(process_id)
        if view is None:
            scene = MapScene(self.editor, process_id)
            self._apply_badges(scene)  # the findings were listed before this tab opened
            scene.built.connect(partial(self._apply_badges, scene))
            scene.selectionChanged.connect(partial(self._on_scene_selection, scene))
            scene.subprocess_requested.connect(self.open_process)
            scene.status_message.connect(lambda text: self.statusBar().showMessage(text, 4000))
            view = DiagramView(scene)
            view.context_actions = [
                self.action_cut,
                self.action_copy,
                self.action_paste,
                self.action_duplicate,
                self.action_delete,
                None,
                self.action_layout,
                self.action_fit,
            ]
            scene.setParent(view)  # the scene lives and dies with its tab
            name = self.document.get("processes", process_id).name
            self.tabs.addTab(view, name)
            view.fit(readable=True)
            QTimer.singleShot(
                0, view, lambda: view.fit(readable=True)
            )  # again once the tab has its size
            if scene.building:  # a large process arrives in slices: fit again once it is all there
                scene.built.connect(lambda: view.fit(readable=True))
        self.tabs.setCurrentWidget(view)
        view.setFocus()
        return view

    def _close_tab(self, index: int) -> None:
        view = self.tabs.widget(index)
        self.tabs.removeTab(index)
        view.diagram().blockSignals(True)
        view.diagram().detach()
        view.deleteLater()

    def close_current_tab(self) -> None:
        if self.tabs.count():
            self._close_tab(self.tabs.currentIndex())

    def on_document_reset(self) -> None:
        self._resetting = True  # every tab closes and one opens: no start page in between
        while self.tabs.count():
            self._close_tab(0)
        processes = self.document.map.processes
        funnel = next(
            (p for p in processes if p.kind == "funnel"), processes[0] if processes else None
        )
        try:
            if funnel is not None:
                self.open_process(funnel.id)
        finally:
            self._resetting = False
        self._sync_start()
        self._update_title()

    def _on_item_removed(self, collection: str, item, index: int) -> None:
        if collection == "processes":
            view = self.view_for(item.id)
            if view is not None:
                self._close_tab(self.tabs.indexOf(view))
        if collection == "processes" or collection == "nodes":
            self._rename_tabs()

    def _rename_tabs(self) -> None:
        for index in range(self.tabs.count()):
            process_id = self.tabs.widget(index).diagram().process_id
            if self.document.has("processes", process_id):
                self.tabs.setTabText(index, self.document.get("processes", process_id).name)

    def _on_tab_changed(self, index: int) -> None:
        view = self.tabs.widget(index)
        if view is not None:
            self._on_scene_selection(view.diagram())

    def _on_scene_selection(self, scene: MapScene) -> None:
        if self.current_view() is not None and self.current_view().diagram() is scene:
            self.selection.set(
                scene.process_id, scene.selected_node_ids(), scene.selected_edge_ids()
            )

    # --- commands --------------------------------------------------------------------------------

    def _view_do(self, fn) -> None:
        view = self.current_view()
        if view is not None:
            fn(view)

    def _scene_do(self, fn) -> None:
        view = self.current_view()
        if view is not None:
            fn(view.diagram())
            view.setFocus()

    def _delete(self) -> None:
        self._view_do(lambda v: v.diagram().delete_selection())

    @staticmethod
    def _tooltip_from_text(action: QAction) -> None:
        if not shiboken6.isValid(action):  # the stack outlives a closed window's actions
            return
        text = action.text().replace("&", "")
        if action.toolTip() != text:
            action.setToolTip(text)

    def _update_paste(self) -> None:
        """Paste is offered only when the clipboard holds copied steps."""
        if not shiboken6.isValid(
            self.action_paste
        ):  # the application's clipboard outlives this window
            QGuiApplication.clipboard().dataChanged.disconnect(self._update_paste)
            return
        self.action_paste.setEnabled(clipboard.holds_steps())

    def _select_all(self) -> None:
        self._view_do(lambda v: v.diagram().select_all())

    def _next_step(self) -> None:
        self._view_do(lambda v: v.diagram().add_next_step())

    def _toggle_snap(self, checked: bool) -> None:
        for index in range(self.tabs.count()):
            self.tabs.widget(index).diagram().snap = checked

    def add_node(self, kind: str) -> None:
        view = self.current_view()
        if view is None:  # no tab open: the first process, or a new one on an empty map
            processes = self.document.map.processes
            if not processes:
                process = Process(
                    id=self.document.new_id("processes"),
                    name="New process",
                    kind="buyer" if kind == "buyer_step" else "funnel",
                )
                self.editor.add_item("processes", process)
                processes = [process]
            view = self.open_process(processes[0].id)
            if view is None:
                return
        center = view.mapToScene(view.viewport().rect().center())
        scene = view.diagram()
        while any(
            (item.pos() - center).manhattanLength() < 30
            for item in scene.items()
            if hasattr(item, "node_id")
        ):
            center += QPointF(30, 30)
        scene.add_node_at(center, kind)
        view.setFocus()

    # --- files dropped on the window ----------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        path = self._dropped_file(event.mimeData())
        if path is None:
            return
        event.acceptProposedAction()
        # after the drop returns: the source application is not kept waiting by a prompt or a big map
        QTimer.singleShot(0, self, partial(self.open_dropped, path))

    @staticmethod
    def _dropped_file(mime) -> Path | None:
        """The one local file a drag carries, if Journeymap can open or import it."""
        from exporters.registry import IMPORTS

        files = (
            [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
            if mime.hasUrls()
            else []
        )
        if len(files) != 1:
            return None
        path = Path(files[0])
        return path if path.suffix.lower() in {".json", *IMPORTS} else None

    def open_dropped(self, path: Path) -> bool:
        """A map file opens; another tool's file is imported as a new, unsaved map."""
        if path.suffix.lower() == ".json":
            return self.files.maybe_save() and self.files.open_path(path)
        return self.exports.import_path(path)

    def new_from_template(self, name: str) -> None:
        self.files.new_map(load_template(name))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.files.recent():
            self.recent_menu.addAction(
                Path(path).name, partial(self._open_recent, path)
            ).setToolTip(path)
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def _open_recent(self, path: str) -> None:
        if self.files.maybe_save():
            self.files.open_path(path)

    def auto_layout(self) -> None:
        """Lay out the current process off the UI thread; applied as one undoable step."""
        view = self.current_view()
        if view is None:
            return
        process_id = view.diagram().process_id
        snapshot = layout_snapshot(self.document.map, process_id)
        self.statusBar().showMessage("Laying out…")
        worker.start(
            lambda progress, cancelled: auto_layout(snapshot, process_id),
            lambda result: self._on_layout_done(process_id, *result),
            self._on_layout_failed,
        )

    def _on_layout_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(f"Auto-layout failed: {error}", 8000)
        self.layout_finished.emit("")

    def _on_layout_done(self, process_id: str, positions: dict, method: str) -> None:
        positions = {k: v for k, v in positions.items() if self.document.has("nodes", k)}
        with self.editor.macro("Auto-layout"):
            self.editor.move_nodes(positions)
        view = self.view_for(process_id)
        if view is not None:
            view.fit()
        self.statusBar().showMessage(f"Laid out with {method}", 5000)
        self.layout_finished.emit(method)

    def arrange(self, how: str) -> None:
        view = self.current_view()
        if view is None:
            return
        scene = view.diagram()
        items = [scene.item_for_node(n) for n in scene.selected_node_ids()]
        if len(items) < 2:
            self.statusBar().showMessage(
                "Select two or more steps to align or distribute them.", 4000
            )
            return
        moves = arrange_positions({i.node_id: (i.pos().x(), i.pos().y()) for i in items}, how)
        with self.editor.macro("Align" if how in ALIGN else "Distribute"):
            self.editor.move_nodes(moves)

    # --- findings and simulation overlays ---------------------------------------------------------

    def show_finding(self, process_id: str, node_ids: list, edge_ids: list) -> None:
        view = self.open_process(process_id) if process_id else self.current_view()
        if view is None:
            return
        view.diagram().select_nodes(node_ids, edge_ids)
        view.center_on_nodes(node_ids)

    def _on_findings(self, findings: list) -> None:
        rank = {"error": 0, "warning": 1, "info": 2}
        badges: dict[str, tuple[str, int]] = {}
        for finding in findings:
            for node_id in finding.nodes:
                severity, count = badges.get(node_id, (finding.severity, 0))
                if rank[finding.severity] < rank[severity]:
                    severity = finding.severity
                badges[node_id] = (severity, count + 1)
        self._badges = badges
        for index in range(self.tabs.count()):
            self._apply_badges(self.tabs.widget(index).diagram())

    def _apply_badges(self, scene: MapScene) -> None:
        """The latest findings' badges on a scene's steps (also for tabs opened, or rebuilt, later)."""
        badges = getattr(self, "_badges", {})
        for node_id in list(scene._nodes):  # noqa: SLF001 - the scene owns its items
            item = scene.item_for_node(node_id)
            badge = badges.get(node_id)
            if item.badge != badge:
                item.badge = badge
                item.update()

    def _on_overlay(self, process_id: str, overlay: dict) -> None:
        view = self.view_for(process_id)
        if view is None:
            return
        scene = view.diagram()
        nodes = overlay.get("nodes", {}) if overlay else {}
        edges = overlay.get("edges", {}) if overlay else {}
        bottleneck = overlay.get("bottleneck") if overlay else None
        top = max([abs(v) for v in edges.values()] + [1.0])
        for node_id in list(scene._nodes):  # noqa: SLF001
            item = scene.item_for_node(node_id)
            data = nodes.get(node_id)
            item.overlay = (
                f"{data['arrivals']:,.0f} in · {data['dropoff']:,.0f} drop" if data else ""
            )
            item.highlight = node_id == bottleneck
            item.update()
        rates = overlay.get("conversions", {}) if overlay else {}
        for edge_id, item in list(scene._edges.items()):  # noqa: SLF001
            flow = edges.get(edge_id)
            width = 1.6 if flow is None else 1.5 + 10 * abs(flow) / top
            # a scenario's flow is shown with the scenario's rates; the map's come back with it cleared
            conversion = (
                rates[edge_id]
                if edge_id in rates
                else self.document.get("edges", edge_id).conversion
            )
            item.set_content(
                item.kind, "" if item.kind == "addresses" else percent(conversion), width
            )

    def run_simulation(self, *_) -> None:
        self.simulation_dock.show()
        self.simulation_dock.raise_()
        self.simulation.run()

    def _toggle_overlay(self, *_) -> None:
        self.simulation.overlay.setChecked(self.action_overlay.isChecked())

    def goal_seek(self, *_) -> None:
        self.simulation_dock.show()
        self.simulation_dock.raise_()
        self.simulation.revenue.setFocus()
        self.simulation.revenue.selectAll()

    # --- presentation, title, state -----------------------------------------------------------------

    def toggle_presentation(self, *_) -> None:
        """Full screen, large type, chrome hidden, for projectors; Esc or F11 leaves."""
        if self.presentation.active:
            self.presentation.leave()
        else:
            self.presentation.enter()
            self._view_do(lambda v: (v.fit(), v.zoom(1.2)))
        self.action_present.setChecked(self.presentation.active)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key_Escape and self.presentation.active:
            self.toggle_presentation()
            return
        super().keyPressEvent(event)

    def _update_title(self, *args) -> None:
        name = self.files.path.name if self.files.path else "Untitled"
        self.setWindowTitle(f"{self.document.map.name} — {name}[*] — Journeymap")
        self.setWindowModified(not self.editor.undo_stack.isClean())

    def _show_shortcuts(self) -> None:
        from app.gui.common import dialogs

        dialogs.ask(
            self,
            "Keyboard shortcuts",
            SHORTCUTS_TEXT,
            ["Close"],
            icon=dialogs.QMessageBox.Information,
        )

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:  # first run: most of the screen, centred (a projector has no room to waste)
            screen = self.screen().availableGeometry() if self.screen() else None
            if screen is not None and screen.width() > 0:
                self.resize(int(screen.width() * 0.9), int(screen.height() * 0.9))
                self.move(screen.center() - self.rect().center())
            else:
                self.resize(1400, 860)
        if state is not None:
            self.restoreState(state)
        else:  # first run: the canvas gets the room, the docks a sensible share
            height, width = self.height(), self.width()
            bottom = [self.findings_dock, self.simulation_dock]
            self.resizeDocks(bottom, [int(height * 0.3)] * len(bottom), Qt.Vertical)
            self.resizeDocks(
                [self.outline_dock, self.properties_dock],
                [int(width * 0.15), int(width * 0.2)],
                Qt.Horizontal,
            )

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.presentation.active:
            self.toggle_presentation()
        if not self.files.maybe_save():
            event.ignore()
            return
        QGuiApplication.clipboard().dataChanged.disconnect(self._update_paste)
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        self.files.close()
        for index in range(self.tabs.count()):
            scene = self.tabs.widget(index).diagram()
            scene.blockSignals(True)  # items going away must not report selection changes
            scene.detach()
        event.accept()


SHORTCUTS_TEXT = """Draw fast
  Double-click empty canvas    add an action there, label ready to type
  Tab  or  Ctrl+Enter          add the next step after the selected one, connected
                               (nothing selected: Tab adds a first step; Ctrl+Tab leaves the canvas)
  Enter  or  F2                edit the selected step's label (Enter commits, Esc cancels)
  Shift+drag  or  Alt+drag     connect one step to another
  Delete / Backspace           delete the selection (with its connections)
  Right-click                  what applies to the step, connection or spot clicked
  Arrow keys (Shift: 1 px)     nudge the selection

View
  Wheel, Ctrl+plus / minus     zoom
  Ctrl+0                       fit the process in the window
  Middle-button drag, Space+drag  pan
  F11  or  Ctrl+Shift+P        presentation mode (Esc leaves)

Edit and files
  Ctrl+Z / Ctrl+Shift+Z        undo / redo
  Ctrl+C, Ctrl+X, Ctrl+V       copy, cut, paste (also into another process)
  Ctrl+D                       duplicate the selection
  Ctrl+L                       auto-layout the process
  Ctrl+A                       select every step and connection
  Ctrl+F, then Enter           find a step by its label (Enter: next, Shift+Enter: previous)
  Ctrl+N, Ctrl+O, Ctrl+S       new, open, save
  Ctrl+W, Ctrl+Q               close the tab, quit
  Ctrl+Shift+E                 export the HTML workshop report

Simulate
  F5                           run the simulation
  Ctrl+Shift+F                 show the expected flow on the diagram
"""


def _with(standard: QKeySequence.StandardKey, usual: str) -> list[QKeySequence]:
    """The platform's keys for a standard action, and the one most people press for it everywhere
    (some platforms, and Qt's offscreen one, bind nothing to Quit)."""
    keys = QKeySequence.keyBindings(standard)
    if QKeySequence(usual) not in keys:
        keys.append(QKeySequence(usual))
    return keys
