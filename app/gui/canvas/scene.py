"""One process as a QGraphicsScene: a projection of the document that follows its signals.

Only the scene maps model to item (``item_for_node``, ``node_for_item``).
Items paint and emit intent; every change the user makes goes through the
:class:`~app.gui.workspace.commands.DocumentEditor`, and the scene redraws from the
document's signals, never from the gesture itself.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsScene, QToolTip

from app.gui.canvas.edge_layer import EdgeLayer, EdgeLine, clip_ends, shape_code
from app.gui.canvas.interactions import ConnectInteraction, Interaction, MoveInteraction
from app.gui.canvas.label_editor import LabelEditor
from app.gui.canvas.node_item import NodeItem
from app.gui.common.style import GRID, NODE_WIDTH, plain_tooltip, team_color
from app.gui.workspace.commands import DocumentEditor
from models.document import Edge, Node

PROGRESSIVE_ABOVE = 600  # nodes: bigger processes are built in slices between repaints
SLICE_NODES, SLICE_EDGES = (
    500,
    1500,
)  # 4–11 ms a slice measured; with a repaint between slices, far inside the 200 ms stall budget


def percent(conversion: float | None) -> str:
    """A conversion as the canvas labels it: "25%", "12.5%", "?" when unknown."""
    text = _PERCENTS.get(conversion)
    if text is None:
        if len(_PERCENTS) > 4096:
            _PERCENTS.clear()
        text = _PERCENTS[conversion] = (
            "?" if conversion is None else f"{conversion * 100:.1f}".rstrip("0").rstrip(".") + "%"
        )
    return text


_PERCENTS: dict[float | None, str] = {}  # maps reuse a handful of rates: format each once


class MapScene(QGraphicsScene):
    subprocess_requested = Signal(str)  # a process id to open
    status_message = Signal(str)
    built = Signal()  # every item of the process is on the scene (emitted after each rebuild)

    def __init__(
        self, editor: DocumentEditor, process_id: str, parent=None, progressive: bool | None = None
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.document = editor.document
        self.process_id = process_id
        self.setItemIndexMethod(QGraphicsScene.BspTreeIndex)
        self._nodes: dict[str, NodeItem] = {}
        self.edge_layer = EdgeLayer()
        self._edges: dict[str, EdgeLine] = self.edge_layer.lines
        self.interaction: Interaction | None = None
        self.label_editor: LabelEditor | None = None
        self.snap = True
        self._built_for = None
        self._progressive = progressive  # None: decide by size
        self._builder = None
        self.building = False
        self._pressed_selected = False
        self._reselect: list[
            str
        ] = []  # connections selected before a rebuild, selected again after it
        self._connect_model()
        self.rebuild()

    # --- model -> items ----------------------------------------------------------------------

    def _connect_model(self) -> None:
        doc = self.document
        self._subscriptions = [
            (doc.item_added, self._on_item_added),
            (doc.item_removed, self._on_item_removed),
            (doc.item_changed, self._on_item_changed),
            (doc.position_changed, self._on_position_changed),
            (doc.reset, self._on_reset),
        ]
        for signal, slot in self._subscriptions:
            signal.connect(slot)

    def detach(self) -> None:
        """Stop following the document (the tab closed)."""
        for signal, slot in self._subscriptions:
            signal.disconnect(slot)
        self._subscriptions = []
        self._builder = None

    def _repaint_views(self) -> None:
        for view in self.views():
            view.viewport().update()

    def item_count(self) -> int:
        """How many steps the scene shows."""
        return len(self._nodes)

    def node_ids(self) -> list[str]:
        """The steps the scene shows, by id."""
        return list(self._nodes)

    def item_for_node(self, node_id: str) -> NodeItem | None:
        return self._nodes.get(node_id)

    def item_for_edge(self, edge_id: str) -> EdgeLine | None:
        return self._edges.get(edge_id)

    @staticmethod
    def node_for_item(item) -> str | None:
        return getattr(item, "node_id", None)

    def _on_reset(self) -> None:
        # A scene created while `reset` is being delivered was just built from the new map.
        if self._subscriptions and self.document.map is not self._built_for:
            self.rebuild()

    def rebuild(self) -> None:
        """Recreate every item from the document.

        A large process is built in slices between event-loop turns, so opening a
        2,000-step map never freezes the window; edits made meanwhile are applied
        as usual (the slices skip what the signals already added or removed).
        """
        self._built_for = self.document.map
        self._builder = None
        self.cancel_label_edit()
        self._reselect = self.selected_edge_ids()
        self.clear()  # deletes the edge layer too: start a new one
        self._nodes.clear()
        self.edge_layer = EdgeLayer()
        self._edges = self.edge_layer.lines
        self.addItem(self.edge_layer)
        self._colors = {}
        if not self.document.has("processes", self.process_id):
            self._finish_build()
            return
        nodes = [n for n in self.document.map.nodes if n.process == self.process_id]
        progressive = self._progressive
        if progressive is None:
            progressive = len(nodes) > PROGRESSIVE_ABOVE
        if not progressive:
            for node in nodes:
                self._add_node_item(node)
            self._add_edges(self.document.map.edges)
            self._finish_build()
            return
        self.building = True
        self._builder = self._slices([n.id for n in nodes])
        QTimer.singleShot(0, self, self._build_next)

    def _slices(self, node_ids: list[str]):
        doc = self.document
        for start in range(0, len(node_ids), SLICE_NODES):
            for node_id in node_ids[start : start + SLICE_NODES]:
                if node_id not in self._nodes and doc.has("nodes", node_id):
                    node = doc.get("nodes", node_id)
                    if node.process == self.process_id:
                        self._add_node_item(node)
            yield
        edges = list(doc.map.edges)
        for start in range(0, len(edges), SLICE_EDGES):
            # read afresh: an edge may have been changed or removed, a step dragged, since the last slice
            self._add_edges(
                [
                    doc.get("edges", e.id)
                    for e in edges[start : start + SLICE_EDGES]
                    if doc.has("edges", e.id)
                ]
            )
            yield

    def _build_next(self) -> None:
        builder = self._builder
        if builder is None:
            return  # rebuilt or detached since this slice was scheduled
        try:
            next(builder)
        except StopIteration:
            self._builder = None
            self._finish_build()
            return
        QTimer.singleShot(0, self, self._build_next)

    def _finish_build(self) -> None:
        self.building = False
        self.setSceneRect(self._content_extent().adjusted(-400, -300, 400, 300))
        kept, self._reselect = self._reselect, []
        if kept:  # the old layer went with clear(): select what still exists, and say so either way
            for edge_id in kept:
                if edge_id in self._edges:
                    self.edge_layer.set_selected(self._edges[edge_id], True)
            self.selectionChanged.emit()
        self.built.emit()

    def _content_extent(self) -> QRectF:
        """Steps and edges together, from plain numbers (itemsBoundingRect asks every item in Python)."""
        extent = self.edge_layer.boundingRect()
        nodes = self._nodes_extent(self._centres().values())
        if nodes.isNull():
            return extent
        return nodes.united(extent) if not extent.isNull() else nodes

    @staticmethod
    def _nodes_extent(centres) -> QRectF:
        """What steps centred at ``centres`` cover, badges and overlay text included."""
        xs, ys = [], []
        for x, y in centres:
            xs.append(x)
            ys.append(y)
        if not xs:
            return QRectF()
        box = NodeItem.BOUNDS
        return QRectF(
            min(xs) + box.left(),
            min(ys) + box.top(),
            max(xs) - min(xs) + box.width(),
            max(ys) - min(ys) + box.height(),
        )

    def _add_node_item(self, node: Node) -> NodeItem:
        item = NodeItem(node.id, node.kind, node.label, self._team_color(node.owner))
        position = self.document.position(node.id)
        if position is None:
            count = len(self._nodes)
            position = ((count % 6) * 230.0, (count // 6) * 120.0)
        item.setPos(position[0], position[1])
        self.addItem(item)
        self._nodes[node.id] = item
        return item

    def _team_color(self, team_id: str | None) -> QColor | None:
        """One QColor per team while a scene is built (rather than a list search and a new colour per step)."""
        if team_id not in self._colors:
            self._colors[team_id] = team_color(team_id, self.document.map.teams)
        return self._colors[team_id]

    def _refresh_node(self, item: NodeItem, node: Node) -> None:
        color = team_color(node.owner, self.document.map.teams)
        reshaped = node.kind != item.kind
        item.set_content(node.kind, node.label, color)
        if reshaped:  # a new outline: its edges now end on a diamond, an ellipse...
            item.adjust_edges()

    def _centres(self) -> dict[str, tuple[float, float]]:
        """Every step's centre as plain floats, read once for a batch of edges."""
        out = {}
        for node_id, item in self._nodes.items():
            point = item.pos()
            out[node_id] = (point.x(), point.y())
        return out

    def _add_edges(self, edges) -> None:
        """A batch of edges: positions read once, ends clipped in one vectorised step, one
        geometry change for the layer."""
        nodes, known = self._nodes, self._edges
        centres = self._centres()
        batch, coords, source_shapes, target_shapes = [], [], [], []
        for edge in edges:
            source, target = nodes.get(edge.source), nodes.get(edge.target)
            if source is None or target is None or edge.id in known:
                continue
            batch.append((edge, source, target))
            coords.append(centres[edge.source] + centres[edge.target])
            source_shapes.append(shape_code(source.kind))
            target_shapes.append(shape_code(target.kind))
        if not batch:
            return
        ends = clip_ends(np.array(coords), np.array(source_shapes), np.array(target_shapes))
        layer = self.edge_layer
        lines = [
            EdgeLine(
                layer,
                edge.id,
                source,
                target,
                edge.kind,
                "" if edge.kind == "addresses" else percent(edge.conversion),
                tuple(row),
            )
            for (edge, source, target), row in zip(batch, ends.tolist(), strict=True)
        ]
        layer.add_batch(lines, self._nodes_extent(centres.values()), ends)

    def _add_edge(self, edge: Edge) -> None:
        source, target = self._nodes.get(edge.source), self._nodes.get(edge.target)
        if source is not None and target is not None and edge.id not in self._edges:
            self.edge_layer.add(
                EdgeLine(
                    self.edge_layer,
                    edge.id,
                    source,
                    target,
                    edge.kind,
                    "" if edge.kind == "addresses" else percent(edge.conversion),
                )
            )

    def _on_item_added(self, collection: str, item, index: int) -> None:
        if collection == "nodes" and item.process == self.process_id:
            self._room_for(self._add_node_item(item))
            if len(self._nodes) == 1:
                self._repaint_views()  # the empty-process hint goes
        elif collection == "edges":
            self._add_edge(item)

    def _on_item_removed(self, collection: str, item, index: int) -> None:
        if collection == "nodes":
            node_item = self._nodes.pop(item.id, None)
            if node_item is not None:
                if self.label_editor and self.label_editor.node_id == item.id:
                    self.cancel_label_edit()
                self.removeItem(node_item)
                if not self._nodes:
                    self._repaint_views()  # the empty-process hint comes back
        elif collection == "edges":
            line = self.edge_layer.remove(item.id)
            if line is not None and line.selected:
                self.selectionChanged.emit()

    def _on_item_changed(self, collection: str, item, old: dict) -> None:
        if collection == "nodes":
            node_item = self._nodes.get(item.id)
            if "process" in old:
                if old["process"] == self.process_id and item.process != self.process_id:
                    self.rebuild()
                    return
                if item.process == self.process_id and node_item is None:
                    self.rebuild()
                    return
            if node_item is not None:
                self._refresh_node(node_item, item)
        elif collection == "edges":
            line = self._edges.get(item.id)
            if line is not None:
                if {"source", "target"} & set(old):
                    self.rebuild()
                    return
                line.set_content(
                    item.kind,
                    "" if item.kind == "addresses" else percent(item.conversion),
                    line.width,
                )  # a flow overlay's width stays
        elif collection == "teams":
            for node_id, node_item in self._nodes.items():
                self._refresh_node(node_item, self.document.get("nodes", node_id))

    def _on_position_changed(self, node_id: str, position) -> None:
        item = self._nodes.get(node_id)
        if item is not None and position is not None:
            item.set_position(QPointF(*position))
            self._room_for(item)

    def _room_for(self, item: NodeItem) -> None:
        """Grow the scrollable area when a step is added or moved past it (it is fixed at build time)."""
        if not self.building:
            bounds = item.sceneBoundingRect()
            if not self.sceneRect().contains(bounds):
                self.setSceneRect(self.sceneRect().united(bounds.adjusted(-400, -300, 400, 300)))

    # --- selection ---------------------------------------------------------------------------

    def selected_node_ids(self) -> list[str]:
        return [i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_edge_ids(self) -> list[str]:
        return [line.edge_id for line in self.edge_layer.selected()]

    def select_nodes(self, node_ids, edge_ids=()) -> None:
        self.clearSelection()
        for node_id in node_ids:
            if node_id in self._nodes:
                self._nodes[node_id].setSelected(True)
        self.select_edges([self._edges[e] for e in edge_ids if e in self._edges], add=True)

    def select_edges(self, lines, add: bool = False) -> None:
        """Edges are selected in the edge layer, not by Qt; ``selectionChanged`` is emitted all the same."""
        changed = False
        if not add:
            for line in self.edge_layer.selected():
                self.edge_layer.set_selected(line, False)
                changed = True
        for line in lines:
            changed |= not line.selected
            self.edge_layer.set_selected(line, True)
        if changed:
            self.selectionChanged.emit()

    def select_all(self) -> None:
        """Every step and every connection of the process (Edit ▸ Select all)."""
        self.select_nodes(list(self._nodes), list(self._edges))

    def toggle_edge(self, line: EdgeLine) -> None:
        self.edge_layer.set_selected(line, not line.selected)
        self.selectionChanged.emit()

    def clearSelection(self) -> None:  # noqa: N802 - Qt API, extended to the edge layer
        self.select_edges([])
        super().clearSelection()

    def edge_at(self, point: QPointF, view_scale: float = 1.0) -> EdgeLine | None:
        """The edge under a point: within 5 screen pixels (never less than 5 scene units) of its stroke."""
        return self.edge_layer.edge_at(point, max(5.0, 5.0 / max(view_scale, 1e-6)))

    def snapped(self, point: QPointF) -> tuple[float, float]:
        if not self.snap:
            return (point.x(), point.y())
        return (round(point.x() / GRID) * GRID, round(point.y() / GRID) * GRID)

    # --- creation ----------------------------------------------------------------------------

    def _process_role(self) -> str | None:
        """The buyer role whose process this is: its new buyer steps are that role's."""
        process = self.document.get("processes", self.process_id)
        return process.role if process.role and self.document.has("roles", process.role) else None

    def add_node_at(
        self, point: QPointF, kind: str = "action", label: str = "", edit: bool = True
    ) -> str:
        node = Node(
            id=self.document.new_id("nodes", "node"),
            process=self.process_id,
            kind=kind,
            label=label or _default_label(kind),
            role=self._process_role() if kind == "buyer_step" else None,
        )
        self.editor.add_node(node, self.snapped(point))
        self.select_nodes([node.id])
        if edit:
            self.start_label_edit(node.id)
        return node.id

    def add_next_step(self) -> str | None:
        """Create the next step after the selected node, connected, with its label ready to type."""
        selected = self.selected_node_ids()
        if len(selected) != 1:
            return None
        source = self.document.get("nodes", selected[0])
        kind = "buyer_step" if source.kind in ("buyer_step",) else "action"
        if source.kind == "entry":
            kind = (
                "buyer_step"
                if self.document.get("processes", self.process_id).kind == "buyer"
                else "action"
            )
        base = self._nodes[source.id].pos()
        point = QPointF(base.x() + NODE_WIDTH + 60, base.y())
        while any((item.pos() - point).manhattanLength() < 40 for item in self._nodes.values()):
            point += QPointF(0, 120)
        node = Node(
            id=self.document.new_id("nodes", "node"),
            process=self.process_id,
            kind=kind,
            label=_default_label(kind),
            owner=source.owner if kind == "action" else None,
            role=(source.role or self._process_role()) if kind == "buyer_step" else None,
        )
        edge = Edge(id=self.document.new_id("edges", "edge"), source=source.id, target=node.id)
        with self.editor.macro(f"Add next step after '{source.label or source.id}'"):
            self.editor.add_node(node, self.snapped(point))
            self.editor.add_edge(edge)
        self.select_nodes([node.id])
        self.start_label_edit(node.id)
        return node.id

    def add_step_in_view(self, point: QPointF) -> str:
        """Tab with nothing selected: a first step where the user is looking, label ready to type."""
        process = self.document.get("processes", self.process_id)
        kind = "buyer_step" if process.kind == "buyer" else "action"
        return self.add_node_at(point, kind)

    def connect_nodes(self, source_id: str, target_id: str) -> str | None:
        if source_id == target_id:
            return None
        source = self.document.get("nodes", source_id)
        target = self.document.get("nodes", target_id)
        kind = "addresses" if source.kind == "action" and target.kind == "buyer_step" else "flow"
        if any(
            e.source == source_id and e.target == target_id and e.kind == kind
            for e in self.document.map.edges
        ):
            self.status_message.emit("Those two are already connected.")
            return None
        edge = Edge(
            id=self.document.new_id("edges", "edge"), source=source_id, target=target_id, kind=kind
        )
        self.editor.add_edge(edge)
        return edge.id

    def delete_selection(self) -> None:
        nodes, edges = self.selected_node_ids(), self.selected_edge_ids()
        if nodes or edges:
            self.editor.remove_nodes(nodes, edges)

    def nudge(self, dx: float, dy: float) -> None:
        nodes = self.selected_node_ids()
        if nodes:
            moves = {}
            for node_id in nodes:
                pos = self._nodes[node_id].pos()
                moves[node_id] = (pos.x() + dx, pos.y() + dy)
            self.editor.move_nodes(moves, mergeable=True)

    # --- inline label editing ------------------------------------------------------------------

    def start_label_edit(self, node_id: str) -> None:
        self.cancel_label_edit()
        item = self._nodes.get(node_id)
        if item is None:
            return
        node = self.document.get("nodes", node_id)
        self.label_editor = LabelEditor(node_id, node.label, item)
        self.label_editor.committed.connect(self._on_label_committed)
        self.label_editor.cancelled.connect(self.cancel_label_edit)
        self.addItem(self.label_editor)
        self.label_editor.begin()
        for (
            view
        ) in self.views():  # a room dictating step after step: the one being typed stays in sight
            view.ensureVisible(item.sceneBoundingRect(), 80, 60)

    def _on_label_committed(self, node_id: str, text: str) -> None:
        self.cancel_label_edit()
        if self.document.has("nodes", node_id):
            self.editor.update("nodes", node_id, label=text, text=f"Rename step to '{text}'")
        item = self._nodes.get(node_id)
        if item is not None:
            self.select_nodes([node_id])
            item.setFocus()

    def cancel_label_edit(self) -> None:
        editor, self.label_editor = self.label_editor, None
        if editor is not None:
            editor.committed.disconnect(self._on_label_committed)
            editor.cancelled.disconnect(self.cancel_label_edit)
            if editor.scene() is self:
                self.removeItem(editor)
            editor.deleteLater()

    # --- mouse and keyboard ------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.label_editor is not None and not self.label_editor.contains(
            self.label_editor.mapFromScene(event.scenePos())
        ):
            self.label_editor.commit()
        item = self.node_at(event.scenePos())
        adding = bool(event.modifiers() & Qt.ControlModifier)
        if event.button() == Qt.LeftButton and item is None:
            line = self.edge_at(event.scenePos(), _scale(event))
            if line is not None:  # an edge: select it (Ctrl toggles), no rubber band
                if adding:
                    self.toggle_edge(line)
                else:
                    super().clearSelection()
                    self.select_edges([line])
                event.accept()
                return
            if not adding:
                self.select_edges(
                    []
                )  # the press on empty canvas clears the steps too (Qt does that)
        # A press on a selected step keeps the selection for a drag; a click without moving
        # leaves that step alone selected (Qt does it for the steps at release, see below).
        self._pressed_selected = item is not None and not adding and item.isSelected()
        if item is not None and not adding and not item.isSelected():
            self.select_edges([])
        if event.button() == Qt.LeftButton and item is not None:
            if event.modifiers() & (Qt.ShiftModifier | Qt.AltModifier):
                self.interaction = ConnectInteraction(self, item)
                self.interaction.start(event)
                event.accept()
                return
            super().mousePressEvent(event)
            self.interaction = MoveInteraction(self)
            self.interaction.start(event)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        if isinstance(self.interaction, ConnectInteraction):
            self.interaction.move(event)
            event.accept()
            return
        super().mouseMoveEvent(event)
        if self.interaction is not None:
            self.interaction.move(event)  # a drag: the moved steps' edges follow

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        interaction, self.interaction = self.interaction, None
        if isinstance(interaction, ConnectInteraction):
            interaction.end(event)
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if (
            self._pressed_selected
            and event.button() == Qt.LeftButton
            and event.scenePos() == event.buttonDownScenePos(Qt.LeftButton)
        ):
            self.select_edges(
                []
            )  # Qt's own clearSelection() at release does not reach the edge layer
        self._pressed_selected = False
        if interaction is not None:
            interaction.end(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt API
        item = self.node_at(event.scenePos())
        if item is None:
            if (
                self.itemAt(
                    event.scenePos(), self.views()[0].transform() if self.views() else _identity()
                )
                is None
                and self.edge_at(event.scenePos(), _scale(event)) is None
            ):
                self.add_node_at(event.scenePos())
                event.accept()
                return
            super().mouseDoubleClickEvent(event)
            return
        node = self.document.get("nodes", item.node_id)
        if (
            node.kind == "subprocess"
            and node.subprocess
            and self.document.has("processes", node.subprocess)
        ):
            self.subprocess_requested.emit(node.subprocess)
        else:
            self.start_label_edit(item.node_id)
        event.accept()

    def helpEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Tooltips for steps (their label, escaped) and edges (what they convert), asked for on hover."""
        text = self.tooltip_at(event.scenePos(), _scale(event))
        if text:
            QToolTip.showText(event.screenPos(), text, event.widget())
            event.accept()
        else:
            QToolTip.hideText()
            event.ignore()

    def tooltip_at(self, point: QPointF, view_scale: float = 1.0) -> str:
        item = self.node_at(point)
        if item is not None:
            return item.tooltip()
        line = self.edge_at(point, view_scale)
        if line is None:
            return ""
        edge = self.document.get("edges", line.edge_id)
        source, target = (self.document.get("nodes", n).label for n in (edge.source, edge.target))
        text = f"{source} → {target}"
        if edge.kind != "addresses":
            text += (
                f": {percent(edge.conversion)}"
                if edge.conversion is not None
                else ": no conversion set yet"
            )
        return plain_tooltip(text)

    def node_at(self, point: QPointF) -> NodeItem | None:
        """The step under a scene point, if any."""
        for item in self.items(point):
            if isinstance(item, NodeItem):
                return item
        return None

    def temporary_line(self, start: QPointF) -> QGraphicsLineItem:
        line = QGraphicsLineItem(start.x(), start.y(), start.x(), start.y())
        line.setPen(QPen(QColor("#1864ab"), 2, Qt.DashLine))
        line.setZValue(5)
        self.addItem(line)
        return line

    def content_rect(self) -> QRectF:
        """What the steps cover (the edges run between them), from their centres."""
        return self._nodes_extent(self._centres().values())


def _default_label(kind: str) -> str:
    return {
        "entry": "New lead source",
        "buyer_step": "New buyer step",
        "action": "New action",
        "decision": "Decision?",
        "subprocess": "Sub-process",
        "won": "Won",
        "lost": "Lost",
    }[kind]


def _scale(event) -> float:
    """The zoom of the view a scene event came through (1 when there is none, as in tests)."""
    widget = event.widget()
    view = widget.parent() if widget is not None else None
    return view.transform().m11() if hasattr(view, "transform") else 1.0


def _identity():
    from PySide6.QtGui import QTransform

    return QTransform()
