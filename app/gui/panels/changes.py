"""Changes: what changed since another version of the map (File ▸ Compare with…), read-only.

The panel keeps the other version and lists, against the map as it is now, the items added
(green), removed (grey: they are not on the canvas) and changed (amber, each changed field
old -> new as a row of its own and on hover), then the moves. Clicking an added or changed
step or connection selects it on its canvas; a role, team, stage, criteria, SLA or scenario
is selected for Properties. It follows edits, so fixing a change shows at once.

Two scenarios of the map compare the same way (File ▸ Compare scenarios…): each parameter they
set differently, first -> second, "(map)" where one keeps the map's own value (two lists at the
top pick the scenarios); clicking one selects the step, connection or team it overrides.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.common.follow import follow
from app.gui.workspace.workspace import Workspace
from models.document import SCENARIO_TARGETS, JourneyMap
from models.versions import MapDiff, diff_maps
from models.versions.diff import diff_scenarios
from models.versions.items import MISSING as MISSING_VALUE
from models.versions.items import value_text
from models.versions.marks import change_marks

COLOURS = {"added": "#2e7d32", "removed": "#9e9e9e", "changed": "#b26a00"}
MARKS = {"added": "+", "removed": "−", "changed": "~"}
GROUPS = {
    "map": "The map",
    "roles": "Buyer roles",
    "teams": "Teams",
    "stages": "Stages",
    "criteria": "Qualification criteria",
    "processes": "Processes",
    "nodes": "Steps",
    "edges": "Connections",
    "slas": "SLAs",
    "scenarios": "Scenarios",
}
TARGET = Qt.UserRole  # (collection, id, change) of an item row


class ChangesPanel(QWidget):
    diff_updated = Signal(object)  # the MapDiff shown (None: two scenarios compared)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changesPanel")
        self.document, self.selection = workspace.document, workspace.selection
        self.derived = workspace.derived  # the canvas marks what the list shows
        self.other: JourneyMap | None = None
        self.other_name = ""
        self.scenarios: tuple[str, str] | None = None  # compared instead of a version
        self.diff: MapDiff | None = None
        self.summary = QLabel("Compare the map with another version: File ▸ Compare with…")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("changesTree")
        self.tree.setHeaderHidden(True)
        self.picker = QWidget(self)  # the two scenarios compared, shown while comparing them
        self.first, self.second = QComboBox(self.picker), QComboBox(self.picker)
        row = QHBoxLayout(self.picker)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel("Scenario"), self.first, QLabel("→"), self.second):
            row.addWidget(widget)
        row.addStretch(1)
        self.picker.hide()
        for combo in (self.first, self.second):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(22)
            combo.activated.connect(self._on_picked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.picker)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree)
        self.tree.currentItemChanged.connect(self._on_current)
        # the window may delete the workspace first: a list torn down after it selects nothing
        self.selection.destroyed.connect(self._forget_selection)
        self._refresh = QTimer(self, singleShot=True, interval=250)
        self._refresh.timeout.connect(self.refresh)
        follow(
            self,
            [
                (self.document.changed, lambda: self._refresh.start()),
                (self.document.reset, lambda: self._refresh.start(0)),
            ],
        )

    def compare_with(self, other: JourneyMap, name: str) -> MapDiff:
        """Show what changed from ``other`` (named ``name``) to the map as it is now."""
        self.other, self.other_name, self.scenarios = other, name, None
        self.picker.hide()
        return self.refresh()

    def stop(self) -> None:
        """Nothing compared any more (the dock was closed): the list and the canvas marks go."""
        self.other, self.scenarios, self.diff = None, None, None
        self.tree.clear()
        self.picker.hide()
        self.summary.setText("Compare the map with another version: File ▸ Compare with…")
        self.derived.set_changes({}, [])

    def compare_scenarios(self, first: str, second: str) -> list[str]:
        """Show the parameters scenario ``first`` and ``second`` (ids) set differently."""
        self.scenarios = (first, second)
        self.picker.show()
        self.refresh()
        return self.rows()

    def _on_picked(self, _index: int = 0) -> None:
        first, second = self.first.currentData(), self.second.currentData()
        if first and second:
            self.compare_scenarios(first, second)

    def refresh(self) -> MapDiff:
        with QSignalBlocker(self.tree):  # refilling the list selects nothing on the canvas
            return self._refill()

    def _refill(self) -> MapDiff:
        if self.scenarios is not None or self.other is None:
            self.derived.set_changes({}, [])
            if self.scenarios is not None:
                self._show_scenarios(*self.scenarios)
            return MapDiff()
        self.diff = diff = diff_maps(self.other, self.document.map)
        self.derived.set_changes(*change_marks(diff, self.other))
        self.tree.clear()
        counts = diff.counts()
        if diff.equal():
            self.summary.setText(f"No changes since {self.other_name}.")
        else:
            self.summary.setText(
                f"Since {self.other_name}: {counts['added']} added, {counts['removed']} removed, "
                f"{counts['changed']} changed, {counts['moved']} moved."
            )
        groups: dict[str, QTreeWidgetItem] = {}
        for change in diff.changes:
            group = groups.get(change.collection)
            if group is None:
                group = groups[change.collection] = QTreeWidgetItem(
                    self.tree, [GROUPS.get(change.collection, change.collection)]
                )
                group.setExpanded(True)
            text = f"{MARKS[change.change]} {change.id}{change.title}"
            row = QTreeWidgetItem(group, [text if change.collection != "map" else "~ the map"])
            row.setData(0, TARGET, (change.collection, change.id, change.change))
            row.setForeground(0, QBrush(QColor(COLOURS[change.change])))
            lines = [f"{f.field}: {value_text(f.old)} → {value_text(f.new)}" for f in change.fields]
            row.setToolTip(0, "\n".join([change.change, *lines]))
            for line in lines:
                QTreeWidgetItem(row, [line]).setToolTip(0, line)
            row.setExpanded(change.change == "changed")
        if diff.moves:
            moves = QTreeWidgetItem(self.tree, [f"Moved on the diagrams ({len(diff.moves)})"])
            for move in diff.moves:
                row = QTreeWidgetItem(moves, [move.id])
                row.setData(0, TARGET, ("nodes", move.id, "moved"))
        self.diff_updated.emit(diff)
        return diff

    def _show_scenarios(self, first: str, second: str) -> None:
        self.tree.clear()
        document = self.document
        for combo, chosen in ((self.first, first), (self.second, second)):
            with QSignalBlocker(combo):
                combo.clear()
                for scenario in document.map.scenarios:
                    combo.addItem(scenario.name, scenario.id)
                combo.setCurrentIndex(max(0, combo.findData(chosen)))
        if not (document.has("scenarios", first) and document.has("scenarios", second)):
            self.summary.setText("One of the two scenarios compared is no longer in the map.")
            return
        a, b = document.get("scenarios", first), document.get("scenarios", second)
        changes = diff_scenarios(a, b)
        self.summary.setText(
            f"Scenario “{a.name}” → “{b.name}”: {len(changes)} parameter"
            f"{'s' if len(changes) != 1 else ''} set differently."
        )
        for change in changes:
            old = "(map)" if change.old is MISSING_VALUE else value_text(change.old)
            new = "(map)" if change.new is MISSING_VALUE else value_text(change.new)
            row = QTreeWidgetItem(self.tree, [f"{change.field}: {old} → {new}"])
            row.setForeground(0, QBrush(QColor(COLOURS["changed"])))
            if len(change.path) == 2 and change.path[0] in SCENARIO_TARGETS:
                collection = SCENARIO_TARGETS[change.path[0]][0]
                row.setData(0, TARGET, (collection, change.path[1], "changed"))
        self.diff_updated.emit(None)

    def rows(self) -> list[str]:
        """Every row's text, depth first (for tests and the screenshot)."""
        found: list[str] = []

        def walk(item: QTreeWidgetItem, depth: int) -> None:
            found.append("  " * depth + item.text(0))
            for index in range(item.childCount()):
                walk(item.child(index), depth + 1)

        for index in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(index), 0)
        return found

    def _forget_selection(self, *_) -> None:
        self.tree.currentItemChanged.disconnect(self._on_current)

    def _on_current(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        target = item.data(0, TARGET) if item is not None else None
        if item is not None and target is None and item.parent() is not None:
            target = item.parent().data(0, TARGET)  # a field row selects its item
        if not target:
            return
        collection, item_id, _ = target
        document = self.document
        if collection == "map" or not document.has(collection, item_id):
            return  # the map's own fields, or removed: not on the map any more
        if collection == "nodes":
            node = document.get("nodes", item_id)
            self.selection.set(node.process, [item_id], focus=True)
        elif collection == "edges":
            edge = document.get("edges", item_id)
            process = document.get("nodes", edge.source).process
            self.selection.set(process, (), [item_id], focus=True)
        elif collection == "processes":
            self.selection.set(item_id, focus=True)
        else:
            self.selection.set(self.selection.process, other=(collection, item_id))
