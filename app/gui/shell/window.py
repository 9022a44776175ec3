"""The main window: composes the workspace, the process tabs, the docks and the menus.

It holds no map data and no domain logic. The workspace owns the document, undo, the
selection and what is derived from them; the tabs own the canvases; each feature module
owns its actions (files, edit, view, arrange, simulate, export); the window lays out
docks, menus and toolbars and keeps its title and geometry.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QUndoView, QVBoxLayout, QWidget

from app.gui.canvas.view import DiagramView
from app.gui.panels.changes import ChangesPanel
from app.gui.panels.company_actions import CompanyActionsPanel
from app.gui.panels.findings import FindingsPanel
from app.gui.panels.legend import LegendPanel
from app.gui.panels.outline import OutlinePanel
from app.gui.panels.properties import PropertiesPanel
from app.gui.panels.simulation import SimulationPanel
from app.gui.shell import help as help_dialog
from app.gui.shell.actions import make_action
from app.gui.shell.compare_actions import CompareActions
from app.gui.shell.edit_actions import EditActions
from app.gui.shell.export_menu import ExportMenu
from app.gui.shell.file_actions import FileActions
from app.gui.shell.files import FileController
from app.gui.shell.find_bar import FindBar
from app.gui.shell.layout_actions import LayoutActions
from app.gui.shell.print_actions import PrintActions
from app.gui.shell.recovery import RecoveryStore
from app.gui.shell.simulate_actions import SimulateActions
from app.gui.shell.tabs import ProcessTabs
from app.gui.shell.view_actions import ViewActions
from app.gui.workspace.workspace import Workspace
from models.document import Process


class MainWindow(QMainWindow):
    def __init__(self, recovery: RecoveryStore | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.workspace = Workspace(parent=self)
        self.workspace.analysis.wait_for_canvas = True  # a map opened: drawn first, then analysed
        self.document, self.editor = self.workspace.document, self.workspace.editor
        self.selection = self.workspace.selection
        self.files = FileController(self, self.editor, recovery)
        self.process_tabs = ProcessTabs(self.workspace, self)
        self.tabs, self.stack = self.process_tabs.tabs, self.process_tabs.stack
        self.start_page = self.process_tabs.start_page
        self.find_bar = FindBar(self.document, self)
        centre = QWidget(self)
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.find_bar)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(centre)
        self.setAcceptDrops(True)  # a map or another tool's file dropped anywhere on the window
        self._build_panels()
        self._build_features()
        self._build_menus()
        self._wire()
        self._restore_state()
        self.process_tabs.on_document_reset()  # also shows the start page when nothing opens
        self._update_title()

    # --- composition -------------------------------------------------------------------------

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_panels(self) -> None:
        ws, left, right = self.workspace, Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea
        bottom = Qt.BottomDockWidgetArea
        self.outline = OutlinePanel(ws, self)
        self.properties = PropertiesPanel(ws, self)
        self.legend = LegendPanel(ws, self)
        self.outline_dock = self._dock("Outline", "outlineDock", self.outline, left)
        self.legend_dock = self._dock("Legend", "legendDock", self.legend, left)
        self.properties_dock = self._dock("Properties", "propertiesDock", self.properties, right)
        # squeezed docks are unusable: a restored layout from a bigger screen keeps these widths
        self.properties.setMinimumWidth(240)
        self.outline.setMinimumWidth(170)
        self.history = QUndoView(self.editor.undo_stack, self)
        self.history.setObjectName("history")
        self.history.setEmptyLabel("The map as opened")  # click a row to go back to that point
        self.history_dock = self._dock("History", "historyDock", self.history, left)
        self.tabifyDockWidget(self.legend_dock, self.history_dock)
        self.legend_dock.raise_()
        self.findings = FindingsPanel(ws, self)
        self.findings_dock = self._dock("Findings", "findingsDock", self.findings, bottom)
        self.simulation = SimulationPanel(ws, self)
        self.simulation_dock = self._dock("Simulation", "simulationDock", self.simulation, bottom)
        self.tabifyDockWidget(self.findings_dock, self.simulation_dock)
        self.actions_panel = CompanyActionsPanel(ws, self)
        self.actions_dock = self._dock("Company actions", "actionsDock", self.actions_panel, bottom)
        self.tabifyDockWidget(self.simulation_dock, self.actions_dock)
        self.changes = ChangesPanel(ws, self)  # File ▸ Compare with… shows it
        self.changes_dock = self._dock("Changes", "changesDock", self.changes, bottom)
        self.tabifyDockWidget(self.actions_dock, self.changes_dock)
        self.changes_dock.hide()
        self.findings_dock.raise_()
        self.status = QLabel("")
        self.statusBar().addPermanentWidget(self.status)

    def _build_features(self) -> None:
        ws, tabs = self.workspace, self.process_tabs
        self.file_actions = FileActions(self, self.files, tabs)
        self.edit_actions = edits = EditActions(self, ws, tabs)
        self.view_actions = views = ViewActions(self, tabs)
        self.layout_actions = layouts = LayoutActions(self, ws, tabs)
        self.simulate_actions = sims = SimulateActions(
            self, ws, self.simulation, self.simulation_dock
        )
        self.exports = ExportMenu(self)
        self.print_actions = PrintActions(self, ws, tabs)
        self.compare_actions = CompareActions(self, self.files, self.changes, self.changes_dock)
        self.file_actions.import_path = self.exports.import_path
        self.presentation = views.presentation
        self.layout_finished = layouts.finished
        self.action_find = make_action(
            self, "&Find step…", self.find_bar.open, "Ctrl+F", "actionFind"
        )
        # the actions by the names menus, tests and the canvas's right-click menu use
        f = self.file_actions
        self.action_new, self.action_open, self.action_save = f.new, f.open, f.save
        self.action_save_as, self.action_close_tab, self.action_quit = (
            f.save_as,
            f.close_tab,
            f.quit,
        )
        self.action_undo, self.action_redo, self.action_delete = (
            edits.undo,
            edits.redo,
            edits.delete,
        )
        self.action_cut, self.action_copy, self.action_paste = edits.cut, edits.copy, edits.paste
        self.action_duplicate, self.action_select_all = edits.duplicate, edits.select_all
        self.action_next_step, self.add_actions = edits.next_step, edits.add_node
        self.action_zoom_in, self.action_zoom_out = views.zoom_in, views.zoom_out
        self.action_fit, self.action_present = views.fit, views.present
        self.action_layout, self.action_snap = layouts.layout, layouts.snap
        self.action_simulate, self.action_overlay, self.action_goal = (
            sims.run,
            sims.overlay,
            sims.goal,
        )
        tabs.context_actions[:] = [
            edits.cut, edits.copy, edits.paste, edits.duplicate, edits.delete,
            None, layouts.layout, views.fit,
        ]  # fmt: skip

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.action_new)
        self.file_actions.fill_templates(file_menu.addMenu("New from &template"))
        file_menu.addAction(self.action_open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.file_actions.watch_recent(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.action_save, self.action_save_as])
        file_menu.addSeparator()
        self.exports.build(file_menu)
        file_menu.addActions([self.print_actions.print, self.print_actions.pdf])
        file_menu.addSeparator()
        compare = self.compare_actions
        file_menu.addActions([compare.with_file, compare.with_revision, compare.scenarios])
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
        arrange.addActions([self.action_layout, self.action_snap])
        arrange.addActions(self.layout_actions.arrangements)
        view = bar.addMenu("&View")
        view.addAction(self.view_actions.group)
        view.addSeparator()
        view.addActions([self.action_zoom_in, self.action_zoom_out, self.action_fit])
        view.addSeparator()
        view.addAction(self.action_present)
        view.addSeparator()
        for dock in self.findChildren(QDockWidget):
            view.addAction(dock.toggleViewAction())
        simulate = bar.addMenu("&Simulate")
        simulate.addActions([self.action_simulate, self.action_overlay, self.action_goal])
        help_menu = bar.addMenu("&Help")
        help_menu.addAction("Keyboard shortcuts", lambda: help_dialog.show_shortcuts(self))
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.addActions([self.action_new, self.action_open, self.action_save])
        toolbar.addSeparator()
        toolbar.addActions([self.action_undo, self.action_redo])
        toolbar.addSeparator()
        toolbar.addActions([self.action_simulate, self.action_overlay])
        palette = self.addToolBar("Palette")
        palette.setObjectName("paletteToolbar")
        palette.addActions(list(self.add_actions.values()))
        palette.addSeparator()
        palette.addActions([self.action_layout, self.action_fit, self.action_present])

    def _wire(self) -> None:
        self.editor.undo_stack.cleanChanged.connect(self._update_title)
        self.files.path_changed.connect(self._update_title)
        self.files.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.process_tabs.status_message.connect(
            lambda text: self.statusBar().showMessage(text, 4000)
        )
        self.start_page.new_process_requested.connect(self.new_process)
        self.outline.process_activated.connect(self.open_process)
        self.outline.process_added.connect(self.open_process)
        self.outline.group_activated.connect(self.process_tabs.open_group)
        self.document.map_changed.connect(lambda old: self._update_title())
        self.document.reset.connect(self._update_title)
        self.find_bar.found.connect(
            lambda process_id, node_id: self.selection.set(process_id, [node_id], focus=True)
        )
        self.find_bar.closed.connect(self._focus_canvas)  # keys back to the canvas

    # --- what the panels and tests ask of the window ---------------------------------------------

    def current_view(self) -> DiagramView | None:
        return self.process_tabs.current_view()

    def view_for(self, process_id: str) -> DiagramView | None:
        return self.process_tabs.view_for(process_id)

    def open_process(self, process_id: str) -> DiagramView | None:
        return self.process_tabs.open_process(process_id)

    def new_process(self) -> DiagramView | None:
        """A new, empty buyer's process in its own tab (one undo step); its canvas says how to start."""
        process = Process(id=self.document.new_id("processes"), name="New process", kind="buyer")
        self.editor.add_item("processes", process)
        return self.open_process(process.id)

    def arrange(self, how: str) -> None:
        self.layout_actions.arrange(how)

    def _focus_canvas(self) -> None:
        view = self.current_view()
        if view is not None:
            view.setFocus()

    # --- title, keys, drops, state -------------------------------------------------------------------

    def _update_title(self, *args) -> None:
        """ "Plan — plan.json — Journeymap"; an unsaved map goes by its name alone."""
        name, path = self.document.map.name, self.files.path
        if path is None:
            title = f"{name}[*] — Journeymap"
        elif path.stem == name or path.name == name:
            title = f"{path.name}[*] — Journeymap"
        else:
            title = f"{name} — {path.name}[*] — Journeymap"
        self.setWindowTitle(title)
        self.setWindowModified(not self.editor.undo_stack.isClean())

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key_Escape and self.presentation.active:
            self.view_actions.toggle_presentation()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.file_actions.dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.file_actions.drop(event.mimeData()):
            event.acceptProposedAction()

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        screen = self.screen().availableGeometry() if self.screen() else None
        restored = geometry is not None and self.restoreGeometry(geometry)
        # a window saved on a bigger screen (a 1080p monitor, then a 1366x768 laptop) is not
        # restored off-screen or larger than the screen: it takes most of this one instead
        if not restored or (
            screen is not None
            and screen.width() > 0
            and not _fits(self.frameGeometry(), screen, self.minimumSizeHint())
        ):
            if self.isMaximized() or self.isFullScreen():
                self.showNormal()
            if screen is not None and screen.width() > 0:
                self.resize(int(screen.width() * 0.9), int(screen.height() * 0.9))
                frame = self.frameGeometry()  # the size it took (never under its minimum)
                x = max(screen.left(), screen.center().x() - frame.width() // 2)
                y = max(screen.top(), screen.center().y() - frame.height() // 2)
                self.move(x, y)
            else:
                self.resize(1400, 860)
        if state is not None:
            self.restoreState(state)
        else:  # first run: the canvas gets the room, the docks a sensible share
            height, width = self.height(), self.width()
            bottom = [self.findings_dock, self.simulation_dock, self.actions_dock]
            self.resizeDocks(bottom, [int(height * 0.3)] * len(bottom), Qt.Vertical)
            sides = [self.outline_dock, self.properties_dock]
            self.resizeDocks(sides, [int(width * 0.15), int(width * 0.2)], Qt.Horizontal)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.presentation.active:
            self.view_actions.toggle_presentation()
        if not self.files.maybe_save():
            event.ignore()
            return
        self.edit_actions.close()
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        self.files.close()
        for view in self.process_tabs.views():
            view.diagram().blockSignals(True)  # items going away must not report selection changes
            view.diagram().detach()
        self.workspace.close()
        event.accept()


def _fits(frame, screen, minimum) -> bool:
    """Whether a window's frame lies on the screen (a few pixels of frame may stick out), or
    starts on it and is no bigger than the window can be made."""
    if screen.adjusted(-16, -16, 16, 16).contains(frame):
        return True
    on_screen = screen.adjusted(-16, -16, 16, 16).contains(frame.topLeft())
    return (
        on_screen
        and frame.width() <= max(screen.width(), minimum.width()) + 16
        and frame.height() <= max(screen.height(), minimum.height()) + 16
    )
