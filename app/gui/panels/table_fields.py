"""Table editors in the properties panel: a criteria's questions, a scenario's overrides.

Each is a small table with Add and Remove buttons. Every change is validated
by the model and applied as one undo command; a refused cell (points that are
not a number, a conversion of 150%) shows the reason under the table and the
table goes back to the model's value, so nothing invalid reaches the map.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.panels.binding import (
    ParseError,
    format_number,
    format_share,
    parse_number,
    parse_share,
)
from app.gui.workspace.commands import DocumentEditor
from models.document import SCENARIO_TARGETS
from models.errors import EditError
from models.vocabulary import CARRIES_LEADS

CATEGORIES = ["budget", "authority", "need", "timing", "custom"]

# scenario field -> (what the user sees, which items the "Applies to" list offers, share or number);
# what each field overrides in the map is models.document.SCENARIO_TARGETS
OVERRIDES: dict[str, tuple[str, str, str]] = {
    # short: the dock may be narrow, and "Applies to" names the item (an entry, a connection...)
    "entry_volume": ("Volume", "entries", "number"),
    "conversion": ("Conversion", "edges", "share"),
    "delay_days": ("Delay (days)", "edges", "number"),
    "headcount": ("Headcount", "teams", "int"),
    "capacity": ("Capacity per person", "teams", "number"),
    "deal_value": ("Deal value", "wins", "number"),
    "cost": ("Cost per lead", "nodes", "number"),
    "threshold_score": ("Minimum score", "criteria", "number"),
    "threshold_answers": ("Minimum yes answers", "criteria", "int"),
    "question_share": ("Share answering yes", "questions", "share"),
}


class Unfinished(ParseError):
    """A row still waiting for its value: said under the table, the row kept as it is (the
    model changes once the value is typed)."""


class FieldTable(QWidget):
    """A table bound to one list- or dict-valued field of an item."""

    headers: list[str] = []

    def __init__(self, editor: DocumentEditor, collection: str, item_id: str, parent=None) -> None:
        super().__init__(parent)
        self.editor, self.collection, self.item_id = editor, collection, item_id
        self.document = editor.document
        self.table = QTableWidget(0, len(self.headers))
        self.table.setHorizontalHeaderLabels(self.headers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setMinimumHeight(150)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet("color: #c92a2a;")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.PlainText)
        self.error.hide()
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_rows)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self._filling = False
        self._committing = False
        self.table.itemChanged.connect(self._on_cell_changed)
        self.refresh()

    # subclasses: rows from the model, and the model value from the rows
    def rows(self) -> list[list]:
        raise NotImplementedError

    def value_from_rows(self) -> dict:
        raise NotImplementedError

    def new_row(self) -> list | None:
        raise NotImplementedError

    def refresh(self) -> None:
        """Show the model's value (after undo, or when an edit was refused)."""
        if self._committing:  # never replace cells while Qt is still committing one of them
            QTimer.singleShot(0, self, self.refresh)
            return
        self._filling = True
        try:
            rows = self.rows()
            self.table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    self._set_cell(r, c, cell)
        finally:
            self._filling = False

    def _set_cell(self, row: int, column: int, cell) -> None:
        if isinstance(cell, tuple):  # (choices, current): a combo box
            choices, current = cell
            existing = self.table.cellWidget(row, column)
            if isinstance(existing, QComboBox) and [
                existing.itemData(i) for i in range(existing.count())
            ] == [value for value, _ in choices]:
                with_signals = existing.blockSignals(True)
                existing.setCurrentIndex(max(existing.findData(current), 0))
                existing.blockSignals(with_signals)
                existing.setToolTip(existing.currentText())
                return
            combo = QComboBox()
            for value, text in choices:
                combo.addItem(text, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.setToolTip(combo.currentText())  # the whole text where the column cuts it
            combo.currentTextChanged.connect(combo.setToolTip)
            combo.currentIndexChanged.connect(lambda _=0: self.commit())
            self.table.setCellWidget(row, column, combo)
        else:
            item = self.table.item(row, column)
            if item is None:
                self.table.setItem(row, column, QTableWidgetItem(cell))
            elif item.text() != cell:  # in place: an editor open on another cell stays open
                item.setText(cell)

    def cell(self, row: int, column: int):
        widget = self.table.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            return widget.currentData()
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _on_cell_changed(self, _item) -> None:
        if not self._filling:
            self.commit()

    def commit(self) -> bool:
        if self._filling:
            return False
        self._committing = True
        try:
            changes = self.value_from_rows()
            self.editor.update(self.collection, self.item_id, **changes)
        except (EditError, ParseError) as error:
            self.error.setText(str(error))
            self.error.show()
            if not isinstance(error, Unfinished):
                QTimer.singleShot(0, self, self.refresh)  # back to the model's value
            return False
        finally:
            self._committing = False
        self.error.hide()
        return True

    def add_row(self) -> None:
        row = self.new_row()
        if row is None:
            return
        self._filling = True
        index = self.table.rowCount()
        self.table.setRowCount(index + 1)
        for c, cell in enumerate(row):
            self._set_cell(index, c, cell)
        self._filling = False
        if self.commit():
            self.table.setCurrentCell(index, 0)
            self.table.editItem(self.table.item(index, 0)) if self.table.item(index, 0) else None

    def remove_rows(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.commit()


class QuestionsTable(FieldTable):
    """A criteria's questions: text, BANT category, points, and the share of leads answering
    yes (with every question's share, the simulation computes the criteria's pass rate)."""

    headers = ["Question", "Category", "Points", "Share yes"]

    def _item(self):
        return self.document.get(self.collection, self.item_id)

    def rows(self) -> list[list]:
        choices = [(c, c) for c in CATEGORIES]
        return [
            [q.text, (choices, q.category), format_number(q.points), format_share(q.share)]
            for q in self._item().questions
        ]

    def new_row(self) -> list:
        return ["New question?", ([(c, c) for c in CATEGORIES], "custom"), "1", ""]

    def value_from_rows(self) -> dict:
        existing = [q.id for q in self._item().questions]
        taken = set(existing)
        questions = []
        for row in range(self.table.rowCount()):
            points = parse_number(self.cell(row, 2))
            share = parse_share(self.cell(row, 3))
            if row < len(existing):
                question_id = existing[row]
            else:
                number = row + 1
                while f"q{number}" in taken:
                    number += 1
                question_id = f"q{number}"
                taken.add(question_id)
            questions.append(
                {
                    "id": question_id,
                    "text": self.cell(row, 0),
                    "category": self.cell(row, 1),
                    "points": 1.0 if points is None else points,
                    "share": share,
                }
            )
        return {"questions": questions}


class OverridesTable(FieldTable):
    """A scenario's overrides: what changes, where, and its value in the scenario."""

    headers = ["Change", "Applies to", "Value"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        header = self.table.horizontalHeader()
        # what changes and where share the width (a narrow dock shows both, each shortened)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeToContents)

    def _item(self):
        return self.document.get(self.collection, self.item_id)

    def _targets(self, field: str) -> list[tuple[str, str]]:
        doc = self.document.map
        source = OVERRIDES[field][1]
        names = {n.id: n.label or n.id for n in doc.nodes}
        if source == "edges":
            return [
                (e.id, f"{names.get(e.source, e.source)} → {names.get(e.target, e.target)}")
                for e in doc.edges
                if e.kind in CARRIES_LEADS  # an addresses edge or a message takes no rate
            ]
        if source == "teams":
            return [(t.id, t.name) for t in doc.teams]
        if source == "criteria":
            return [(c.id, c.name) for c in doc.criteria]
        if source == "questions":  # keyed "<criteria id>.<question id>", as the scenario stores it
            return [
                (f"{c.id}.{q.id}", f"{c.name}: {q.text}") for c in doc.criteria for q in c.questions
            ]
        kinds = {"entries": {"entry"}, "wins": {"won"}}.get(source)
        return [(n.id, names[n.id]) for n in doc.nodes if kinds is None or n.kind in kinds]

    def rows(self) -> list[list]:
        scenario = self._item()
        fields = [(f, OVERRIDES[f][0]) for f in OVERRIDES]
        out = []
        for field in OVERRIDES:
            for key, value in getattr(scenario, field).items():
                text = (
                    format_share(value) if OVERRIDES[field][2] == "share" else format_number(value)
                )
                out.append([(fields, field), (self._targets(field), key), text])
        return out

    def new_row(self) -> list | None:
        fields = [(f, OVERRIDES[f][0]) for f in OVERRIDES]
        for field in ("conversion", "entry_volume", "headcount"):
            targets = self._targets(field)
            used = set(getattr(self._item(), field))
            free = [t for t in targets if t[0] not in used]
            if free:
                current = self._current_value(field, free[0][0])
                return [(fields, field), (targets, free[0][0]), current]
        return None

    def _current_value(self, field: str, key: str) -> str:
        """The baseline value, so a new override starts from what the map says."""
        if field == "question_share":
            criteria, _, question = key.partition(".")
            found = self.document.get("criteria", criteria).questions
            value = next((q.share for q in found if q.id == question), None)
        else:
            collection, attribute, _ = SCENARIO_TARGETS[field]
            value = getattr(self.document.get(collection, key), attribute)
        if value is None:
            return ""
        return format_share(value) if OVERRIDES[field][2] == "share" else format_number(value)

    def refresh(self) -> None:
        super().refresh()
        if not self._committing:  # (else refresh comes again once the commit is over)
            for row in range(self.table.rowCount()):
                self._mark_value(row, self.cell(row, 0))

    def _mark_value(self, row: int, field: str) -> None:
        """Remember which kind of change the row's value was typed for."""
        item = self.table.item(row, 2)
        if item is not None:
            filling, self._filling = self._filling, True  # (setData says the cell changed)
            item.setData(Qt.UserRole, field)
            self._filling = filling

    def commit(self) -> bool:
        # The "Applies to" list depends on the kind of change: rebuild it when the kind changes,
        # and start the value from the map's (a conversion of 55% is no minimum score).
        for row in range(self.table.rowCount()):
            field = self.cell(row, 0)
            item = self.table.item(row, 2)
            typed_for = item.data(Qt.UserRole) if item is not None else None
            combo = self.table.cellWidget(row, 1)
            targets = self._targets(field)
            keys = [k for k, _ in targets]
            self._filling = True
            if (
                isinstance(combo, QComboBox)
                and [combo.itemData(i) for i in range(combo.count())] != keys
            ):
                self._set_cell(row, 1, (targets, keys[0] if keys else None))
            if typed_for is not None and typed_for != field and keys:
                self._set_cell(row, 2, self._current_value(field, self.cell(row, 1)))
            self._filling = False
            self._mark_value(row, field)
        return super().commit()

    def value_from_rows(self) -> dict:
        values: dict[str, dict] = {field: {} for field in OVERRIDES}
        for row in range(self.table.rowCount()):
            field, key, text = self.cell(row, 0), self.cell(row, 1), self.cell(row, 2)
            if key is None:
                raise ParseError(
                    f"row {row + 1}: there is nothing in this map a '{OVERRIDES[field][0]}' applies to"
                )
            parse: Callable = parse_share if OVERRIDES[field][2] == "share" else parse_number
            value = parse(text)
            if value is None:
                raise Unfinished(f"row {row + 1}: type the value this scenario uses")
            if OVERRIDES[field][2] == "int":
                if value != int(value):
                    what = "a headcount" if field == "headcount" else "a number of answers"
                    raise ParseError(f"row {row + 1}: {what} is a whole number, not {text}")
                value = int(value)
            values[field][key] = value
        return values
