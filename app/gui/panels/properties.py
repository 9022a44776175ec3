"""Properties of the selection: every attribute the model has, edited through undo commands.

One node, one edge, several nodes (common fields, applied as one macro), a
role / team / stage / criteria / SLA / scenario / process picked in the
outline, or the map itself when nothing is selected. Fields are described
once in ``FIELDS`` and all go through :class:`~app.gui.panels.binding.FieldBinding`.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.gui.common.follow import follow
from app.gui.panels.binding import (
    FieldBinding,
    error_label,
    format_number,
    format_share,
    multiline_editor,
    parse_number,
    parse_share,
)
from app.gui.panels.gate_table import GateTable
from app.gui.panels.property_fields import (
    ENUMS,
    FIELDS,
    LEAD_FIELDS,
    MULTI_NODE_FIELDS,
    TITLES,
)
from app.gui.panels.table_fields import OverridesTable, QuestionsTable
from app.gui.workspace.workspace import Workspace
from models.vocabulary import CARRIES_LEADS


def _display(value: str) -> str:
    return value.replace("_", " ")


class PropertiesPanel(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        editor, selection = workspace.editor, workspace.selection
        self.setObjectName("propertiesPanel")
        self.editor, self.selection = editor, selection
        self.document = editor.document
        self.bindings: dict[str, FieldBinding] = {}
        self.table = None
        self.title = QLabel()
        self.title.setTextFormat(Qt.PlainText)
        self.title.setWordWrap(True)  # long labels wrap instead of widening the dock
        self.title.setObjectName("propertiesTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.scroll)
        self.target: tuple[str, tuple[str, ...]] = ("map", ())
        self.selection.changed.connect(self.rebuild)
        self.selection.field_requested.connect(self.focus_field)
        self._unfollow = follow(
            self,
            [
                (self.document.item_changed, self._on_item_changed),
                (self.document.map_changed, self._on_map_changed),
                (self.document.item_removed, self._on_item_removed),
                (self.document.reset, self.rebuild),
            ],
        )
        self.rebuild()

    # --- what is shown -------------------------------------------------------------------------

    def _target(self) -> tuple[str, tuple[str, ...]]:
        sel = self.selection
        if sel.nodes:
            return "nodes", tuple(n for n in sel.nodes if self.document.has("nodes", n))
        if sel.edges:
            return "edges", tuple(e for e in sel.edges[:1] if self.document.has("edges", e))
        if sel.other and self.document.has(*sel.other):
            return sel.other[0], (sel.other[1],)
        return "map", ()

    def rebuild(self) -> None:
        collection, ids = self._target()
        if collection != "map" and not ids:
            collection = "map"
        self.target = (collection, ids)
        self.bindings = {}
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        form.setFormAlignment(Qt.AlignLeft | Qt.AlignTop)
        fields = FIELDS[collection]
        if collection == "nodes" and len(ids) > 1:
            fields = [f for f in fields if f[0] in MULTI_NODE_FIELDS]
            self.title.setText(f"{len(ids)} steps selected: changes apply to all")
        elif collection == "map":
            self.title.setText("Map")
        else:
            self._show_title()
        if collection == "edges" and self.document.get("edges", ids[0]).kind not in CARRIES_LEADS:
            fields = [f for f in fields if f[0] not in LEAD_FIELDS]  # it moves no leads
        for field, label, kind in fields:
            widget = self._widget(kind)
            widget.setObjectName(f"field_{field}")
            errors = error_label()
            box = QWidget()
            box.setSizePolicy(
                QSizePolicy.Preferred, QSizePolicy.Fixed
            )  # spare height goes below the form
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.setSpacing(2)
            inner.addWidget(widget)
            inner.addWidget(errors)
            caption = QLabel(label)
            caption.setTextFormat(Qt.PlainText)
            form.addRow(caption, box)
            to_text, from_text = _converters(kind)
            self.bindings[field] = FieldBinding(
                widget,
                errors,
                partial(self._read, field),
                partial(self._commit, field),
                to_text,
                from_text,
                self,
            )
        self.table = None
        if collection in ("criteria", "scenarios") and ids:
            table_class, caption = (
                (QuestionsTable, "Questions")
                if collection == "criteria"
                else (OverridesTable, "Changes from the baseline")
            )
            self.table = table_class(self.editor, collection, ids[0])
            self.table.setObjectName(f"table_{collection}")
            form.addRow(QLabel(caption))
            form.addRow(self.table)
        elif collection == "nodes" and len(ids) == 1 and self._in_funnel(ids[0]):
            self.table = GateTable(self.editor, collection, ids[0])
            self.table.setObjectName("table_gate")
            self.table.setToolTip(
                "A lead passes this step only when every role listed has cleared its step"
            )
            form.addRow(QLabel("Committee gate (roles that must clear)"))
            form.addRow(self.table)
        self.scroll.setWidget(form_widget)

    def focus_field(self, field: str) -> None:
        """Put the keyboard in one field (a finding clicked whose fix is that field)."""
        widget = self.findChild(QWidget, f"field_{field}")
        if widget is not None:
            self.scroll.ensureWidgetVisible(widget)
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def _in_funnel(self, node_id: str) -> bool:
        process = self.document.get("nodes", node_id).process
        return self.document.has("processes", process) and (
            self.document.get("processes", process).kind == "funnel"
        )

    def _widget(self, kind: str) -> QWidget:
        if kind == "multiline" or kind == "list":
            return multiline_editor(
                "one per line" if kind == "list" else "", as_list=kind == "list"
            )
        if kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 1_000_000)
            return spin
        if kind.startswith("enum:"):
            combo = QComboBox()
            for value in ENUMS[kind[5:]]:
                combo.addItem(_display(value), value)
            return combo
        if kind.startswith("ref:"):
            combo = QComboBox()
            combo.addItem("(none)", None)
            for item in getattr(self.document.map, kind[4:]):
                combo.addItem(getattr(item, "name", item.id), item.id)
            return combo
        line = QLineEdit()
        if kind == "share":
            line.setPlaceholderText("e.g. 30% or 0.3")
        return line

    # --- reading and writing ----------------------------------------------------------------

    def _read(self, field: str):
        collection, ids = self.target
        if collection == "map":
            value = getattr(self.document.map, field)
        else:
            value = getattr(self.document.get(collection, ids[0]), field)
        return value

    def _commit(self, field: str, value) -> None:
        collection, ids = self.target
        if collection == "map":
            self.document.check_map_fields(**{field: value})
            self.editor.set_map_fields(**{field: value})
            return
        if len(ids) == 1:
            self.editor.update(collection, ids[0], **{field: value})
            return
        for item_id in ids:  # validate all first: one refusal changes nothing
            self.document.check_update(collection, item_id, **{field: value})
        with self.editor.macro(f"Change {field} of {len(ids)} steps"):
            for item_id in ids:
                self.editor.update(collection, item_id, **{field: value})

    def _show_title(self) -> None:
        collection, ids = self.target
        item = self.document.get(collection, ids[0])
        name = getattr(item, "label", None) or getattr(item, "name", None)
        if collection == "edges" and not name:  # a connection reads as where it goes
            name = " → ".join(
                self.document.get("nodes", end).label or end
                for end in (item.source, item.target)
                if self.document.has("nodes", end)
            )
        self.title.setText(f"{TITLES[collection]}: {name or item.id}")

    def _on_item_changed(self, collection: str, item, old: dict) -> None:
        shown, ids = self.target
        if shown != "map" and len(ids) == 1 and self.document.has(shown, ids[0]):
            renamed = collection == shown and item.id == ids[0] and {"name", "label"} & set(old)
            end_renamed = shown == "edges" and collection == "nodes" and "label" in old
            if renamed or end_renamed:
                self._show_title()  # renamed here, in the outline or on the canvas: the header follows
        if collection == self.target[0] and item.id in self.target[1][:1]:
            if collection == "edges" and "kind" in old:
                self.rebuild()  # a conversion and a delay only for an edge that moves leads
                return
            for field in old:
                if field in self.bindings:
                    self.bindings[field].refresh()
            if self.table is not None:
                self.table.refresh()
        elif collection in ("teams", "stages", "roles", "criteria", "processes") and "name" in old:
            self.rebuild()  # a reference list shows the new name

    def _on_map_changed(self, old: dict) -> None:
        if self.target[0] == "map":
            for field in old:
                if field in self.bindings:
                    self.bindings[field].refresh()

    def _on_item_removed(self, collection: str, item, index: int) -> None:
        if collection == self.target[0] and item.id in self.target[1]:
            self.rebuild()


def _converters(kind: str):
    if kind == "number":
        return format_number, parse_number
    if kind == "share":
        return format_share, parse_share
    return (lambda v: "" if v is None else str(v)), (lambda s: s)
