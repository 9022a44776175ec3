"""The findings panel: the workspace's live analysis, grouped by severity and process."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.gui.common.follow import follow
from app.gui.common.style import plain_tooltip
from app.gui.workspace.workspace import Workspace
from models.findings import CATALOGUE
from models.gcpause import paused_gc

EXPAND_AT_MOST = 200  # findings in a group shown unfolded
FIELD_OF = {
    # a finding whose fix is one field of Properties: the keyboard goes there
    "missing-conversion": "conversion",
    "no-call-to-action": "call_to_action",
    "unowned-action": "owner",
    "stage-without-owner": "owner",
    "stage-without-definition": "definition",
    "sla-attempts-without-window": "attempt_window_days",
    "sla-cadence-over-hours": "attempt_minutes",
    "team-over-capacity": "headcount",
    "team-without-people": "headcount",
    "buyer-process-without-role": "role",
    "buyer-step-wrong-role": "role",
    "won-without-deal-value": "deal_value",
    "entry-without-volume": "volume",
}
ICONS = {"error": "●", "warning": "▲", "info": "ℹ"}
HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Information"}
COLORS = {"error": "#c92a2a", "warning": "#e67700", "info": "#1971c2"}


class _Row:
    """One row of the findings tree: a severity heading, a process heading or a finding."""

    __slots__ = ("parent", "row", "text", "code", "finding", "severity", "children")

    def __init__(self, parent, row: int, text: str, severity: str, finding=None) -> None:
        self.parent, self.row, self.text, self.severity, self.finding = (
            parent,
            row,
            text,
            severity,
            finding,
        )
        self.code = finding.code if finding is not None else ""
        self.children: list[_Row] = []


class FindingsModel(QAbstractItemModel):
    """Findings grouped by severity, then process, as a lazy Qt model.

    A 2,000-node map can carry thousands of findings; a view asks only for the
    rows it shows, so refilling costs one Python object per finding and no widget.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._top: list[_Row] = []

    def set_findings(self, findings: list, process_names: dict) -> None:
        self.beginResetModel()
        self._top = []
        for severity in ("error", "warning", "info"):
            group = [f for f in findings if f.severity == severity]
            if not group:
                continue
            head = _Row(
                None,
                len(self._top),
                f"{ICONS[severity]} {HEADINGS[severity]} ({len(group)})",
                severity,
            )
            self._top.append(head)
            by_process: dict[str | None, _Row] = {}
            for finding in group:
                parent = by_process.get(finding.process)
                if parent is None:
                    parent = _Row(
                        head,
                        len(head.children),
                        process_names.get(finding.process, "Whole map"),
                        severity,
                    )
                    head.children.append(parent)
                    by_process[finding.process] = parent
                parent.children.append(
                    _Row(parent, len(parent.children), finding.message, severity, finding)
                )
        self.endResetModel()

    def groups(self) -> list[QModelIndex]:
        """The severity and process headings (the rows a view expands)."""
        out = []
        for head in self._top:
            out.append(self.createIndex(head.row, 0, head))
            out += [self.createIndex(child.row, 0, child) for child in head.children]
        return out

    def find(self, code: str) -> QModelIndex:
        for head in self._top:
            for process in head.children:
                for row in process.children:
                    if row.code == code:
                        return self.createIndex(row.row, 0, row)
        return QModelIndex()

    # --- QAbstractItemModel ------------------------------------------------------------------

    def _rows(self, parent: QModelIndex) -> list[_Row]:
        return parent.internalPointer().children if parent.isValid() else self._top

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        rows = self._rows(parent)
        if 0 <= row < len(rows) and 0 <= column < 2:
            return self.createIndex(row, column, rows[row])
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = index.internalPointer().parent
        return QModelIndex() if parent is None else self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._rows(parent))

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 2

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return ("Finding", "Code")[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row: _Row = index.internalPointer()
        finding = row.finding
        if role == Qt.DisplayRole:
            return row.text if index.column() == 0 else row.code
        if role == Qt.UserRole:
            return finding
        if role == Qt.ToolTipRole and finding is not None:
            text = f"{finding.why}\nFix: {finding.hint}." if index.column() == 0 else finding.why
            return plain_tooltip(text)
        if role == Qt.ForegroundRole and row.parent is None:
            return QColor(COLORS[row.severity])
        return None


NO_STEPS = "No steps yet: draw a process and its findings appear here."


class FindingsPanel(QWidget):
    """Shows the workspace's findings; a click selects and centres what a finding names."""

    findings_updated = Signal(list)  # the findings now listed
    finding_activated = Signal(str, list, list)  # process id, node ids, edge ids

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsPanel")
        self.workspace = workspace
        self.document, self.derived = workspace.document, workspace.derived
        self.filter = QComboBox()
        self.filter.setObjectName("findingsFilter")
        self.filter.addItem("All findings", None)
        for code in CATALOGUE:
            self.filter.addItem(code, code)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.PlainText)
        self.model = FindingsModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("findingsTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)  # lets the view skip measuring thousands of rows
        self.tree.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.tree.setColumnWidth(0, 640)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.tree)
        self.filter.currentIndexChanged.connect(lambda _: self._fill())
        self.tree.activated.connect(self._on_activated)
        self.tree.clicked.connect(self._on_activated)
        workspace.analysis.failed.connect(self.summary.setText)
        follow(
            self,
            [
                (self.derived.findings_changed, self._on_findings_changed),
                (self.document.changed, self._on_map_changed),
            ],
        )
        self._on_findings_changed()

    @property
    def busy(self) -> bool:
        """The analysis is running in a worker."""
        return self.workspace.analysis.busy

    def findings(self) -> list:
        return list(self.derived.findings)

    def refresh(self) -> None:
        """Analyse the map now (the workspace's live analysis does it after every edit)."""
        self.workspace.analysis.refresh()

    def _on_findings_changed(self) -> None:
        self._fill()
        self.findings_updated.emit(self.findings())

    def _on_map_changed(self) -> None:
        """The first steps of an empty map: 'No steps yet' would be untrue until the analysis
        (a moment after the edits stop) says what it finds."""
        if self.document.map.nodes and self.summary.text() == NO_STEPS:
            self.summary.setText("Checking the map…")

    def _fill(self) -> None:
        code = self.filter.currentData()
        findings = self.derived.findings
        shown = [f for f in findings if code is None or f.code == code]
        names = {p.id: p.name for p in self.document.map.processes}
        counts = {s: 0 for s in ("error", "warning", "info")}
        for finding in findings:
            counts[finding.severity] += 1
        if self.document.map.nodes:
            self.summary.setText(_counts_text(counts))
        else:
            self.summary.setText(NO_STEPS)
        with (
            paused_gc()
        ):  # thousands of rows at once: no collection walking the whole map meanwhile
            self.model.set_findings(shown, names)
        for index in self.model.groups():  # a group of hundreds stays folded: its count says enough
            if self.model.rowCount(index) <= EXPAND_AT_MOST:
                self.tree.setExpanded(index, True)

    def _on_activated(self, index: QModelIndex) -> None:
        finding = index.data(Qt.UserRole)
        if finding is None:
            return
        process, nodes, edges = finding.process or "", list(finding.nodes), list(finding.edges)
        self.finding_activated.emit(process, nodes, edges)
        field = FIELD_OF.get(finding.code)
        selection = self.workspace.selection
        item = next((i for i in finding.items if self.document.has(*i)), None)
        if item is not None:
            # about a team, a stage, an SLA...: the outline and Properties show it; its process
            # (if any) opens first, with nothing selected on the diagram
            if process:
                selection.set(process, focus=True)
            selection.set(process or selection.process, other=item, field=field)
            return
        if len(edges) == 1 and self._ends(edges[0]) >= set(nodes):
            nodes = []  # about one connection: select it alone, so Properties shows its fields
        selection.set(process or None, nodes, edges, focus=True, field=field)

    def _ends(self, edge_id: str) -> set[str]:
        if not self.document.has("edges", edge_id):
            return set()
        edge = self.document.get("edges", edge_id)
        return {edge.source, edge.target}

    def row_for(self, code: str) -> QModelIndex | None:
        """The first row showing a finding with ``code`` (None when no row shows one)."""
        index = self.model.find(code)
        return index if index.isValid() else None


def _counts_text(counts: dict) -> str:
    """ "1 error, 3 warnings, 1 info" (or "No findings")."""
    if not any(counts.values()):
        return "No findings: every step leads somewhere, is owned and is qualified."
    errors = f"{counts['error']} error{'s' if counts['error'] != 1 else ''}"
    warnings = f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}"
    return f"{errors}, {warnings}, {counts['info']} info"
