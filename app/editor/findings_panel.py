"""The findings panel: the analysis, live as the map is edited, grouped by severity and process."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editor.style import plain_tooltip
from models.analysis import analyze
from models.editing import MapDocument
from models.findings import CATALOGUE

DEBOUNCE_MS = 300
BACKGROUND_ABOVE = 1000  # nodes; smaller maps analyse in well under a frame
ICONS = {"error": "●", "warning": "▲", "info": "ℹ"}
COLORS = {"error": "#c92a2a", "warning": "#e67700", "info": "#1971c2"}


SNAPSHOT = ("nodes", "edges", "teams", "slas", "processes", "roles", "stages", "criteria")


class _Job(QRunnable):
    """Analyse a shallow snapshot off the UI thread (a deep copy of a 100k map would itself block).

    Items may still change under it: any edit bumps the panel's generation, so a
    result computed while the user typed is dropped, and so is a run that tripped over one.
    """

    class Signals(QObject):
        done = Signal(object, object)  # the job, its findings (None when the run failed)

    def __init__(self, generation: int, doc) -> None:
        super().__init__()
        self.generation, self.doc = generation, doc
        self.signals = _Job.Signals()

    def run(self) -> None:
        try:
            findings = analyze(self.doc)
        except Exception:  # noqa: BLE001 - the map changed mid-run; a newer run is already due
            findings = None
        self.signals.done.emit(self, findings)


class FindingsPanel(QWidget):
    findings_updated = Signal(list)
    finding_activated = Signal(str, list, list)  # process id, node ids, edge ids

    def __init__(self, document: MapDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsPanel")
        self.document = document
        self._findings: list = []
        self._generation = 0
        self._jobs: list = []
        self.filter = QComboBox()
        self.filter.setObjectName("findingsFilter")
        self.filter.addItem("All findings", None)
        for code in CATALOGUE:
            self.filter.addItem(code, code)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.PlainText)
        self.tree = QTreeWidget()
        self.tree.setObjectName("findingsTree")
        self.tree.setHeaderLabels(["Finding", "Code"])
        self.tree.setColumnWidth(0, 640)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.tree)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)
        self.filter.currentIndexChanged.connect(lambda _: self._fill())
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.itemClicked.connect(self._on_activated)
        self._connect(True)
        self.refresh()

    def _connect(self, on: bool) -> None:
        """Follow the document's signals (one block, so connect and disconnect stay symmetric)."""
        for signal, slot in ((self.document.changed, self._on_document_changed),
                             (self.document.reset, self._on_document_reset)):
            signal.connect(slot) if on else signal.disconnect(slot)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.timer.stop()
        self._connect(False)
        super().closeEvent(event)

    def _on_document_reset(self) -> None:
        self.timer.stop()
        self.refresh()  # a map was opened: show its findings at once

    def _on_document_changed(self) -> None:
        self._generation += 1  # any analysis still running is now stale
        self.timer.start()  # restart the debounce: one analysis after a burst of edits

    def findings(self) -> list:
        return list(self._findings)

    def refresh(self) -> None:
        """Analyse now: inline for ordinary maps, in a worker for large ones (typing never waits)."""
        self._generation += 1
        if len(self.document.map.nodes) > BACKGROUND_ABOVE:
            doc = self.document.map
            job = _Job(self._generation, doc.model_copy(update={c: list(getattr(doc, c)) for c in SNAPSHOT}))
            job.signals.done.connect(self._on_job_done)
            self._jobs.append(job)
            QThreadPool.globalInstance().start(job)
        else:
            self._show(self._generation, analyze(self.document.map))

    def _on_job_done(self, job: _Job, findings: list | None) -> None:
        self._jobs.remove(job)  # kept alive until it has finished
        if findings is not None:
            self._show(job.generation, findings)

    def _show(self, generation: int, findings: list) -> None:
        if generation != self._generation:
            return  # a newer edit is already being analysed
        self._findings = findings
        self._fill()
        self.findings_updated.emit(findings)

    def _fill(self) -> None:
        code = self.filter.currentData()
        shown = [f for f in self._findings if code is None or f.code == code]
        names = {p.id: p.name for p in self.document.map.processes}
        self.tree.clear()
        counts = {s: sum(1 for f in self._findings if f.severity == s) for s in ("error", "warning", "info")}
        self.summary.setText(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info")
        for severity in ("error", "warning", "info"):
            group = [f for f in shown if f.severity == severity]
            if not group:
                continue
            head = QTreeWidgetItem(self.tree, [f"{ICONS[severity]} {severity.capitalize()}s ({len(group)})"])
            head.setForeground(0, _color(severity))
            by_process: dict[str | None, QTreeWidgetItem] = {}
            for finding in group:
                parent = by_process.get(finding.process)
                if parent is None:
                    parent = QTreeWidgetItem(head, [names.get(finding.process, "Whole map")])
                    by_process[finding.process] = parent
                row = QTreeWidgetItem(parent, [finding.message, finding.code])
                row.setData(0, Qt.UserRole, finding)
                row.setToolTip(0, plain_tooltip(f"{finding.why}\nFix: {finding.hint}."))
                row.setToolTip(1, plain_tooltip(finding.why))
            head.setExpanded(True)
            for parent in by_process.values():
                parent.setExpanded(True)

    def _on_activated(self, item: QTreeWidgetItem, column: int = 0) -> None:
        finding = item.data(0, Qt.UserRole)
        if finding is not None:
            self.finding_activated.emit(finding.process or "", list(finding.nodes), list(finding.edges))

    def row_for(self, code: str) -> QTreeWidgetItem | None:
        iterator = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while iterator:
            item = iterator.pop(0)
            finding = item.data(0, Qt.UserRole)
            if finding is not None and finding.code == code:
                return item
            iterator += [item.child(i) for i in range(item.childCount())]
        return None


def _color(severity: str):
    from PySide6.QtGui import QColor

    return QColor(COLORS[severity])
