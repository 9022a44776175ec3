"""The outline: processes, roles, teams, stages, criteria, SLAs and scenarios, with add, rename, delete."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.common import dialogs
from app.gui.common.follow import follow
from app.gui.panels.binding import signals_blocked
from app.gui.workspace.workspace import Workspace
from models.document import SINGULAR, SLA, BuyerRole, Criteria, Process, Scenario, Stage, Team
from models.errors import EditError

GROUPS = [
    ("processes", "Processes"),
    ("roles", "Buyer roles"),
    ("teams", "Teams"),
    ("stages", "Stages"),
    ("criteria", "Qualification criteria"),
    ("slas", "SLAs"),
    ("scenarios", "Scenarios"),
]
ROLE = Qt.UserRole


BUYING_GROUP = "buying-group"  # the outline row that opens every process on one page


class OutlinePanel(QWidget):
    process_activated = Signal(str)
    group_activated = Signal()  # "Buying group" under Processes: every process on one page
    process_added = Signal(
        str
    )  # a process made with Add: its tab opens, the name stays editable here

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        editor, selection = workspace.editor, workspace.selection
        self.setObjectName("outlinePanel")
        self.editor, self.selection = editor, selection
        self.document = editor.document
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("outlineTree")
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QTreeWidget.EditKeyPressed | QTreeWidget.SelectedClicked)
        add = QPushButton("Add")
        add.setObjectName("outlineAdd")
        add.setToolTip("Add an item to the selected group (Insert)")
        remove = QPushButton("Delete")
        remove.setObjectName("outlineDelete")
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        add.clicked.connect(self.add_to_current_group)
        remove.clicked.connect(self.delete_current)
        for keys, slot in (
            (QKeySequence(Qt.Key_Insert), self.add_to_current_group),
            (QKeySequence(QKeySequence.Delete), self.delete_current),
        ):
            shortcut = QShortcut(keys, self.tree)
            shortcut.setContext(
                Qt.WidgetShortcut
            )  # only while the outline has focus, never on the canvas
            shortcut.activated.connect(slot)
        self.tree.itemChanged.connect(self._on_renamed)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.currentItemChanged.connect(self._on_current)
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._unfollow = follow(
            self,
            [
                (self.document.item_added, self._on_structure),
                (self.document.item_removed, self._on_structure),
                (self.document.item_changed, self._on_changed),
                (self.document.reset, self.rebuild),
            ],
        )
        selection.changed.connect(self._on_selection)
        self.rebuild()

    # --- model -> tree ---------------------------------------------------------------------------

    def rebuild(self) -> None:
        expanded = {key for key, item in self._groups.items() if item.isExpanded()} or {
            "processes",
            "roles",
            "teams",
        }
        current = self.tree.currentItem().data(0, ROLE) if self.tree.currentItem() else None
        with signals_blocked(self.tree):
            self.tree.clear()
            self._groups = {}
            for key, title in GROUPS:
                group = QTreeWidgetItem(self.tree, [title])
                group.setData(0, ROLE, (key, None))
                group.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                self._groups[key] = group
                if key == "processes" and self.document.map.processes:
                    row = QTreeWidgetItem(group, ["Buying group (every process on one page)"])
                    row.setData(0, ROLE, (BUYING_GROUP, None))
                    row.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                    row.setToolTip(0, "Each role's process and the funnel as lanes, by stage")
                for item in getattr(self.document.map, key):
                    child = QTreeWidgetItem(group, [self._text(key, item)])
                    child.setData(0, ROLE, (key, item.id))
                    child.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsEditable)
                    child.setToolTip(0, f"{SINGULAR[key]} id: {item.id}")
                    if (key, item.id) == current:
                        self.tree.setCurrentItem(child)
                group.setExpanded(key in expanded)

    def _text(self, key: str, item) -> str:
        if key == "processes":
            kind = {"buyer": "buyer", "funnel": "funnel", "subprocess": "sub-process"}[item.kind]
            return f"{item.name}  ({kind})"
        return item.name

    def _on_structure(self, collection: str, item, index: int) -> None:
        if collection in self._groups:
            self.rebuild()

    def _on_changed(self, collection: str, item, old: dict) -> None:
        if collection in self._groups and ("name" in old or "kind" in old):
            self.rebuild()

    # --- tree -> model ---------------------------------------------------------------------------

    def group_item(self, collection: str) -> QTreeWidgetItem:
        """The heading row of a group ("teams", "roles"...)."""
        return self._groups[collection]

    def item_for(self, collection: str, item_id: str) -> QTreeWidgetItem | None:
        group = self._groups[collection]
        for index in range(group.childCount()):
            if group.child(index).data(0, ROLE) == (collection, item_id):
                return group.child(index)
        return None

    def _on_selection(self) -> None:
        """Select what the selection names apart from steps (a finding about a team, a stage...)."""
        other = self.selection.other
        if other is None or other[0] not in self._groups:
            return
        current = self.tree.currentItem()
        if current is not None and current.data(0, ROLE) == other:
            return
        item = self.item_for(*other)
        if item is None:
            return
        with signals_blocked(self.tree):
            self._groups[other[0]].setExpanded(True)
            self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)

    def _on_current(self, current: QTreeWidgetItem | None, previous=None) -> None:
        if current is None:
            return
        key, item_id = current.data(0, ROLE)
        if item_id is not None:
            self.selection.set(self.selection.process, other=(key, item_id))

    def _on_activated(self, item: QTreeWidgetItem, column: int = 0) -> None:
        key, item_id = item.data(0, ROLE)
        if key == "processes" and item_id is not None:
            self.process_activated.emit(item_id)
        elif key == BUYING_GROUP:
            self.group_activated.emit()

    def _on_renamed(self, item: QTreeWidgetItem, column: int) -> None:
        key, item_id = item.data(0, ROLE)
        if item_id is None:
            return
        name = " ".join(item.text(0).split())
        if key == "processes":
            name = name.rsplit("  (", 1)[0]
        current = self.document.get(key, item_id).name
        if not name or name == current:
            self.rebuild()
            return
        try:
            self.editor.update(key, item_id, name=name)
        except EditError as error:
            dialogs.error(self, "Cannot rename", str(error))
            self.rebuild()

    def current_group(self) -> str:
        item = self.tree.currentItem()
        key = item.data(0, ROLE)[0] if item else "processes"
        return "processes" if key == BUYING_GROUP else key

    def add_to_current_group(self) -> str | None:
        key = self.current_group()
        new_id = self.document.new_id(key)
        teams = self.document.map.teams
        factories = {
            "processes": lambda: Process(id=new_id, name="New process", kind="buyer"),
            "roles": lambda: BuyerRole(id=new_id, name="New buyer role"),
            "teams": lambda: Team(id=new_id, name="New team"),
            "stages": lambda: Stage(id=new_id, name="New stage"),
            "criteria": lambda: Criteria(id=new_id, name="New criteria"),
            "slas": lambda: SLA(
                id=new_id, name="New SLA", from_team=teams[0].id, to_team=teams[-1].id
            ),
            "scenarios": lambda: Scenario(id=new_id, name="New scenario"),
        }
        if key == "slas" and not teams:
            dialogs.error(
                self,
                "Add a team first",
                "An SLA is between two teams: add the teams, then the SLA.",
            )
            return None
        self.editor.add_item(key, factories[key]())
        if key == "processes":
            self.process_added.emit(new_id)
        item = self.item_for(key, new_id)
        if item is not None:
            self._groups[key].setExpanded(True)
            self.tree.setCurrentItem(item)
            self.tree.setFocus()
            self.tree.editItem(item)
        return new_id

    def delete_current(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        key, item_id = item.data(0, ROLE)
        if item_id is None:
            return
        target = self.document.get(key, item_id)
        if key == "processes":
            count = sum(1 for n in self.document.map.nodes if n.process == item_id)
            if (
                count
                and dialogs.ask(
                    self,
                    "Delete process",
                    f"Delete the process '{target.name}' and its {count} steps? You can undo it.",
                    ["Delete", "Cancel"],
                    "Cancel",
                )
                != "Delete"
            ):
                return
        self.editor.remove_item(key, item_id)
        self.selection.set(self.selection.process)
