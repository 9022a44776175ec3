"""Company actions (method step 4): every action of the map in stage order, editable in place.

Derived from the map by :func:`models.company_view.company_actions`, never drawn twice: each
action with its stage, process, owner team, call to action, technology and the buyer steps
it addresses, and after a simulation the leads it handles and the share that moves on. The
action's name, owner, call to action and technology are edited here as in Properties (one
undo step each); a double-click on any other cell shows the action on its diagram.

A lazy Qt model: a 2,000-action map lists in milliseconds, and a hidden dock waits until it
is shown before working out its rows.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.common.follow import follow
from app.gui.workspace.workspace import Workspace
from models.company_view import ActionRow, company_actions
from models.errors import EditError
from models.simulation import text as simtext

COLUMNS = [
    ("Stage", None, 90),
    ("Action", "label", 220),
    ("Process", None, 160),
    ("Owner team", "owner", 120),
    ("Call to action", "call_to_action", 180),
    ("Technology", "technology", 150),
    ("Addresses", None, 260),
    ("Leads in", None, 70),
    ("Moves on", None, 70),
]
"""Header, the node field a column edits (None: read-only) and its first width."""
OWNER = 3


class ActionsModel(QAbstractTableModel):
    def __init__(self, panel: CompanyActionsPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.rows: list[ActionRow] = []
        self.teams: dict[str, str] = {}

    def set_rows(self, rows: list[ActionRow], teams: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows, self.teams = rows, teams
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section][0]
        return None

    def text(self, row: ActionRow, column: int) -> str:
        if column == 0:
            return row.stage_name or "–"
        if column == 1:
            return row.label
        if column == 2:
            return row.process_name
        if column == OWNER:
            return self.teams.get(row.owner or "", "(none)")
        if column == 4:
            return row.call_to_action
        if column == 5:
            return "; ".join(row.technology)
        if column == 6:
            return "; ".join(f"{s.process_name}: {s.label}" for s in row.addresses)
        if column == 7:
            return "–" if row.leads_in is None else simtext.number(row.leads_in, 1)
        return "–" if row.conversion is None else simtext.percent(row.conversion)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.DisplayRole, Qt.EditRole):
            return self.text(row, index.column())
        if role == Qt.UserRole and index.column() == OWNER:
            return row.owner
        if role == Qt.ToolTipRole and index.column() == 6 and row.addresses:
            return "\n".join(f"{s.process_name}: {s.label}" for s in row.addresses)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and COLUMNS[index.column()][1] is not None:
            flags |= Qt.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex, value, role: int = Qt.EditRole) -> bool:  # noqa: N802 - Qt API
        field = COLUMNS[index.column()][1]
        if field is None or role not in (Qt.EditRole, Qt.UserRole):
            return False
        if field == "technology":
            value = [t.strip() for t in str(value).split(";") if t.strip()]
        return self.panel.edit(self.rows[index.row()].node, field, value)


class _TeamDelegate(QStyledItemDelegate):
    """The owner column edits with a list of the map's teams."""

    def __init__(self, panel: CompanyActionsPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt API
        combo = QComboBox(parent)
        combo.addItem("(none)", None)
        for team in self.panel.document.map.teams:
            combo.addItem(team.name, team.id)
        return combo

    def setEditorData(self, editor, index) -> None:  # noqa: N802 - Qt API
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.UserRole)), 0))

    def setModelData(self, editor, model, index) -> None:  # noqa: N802 - Qt API
        model.setData(index, editor.currentData(), Qt.UserRole)


class CompanyActionsPanel(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companyActionsPanel")
        self.workspace = workspace
        self.document, self.derived = workspace.document, workspace.derived
        self._dirty = True
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.PlainText)
        self.error = QLabel(objectName="fieldError")
        self.error.setStyleSheet("color: #c92a2a;")
        self.error.setTextFormat(Qt.PlainText)
        self.error.hide()
        self.model = ActionsModel(self)
        self.table = QTableView(objectName="companyActions")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for column, (_, _, width) in enumerate(COLUMNS):
            self.table.setColumnWidth(column, width)
        self.table.setItemDelegateForColumn(OWNER, _TeamDelegate(self))
        self.table.doubleClicked.connect(self._on_double_click)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        # one refresh after a burst of edits, a new map or a finished simulation
        self._refresh = QTimer(self, singleShot=True, interval=150)
        self._refresh.timeout.connect(self.refresh)
        follow(
            self,
            [
                (self.document.changed, lambda: self._refresh.start()),
                (self.document.reset, lambda: self._refresh.start(0)),
                (self.derived.outcome_changed, lambda: self._refresh.start(0)),
            ],
        )
        self.refresh()

    @property
    def rows(self) -> list[ActionRow]:
        return self.model.rows

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        """The map's actions now, with the last simulation's figures (when the dock is shown:
        a hidden dock only notes that it is out of date)."""
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = False
        outcome = self.derived.outcome
        rows = company_actions(self.document.map, outcome.expected if outcome else None)
        self.model.set_rows(rows, {t.id: t.name for t in self.document.map.teams})
        served = sum(1 for row in rows if row.addresses)
        self.summary.setText(
            f"{len(rows)} company actions, {served} addressing buyer steps"
            + (" (leads from the last simulation)" if outcome else "")
        )

    def edit(self, node_id: str, field: str, value) -> bool:
        """One undo step; a refused value is explained under the table."""
        try:
            self.workspace.editor.update("nodes", node_id, **{field: value})
        except EditError as error:
            self.error.setText(str(error))
            self.error.show()
            return False
        self.error.hide()
        self._refresh.start(0)
        return True

    def _on_double_click(self, index: QModelIndex) -> None:
        if COLUMNS[index.column()][1] is None and index.isValid():
            action = self.rows[index.row()]
            self.workspace.selection.set(action.process, [action.node], focus=True)
