"""Company actions (method step 4): every action of the map in stage order, editable in place.

Derived from the map by :func:`models.company_view.company_actions`, never drawn twice: each
action with its stage, process, owner team, call to action, technology and the buyer steps
it addresses, and after a simulation the leads it handles and the share that moves on. The
action's name, owner, call to action and technology are edited here as in Properties (one
undo step each); a double-click on any other cell shows the action on its diagram.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.common.follow import follow
from app.gui.panels.binding import signals_blocked
from app.gui.workspace.workspace import Workspace
from models.company_view import ActionRow, company_actions
from models.errors import EditError
from models.simulation import text as simtext

COLUMNS = [
    ("Stage", None),
    ("Action", "label"),
    ("Process", None),
    ("Owner team", "owner"),
    ("Call to action", "call_to_action"),
    ("Technology", "technology"),
    ("Addresses", None),
    ("Leads in", None),
    ("Moves on", None),
]
"""Header and the node field a column edits (None: read-only)."""
OWNER = 3


class CompanyActionsPanel(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companyActionsPanel")
        self.workspace = workspace
        self.document, self.derived = workspace.document, workspace.derived
        self.rows: list[ActionRow] = []
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.PlainText)
        self.error = QLabel(objectName="fieldError")
        self.error.setStyleSheet("color: #c92a2a;")
        self.error.setTextFormat(Qt.PlainText)
        self.error.hide()
        self.table = QTableWidget(0, len(COLUMNS), objectName="companyActions")
        self.table.setHorizontalHeaderLabels([title for title, _ in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        self.table.itemChanged.connect(self._on_cell_changed)
        self.table.cellDoubleClicked.connect(self._on_double_click)
        self._refresh = QTimer(self, singleShot=True, interval=200)
        self._refresh.timeout.connect(self.refresh)
        follow(
            self,
            [
                (self.document.changed, lambda: self._refresh.start()),
                (self.document.reset, self.refresh),
                (self.derived.outcome_changed, self.refresh),
            ],
        )
        self.refresh()

    def refresh(self) -> None:
        """The map's actions now, with the last simulation's figures."""
        outcome = self.derived.outcome
        self.rows = company_actions(self.document.map, outcome.expected if outcome else None)
        teams = [(None, "(none)")] + [(t.id, t.name) for t in self.document.map.teams]
        with signals_blocked(self.table):
            self.table.setRowCount(len(self.rows))
            for r, row in enumerate(self.rows):
                served = "; ".join(f"{s.process_name}: {s.label}" for s in row.addresses)
                cells = [
                    row.stage_name or "–",
                    row.label,
                    row.process_name,
                    None,
                    row.call_to_action,
                    "; ".join(row.technology),
                    served,
                    "–" if row.leads_in is None else simtext.number(row.leads_in, 1),
                    "–" if row.conversion is None else simtext.percent(row.conversion),
                ]
                for c, text in enumerate(cells):
                    if c == OWNER:
                        self._owner_combo(r, teams, row.owner)
                        continue
                    item = QTableWidgetItem(text)
                    if COLUMNS[c][1] is None:
                        item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                    if c == 6 and served:
                        item.setToolTip(served.replace("; ", "\n"))
                    self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        served = sum(1 for row in self.rows if row.addresses)
        self.summary.setText(
            f"{len(self.rows)} company actions, {served} addressing buyer steps"
            + (" (leads from the last simulation)" if outcome else "")
        )

    def _owner_combo(self, row: int, teams: list, owner: str | None) -> None:
        combo = QComboBox()
        for team_id, name in teams:
            combo.addItem(name, team_id)
        combo.setCurrentIndex(max(combo.findData(owner), 0))
        combo.currentIndexChanged.connect(
            lambda _=0, r=row, c=combo: self._edit(r, "owner", c.currentData())
        )
        self.table.setCellWidget(row, OWNER, combo)

    def _on_cell_changed(self, item: QTableWidgetItem) -> None:
        field = COLUMNS[item.column()][1]
        if field is None:
            return
        text = item.text()
        value = [t.strip() for t in text.split(";") if t.strip()] if field == "technology" else text
        self._edit(item.row(), field, value)

    def _edit(self, row: int, field: str, value) -> None:
        node_id = self.rows[row].node
        try:
            self.workspace.editor.update("nodes", node_id, **{field: value})
        except EditError as error:
            self.error.setText(str(error))
            self.error.show()
            QTimer.singleShot(0, self, self.refresh)  # back to the map's value
            return
        self.error.hide()

    def _on_double_click(self, row: int, column: int) -> None:
        if COLUMNS[column][1] is None and 0 <= row < len(self.rows):
            action = self.rows[row]
            self.workspace.selection.set(action.process, [action.node], focus=True)
